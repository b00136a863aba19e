package kv

import (
	"bytes"
	"testing"
)

func TestPrefixEnd(t *testing.T) {
	cases := []struct{ in, want []byte }{
		{[]byte("ent/"), []byte("ent0")},
		{[]byte("a\xff"), []byte("b")},
		{[]byte("a\xfe\xff\xff"), []byte("a\xff")},
		{[]byte("\xff\xff"), nil},
		{nil, nil},
	}
	for _, c := range cases {
		if got := PrefixEnd(c.in); !bytes.Equal(got, c.want) || (c.want == nil) != (got == nil) {
			t.Errorf("PrefixEnd(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCloneNonNil(t *testing.T) {
	if c := Clone(nil); c == nil || len(c) != 0 {
		t.Fatalf("Clone(nil) = %#v", c)
	}
	src := []byte("ab")
	c := Clone(src)
	src[0] = 'x'
	if string(c) != "ab" {
		t.Fatalf("Clone shares memory: %q", c)
	}
}
