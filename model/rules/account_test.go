package rules

import (
	"regexp"
	"strings"
	"testing"

	"kiosk/assets"
)

var mobileRE = regexp.MustCompile(`^1[3-9]\d{9}$`)

func TestValidMobile(t *testing.T) {
	tests := map[string]string{
		"13812345678":    "",
		"19912345678":    "",
		"":               "mobile_empty",
		"12812345678":    "mobile_format",
		"23812345678":    "mobile_format",
		"1381234567":     "mobile_format",
		"138123456789":   "mobile_format",
		"1381234567a":    "mobile_format",
		" 13812345678":   "mobile_format",
		"+8613812345678": "mobile_format",
		"１３８１２３４５６７８":    "", // full width, from a Chinese input method
	}
	for in, code := range tests {
		if got := Code(ValidMobile(in)); got != code {
			t.Errorf("ValidMobile(%q) code %q; want %q", in, got, code)
		}
	}
}

func FuzzValidMobile(f *testing.F) {
	for _, s := range []string{"13812345678", "12812345678", "", "1381234567８"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidMobile(s)
		if (err == nil) != mobileRE.MatchString(FoldWidth(s)) {
			t.Fatalf("ValidMobile(%q) = %v, regexp says %v", s, err, mobileRE.MatchString(FoldWidth(s)))
		}
		if err == nil && ValidMobile(wide(s)) != nil {
			t.Fatalf("full-width form of %q refused", s)
		}
	})
}

var accountRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{7,19}$`)

func TestValidAccount(t *testing.T) {
	tests := map[string]string{
		"abcdefgh":              "",
		"Company_2024":          "",
		"a1234567890123456789":  "",
		"":                      "account_empty",
		"abcdefg":               "account_length",
		"a12345678901234567890": "account_length",
		"1abcdefgh":             "account_first",
		"_abcdefgh":             "account_first",
		"abcd-efgh":             "account_char",
		"abcd efgh":             "account_char",
		"abcdéfgh":              "account_char",
		"企业账号企业账号":              "account_length", // 24 bytes
		"企业账号abcd":              "account_first",
	}
	for in, code := range tests {
		if got := Code(ValidAccount(in)); got != code {
			t.Errorf("ValidAccount(%q) code %q; want %q", in, got, code)
		}
	}
	if m := zh(Message(ValidAccount("abc"))); !strings.HasPrefix(m, "账号应为8-20位字符，字母开头") {
		t.Errorf("message %q", m)
	}
}

func FuzzValidAccount(f *testing.F) {
	for _, s := range []string{"abcdefgh", "Company_2024", "1abcdefgh", "", "abcdéfgh"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidAccount(s)
		if (err == nil) != accountRE.MatchString(FoldWidth(s)) {
			t.Fatalf("ValidAccount(%q) = %v, regexp says %v", s, err, accountRE.MatchString(FoldWidth(s)))
		}
		if err == nil && ValidAccount(wide(s)) != nil {
			t.Fatalf("full-width form of %q refused", s)
		}
	})
}

func TestNormalizeAccount(t *testing.T) {
	for in, want := range map[string]string{"  Company_2024 ": "company_2024", "ABC": "abc", "": ""} {
		if got := NormalizeAccount(in); got != want {
			t.Errorf("NormalizeAccount(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct{ pw, account, code string }{
		{"Kiosk#2024", "", ""},
		{"Kiosk#2024", "company_01", ""},
		{"kiosk#2024", "company_01", ""},              // lower, symbol, digit
		{"KIOSK2024x", "company_01", ""},              // upper, digit, lower
		{"q7#Vx!2mL9@zRk4$Wp8&", "", ""},              // 20
		{"Ab1!Ab1!Ab1!Ab1!Ab1!", "", "password_weak"}, // 20, a repeat
		{"", "", "password_empty"},
		{"Ab1!Ab1", "", "password_length"},
		{"Ab1!Ab1!Ab1!Ab1!Ab1!x", "", "password_length"},
		{"abcdefgh1", "", "password_classes"},
		{"ABCDEFGH!", "", "password_classes"},
		{"12345678!!", "", "password_classes"},
		{"Kiosk 2024", "", "password_char"},   // space
		{"Kiosk#2024密码", "", "password_char"}, // non-ASCII
		{"Kiosk\t2024", "", "password_char"},
		{"xCompany_01!", "company_01", "password_account"},
		{"xCOMPANY_01!", "Company_01", "password_account"},
		{"Password1", "", "password_common"}, // "password1" is on the list
		{"PASSWORD1!", "", "password_weak"},  // upper, digit, symbol, but "password1" with a ! after it
		{"PassW0rd", "", "password_common"},  // "passw0rd"
		{"1QAZ2wsx", "", "password_common"},
		{"P@ssw0rd", "", "password_weak"}, // not on the list, but "password" in l33t
		{"Secret#2024", "", "password_weak"},
		{"Pw#12345", "", "password_weak"},
		{"Yanbian@2027x", "", ""},
	}
	for _, tt := range tests {
		err := CheckPassword(tt.pw, tt.account)
		if Code(err) != tt.code {
			t.Errorf("CheckPassword(%q, %q) = %v; want code %q", tt.pw, tt.account, err, tt.code)
		}
		if err != nil && !sentence(Message(err)) {
			t.Errorf("CheckPassword(%q): no message", tt.pw)
		}
	}
}

func TestCommonPasswords(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(assets.CommonPasswords), "\n")
	if len(lines) < 3000 {
		t.Fatalf("common-password list has %d entries; want at least 3000", len(lines))
	}
	seen := map[string]bool{}
	for _, l := range lines {
		if l == "" || l != strings.ToLower(l) || seen[l] {
			t.Fatalf("list entry %q is empty, not lower-case or duplicated", l)
		}
		seen[l] = true
	}
	for pw, want := range map[string]bool{
		"123456": true, "password": true, "PassWord": true, "qwerty": true, "password1": true,
		"Kiosk#2024": false, "": false,
	} {
		if got := IsCommonPassword(pw); got != want {
			t.Errorf("IsCommonPassword(%q) = %v; want %v", pw, got, want)
		}
	}
}

func FuzzCheckPassword(f *testing.F) {
	f.Add("Kiosk#2024", "company_01")
	f.Add("password1", "")
	f.Add("xCompany_01!", "company_01")
	f.Add("Kiosk 2024", "")
	f.Fuzz(func(t *testing.T, pw, account string) {
		err := CheckPassword(pw, account)
		if err != nil {
			if Code(err) == "" || !sentence(Message(err)) {
				t.Fatalf("error without code or message: %#v", err)
			}
			return
		}
		if len(pw) < 8 || len(pw) > 20 {
			t.Fatalf("accepted length %d", len(pw))
		}
		classes := 0
		for _, set := range []string{"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz", "0123456789"} {
			if strings.ContainsAny(pw, set) {
				classes++
			}
		}
		if strings.IndexFunc(pw, func(r rune) bool {
			return r > ' ' && r < 0x7f && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
		}) >= 0 {
			classes++
		}
		if classes < 3 {
			t.Fatalf("accepted %q with %d classes", pw, classes)
		}
		for _, r := range pw {
			if r <= ' ' || r >= 0x7f {
				t.Fatalf("accepted %q with char %q", pw, r)
			}
		}
		if a := strings.ToLower(strings.TrimSpace(account)); a != "" && strings.Contains(strings.ToLower(pw), a) {
			t.Fatalf("accepted %q containing account %q", pw, account)
		}
		if IsCommonPassword(pw) {
			t.Fatalf("accepted common %q", pw)
		}
		if s := PasswordScore(pw, account); s < MinPasswordScore {
			t.Fatalf("accepted %q with score %d", pw, s)
		}
		if CheckPassword(pw, account) != nil {
			t.Fatal("not stable")
		}
	})
}
