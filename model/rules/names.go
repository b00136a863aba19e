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
// and the middle dot ·, the dot only between Han characters. A name with an
// invisible format character (zero-width space, BOM, bidi control, tag…)
// gets a sentence of its own: the person sees nothing wrong with it.
func ValidName(s string) error {
	if strings.TrimSpace(s) == "" {
		return fail("name_empty")
	}
	if !utf8.ValidString(s) {
		return fail("name_char")
	}
	if hasFormat(s) {
		return fail("name_invisible")
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
// text with no control characters and no format characters (these, the
// bidi controls among them, are refused with a sentence of their own, as
// in ValidName).
func ValidEnterpriseName(s string) error {
	if strings.TrimSpace(s) == "" {
		return fail("ent_name_empty")
	}
	if !utf8.ValidString(s) {
		return fail("ent_name_char")
	}
	if hasFormat(s) {
		return fail("ent_name_invisible")
	}
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 100 {
		return fail("ent_name_length")
	}
	for _, r := range s {
		if unicode.IsControl(r) || isLineSep(r) {
			return fail("ent_name_char")
		}
	}
	return nil
}

// hasFormat reports whether s holds a character Sanitize removes as a
// format character (isFormat).
func hasFormat(s string) bool {
	for _, r := range s {
		if isFormat(r) {
			return true
		}
	}
	return false
}
