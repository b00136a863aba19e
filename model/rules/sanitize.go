package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sanitize makes untrusted text safe to draw in the terminal: it removes
// ANSI/VT escape and control sequences (7-bit ESC forms and their 8-bit C1
// forms, raw or UTF-8 encoded), every other C0/C1 control and DEL, Unicode
// format characters (category Cf: bidi controls, zero-width space and
// joiners, soft hyphen, word joiner, BOM, …) and the tag block, and invalid
// UTF-8. Format characters are invisible or reorder what is drawn, so a
// string could look like another (a name with a hidden character, a code
// shown backwards); a ZWJ emoji sequence falls apart into its emoji, which
// terminals disagree on the width of anyway. Line breaks and tabs become a
// space. The output never contains a control or format character and
// Sanitize(Sanitize(s)) == Sanitize(s).
func Sanitize(s string) string { return sanitize(s, false) }

// SanitizeMultiline is Sanitize but keeps line breaks, normalised to '\n'.
func SanitizeMultiline(s string) string { return sanitize(s, true) }

const (
	esc = 0x1b
	bel = 0x07
	// C1 introducers and the string terminator, by code point (they may
	// arrive as raw bytes or UTF-8 encoded).
	c1DCS = 0x90
	c1SOS = 0x98
	c1CSI = 0x9b
	c1ST  = 0x9c
	c1OSC = 0x9d
	c1PM  = 0x9e
	c1APC = 0x9f
)

func sanitize(s string, multiline bool) string {
	if isClean(s, multiline) {
		return s // common case: no allocation
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := decode(s, i)
		switch {
		case r == esc:
			i = skipEscape(s, i+size)
			continue
		case r == c1CSI:
			i = skipCSI(s, i+size)
			continue
		case r == c1OSC || r == c1DCS || r == c1SOS || r == c1PM || r == c1APC:
			i = skipString(s, i+size)
			continue
		case r == '\n' || r == '\r' || r == '\v' || r == '\f' || isLineSep(r):
			if r == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++ // CRLF is one break
			}
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\t':
			b.WriteByte(' ')
		case r == utf8.RuneError && size <= 1, unicode.IsControl(r), isFormat(r):
			// dropped
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// decode returns the rune at s[i]. An invalid byte comes back as its own
// value when it is a C1 introducer (an 8-bit terminal would obey it), else
// as utf8.RuneError with size 1.
func decode(s string, i int) (rune, int) {
	r, size := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && size == 1 && s[i] >= 0x80 && s[i] <= 0x9f {
		return rune(s[i]), 1
	}
	return r, size
}

// isClean reports whether s needs no change.
func isClean(s string, multiline bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				if !(multiline && c == '\n') {
					return false
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unicode.IsControl(r) || isFormat(r) || isLineSep(r) {
			return false
		}
		i += size
	}
	return true
}

// skipEscape skips the rest of a sequence whose ESC ended at i and returns
// the index after it.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// nF/Fp/Fe/Fs: intermediates 0x20–0x2F then one final 0x30–0x7E.
	j := i
	for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
		j++
	}
	if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
		return j + 1
	}
	// Not a sequence: drop the ESC (and any intermediates), keep the rest.
	return j
}

// skipCSI skips parameter (0x30–0x3F) and intermediate (0x20–0x2F) bytes
// and the final byte (0x40–0x7E) of a control sequence starting at i. Any
// other byte ends the sequence without being consumed, as terminals abort it.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x3f:
			i++
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		default:
			return i
		}
	}
	return i
}

// skipString skips a control string (OSC, DCS, SOS, PM, APC) starting at i
// up to and including its terminator: BEL, ESC \ or ST (raw or UTF-8). An
// unterminated string swallows the rest of the input: showing less is safe.
func skipString(s string, i int) int {
	for i < len(s) {
		switch r, size := decode(s, i); {
		case r == bel || r == c1ST:
			return i + size
		case r == esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			// A new ESC aborts the string and starts over, as in xterm.
			return i
		default:
			i += size
		}
	}
	return i
}

// isFormat reports the characters Sanitize removes besides controls: the
// Unicode format characters (category Cf, which holds every bidi control)
// and the whole tag block U+E0000–U+E007F (assigned tags are Cf too; the
// rest of the block is reserved for them). They draw nothing, or change
// the order of what is drawn.
func isFormat(r rune) bool {
	if r < 0xad {
		return false // ASCII and Latin-1 up to the soft hyphen: the hot path
	}
	return r >= 0xe0000 && r <= 0xe007f || unicode.Is(unicode.Cf, r)
}

// isLineSep reports the Unicode line and paragraph separators.
func isLineSep(r rune) bool { return r == 0x2028 || r == 0x2029 }
