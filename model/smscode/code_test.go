package smscode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
	"time"
)

func TestNormalizeCode(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"123456", "123456", nil},
		{"000000", "000000", nil},
		{" 123 456 ", "123456", nil},
		{"１２３４５６", "123456", nil},
		{"12３4５6", "123456", nil},
		{"\t123456\n", "123456", nil},
		{"", "", ErrCodeEmpty},
		{" \u3000 ", "", ErrCodeEmpty},
		{"12345", "", ErrCodeFormat},
		{"1234567", "", ErrCodeFormat},
		{"12345a", "", ErrCodeFormat},
		{"123-456", "", ErrCodeFormat},
		{"+123456", "", ErrCodeFormat},
		{"12345\x00", "", ErrCodeFormat},
		{"\xff23456", "", ErrCodeFormat},
		{"¹23456", "", ErrCodeFormat},
	}
	for _, tc := range tests {
		got, err := NormalizeCode(tc.in)
		if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestNewCode(t *testing.T) {
	src := func(vs ...uint32) *bytes.Reader {
		var b []byte
		for _, v := range vs {
			b = binary.BigEndian.AppendUint32(b, v)
		}
		return bytes.NewReader(b)
	}
	tests := []struct {
		vs   []uint32
		want string
	}{
		{[]uint32{0}, "000000"},
		{[]uint32{42}, "000042"},
		{[]uint32{999_999}, "999999"},
		{[]uint32{4_293_999_999}, "999999"},    // the last accepted value
		{[]uint32{4_294_000_000, 7}, "000007"}, // biased tail rejected, next draw used
		{[]uint32{0xffffffff, 0xfffffff0, 5}, "000005"},
	}
	for _, tc := range tests {
		got, err := newCode(src(tc.vs...))
		if err != nil || got != tc.want {
			t.Errorf("newCode(%v) = %q, %v; want %q", tc.vs, got, err, tc.want)
		}
	}
	if _, err := newCode(src(0xffffffff)); err == nil {
		t.Error("newCode with an exhausted source succeeded")
	}
}

func TestHashCode(t *testing.T) {
	s := []byte("0123456789abcdef")
	h := hashCode(s, "register", "13800138000", "123456")
	for _, other := range []string{
		hashCode(s, "reset", "13800138000", "123456"),
		hashCode(s, "register", "13800138001", "123456"),
		hashCode(s, "register", "13800138000", "123457"),
		hashCode([]byte("0123456789abcdeF"), "register", "13800138000", "123456"),
	} {
		if other == h {
			t.Fatal("hash ignores one of its inputs")
		}
	}
	if !sameHash(h, hashCode(s, "register", "13800138000", "123456")) || sameHash(h, h[:63]) || sameHash(h, "") {
		t.Fatal("sameHash wrong")
	}
}

func TestWindows(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	ev := prune([]time.Time{at(50), at(-24 * 60), at(10), at(-59), at(-60), at(59)}, at(60), 2*time.Hour)
	if len(ev) != 4 || !ev[0].Equal(at(-59)) || !ev[3].Equal(at(59)) {
		t.Fatalf("prune = %v", ev)
	}
	if n := len(inWindow(ev, at(60), time.Hour)); n != 3 { // 10, 50, 59; -59 is out
		t.Fatalf("inWindow = %d, want 3", n)
	}
	if got := freeAt(ev, at(60), time.Hour, 4); !got.IsZero() {
		t.Fatalf("freeAt under the limit = %v", got)
	}
	if got := freeAt(ev, at(60), time.Hour, 3); !got.Equal(at(70)) {
		t.Fatalf("freeAt at the limit = %v, want +70m", got)
	}
	if got := freeAt(ev, at(60), time.Hour, 2); !got.Equal(at(110)) {
		t.Fatalf("freeAt limit 2 = %v, want +110m", got)
	}
	if got := freeAt(ev, at(60), time.Hour, 1); !got.Equal(at(119)) {
		t.Fatalf("freeAt limit 1 = %v, want +119m", got)
	}
}
