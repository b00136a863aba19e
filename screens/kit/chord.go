package kit

import (
	"errors"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// The staff key chord (SPEC §1: staff mode is entered with a configurable
// chord and staff credentials, never by a visible button). A chord is one
// key with modifiers ("ctrl+alt+s") or a short sequence of them typed in
// quick succession ("ctrl+alt+s ctrl+alt+k"). Neither a touch screen nor a
// visitor's typing produces one: a step needs ctrl or alt, unless the
// chord is a sequence of at least three keys that the kiosk itself does
// not use (F10 F11 F12), and no step is a key the kiosk answers to.

// ChordStepWindow is the most time between two keys of a sequence.
const ChordStepWindow = 2 * time.Second

// Chord is a parsed staff chord: each step as Bubble Tea names the key
// (tea.KeyMsg.String: "alt+ctrl+s").
type Chord struct{ steps []string }

// Steps are the chord's keys as Bubble Tea names them.
func (c Chord) Steps() []string { return append([]string(nil), c.steps...) }

// kioskKeys are keys the kiosk answers to (theme.DefaultKeyMap) or that a
// terminal sends for other keys (ctrl+i is tab, ctrl+m enter, ctrl+h
// backspace, ctrl+[ esc): no chord may use them.
var kioskKeys = map[string]bool{
	"tab": true, "shift+tab": true, "enter": true, "esc": true, "up": true, "down": true,
	"left": true, "right": true, "pgup": true, "pgdown": true, "backspace": true, "delete": true,
	"f2": true, "f3": true, "f5": true, "f6": true, "f8": true, "f9": true, "ctrl+c": true,
	"ctrl+i": true, "ctrl+m": true, "ctrl+h": true, "ctrl+[": true, "ctrl+j": true,
}

// ParseChord reads a chord as configured: steps separated by spaces, each
// modifiers and a key joined by "+" ("ctrl+alt+s", "alt+F12"); modifiers
// ctrl, alt (or meta) and shift in any order and case.
func ParseChord(s string) (Chord, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return Chord{}, errors.New("empty chord")
	}
	if len(fields) > 6 {
		return Chord{}, fmt.Errorf("chord %q: at most 6 keys", s)
	}
	var c Chord
	plain := 0
	for _, f := range fields {
		step, modified, err := parseStep(f)
		if err != nil {
			return Chord{}, fmt.Errorf("chord %q: %w", s, err)
		}
		if kioskKeys[step] {
			return Chord{}, fmt.Errorf("chord %q: %s is a key the kiosk uses", s, f)
		}
		if !modified {
			plain++
		}
		c.steps = append(c.steps, step)
	}
	if plain > 0 && len(fields) < 3 {
		return Chord{}, fmt.Errorf("chord %q: a key without ctrl or alt is only allowed in a sequence of 3 or more", s)
	}
	for _, st := range c.steps {
		if len([]rune(st)) == 1 {
			return Chord{}, fmt.Errorf("chord %q: a plain character would be typed into forms", s)
		}
	}
	return c, nil
}

// parseStep turns "ctrl+alt+s" into Bubble Tea's "alt+ctrl+s"; modified
// reports ctrl or alt.
func parseStep(f string) (string, bool, error) {
	parts := strings.Split(f, "+")
	base := parts[len(parts)-1]
	if base == "" {
		return "", false, fmt.Errorf("%q has no key", f)
	}
	var ctrl, alt, shift bool
	for _, m := range parts[:len(parts)-1] {
		switch strings.ToLower(m) {
		case "ctrl", "control":
			ctrl = true
		case "alt", "meta", "option":
			alt = true
		case "shift":
			shift = true
		default:
			return "", false, fmt.Errorf("%q: unknown modifier %q", f, m)
		}
	}
	if len([]rune(base)) > 1 {
		base = strings.ToLower(base)
	}
	if ctrl && len([]rune(base)) == 1 {
		base = strings.ToLower(base) // the terminal sends ctrl+s for ctrl+S
	}
	if !validBase(base) {
		return "", false, fmt.Errorf("%q: unknown key %q", f, base)
	}
	switch {
	case ctrl && shift:
		base = "ctrl+shift+" + base
	case ctrl:
		base = "ctrl+" + base
	case shift:
		base = "shift+" + base
	}
	if alt {
		base = "alt+" + base
	}
	return base, ctrl || alt, nil
}

// validBase reports a key name Bubble Tea reports: a printable character,
// f1–f20 or a named key.
func validBase(b string) bool {
	if r := []rune(b); len(r) == 1 {
		return r[0] > ' ' && r[0] != 0x7f
	}
	for i := 1; i <= 20; i++ {
		if b == fmt.Sprintf("f%d", i) {
			return true
		}
	}
	switch b {
	case "home", "end", "insert", "delete", "pgup", "pgdown", "up", "down", "left", "right", "tab", "enter",
		"esc", "backspace":
		return true
	}
	return false
}

// ChordMatcher follows the keys typed towards a chord.
type ChordMatcher struct {
	chord Chord
	pos   int
	last  time.Time
}

// NewChordMatcher matches c.
func NewChordMatcher(c Chord) *ChordMatcher { return &ChordMatcher{chord: c} }

// Key takes a key typed at now; it reports true when the key completes
// the chord (and starts over).
func (m *ChordMatcher) Key(k tea.KeyMsg, now time.Time) bool {
	steps := m.chord.steps
	if len(steps) == 0 || k.Paste {
		m.pos = 0
		return false
	}
	s := k.String()
	if m.pos > 0 && now.Sub(m.last) > ChordStepWindow {
		m.pos = 0
	}
	switch {
	case s == steps[m.pos]:
		m.pos++
	case s == steps[0]:
		m.pos = 1
	default:
		m.pos = 0
		return false
	}
	m.last = now
	if m.pos == len(steps) {
		m.pos = 0
		return true
	}
	return false
}
