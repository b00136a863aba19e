package login

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/width"

	"kiosk/model/rules"
)

// FuzzValidIdentifier: whatever is typed, the identifier check never
// panics and, once normalised as the field does (full width folded,
// surrounding spaces trimmed), only lets through 8–20 printable ASCII
// characters (an account or a USCC); the full-width form of an accepted
// identifier is accepted too.
func FuzzValidIdentifier(f *testing.F) {
	for _, s := range []string{"xinghe_2024", "91110108MA01XH24XH", "91110108ma01xh24xh", "９１１１０１０８ｍａ０１ｘｈ２４ｘｈ", "１abc", "", "张三有限公司", "a\x1b[2J_________"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidIdentifier(s) != nil {
			return
		}
		if ValidIdentifier(width.Widen.String(s)) != nil {
			t.Fatalf("full-width form of %q refused", s)
		}
		s = rules.NormalizeInput(s)
		if len(s) < 8 || len(s) > 20 {
			t.Fatalf("length %d accepted: %q", len(s), s)
		}
		n := utf8.RuneCountInString(s)
		if n != len(s) {
			t.Fatalf("non-ASCII identifier accepted: %q", s)
		}
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] == 0x7f {
				t.Fatalf("control character accepted: %q", s)
			}
		}
	})
}
