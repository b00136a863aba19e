package form

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/screens/theme"
	"kiosk/screens/widget"
)

// ChoiceField is one of a fixed set of options: drawn as a row of radio
// buttons, or with Cycle as a ‹ › selector whose options show while it has
// the focus. ←/→ and space choose; a tap on an option picks it.
type ChoiceField struct {
	Spec
	Options []string
	choice  int // index into Options, -1 = none
	cycle   bool
}

// Choice declares a radio-button choice.
func Choice(key, label string, options []string, opts ...Option) *ChoiceField {
	return &ChoiceField{Spec: spec(key, label, opts), Options: options, choice: -1}
}

// Cycle draws the choice as a ‹ › selector (long option lists).
func (f *ChoiceField) Cycle() *ChoiceField {
	f.cycle = true
	return f
}

func (f *ChoiceField) Base() *Spec  { return &f.Spec }
func (f *ChoiceField) Check() error { return nil }
func (f *ChoiceField) Focus()       {}
func (f *ChoiceField) Blur()        {}

func (f *ChoiceField) Text() string {
	if f.choice >= 0 && f.choice < len(f.Options) {
		return f.Options[f.choice]
	}
	return ""
}

func (f *ChoiceField) Value() any {
	if s := f.Text(); s != "" {
		return s
	}
	return nil
}

// Index is the chosen option's index, -1 for none.
func (f *ChoiceField) Index() int { return f.choice }

func (f *ChoiceField) SetText(v string) {
	f.choice = -1
	for i, o := range f.Options {
		if o == v {
			f.choice = i
		}
	}
}

func (f *ChoiceField) Reset() {
	f.choice = -1
	f.err, f.note = "", ""
}

func (f *ChoiceField) move(d int) {
	n := len(f.Options)
	if n == 0 {
		return
	}
	if f.choice < 0 && d < 0 {
		f.choice = 0
	}
	f.choice = ((f.choice+d)%n + n) % n
	f.err = ""
}

func (f *ChoiceField) OnKey(msg tea.KeyMsg, c *Ctx) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, c.Keys.Left):
		f.move(-1)
	case key.Matches(msg, c.Keys.Right, c.Keys.Press):
		f.move(+1)
	default:
		return nil, false
	}
	return nil, true
}

func (f *ChoiceField) optionZone(c *Ctx, i int) string {
	return c.Zone("option", f.Key) + ":" + strconv.Itoa(i)
}

func (f *ChoiceField) OnTap(m tea.MouseMsg, c *Ctx) (tea.Cmd, bool) {
	for i := range f.Options {
		if c.Tapped(f.optionZone(c, i), m) {
			f.choice, f.err = i, ""
			return nil, true
		}
	}
	if f.cycle {
		for _, d := range []int{-1, +1} {
			if c.Tapped(c.Zone("arrow", f.Key)+":"+strconv.Itoa(d), m) {
				f.move(d)
				return nil, true
			}
		}
	}
	return nil, false
}

func (f *ChoiceField) Action(*Ctx) tea.Cmd { return nil }

func (f *ChoiceField) Help(theme.KeyMap) []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "选择"))}
}

func (f *ChoiceField) View(c *Ctx, focused bool) (string, []string) {
	if !f.cycle {
		return f.options(c, true), nil
	}
	v, style := "请选择", c.St.Placeholder
	if f.choice >= 0 {
		v, style = f.Options[f.choice], c.St.Input
	}
	w := ansi.StringWidth("请选择")
	for _, o := range f.Options {
		w = max(w, ansi.StringWidth(o))
	}
	left := c.Mark(c.Zone("arrow", f.Key)+":-1", c.St.Link.Render("<"))
	right := c.Mark(c.Zone("arrow", f.Key)+":1", c.St.Link.Render(">"))
	row := "[" + left + " " + style.Render(widget.PadRight(v, w)) + " " + right + "]"
	if focused {
		return row, []string{f.options(c, false)}
	}
	return row, nil
}

// options draws every option; radio style shows (*) for the chosen one.
func (f *ChoiceField) options(c *Ctx, radio bool) string {
	parts := make([]string, len(f.Options))
	for j, o := range f.Options {
		sel := j == f.choice
		var s string
		switch {
		case radio && sel:
			s = c.St.OptionSelected.Render("(*) " + o)
		case radio:
			s = c.St.Option.Render("( ) " + o)
		case sel:
			s = c.St.OptionSelected.Render("[" + o + "]")
		default:
			s = c.St.Option.Render(" " + o + " ")
		}
		parts[j] = c.Mark(f.optionZone(c, j), s)
	}
	return strings.Join(parts, "  ")
}
