package rules

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// A Chinese input method types full-width characters: every identifier is
// accepted in full width and comes back in its normal form.
func TestFullWidthIdentifiers(t *testing.T) {
	id, err := ParseResidentID("１１０１０５１９４９１２３１００２ｘ", testNow)
	if err != nil || id.Number != "11010519491231002X" {
		t.Errorf("full-width ID: %+v, %v", id, err)
	}
	u, err := NormalizeUSCC("９１１１００００６０００３７３４１ｌ")
	if err != nil || u != "91110000600037341L" {
		t.Errorf("full-width lower-case USCC: %q, %v", u, err)
	}
	if err := ValidMobile("１３８１２３４５６７８"); err != nil {
		t.Errorf("full-width mobile refused: %v", err)
	}
	if got := NormalizeInput("　１３８１２３４５６７８ "); got != "13812345678" {
		t.Errorf("NormalizeInput(mobile) = %q", got)
	}
	if err := ValidAccount("Ｃｏｍｐａｎｙ＿２０２４"); err != nil {
		t.Errorf("full-width account refused: %v", err)
	}
	if got := NormalizeInput("Ｃｏｍｐａｎｙ＿２０２４"); got != "Company_2024" {
		t.Errorf("NormalizeInput(account) = %q (case is kept)", got)
	}
	if got := NormalizeAccount("Ｃｏｍｐａｎｙ＿２０２４"); got != "company_2024" {
		t.Errorf("NormalizeAccount = %q", got)
	}
	if got := NormalizeCode("ａｂ１２"); got != "AB12" {
		t.Errorf("NormalizeCode(captcha) = %q", got)
	}
	if got := NormalizeInput("２０２４－０１－３１"); got != "2024-01-31" {
		t.Errorf("NormalizeInput(date) = %q", got)
	}
	// Names keep their full-width brackets: the registry spells them so.
	if got := FoldWidth("长春（汇瑞）"); got != "长春(汇瑞)" {
		t.Errorf("FoldWidth = %q", got)
	}
	if s := "plain ASCII"; FoldWidth(s) != s || testing.AllocsPerRun(10, func() { FoldWidth(s) }) != 0 {
		t.Error("ASCII is not returned as it is")
	}
}

// FuzzNormalizeInput: the normalisations are idempotent, keep valid UTF-8
// valid, leave no full-width form behind, and NormalizeCode is
// NormalizeInput in upper case.
func FuzzNormalizeInput(f *testing.F) {
	for _, s := range []string{"１３８１２３４５６７８", " ａｂＣ ", "　", "长春（汇瑞）", "\xff", "ｶﾀｶﾅ", "２０２４－０１－３１", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, fn := range map[string]func(string) string{"FoldWidth": FoldWidth, "NormalizeInput": NormalizeInput, "NormalizeCode": NormalizeCode} {
			once := fn(s)
			if twice := fn(once); twice != once {
				t.Fatalf("%s not idempotent: %q → %q → %q", name, s, once, twice)
			}
			if utf8.ValidString(s) && !utf8.ValidString(once) {
				t.Fatalf("%s(%q) = %q: invalid UTF-8", name, s, once)
			}
			for _, r := range once {
				if r >= 0xff01 && r <= 0xff5e {
					t.Fatalf("%s(%q) = %q keeps full-width %q", name, s, once, r)
				}
			}
		}
		if NormalizeCode(s) != strings.ToUpper(NormalizeInput(s)) {
			t.Fatalf("NormalizeCode(%q) = %q", s, NormalizeCode(s))
		}
	})
}

// wide is what a Chinese input method types for s.
func wide(s string) string { return width.Widen.String(s) }
