package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// nameDot is the middle dot separating the parts of a transliterated name
// (e.g. 买买提·艾力).
const nameDot = '·'

// ValidName checks a person's Chinese name: 2–30 characters, Han characters
// and the middle dot ·, the dot only between Han characters.
func ValidName(s string) error {
	if strings.TrimSpace(s) == "" {
		return fail("name_empty", "请输入姓名")
	}
	if !utf8.ValidString(s) {
		return fail("name_char", "姓名只能包含汉字和间隔号“·”")
	}
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 30 {
		return fail("name_length", "姓名应为2-30个字")
	}
	prevDot := true // a dot may not come first
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			prevDot = false
		case r == nameDot:
			if prevDot {
				return fail("name_dot", "间隔号“·”只能用在两个汉字之间")
			}
			prevDot = true
		default:
			return fail("name_char", "姓名只能包含汉字和间隔号“·”")
		}
	}
	if prevDot {
		return fail("name_dot", "间隔号“·”只能用在两个汉字之间")
	}
	return nil
}

// ValidEnterpriseName checks an enterprise name: 2–100 characters of valid
// text with no control or bidi-control characters.
func ValidEnterpriseName(s string) error {
	if strings.TrimSpace(s) == "" {
		return fail("ent_name_empty", "请输入企业名称")
	}
	if !utf8.ValidString(s) {
		return fail("ent_name_char", "企业名称包含无效字符")
	}
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 100 {
		return fail("ent_name_length", "企业名称应为2-100个字")
	}
	for _, r := range s {
		if unicode.IsControl(r) || isBidiControl(r) || isLineSep(r) {
			return fail("ent_name_char", "企业名称包含无效字符")
		}
	}
	return nil
}
