package theme

import (
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

func TestQuitOnlyInDev(t *testing.T) {
	ctrlC := tea.KeyMsg{Type: tea.KeyCtrlC}
	if key.Matches(ctrlC, DefaultKeyMap(false).Quit) {
		t.Error("production key map quits on ctrl+c")
	}
	if !key.Matches(ctrlC, DefaultKeyMap(true).Quit) {
		t.Error("dev key map does not quit on ctrl+c")
	}
}

func TestGlobalKeys(t *testing.T) {
	k := DefaultKeyMap(false)
	for _, tc := range []struct {
		msg tea.KeyMsg
		b   key.Binding
	}{
		{tea.KeyMsg{Type: tea.KeyTab}, k.Next}, {tea.KeyMsg{Type: tea.KeyDown}, k.Next},
		{tea.KeyMsg{Type: tea.KeyShiftTab}, k.Prev}, {tea.KeyMsg{Type: tea.KeyUp}, k.Prev},
		{tea.KeyMsg{Type: tea.KeyEnter}, k.Enter}, {tea.KeyMsg{Type: tea.KeyEsc}, k.Back},
		{tea.KeyMsg{Type: tea.KeyF2}, k.Reveal}, {tea.KeyMsg{Type: tea.KeyF8}, k.Mute},
		{tea.KeyMsg{Type: tea.KeyF5}, k.Action},
	} {
		if !key.Matches(tc.msg, tc.b) {
			t.Errorf("%s does not match %v", tc.msg, tc.b.Help())
		}
	}
	if key.Matches(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a")}, k.Continue) {
		t.Error("Continue is help text only")
	}
}

func TestDefaultStylesComplete(t *testing.T) {
	s := DefaultStyles()
	if s.TileFocused.GetBorderStyle() == s.Tile.GetBorderStyle() {
		t.Error("a focused tile must differ from a plain one without colour")
	}
}

// Space is a key of its own only in Press: every button and choice
// presses on it, and nothing else binds it.
func TestSpaceOnlyInPress(t *testing.T) {
	k := DefaultKeyMap(true)
	space := tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	if !key.Matches(space, k.Press) || !key.Matches(tea.KeyMsg{Type: tea.KeyEnter}, k.Press) {
		t.Error("Press must take enter and space")
	}
	for name, b := range map[string]key.Binding{"Next": k.Next, "Prev": k.Prev, "Enter": k.Enter, "Back": k.Back,
		"Action": k.Action, "Speak": k.Speak, "Mute": k.Mute, "Phone": k.Phone} {
		if key.Matches(space, b) {
			t.Errorf("%s binds space", name)
		}
	}
}
