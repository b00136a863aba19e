package rules

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// FoldWidth maps full-width forms to their usual width: a Chinese input
// method types ＡＢＣ１２３, Ｘ, －, and the ideographic space, which become
// ABC123, X, - and a space; Han characters and other text are left as they
// are. ASCII comes back unchanged without allocating (the hot path while
// typing).
func FoldWidth(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return width.Fold.String(s)
		}
	}
	return s
}

// NormalizeInput is an identifier typed at the kiosk as the rules read it:
// width folded, surrounding spaces trimmed, case kept. Mobile numbers, SMS
// codes, account names and dates.
//
// Passwords are never normalised: they are printable ASCII only (the
// password field takes nothing else and CheckPassword refuses the rest), so
// what was typed is what is hashed.
func NormalizeInput(s string) string { return strings.TrimSpace(FoldWidth(s)) }

// NormalizeCode is NormalizeInput in upper case: USCCs, resident ID
// numbers (the final X) and captcha answers.
func NormalizeCode(s string) string { return strings.ToUpper(NormalizeInput(s)) }
