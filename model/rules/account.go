package rules

import (
	"strings"
	"sync"
	"unicode/utf8"

	"kiosk/assets"
)

// ValidMobile checks a mainland mobile number: ^1[3-9]\d{9}$, after
// full-width digits are folded (FoldWidth). Use NormalizeInput for the
// number to keep.
func ValidMobile(s string) error {
	s = FoldWidth(s)
	if s == "" {
		return fail("mobile_empty")
	}
	if len(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9' || !allDigits(s) {
		return fail("mobile_format")
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ValidAccount checks an enterprise or legal-person account name: 8–20
// ASCII characters, a letter first, then letters, digits or underscores,
// after full-width characters are folded (FoldWidth). Use NormalizeInput
// for the account to keep.
func ValidAccount(s string) error {
	s = FoldWidth(s)
	if s == "" {
		return fail("account_empty")
	}
	if len(s) < 8 || len(s) > 20 {
		return fail("account_length")
	}
	if !isLetter(s[0]) {
		return fail("account_first")
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '_' {
			return fail("account_char")
		}
	}
	return nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// NormalizeAccount is the index key of an account: width folded, trimmed
// and lower-cased, so uniqueness and login are case- and width-insensitive.
func NormalizeAccount(s string) string { return strings.ToLower(NormalizeInput(s)) }

// CheckPassword applies the password policy to a new password: 8–20
// printable ASCII characters other than space (a kiosk keyboard cannot type
// anything else, and a space at either end is invisible), at least three of
// upper, lower, digit and symbol, not containing the account nor a Latin
// word of the names (the enterprise's, the legal representative's), not a
// common password, and strong enough: a zxcvbn score of at least
// MinPasswordScore with the account and the names as its user inputs
// (P@ssw0rd is refused). The password is taken as typed, never normalised.
// "Not equal to the current one" needs the hasher and is the use case's
// job. Logging in with an older, weaker password still works: the policy
// applies where a password is set.
func CheckPassword(pw, account string, names ...string) error {
	if err := checkPasswordForm(pw, account); err != nil {
		return err
	}
	if containsName(pw, names) {
		return fail("password_name")
	}
	if IsCommonPassword(pw) {
		return fail("password_common")
	}
	if PasswordScore(pw, append([]string{account}, names...)...) < MinPasswordScore {
		return fail("password_weak")
	}
	return nil
}

// checkPasswordForm is the policy's length, characters, classes and account.
func checkPasswordForm(pw, account string) error {
	if pw == "" {
		return fail("password_empty")
	}
	if n := utf8.RuneCountInString(pw); n < 8 || n > 20 {
		return fail("password_length")
	}
	var upper, lower, digit, symbol bool
	for i := 0; i < len(pw); i++ {
		switch c := pw[i]; {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= '0' && c <= '9':
			digit = true
		case c > ' ' && c < 0x7f:
			symbol = true
		default:
			return fail("password_char")
		}
	}
	if count(upper, lower, digit, symbol) < 3 {
		return fail("password_classes")
	}
	if a := NormalizeAccount(account); a != "" && strings.Contains(strings.ToLower(pw), a) {
		return fail("password_account")
	}
	return nil
}

func count(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

var (
	commonOnce sync.Once
	common     map[string]struct{}
)

// IsCommonPassword reports whether pw is on the bundled common-password
// list, case-insensitively. The list is loaded on first use.
func IsCommonPassword(pw string) bool {
	commonOnce.Do(func() {
		lines := strings.Split(assets.CommonPasswords, "\n")
		common = make(map[string]struct{}, len(lines))
		for _, l := range lines {
			if l = strings.ToLower(strings.TrimSpace(l)); l != "" {
				common[l] = struct{}{}
			}
		}
	})
	_, ok := common[strings.ToLower(pw)]
	return ok
}
