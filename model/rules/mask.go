package rules

import (
	"strings"
	"unicode/utf8"
)

// MaskMobile shows a mobile number as 138****5678: first 3 and last 4 kept.
// Shorter or odd input reveals proportionally less, never the whole value.
func MaskMobile(s string) string { return maskMiddle(s, 3, 4, 4) }

// MaskID shows an ID number as 220102********123X: first 6 and last 4 kept,
// so the birth date is always hidden.
func MaskID(s string) string { return maskMiddle(s, 6, 4, 8) }

// MaskName keeps a name's first character and stars the rest (张三丰 →
// 张**). A one-character name is fully starred.
func MaskName(s string) string { return maskMiddle(s, 1, 0, 1) }

// maskMiddle keeps up to head leading and tail trailing runes of the
// sanitised s and stars the others, hiding at least minHidden runes (all of
// them when s is that short). The number of stars equals the hidden runes.
func maskMiddle(s string, head, tail, minHidden int) string {
	s = Sanitize(s)
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return ""
	}
	if visible := n - minHidden; visible < head+tail {
		if visible < 0 {
			visible = 0
		}
		tail = min(tail, visible/2)
		head = min(head, visible-tail)
	}
	r := []rune(s)
	var b strings.Builder
	b.WriteString(string(r[:head]))
	b.WriteString(strings.Repeat("*", n-head-tail))
	b.WriteString(string(r[n-tail:]))
	return b.String()
}
