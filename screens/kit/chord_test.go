package kit

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

func TestParseChord(t *testing.T) {
	for in, want := range map[string][]string{
		"ctrl+alt+s":            {"alt+ctrl+s"},
		"Alt+Ctrl+S":            {"alt+ctrl+s"},
		"alt+f12":               {"alt+f12"},
		"ctrl+alt+s ctrl+alt+k": {"alt+ctrl+s", "alt+ctrl+k"},
		"f10 f11 f12":           {"f10", "f11", "f12"},
		"ctrl+shift+up":         {"ctrl+shift+up"},
	} {
		c, err := ParseChord(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := c.Steps(); len(got) != len(want) || got[0] != want[0] || got[len(got)-1] != want[len(want)-1] {
			t.Errorf("%q = %q, want %q", in, got, want)
		}
	}
	// What a visitor or a touch screen could produce, or what the kiosk
	// already answers to, is refused.
	for _, in := range []string{"", "s", "f12", "f10 f11", "a b c", "f3 f3 f3", "esc", "ctrl+c", "tab",
		"ctrl+i", "ctrl+m", "hyper+s", "ctrl+", "alt+nosuchkey", "f1 f1 f1 f1 f1 f1 f1"} {
		if _, err := ParseChord(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	if _, err := ParseChord(DefaultStaffChord); err != nil {
		t.Fatalf("the default chord: %v", err)
	}
}

func TestChordMatcher(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	altCtrlS := tea.KeyMsg{Type: tea.KeyCtrlS, Alt: true}
	c, _ := ParseChord("ctrl+alt+s")
	m := NewChordMatcher(c)
	if m.Key(tea.KeyMsg{Type: tea.KeyCtrlS}, t0) || m.Key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s"), Alt: true}, t0) {
		t.Fatal("a near miss matched")
	}
	if !m.Key(altCtrlS, t0) {
		t.Fatal("ctrl+alt+s did not match")
	}
	if m.Key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x"), Paste: true}, t0) {
		t.Fatal("a paste matched")
	}

	seq, _ := ParseChord("f10 f11 f12")
	m = NewChordMatcher(seq)
	f := func(k tea.KeyType, at time.Duration) bool { return m.Key(tea.KeyMsg{Type: k}, t0.Add(at)) }
	if f(tea.KeyF10, 0) || f(tea.KeyF11, time.Second) || !f(tea.KeyF12, 2*time.Second) {
		t.Fatal("the sequence did not match")
	}
	// Too slow between two keys: it starts over.
	if f(tea.KeyF10, 10*time.Second) || f(tea.KeyF11, 13*time.Second) || f(tea.KeyF12, 14*time.Second) {
		t.Fatal("a slow sequence matched")
	}
	// A wrong key in the middle starts over; the first key again restarts it.
	if f(tea.KeyF10, 20*time.Second) || f(tea.KeyF2, 20*time.Second) || f(tea.KeyF11, 20*time.Second) {
		t.Fatal("an interrupted sequence matched")
	}
	if f(tea.KeyF10, 30*time.Second) || f(tea.KeyF10, 30*time.Second) || f(tea.KeyF11, 31*time.Second) || !f(tea.KeyF12, 31*time.Second) {
		t.Fatal("a restarted sequence did not match")
	}
}
