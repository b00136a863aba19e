package storage

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"testing"
)

func TestSealOpen(t *testing.T) {
	k := KeysFromSeed("seal")
	pt := []byte(`{"name":"张三","idn":"11010519491231002X"}`)
	a, b := k.seal([]byte("per/1"), pt), k.seal([]byte("per/1"), pt)
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same value are equal: nonce reused")
	}
	if bytes.Contains(a, []byte("11010519491231002X")) {
		t.Fatal("plaintext visible in sealed value")
	}
	got, err := k.open([]byte("per/1"), a)
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("open = %q, %v", got, err)
	}
	tampered := bytes.Clone(a)
	tampered[len(tampered)-1] ^= 1
	for name, c := range map[string]struct{ key, sealed []byte }{
		"other record key": {[]byte("per/2"), a},
		"tampered":         {[]byte("per/1"), tampered},
		"truncated":        {[]byte("per/1"), a[:10]},
		"empty":            {[]byte("per/1"), nil},
		"other version":    {[]byte("per/1"), append([]byte{9}, a[1:]...)},
	} {
		if _, err := k.open(c.key, c.sealed); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
	if _, err := KeysFromSeed("other").open([]byte("per/1"), a); !errors.Is(err, ErrCorrupt) {
		t.Errorf("other key opened the value: %v", err)
	}
}

func TestBlindDomains(t *testing.T) {
	k := KeysFromSeed("blind")
	if k.blind("a", "x") != k.blind("a", "x") {
		t.Fatal("blind index not deterministic")
	}
	if k.blind("a", "x") == k.blind("b", "x") || k.blind("a", "x") == k.blind("a", "y") {
		t.Fatal("blind index ignores domain or value")
	}
	// The separator keeps ("ab","c") and ("a","bc") apart.
	if k.blind("ab", "c") == k.blind("a", "bc") {
		t.Fatal("domain/value boundary ambiguous")
	}
	if k.blind("a", "x") == KeysFromSeed("other").blind("a", "x") {
		t.Fatal("blind index does not depend on the key")
	}
}

func FuzzOpenSealed(f *testing.F) {
	k := KeysFromSeed("fuzz")
	f.Add([]byte("ent/e1"), k.seal([]byte("ent/e1"), []byte(`{"id":"e1"}`)))
	f.Add([]byte("ent/e1"), []byte{1})
	f.Add([]byte(""), []byte{})
	f.Fuzz(func(t *testing.T, key, sealed []byte) {
		pt, err := k.open(key, sealed)
		if err == nil {
			// Only a genuine seal opens; resealing round-trips.
			if back, err := k.open(key, k.seal(key, pt)); err != nil || !bytes.Equal(back, pt) {
				t.Fatalf("reseal round trip: %v", err)
			}
		} else if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("error not ErrCorrupt: %v", err)
		}
	})
}

// TestBlindReusedMACs: blind index keys made with the reused HMAC
// instances equal a fresh HMAC-SHA256 of domain NUL value, from many
// goroutines at once (run with -race).
func TestBlindReusedMACs(t *testing.T) {
	k := KeysFromSeed("blind")
	want := func(domain, value string) string {
		m := hmac.New(sha256.New, k.idx[:])
		m.Write([]byte(domain + "\x00" + value))
		return hex.EncodeToString(m.Sum(nil))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				d, v := fmt.Sprint("dom", g%3), fmt.Sprint("value-", i, "-", g)
				if got := k.blind(d, v); got != want(d, v) {
					errs <- fmt.Sprintf("blind(%q, %q) = %s, want %s", d, v, got, want(d, v))
					return
				}
				if got := string(k.appendBlind([]byte("idx/"), d, v)); got != "idx/"+want(d, v) {
					errs <- fmt.Sprintf("appendBlind(%q, %q) = %s", d, v, got)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestOpenInPlace: opening in place gives what open gives and refuses
// what open refuses.
func TestOpenInPlace(t *testing.T) {
	k := KeysFromSeed("seal")
	pt := []byte("binary record")
	sealed := k.seal([]byte("ent/1"), pt)
	got, err := k.openInPlace([]byte("ent/1"), bytes.Clone(sealed))
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("openInPlace = %q, %v", got, err)
	}
	for _, c := range []struct {
		key    string
		sealed []byte
	}{{"ent/2", bytes.Clone(sealed)}, {"ent/1", sealed[:len(sealed)-1]}, {"ent/1", nil}} {
		if _, err := k.openInPlace([]byte(c.key), c.sealed); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", c.key, err)
		}
	}
}
