package kit

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/model/i18n"
	"kiosk/screens/widget"
)

// Confirm is a modal question with two answers (取消 this form? 继续填写 /
// 确认取消). The safe answer has the focus, and esc gives it: one stray key
// never loses what a person typed.
type Confirm struct {
	a    *App
	text i18n.Text
	row  ButtonRow
	safe string
	open bool
}

// NewConfirm builds a closed dialog; its button zones start with id.
func NewConfirm(a *App, id string) *Confirm { return &Confirm{a: a, row: NewButtonRow(a, id)} }

// Ask opens the dialog: text, then the safe answer (focused, esc) and the
// other one.
func (c *Confirm) Ask(text i18n.Text, safe, other Btn) {
	c.text, c.safe, c.open = text, safe.ID, true
	c.row.Set(safe, other)
}

// Open reports whether the dialog is on show.
func (c *Confirm) Open() bool { return c.open }

// Update takes a key or tap while open; it returns the id of the answer
// given ("" while none), and the dialog closes on an answer.
func (c *Confirm) Update(msg tea.Msg) string {
	if !c.open {
		return ""
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, c.a.Keys.Back) {
		c.open = false
		return c.safe
	}
	if id := c.row.Update(msg); id != "" {
		c.open = false
		return id
	}
	return ""
}

// Help is the dialog's key help.
func (c *Confirm) Help() []key.Binding { return c.row.Help() }

// View is the dialog box.
// confirmWidth is the most a dialog's question or button row takes across
// (it fits an 80-column screen with its frame).
const confirmWidth = 60

func (c *Confirm) View() string {
	// The question wrapped, the answers as boxes: a dialog is touched.
	lines := widget.Wrap(c.a.T(c.text), confirmWidth)
	for i, l := range lines {
		lines[i] = c.a.St.Text.Render(l)
	}
	body := strings.Join(lines, "\n") + "\n\n" + strings.Join(c.row.Boxed(confirmWidth), "\n")
	return c.a.St.Overlay.Render(strings.TrimSpace(body))
}

// Over draws the dialog centred over a w×h area (the screen behind it is
// not drawn: it is modal).
func (c *Confirm) Over(w, h int) string {
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, c.View())
}
