package pwhash

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"kiosk/model"
)

var _ model.PasswordHasher = (*Hasher)(nil)

func TestDefaultRoundTrip(t *testing.T) {
	h := New(Default)
	phc, err := h.Hash("Kiosk#2024pass")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=65536,t=2,p=2$") {
		t.Fatalf("not a Default argon2id PHC string: %q", phc)
	}
	ok, err := h.Verify(phc, "Kiosk#2024pass")
	if err != nil || !ok {
		t.Fatalf("Verify(right) = %v, %v", ok, err)
	}
	ok, err = h.Verify(phc, "kiosk#2024pass")
	if err != nil || ok {
		t.Fatalf("Verify(wrong) = %v, %v", ok, err)
	}
	if h.NeedsRehash(phc) {
		t.Fatal("a fresh Default hash should not need rehash")
	}
}

func TestSaltsDiffer(t *testing.T) {
	h := New(Fast)
	a, _ := h.Hash("same-Password1")
	b, _ := h.Hash("same-Password1")
	if a == b {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	sa := strings.Split(a, "$")[4]
	sb := strings.Split(b, "$")[4]
	if sa == sb {
		t.Fatal("salts are equal")
	}
}

func TestVerifyUsesStoredParams(t *testing.T) {
	old := New(Params{Memory: 128, Time: 2, Threads: 1, SaltLen: 8, KeyLen: 16})
	phc, err := old.Hash("Old_pass99")
	if err != nil {
		t.Fatal(err)
	}
	h := New(Fast)
	if ok, err := h.Verify(phc, "Old_pass99"); !ok || err != nil {
		t.Fatalf("hash made with other params does not verify: %v %v", ok, err)
	}
	if !h.NeedsRehash(phc) {
		t.Fatal("hash with other params should need rehash")
	}
	if !h.NeedsRehash("garbage") {
		t.Fatal("malformed hash should need rehash")
	}
}

func TestHashRejectsBadParams(t *testing.T) {
	for _, p := range []Params{
		{},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8},
		{Memory: 4, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: maxMemory + 1, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
	} {
		if _, err := New(p).Hash("x"); err == nil {
			t.Errorf("Hash with %+v: want error", p)
		}
	}
}

// Parse recovers exactly the parameters and lengths Hash used.
func TestParseKnown(t *testing.T) {
	h := New(Fast)
	phc, _ := h.Hash("abc")
	p, salt, key, err := Parse(phc)
	if err != nil {
		t.Fatal(err)
	}
	if p != Fast || len(salt) != 16 || len(key) != 32 {
		t.Fatalf("Parse = %+v, %d, %d", p, len(salt), len(key))
	}
}

func TestVerifyMalformed(t *testing.T) {
	good, _ := New(Fast).Hash("Password1!")
	parts := strings.Split(good, "$")
	swap := func(i int, v string) string {
		q := append([]string(nil), parts...)
		q[i] = v
		return strings.Join(q, "$")
	}
	cases := map[string]string{
		"empty":        "",
		"bcrypt":       "$2a$10$abcdefghijklmnopqrstuv",
		"argon2i":      swap(1, "argon2i"),
		"version":      swap(2, "v=16"),
		"no version":   strings.Replace(good, "$v=19", "", 1),
		"param order":  swap(3, "t=1,m=64,p=1"),
		"leading zero": swap(3, "m=064,t=1,p=1"),
		"sign":         swap(3, "m=+64,t=1,p=1"),
		"huge memory":  swap(3, "m=4294967295,t=1,p=1"),
		"overflow":     swap(3, "m=99999999999,t=1,p=1"),
		"huge time":    swap(3, "m=64,t=100000,p=1"),
		"zero threads": swap(3, "m=64,t=1,p=0"),
		"mem<8p":       swap(3, "m=8,t=1,p=2"),
		"padded salt":  swap(4, parts[4]+"=="),
		"bad base64":   swap(4, "!!!!"),
		"short salt":   swap(4, "AAAA"),
		"short key":    swap(5, "AAAA"),
		"extra field":  good + "$x",
		"trailing sp":  good + " ",
	}
	h := New(Fast)
	for name, phc := range cases {
		ok, err := h.Verify(phc, "Password1!")
		if ok || !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Verify(%q) = %v, %v; want ErrMalformed", name, phc, ok, err)
		}
	}
}

