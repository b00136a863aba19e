package pdu

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRoundTrip: any valid text encodes, every part fits one SMS, and the
// decoded parts give the text back.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{"hellohello", "你好", "【统一身份认证平台】您的验证码是123456，5分钟内有效。",
		strings.Repeat("€", 90), strings.Repeat("中", 66) + "😀😀", "@\x00\n\r", "a\u0000b", "\U0010FFFF"} {
		f.Add(s, byte(1))
	}
	f.Fuzz(func(t *testing.T, text string, ref byte) {
		parts, err := Encode("13800138000", text, Options{Ref: ref})
		switch {
		case text == "":
			if err != ErrEmptyText {
				t.Fatalf("empty text: %v", err)
			}
			return
		case !utf8.ValidString(text):
			if err != ErrInvalidText {
				t.Fatalf("invalid UTF-8: %v", err)
			}
			return
		case err == ErrTooLong:
			return
		case err != nil:
			t.Fatal(err)
		}
		if Parts(text) != len(parts) {
			t.Fatalf("Parts = %d, Encode made %d", Parts(text), len(parts))
		}
		checkParts(t, parts, "+8613800138000", text, ref)
	})
}

// FuzzDecode: the decoder never panics and what it returns is consistent.
func FuzzDecode(f *testing.F) {
	f.Add([]byte{0x00, 0x11, 0x00, 0x0B, 0x91, 0x64, 0x07, 0x28, 0x15, 0x53, 0xF8, 0x00, 0x00, 0xAA, 0x0A,
		0xE8, 0x32, 0x9B, 0xFD, 0x46, 0x97, 0xD9, 0xEC, 0x37})
	f.Add([]byte{0x00, 0x41, 0x00, 0x02, 0xD0, 0x41, 0x08, 0x04, 0x05, 0x00, 0x03, 0x01, 0x01, 0x01})
	f.Add([]byte{0x01})
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, err := DecodeBytes(raw)
		if err != nil {
			return
		}
		if s.Concat != nil && (s.Concat.Seq == 0 || s.Concat.Seq > s.Concat.Total) {
			t.Fatalf("bad concat accepted: %+v", s.Concat)
		}
		if s.TPDULen < 0 || s.TPDULen > len(raw) {
			t.Fatalf("TPDULen %d of %d", s.TPDULen, len(raw))
		}
		if _, err := Decode(upperHex(raw)); err != nil {
			t.Fatalf("hex form fails: %v", err)
		}
	})
}

// FuzzParseNumber: accepted numbers are digits only, within limits, and
// their printed form parses to the same number.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"13800138000", "+8613800138000", "008613800138000", "10086", "+", "1", "abc", "+86 138"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNumber(s)
		if err != nil {
			return
		}
		if len(n.Digits) < minDigits || len(n.Digits) > maxDigits || strings.Trim(n.Digits, "0123456789") != "" {
			t.Fatalf("ParseNumber(%q) = %+v", s, n)
		}
		again, err := ParseNumber(n.String())
		if err != nil || again != n {
			t.Fatalf("reparse of %q: %+v, %v", n.String(), again, err)
		}
	})
}
