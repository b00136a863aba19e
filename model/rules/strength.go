package rules

import (
	"strings"
	"unicode"

	"kiosk/model/rules/internal/zxmatch"
)

// MinPasswordScore is the least strength (zxcvbn score, 0–4) a new
// password needs: 3 is "safely unguessable" offline against a slow hash
// (about 10^8 guesses and more).
const MinPasswordScore = 3

// PasswordScore estimates a password's strength with zxcvbn (Dropbox's
// estimator, Go port github.com/trustelem/zxcvbn): 0 (too guessable) to 4
// (very unguessable). userInputs are what the password must not be built
// from: the account, the enterprise's name, the legal representative's
// name; they are matched as a dictionary, and so are the ASCII words in
// them (the account's parts between underscores and digits, a Latin name in
// an enterprise name). The first estimate in a process builds zxcvbn's
// dictionaries (about 30 ms); WarmPasswordScore does it ahead.
func PasswordScore(pw string, userInputs ...string) int {
	if pw == "" {
		return 0
	}
	in := personalWords(userInputs)
	return guessesToScore(zxmatch.Guesses(pw, zxmatch.Omnimatch(pw, in)))
}

// WarmPasswordScore builds zxcvbn's dictionaries now, so that the first
// PasswordScore does not wait for them (call it in the background).
func WarmPasswordScore() { zxmatch.Warm() }

// guessesToScore is zxcvbn's scale (upstream's is unexported).
func guessesToScore(guesses float64) int {
	const delta = 5
	switch {
	case guesses < 1e3+delta:
		return 0
	case guesses < 1e6+delta:
		return 1
	case guesses < 1e8+delta:
		return 2
	case guesses < 1e10+delta:
		return 3
	}
	return 4
}

// personalWords is the user-input dictionary: each input whole (width
// folded, lower case) and each run of at least three ASCII letters in it.
func personalWords(inputs []string) []string {
	var out []string
	for _, s := range inputs {
		s = strings.ToLower(NormalizeInput(s))
		if s == "" {
			continue
		}
		out = append(out, s)
		for _, w := range strings.FieldsFunc(s, notASCIILetter) {
			if len(w) >= 3 && w != s {
				out = append(out, w)
			}
		}
	}
	return out
}

// containsName reports whether pw contains, case-insensitively, a Latin
// word of four letters or more from one of the names ("xinghe" of
// "Xinghe科技有限公司"). Han names cannot be spelt out here (no pinyin
// table); zxcvbn sees them whole.
func containsName(pw string, names []string) bool {
	lower := strings.ToLower(pw)
	for _, n := range names {
		for _, w := range strings.FieldsFunc(strings.ToLower(FoldWidth(n)), notASCIILetter) {
			if len(w) >= 4 && strings.Contains(lower, w) {
				return true
			}
		}
	}
	return false
}

func notASCIILetter(r rune) bool { return r > unicode.MaxASCII || !isLetter(byte(r)) }
