package form

import (
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model/i18n"
	"kiosk/screens/theme"
	"kiosk/screens/widget"
)

// ChoiceField is one of a fixed set of options: drawn as a row of radio
// buttons, or with Cycle as a ‹ › selector whose options show while it has
// the focus. ←/→ and space choose; a tap on an option picks it.
type ChoiceField struct {
	Spec
	Options []Opt
	choice  int // index into Options, -1 = none
	cycle   bool
}

// Opt is an option of a choice: the value it stands for (stored, never
// translated) and the catalog id it is shown by ("" shows the value as it
// is: data, such as a name).
type Opt struct {
	Value string
	Label string
}

// Opts are options shown by their values (data).
func Opts(values ...string) []Opt {
	out := make([]Opt, len(values))
	for i, v := range values {
		out[i] = Opt{Value: v}
	}
	return out
}

// Choice declares a radio-button choice.
func Choice(key, label string, options []Opt, opts ...Option) *ChoiceField {
	return &ChoiceField{Spec: spec(key, label, opts), Options: options, choice: -1}
}

// label is how option i is shown.
func (f *ChoiceField) label(c *Ctx, i int) string {
	if o := f.Options[i]; o.Label != "" {
		return c.S(o.Label)
	}
	return f.Options[i].Value
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
		return f.Options[f.choice].Value
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
		if o.Value == v {
			f.choice = i
		}
	}
}

func (f *ChoiceField) Reset() {
	f.choice = -1
	f.err, f.note = i18n.Text{}, i18n.Text{}
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
	f.err = i18n.Text{}
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
			f.choice, f.err = i, i18n.Text{}
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
	return []key.Binding{key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "key.choose"))}
}

func (f *ChoiceField) View(c *Ctx, focused bool) (string, []string) {
	if !f.cycle {
		rows := f.options(c, true)
		return rows[0], rows[1:]
	}
	v, style := c.S("form.choose"), c.St.Placeholder
	if f.choice >= 0 {
		v, style = f.label(c, f.choice), c.St.Input
	}
	w := ansi.StringWidth(c.S("form.choose"))
	for i := range f.Options {
		w = max(w, ansi.StringWidth(f.label(c, i)))
	}
	left := c.Mark(c.Zone("arrow", f.Key)+":-1", c.St.Link.Render("<"))
	right := c.Mark(c.Zone("arrow", f.Key)+":1", c.St.Link.Render(">"))
	row := "[" + left + " " + style.Render(widget.PadRight(v, w)) + " " + right + "]"
	if focused {
		return row, f.options(c, false)
	}
	return row, nil
}

// options draws every option in rows no wider than the field (a long
// option in one language wraps to the next row, never off the screen);
// radio style shows (*) for the chosen one.
func (f *ChoiceField) options(c *Ctx, radio bool) []string {
	parts := make([]string, len(f.Options))
	for j := range f.Options {
		o, sel := f.label(c, j), j == f.choice
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
	return wrapParts(parts, max(c.Width, 10))
}
