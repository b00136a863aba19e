package widget

import (
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Wrap breaks plain text (valid UTF-8 without escape sequences: a catalog
// text, or rules.Sanitize output) into lines of at most w cells (w < 1
// counts as 1). It is the one line breaker of the UI's sentences:
//
//   - at spaces (English, Korean): the spaces at a break are dropped, so no
//     line starts with one (a paragraph keeps its own indent if it fits);
//   - next to a wide character other than Hangul (Chinese, Japanese, a
//     full-width mark), with or without a space;
//   - never inside a word: a run of narrow characters (an account name, a
//     code, a USCC, an e-mail address, an English word) or of Hangul stays
//     whole;
//   - never before a closing mark (，。、；：！？）》」』】 and , . ; : ! ? ) …)
//     nor after an opening one (（《「『【 and ( …);
//   - at '\n', always; each paragraph has at least one line.
//
// Only a word wider than w is cut, and even then a run of account
// characters (ASCII letters and digits, _ - . @) in it stays whole if it
// fits on a line: the cut goes next to the marks around it. A run wider
// than w is cut where the line is full.
//
// The result has at least one line, and no line is wider than w unless it
// is one character wider than w (a wide character when w is 1). Lines are
// slices of text: nothing is copied, and the one allocation is the slice.
func Wrap(text string, w int) []string {
	w = max(w, 1)
	if text == "" {
		return []string{""}
	}
	b := breaker{text: text, w: w, fresh: true,
		lines: make([]string, 0, min(len(text)/w+1, 16))}
	segStart, segW := -1, 0 // the word being read: text[segStart:i]
	gapStart, gapW := -1, 0 // the spaces before it
	var prev unit
	for i := 0; i < len(text); {
		u := nextUnit(text[i:])
		switch u.kind {
		case kindSpace:
			if segStart >= 0 {
				b.put(segStart, i, segW, gapStart, gapW)
				segStart, gapStart, gapW = -1, -1, 0
			}
			if gapStart < 0 {
				gapStart = i
			}
			gapW += u.w
		case kindNewline:
			if segStart >= 0 {
				b.put(segStart, i, segW, gapStart, gapW)
			}
			segStart, gapStart, gapW = -1, -1, 0
			b.paragraph()
		default:
			if segStart >= 0 && breakBetween(prev, u) {
				b.put(segStart, i, segW, gapStart, gapW)
				segStart, gapStart, gapW = -1, -1, 0
			}
			if segStart < 0 {
				segStart, segW = i, 0
			}
			segW += u.w
		}
		prev = u
		i += u.n
	}
	if segStart >= 0 {
		b.put(segStart, len(text), segW, gapStart, gapW)
	}
	b.paragraph()
	return b.lines
}

// breaker fills lines with words.
type breaker struct {
	text  string
	w     int
	lines []string
	// The line being filled is text[start:end], width cells wide; open
	// says it has something on it.
	start, end, width int
	open              bool
	fresh             bool // nothing of the paragraph is placed yet
}

// put places the word text[s:e], sw cells wide, after the spaces
// text[gs:gs+gw] (gs < 0: none).
func (b *breaker) put(s, e, sw, gs, gw int) {
	if gs < 0 {
		gw = 0
	}
	switch {
	case b.open && b.width+gw+sw <= b.w:
		b.end, b.width = e, b.width+gw+sw
		return
	case !b.open && b.fresh && gw > 0 && gw+sw <= b.w: // the paragraph's own indent
		b.start, b.end, b.width, b.open, b.fresh = gs, e, gw+sw, true, false
		return
	}
	b.fresh = false
	if sw <= b.w {
		if b.open {
			b.flush()
		}
		b.start, b.end, b.width, b.open = s, e, sw, true
		return
	}
	b.split(s, e, gw)
}

// split places a word wider than a line: a run of account characters is
// kept whole where it fits, so the word is cut around the runs in it, next
// to a mark if need be (（name） on three lines rather than （name and
// then the rest). A run wider than a line is cut where the line is full.
// The pieces fill the line the word comes to.
func (b *breaker) split(s, e, gw int) {
	for i := s; i < e; {
		u := nextUnit(b.text[i:])
		pe, pw := i+u.n, u.w
		if u.run {
			for pe < e {
				v := nextUnit(b.text[pe:])
				if !v.run {
					break
				}
				pe, pw = pe+v.n, pw+v.w
			}
		}
		switch {
		case b.open && b.width+gw+pw <= b.w:
			b.end, b.width = pe, b.width+gw+pw
		case pw <= b.w || !u.run:
			if b.open {
				b.flush()
			}
			b.start, b.end, b.width, b.open = i, pe, pw, true
		default: // a run wider than a line: cut; the last piece stays open
			if b.open {
				b.flush()
			}
			start, width := i, 0
			for j := i; j < pe; j++ { // a run is ASCII, one byte a cell
				if width == b.w {
					b.lines = append(b.lines, b.text[start:j])
					start, width = j, 0
				}
				width++
			}
			b.start, b.end, b.width, b.open = start, pe, width, true
		}
		gw = 0
		i = pe
	}
}

func (b *breaker) flush() {
	b.lines = append(b.lines, b.text[b.start:b.end])
	b.open = false
}

// paragraph ends a paragraph: its last line (empty if it has nothing).
func (b *breaker) paragraph() {
	if b.open {
		b.flush()
	} else {
		b.lines = append(b.lines, "")
	}
	b.fresh = true
}

// Kinds of characters for the breaker.
const (
	kindNarrow  = iota // glued to its narrow neighbours: part of a word
	kindWide           // a break may come before and after it
	kindSpace          // a break may come at it; dropped there
	kindNewline        // a break comes at it
)

// unit is one grapheme cluster: n bytes, w cells.
type unit struct {
	n, w, kind         int
	open, closing, run bool // run: a character of account names and codes
}

// nextUnit reads the grapheme cluster s begins with. Widths add up as
// ansi.StringWidth counts them: an ASCII byte on its own (printable: one
// cell), anything else by its cluster.
func nextUnit(s string) unit {
	c := s[0]
	if c < utf8.RuneSelf && (len(s) == 1 || s[1] < utf8.RuneSelf) {
		return asciiUnit(c)
	}
	cluster, w := ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
	if len(cluster) <= 1 {
		if c < utf8.RuneSelf {
			return asciiUnit(c)
		}
		cluster = s[:1] // invalid UTF-8: one byte at a time
	}
	if c < utf8.RuneSelf { // an ASCII base with marks: counted as StringWidth does
		w = ansi.StringWidth(cluster)
	}
	r, _ := utf8.DecodeRuneInString(cluster)
	u := unit{n: len(cluster), w: w, open: isOpening(r), closing: isClosing(r)}
	if w >= 2 && !isHangul(r) {
		u.kind = kindWide
	}
	return u
}

func asciiUnit(c byte) unit { return asciiUnits[c] }

// asciiUnits are the units of the ASCII bytes, looked up: most of what is
// wrapped is ASCII, or has ASCII in it.
var asciiUnits = func() (t [utf8.RuneSelf]unit) {
	for c := range byte(utf8.RuneSelf) {
		u := unit{n: 1}
		switch {
		case c == ' ':
			u.w, u.kind = 1, kindSpace
		case c == '\n':
			u.kind = kindNewline
		case c > ' ' && c < 0x7f:
			u.w = 1
			u.open, u.closing = isOpening(rune(c)), isClosing(rune(c))
			u.run = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
				c == '_' || c == '-' || c == '.' || c == '@'
		}
		t[c] = u
	}
	return t
}()

// breakBetween: a line may end after a and start with b (neither a space).
func breakBetween(a, b unit) bool {
	return (a.kind == kindWide || b.kind == kindWide) && !a.open && !b.closing
}

// isClosing: a line must not start with r.
func isClosing(r rune) bool {
	switch r {
	case '，', '。', '、', '；', '：', '！', '？', '）', '》', '」', '』', '】', '〉', '〕', '］', '｝', '”', '’', '…',
		',', '.', ';', ':', '!', '?', ')', ']', '}':
		return true
	}
	return false
}

// isOpening: a line must not end with r.
func isOpening(r rune) bool {
	switch r {
	case '（', '《', '「', '『', '【', '〈', '〔', '［', '｛', '“', '‘', '(', '[', '{':
		return true
	}
	return false
}

// isHangul: Korean is written with spaces between words, and a word of
// Hangul stays whole like an English one.
func isHangul(r rune) bool {
	return r >= 0x1100 && r <= 0x11FF || r >= 0x3130 && r <= 0x318F ||
		r >= 0xA960 && r <= 0xA97F || r >= 0xAC00 && r <= 0xD7FF
}
