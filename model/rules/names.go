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
		return fail("name_empty")
	}
	if !utf8.ValidString(s) {
		return fail("name_char")
	}
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 30 {
		return fail("name_length")
	}
	prevDot := true // a dot may not come first
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			prevDot = false
		case r == nameDot:
			if prevDot {
				return fail("name_dot")
			}
			prevDot = true
		default:
			return fail("name_char")
		}
	}
	if prevDot {
		return fail("name_dot")
	}
	return nil
}

// ValidEnterpriseName checks an enterprise name: 2–100 characters of valid
// text with no control or bidi-control characters.
func ValidEnterpriseName(s string) error {
	if strings.TrimSpace(s) == "" {
		return fail("ent_name_empty")
	}
	if !utf8.ValidString(s) {
		return fail("ent_name_char")
	}
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 100 {
		return fail("ent_name_length")
	}
	for _, r := range s {
		if unicode.IsControl(r) || isBidiControl(r) || isLineSep(r) {
			return fail("ent_name_char")
		}
	}
	return nil
}
