package rules

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want, multi string }{
		{"plain 中文 text", "plain 中文 text", "plain 中文 text"},
		{"", "", ""},
		{"a\nb\tc", "a b c", "a\nb c"},
		{"a\r\nb\rc", "a b c", "a\nb\nc"},
		{"a\u2028b", "a b", "a\nb"},
		{"\x1b[31mred\x1b[0m", "red", "red"},
		{"\x1b[?1049h\x1b[2J\x1b[Hx", "x", "x"},
		{"\x1b[38;2;255;0;0mrgb", "rgb", "rgb"},
		{"a\x1b]0;title\x07b", "ab", "ab"},
		{"a\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\b", "alinkb", "alinkb"},
		{"a\x1bPq#0;2;0;0;0\x1b\\b", "ab", "ab"}, // DCS (sixel)
		{"a\x1b_Gf=100;AAAA\x1b\\b", "ab", "ab"}, // APC (kitty graphics)
		{"a\x1b^pm\x1b\\b", "ab", "ab"},
		{"a\x1bXsos\x1b\\b", "ab", "ab"},
		{"a\x1b]unterminated", "a", "a"},
		{"a\x1b(Bb", "ab", "ab"},
		{"a\x1b7b\x1b8c", "abc", "abc"},
		{"a\x1bcb", "ab", "ab"}, // RIS
		{"a\x1b", "a", "a"},
		{"a\x1b\x1b[1mb", "ab", "ab"},
		{"a\x1b\u4e2db", "a中b", "a中b"},
		{"a\x9b31mb", "ab", "ab"},         // raw 8-bit CSI
		{"a\u009b31mb", "ab", "ab"},       // UTF-8 encoded C1 CSI
		{"a\u009d0;t\u009cb", "ab", "ab"}, // C1 OSC … ST
		{"a\x9d0;t\x07b", "ab", "ab"},
		{"a\x1b[31\x07mb", "amb", "amb"}, // CSI aborted by a control
		{"a\x00b\x07c\x7fd\u0085e", "abcde", "abcde"},
		{"a\u202eb\u2066c\u2069\u200ed\u200ff\u061c", "abcdf", "abcdf"},
		{"a\xffb\xc0\xafc", "abc", "abc"},
		{"\xed\xa0\x80x", "x", "x"}, // encoded surrogate
		{"emoji 👍🏽 ok", "emoji 👍🏽 ok", "emoji 👍🏽 ok"},
		// Format characters (Cf), one of each kind, and the tag block.
		{"a\u200bb", "ab", "ab"},                               // zero-width space
		{"\ufeffab", "ab", "ab"},                               // BOM
		{"co\u00adop", "coop", "coop"},                         // soft hyphen
		{"a\u2060b", "ab", "ab"},                               // word joiner
		{"a\u200cb\u200dc", "abc", "abc"},                      // ZWNJ, ZWJ
		{"a\u202ab\u202bc\u202cd\u202de", "abcde", "abcde"},    // embeddings, PDF, LRO
		{"a\u2066b\u2067c\u2068d\u2069e", "abcde", "abcde"},    // isolates
		{"a\u200eb\u200fc", "abc", "abc"},                      // LRM, RLM
		{"a\u2061b\u2064c\u206ad\ufff9e", "abcde", "abcde"},    // invisible operators, deprecated, annotation
		{"a\U000e0001b\U000e0041c\U000e007fd", "abcd", "abcd"}, // language tag, tag A, cancel tag
		{"a\U000e0000b\U000e0010c", "abc", "abc"},              // reserved in the tag block
		{"\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", "\U0001f3f4", "\U0001f3f4"}, // a subdivision flag
		{"482\u200b915", "482915", "482915"}, // a code must not hide a character
		{"a\u200b\nb", "a b", "a\nb"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q; want %q", tt.in, got, tt.want)
		}
		if got := SanitizeMultiline(tt.in); got != tt.multi {
			t.Errorf("SanitizeMultiline(%q) = %q; want %q", tt.in, got, tt.multi)
		}
	}
}

func TestSanitizeNoAllocWhenClean(t *testing.T) {
	s := "北京某某科技有限公司 Co., Ltd."
	if n := testing.AllocsPerRun(100, func() { _ = Sanitize(s) }); n != 0 {
		t.Errorf("Sanitize of clean text allocated %v times", n)
	}
}

// checkSafe asserts the sanitiser's output invariants.
func checkSafe(t *testing.T, in, out string, multiline bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("sanitise(%q) = %q: invalid UTF-8", in, out)
	}
	for _, r := range out {
		if r == '\n' && multiline {
			continue
		}
		if unicode.IsControl(r) || isBidiControl(r) || isLineSep(r) {
			t.Fatalf("sanitise(%q) = %q: contains %U", in, out, r)
		}
		if unicode.Is(unicode.Cf, r) || r >= 0xe0000 && r <= 0xe007f {
			t.Fatalf("sanitise(%q) = %q: contains the format character %U", in, out, r)
		}
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Fatalf("sanitise(%q) = %q: contains ESC", in, out)
	}
	if len(out) > len(in) {
		t.Fatalf("sanitise(%q) = %q: grew", in, out)
	}
}

// isBidiControl reports the Unicode bidirectional formatting characters,
// which can make text display in an order other than the stored one (all
// of them are Cf; checked on their own as the worst of the kind).
func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 ||
		r == 0x200e || r == 0x200f || r == 0x061c
}

// Every bidi control is a format character, so Sanitize removes it.
func TestFormatHoldsTheBidiControls(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isBidiControl(r) && !isFormat(r) {
			t.Errorf("%U is a bidi control but not a format character", r)
		}
	}
	for _, r := range []rune{'a', ' ', '中', 0xac, 0xae, 0x3000, 0xfe0f, 0x1f3fd, 0xe0080, 0xe0100} {
		if isFormat(r) {
			t.Errorf("%U taken for a format character", r)
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[31mred", "a\x1b]0;t\x07b", "\x9b1m", "a\u202eb", "a\r\nb", "\xff", "\x1bP\x1b\\",
		"a\u200bb\ufeffc\u00add\u2060e", "\U0001f3f4\U000e0067\U000e007f", "\U000e0000\u2066x\u2069"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		checkSafe(t, s, out, false)
		if strings.ContainsRune(out, '\n') {
			t.Fatalf("Sanitize(%q) kept a newline", s)
		}
		if again := Sanitize(out); again != out {
			t.Fatalf("not idempotent: %q → %q → %q", s, out, again)
		}
		multi := SanitizeMultiline(s)
		checkSafe(t, s, multi, true)
		if again := SanitizeMultiline(multi); again != multi {
			t.Fatalf("multiline not idempotent: %q → %q → %q", s, multi, again)
		}
		if strings.ReplaceAll(multi, "\n", " ") != out {
			t.Fatalf("Sanitize and SanitizeMultiline disagree on %q: %q vs %q", s, out, multi)
		}
	})
}
