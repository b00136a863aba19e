package widget

import (
	"strconv"
	"strings"
)

// Sprites keep heavy, already-drawn lines (a captcha picture in true
// colour: kilobytes of colour codes) out of the frame's layout work. A
// widget registers each line once and draws a placeholder of the same
// width instead: a zero-width tag and spaces, which measuring, padding and
// the zone scan pass over at almost no cost. The root swaps the lines in
// once the frame is laid out (Expand).
//
// The tag is an APC escape sequence (ESC _ … ESC \), which terminals
// ignore and width counters count as zero cells.
type Sprites struct {
	lines  map[string]sprite
	next   int
	prefix string
}

type sprite struct {
	line  string
	width int
}

const spriteTag = "\x1b_kiosk-sprite:"

// NewSprites makes an empty store.
func NewSprites() *Sprites { return &Sprites{lines: map[string]sprite{}} }

// Put registers a drawn line of width cells and returns its placeholder.
func (s *Sprites) Put(line string, width int) string {
	if s == nil {
		return line
	}
	s.next++
	id := spriteTag + strconv.Itoa(s.next) + "\x1b\\"
	s.lines[id] = sprite{line: line, width: width}
	return id + strings.Repeat(" ", width)
}

// Forget drops every registered line (a visit ended).
func (s *Sprites) Forget() {
	if s != nil {
		clear(s.lines)
	}
}

// Len is the number of registered lines.
func (s *Sprites) Len() int { return len(s.lines) }

// Expand swaps the registered lines in for their placeholders. A
// placeholder cut short by layout gets a line cut to what is left.
func (s *Sprites) Expand(frame string) string {
	if s == nil || len(s.lines) == 0 || !strings.Contains(frame, spriteTag) {
		return frame
	}
	var b strings.Builder
	b.Grow(len(frame) * 3)
	for {
		i := strings.Index(frame, spriteTag)
		if i < 0 {
			b.WriteString(frame)
			return b.String()
		}
		b.WriteString(frame[:i])
		frame = frame[i:]
		end := strings.Index(frame, "\x1b\\")
		if end < 0 {
			b.WriteString(frame)
			return b.String()
		}
		id := frame[:end+2]
		frame = frame[end+2:]
		sp, ok := s.lines[id]
		if !ok {
			continue // a stale tag: its spaces stay
		}
		n := 0
		for n < sp.width && n < len(frame) && frame[n] == ' ' {
			n++
		}
		frame = frame[n:]
		if n == sp.width {
			b.WriteString(sp.line)
		} else {
			b.WriteString(TruncateCells(sp.line, n))
		}
	}
}
