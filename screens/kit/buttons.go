package kit

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/screens/theme"
	"kiosk/screens/widget"
)

// Btn is one button of a ButtonRow; Label is a catalog id.
type Btn struct {
	ID, Label string
	Disabled  bool
}

// ButtonRow is a row of buttons outside forms (capture, face, result
// pages): ←/→ and tab move the focus, enter or space presses, a tap
// presses. Zone ids are prefix + ":" + button id.
type ButtonRow struct {
	a      *App
	prefix string
	items  []Btn
	focus  int
}

// NewButtonRow is an empty row whose zones start with prefix.
func NewButtonRow(a *App, prefix string) ButtonRow { return ButtonRow{a: a, prefix: prefix} }

// Set replaces the buttons; the focus goes to the first enabled one.
func (b *ButtonRow) Set(items ...Btn) {
	b.items = items
	b.focus = 0
	for i, it := range items {
		if !it.Disabled {
			b.focus = i
			break
		}
	}
}

// Reset replaces the buttons as Set does, the focus staying on the button
// it was on where that is still there and enabled: a list screen calls it
// as its selection moves.
func (b *ButtonRow) Reset(items ...Btn) {
	focus := b.Focused()
	b.Set(items...)
	if focus != "" {
		b.Focus(focus)
	}
}

// Items are the buttons.
func (b *ButtonRow) Items() []Btn { return b.items }

// Focus moves the focus to the button id.
func (b *ButtonRow) Focus(id string) {
	for i, it := range b.items {
		if it.ID == id && !it.Disabled {
			b.focus = i
		}
	}
}

// Zone is the zone id of the button id.
func (b *ButtonRow) Zone(id string) string { return b.prefix + ":" + id }

// Focused is the id of the focused button ("" for none).
func (b *ButtonRow) Focused() string {
	if b.focus < len(b.items) {
		return b.items[b.focus].ID
	}
	return ""
}

// move shifts the focus by d over enabled buttons.
func (b *ButtonRow) move(d int) {
	n := len(b.items)
	for i := 1; i <= n; i++ {
		j := ((b.focus+d*i)%n + n) % n
		if !b.items[j].Disabled {
			b.focus = j
			return
		}
	}
}

// Update returns the id of the button the message pressed, if any.
func (b *ButtonRow) Update(msg tea.Msg) string {
	if len(b.items) == 0 {
		return ""
	}
	k := b.a.Keys
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Right, k.Next):
			b.move(1)
		case key.Matches(msg, k.Left, k.Prev):
			b.move(-1)
		case key.Matches(msg, k.Press):
			if it := b.items[b.focus]; !it.Disabled {
				return it.ID
			}
		}
	case tea.MouseMsg:
		for i, it := range b.items {
			if !it.Disabled && widget.Tapped(b.a.Zones, b.Zone(it.ID), msg) {
				b.focus = i
				return it.ID
			}
		}
	}
	return ""
}

// View draws the row on one line.
func (b *ButtonRow) View() string { return strings.Join(b.parts(widget.Button), "  ") }

// Boxed draws the row as boxes three rows high (widget.BoxButtonRows),
// wrapped to w cells: where the page has the room, the bigger target.
func (b *ButtonRow) Boxed(w int) []string { return widget.JoinRows(b.parts(widget.BoxButton), w) }

func (b *ButtonRow) parts(draw func(*theme.Styles, string, bool, bool) string) []string {
	parts := make([]string, len(b.items))
	for i, it := range b.items {
		parts[i] = widget.Mark(b.a.Zones, b.Zone(it.ID),
			draw(b.a.St, b.a.S(it.Label), i == b.focus && !it.Disabled, it.Disabled))
	}
	return parts
}

// Help is the key help of the row.
func (b *ButtonRow) Help() []key.Binding {
	if len(b.items) == 0 {
		return nil
	}
	move := key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "key.choose_button"))
	return []key.Binding{move, b.a.Keys.Enter}
}
