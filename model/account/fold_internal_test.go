package account

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFoldName(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"长春（汇瑞）教育咨询有限公司", "长春(汇瑞)教育咨询有限公司"},
		{" 长春 汇瑞　教育 ", "长春汇瑞教育"},
		{"阿依古丽•买买提", "阿依古丽·买买提"},
		{"ＡＢＣ１２３", "ABC123"},
	} {
		if foldName(tt.a) != foldName(tt.b) {
			t.Errorf("foldName(%q) = %q, foldName(%q) = %q", tt.a, foldName(tt.a), tt.b, foldName(tt.b))
		}
	}
	if foldName("长春汇瑞") == foldName("长春汇端") {
		t.Error("different names fold together")
	}
}

// FuzzFoldName: folding is idempotent, drops spaces, keeps valid UTF-8
// valid, and leaves ASCII without spaces unchanged.
func FuzzFoldName(f *testing.F) {
	for _, s := range []string{"长春（汇瑞）教育", "阿依古丽•买买提", " a b ", "ＡＢＣ", "\xff\xfe", "·・･‧∙", "～！"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := foldName(s)
		if foldName(got) != got {
			t.Fatalf("not idempotent: %q → %q → %q", s, got, foldName(got))
		}
		if strings.ContainsAny(got, " \t\u3000") {
			t.Fatalf("space left in %q", got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("%q folded to invalid UTF-8", s)
		}
		if plain := strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\t", ""); isPlainASCII(plain) && got != plain {
			t.Fatalf("ASCII %q changed to %q", s, got)
		}
	})
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// FuzzCleanRef: an audit reference is at most 64 characters of a safe
// alphabet, and a safe reference passes unchanged.
func FuzzCleanRef(f *testing.F) {
	for _, s := range []string{"req-7f3a", "staff:counter01", "a\nb\x1b[31m", strings.Repeat("x", 100), "身份证220102", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := cleanRef(s)
		if len(got) > 64 {
			t.Fatalf("%d bytes", len(got))
		}
		for i := 0; i < len(got); i++ {
			c := got[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.:", c) >= 0) {
				t.Fatalf("unsafe byte %q in %q", c, got)
			}
		}
		if cleanRef(got) != got {
			t.Fatalf("not idempotent: %q", got)
		}
		if len(s) <= 64 && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") == "" && got != s {
			t.Fatalf("safe %q changed to %q", s, got)
		}
	})
}