// derivation is one call of idKey, without the password.
type derivation struct {
	saltLen, time, memory uint32
	threads               uint8
	keyLen                uint32
}

// recordDerivations makes idKey record its calls (and still derive) for
// the rest of the test.
func recordDerivations(t *testing.T) *[]derivation {
	t.Helper()
	var got []derivation
	orig := idKey
	idKey = func(pw, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
		got = append(got, derivation{uint32(len(salt)), time, memory, threads, keyLen})
		return orig(pw, salt, time, memory, threads, keyLen)
	}
	t.Cleanup(func() { idKey = orig })
	return &got
}

// TestDummyVerify: DummyVerify derives exactly one key with the cost
// Verify spends on a hash made by the same Hasher (memory, passes, lanes,
// salt and key lengths), so an unknown account costs what a known one
// does; invalid parameters fall back to Default's cost, never to less.
func TestDummyVerify(t *testing.T) {
	small := Params{Memory: 256, Time: 3, Threads: 2, SaltLen: 24, KeyLen: 48}
	for _, p := range []Params{Fast, small} {
		h := New(p)
		phc, err := h.Hash("Right#Password1")
		if err != nil {
			t.Fatal(err)
		}
		got := recordDerivations(t)
		if ok, err := h.Verify(phc, "whatever"); ok || err != nil {
			t.Fatalf("Verify = %v, %v", ok, err)
		}
		h.DummyVerify("whatever")
		if len(*got) != 2 {
			t.Fatalf("%+v: %d derivations for Verify + DummyVerify, want 2", p, len(*got))
		}
		verify, dummy := (*got)[0], (*got)[1]
		want := derivation{p.SaltLen, p.Time, p.Memory, p.Threads, p.KeyLen}
		if verify != want {
			t.Fatalf("%+v: Verify derived %+v", p, verify)
		}
		if dummy != verify {
			t.Errorf("%+v: DummyVerify derived %+v, Verify %+v", p, dummy, verify)
		}
	}
	got := recordDerivations(t)
	New(Params{}).DummyVerify("falls back to Default, must not panic")
	d := Default
	if want := []derivation{{d.SaltLen, d.Time, d.Memory, d.Threads, d.KeyLen}}; !reflect.DeepEqual(*got, want) {
		t.Errorf("invalid parameters: DummyVerify derived %+v, want Default %+v", *got, want)
	}
}

func BenchmarkHash(b *testing.B) {
	h := New(Default)
	for b.Loop() {
		if _, err := h.Hash("Bench#Password1"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	h := New(Default)
	phc, _ := h.Hash("Bench#Password1")
	for b.Loop() {
		if ok, _ := h.Verify(phc, "Bench#Password1"); !ok {
			b.Fatal("no match")
		}
	}
}

func BenchmarkDummyVerify(b *testing.B) {
	h := New(Default)
	for b.Loop() {
		h.DummyVerify("Bench#Password1")
	}
}

// FuzzParse: the PHC parser never panics, and whatever it accepts is in the
// canonical form Hash writes, within the limits, and verifies cheaply.
func FuzzParse(f *testing.F) {
	// Fixed, because fuzz workers are separate processes: a hash made here
	// would differ in each.
	const good = "$argon2id$v=19$m=64,t=1,p=1$OuMuzQoqn1yniMDZKQhqCw$AKp0M51+F1m13hKx4yt1hib9KewGHXkrbTzcvOKoXqk"
	f.Add(good)
	f.Add("$argon2id$v=19$m=65536,t=1,p=2$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U")
	f.Add("$argon2id$v=19$m=,t=,p=$$")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, phc string) {
		p, salt, key, err := Parse(phc)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("unexpected error type %v", err)
			}
			return
		}
		if p.check() != nil {
			t.Fatalf("accepted out-of-range params %+v", p)
		}
		again := "$argon2id$v=19$m=" + itoa(p.Memory) + ",t=" + itoa(p.Time) + ",p=" + itoa(uint32(p.Threads)) +
			"$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(key)
		if again != phc {
			t.Fatalf("accepted non-canonical %q (canonical %q)", phc, again)
		}
		if p.Memory <= 1024 && p.Time <= 2 {
			ok, err := New(Fast).Verify(phc, "seed")
			if err != nil || ok != (phc == good) {
				t.Fatalf("Verify(%q) = %v, %v", phc, ok, err)
			}
		}
	})
}

func itoa(n uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
