package center

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model/rules"
	"kiosk/screens/form"
	"kiosk/screens/theme"
)

// fixedField is a value a form shows but does not let change (统一社会信用代码
// on 企业信息变更). It has a row, a label and the focus like any field, so
// a refusal placed next to it reads like any other and it scrolls with the
// page; typing does nothing. Fields are open (form.Field): this kind lives
// beside the one screen that needs it.
type fixedField struct {
	form.Spec
	value string
	note  string // catalog id said after the value ("" for none)
}

func newFixedField(key, label, note string) *fixedField {
	return &fixedField{Spec: form.Spec{Key: key, Label: label}, note: note}
}

func (f *fixedField) Base() *form.Spec { return &f.Spec }
func (f *fixedField) Text() string     { return f.value }
func (f *fixedField) Check() error     { return nil }
func (f *fixedField) Focus()           {}
func (f *fixedField) Blur()            {}
func (f *fixedField) Reset()           { f.value = "" }

// SetText sets the value shown: the owner's, never typed.
func (f *fixedField) SetText(s string) { f.value = rules.Sanitize(s) }

func (f *fixedField) Value() any {
	if f.value == "" {
		return nil
	}
	return f.value
}

// OnKey swallows what would edit a text field; the focus keys are the
// form's.
func (f *fixedField) OnKey(msg tea.KeyMsg, _ *form.Ctx) (tea.Cmd, bool) {
	switch msg.Type {
	case tea.KeyRunes, tea.KeySpace, tea.KeyBackspace, tea.KeyDelete:
		return nil, true
	}
	return nil, false
}

func (f *fixedField) OnTap(tea.MouseMsg, *form.Ctx) (tea.Cmd, bool) { return nil, false }
func (f *fixedField) Action(*form.Ctx) tea.Cmd                      { return nil }
func (f *fixedField) Help(theme.KeyMap) []key.Binding               { return nil }

// View is the value as plain text (no brackets: nothing to type into) with
// the note after it, or under it when the row has no room.
func (f *fixedField) View(c *form.Ctx, _ bool) (string, []string) {
	v := c.St.Input.Render(ansi.Truncate(f.value, max(c.Width, 10), "…"))
	if f.note == "" {
		return v, nil
	}
	note := c.St.Muted.Render(c.S(f.note))
	if ansi.StringWidth(v)+1+ansi.StringWidth(note) > c.Width {
		return v, []string{note}
	}
	return v + " " + note, nil
}
