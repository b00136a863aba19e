package rules

import (
	"strings"
	"sync"
	"unicode/utf8"

	"kiosk/assets"
)

// ValidMobile checks a mainland mobile number: ^1[3-9]\d{9}$ (ASCII digits).
func ValidMobile(s string) error {
	if s == "" {
		return fail("mobile_empty", "请输入手机号码")
	}
	if len(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9' || !allDigits(s) {
		return fail("mobile_format", "手机号码格式不正确，应为11位手机号")
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

const accountMsg = "账号应为8-20位字符，字母开头，只能包含字母、数字和下划线"

// ValidAccount checks an enterprise or legal-person account name: 8–20
// ASCII characters, a letter first, then letters, digits or underscores.
func ValidAccount(s string) error {
	if s == "" {
		return fail("account_empty", "请输入账号")
	}
	if len(s) < 8 || len(s) > 20 {
		return fail("account_length", accountMsg)
	}
	if !isLetter(s[0]) {
		return fail("account_first", accountMsg)
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '_' {
			return fail("account_char", accountMsg)
		}
	}
	return nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// NormalizeAccount is the index key of an account: trimmed and lower-cased,
// so uniqueness and login are case-insensitive.
func NormalizeAccount(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckPassword applies the password policy: 8–20 printable ASCII
// characters other than space (a kiosk keyboard cannot type anything else,
// and a space at either end is invisible), at least three of upper, lower,
// digit and symbol, not containing the account, and not a common password.
// "Not equal to the current one" needs the hasher and is the use case's job.
func CheckPassword(pw, account string) error {
	if pw == "" {
		return fail("password_empty", "请输入密码")
	}
	if n := utf8.RuneCountInString(pw); n < 8 || n > 20 {
		return fail("password_length", "密码长度应为8-20位")
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
			return fail("password_char", "密码只能包含大小写字母、数字和英文符号，不能包含空格或中文")
		}
	}
	if count(upper, lower, digit, symbol) < 3 {
		return fail("password_classes", "密码须包含大写字母、小写字母、数字、符号中的至少三种")
	}
	if a := NormalizeAccount(account); a != "" && strings.Contains(strings.ToLower(pw), a) {
		return fail("password_account", "密码不能包含账号")
	}
	if IsCommonPassword(pw) {
		return fail("password_common", "密码过于常见，容易被猜到，请更换")
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
