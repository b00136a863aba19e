package screens

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/screens/widget"
)

// btn is one button of a buttonRow.
type btn struct {
	id, label string
	disabled  bool
}

// buttonRow is a row of buttons for screens that are not forms (capture,
// face verification): ←/→ and tab move the focus, enter or space presses,
// a tap on a button presses it. Zone ids are prefix + ":" + button id.
type buttonRow struct {
	a      *app
	prefix string
	items  []btn
	focus  int
}

// set replaces the buttons; the focus goes to the first enabled one.
func (b *buttonRow) set(items ...btn) {
	b.items = items
	b.focus = 0
	for i, it := range items {
		if !it.disabled {
			b.focus = i
			break
		}
	}
}

func (b *buttonRow) zone(id string) string { return b.prefix + ":" + id }

// focused is the id of the focused button ("" for none).
func (b *buttonRow) focused() string {
	if b.focus < len(b.items) {
		return b.items[b.focus].id
	}
	return ""
}

// move shifts the focus by d over enabled buttons.
func (b *buttonRow) move(d int) {
	n := len(b.items)
	for i := 1; i <= n; i++ {
		j := ((b.focus+d*i)%n + n) % n
		if !b.items[j].disabled {
			b.focus = j
			return
		}
	}
}

// update returns the id of the button the message pressed, if any.
func (b *buttonRow) update(msg tea.Msg) string {
	if len(b.items) == 0 {
		return ""
	}
	k := b.a.keys
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Right, k.Next):
			b.move(1)
		case key.Matches(msg, k.Left, k.Prev):
			b.move(-1)
		case key.Matches(msg, k.Enter) || msg.Type == tea.KeySpace:
			if it := b.items[b.focus]; !it.disabled {
				return it.id
			}
		}
	case tea.MouseMsg:
		if msg.Action != tea.MouseActionPress || msg.Button != tea.MouseButtonLeft {
			return ""
		}
		for i, it := range b.items {
			if !it.disabled && b.a.zones.Get(b.zone(it.id)).InBounds(msg) {
				b.focus = i
				return it.id
			}
		}
	}
	return ""
}

func (b *buttonRow) view() string {
	parts := make([]string, len(b.items))
	for i, it := range b.items {
		parts[i] = widget.Mark(b.a.zones, b.zone(it.id),
			widget.Button(b.a.st, it.label, i == b.focus && !it.disabled, it.disabled))
	}
	return strings.Join(parts, "  ")
}

// help is the key help of a button row.
func (b *buttonRow) help() []key.Binding {
	if len(b.items) == 0 {
		return nil
	}
	k := b.a.keys
	move := key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "选择按钮"))
	return []key.Binding{move, k.Enter}
}
