package form

import (
	"strings"
	"time"
	"unicode"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/theme"
	"kiosk/screens/widget"
)

// Input widths, in cells.
const (
	extrasW   = 14 // room right of a text input for its links
	minInputW = 10
	maxInputW = 32
)

// input is the one-line text input the text-like kinds share: filtered
// typing into a bubbles textinput drawn between brackets at a fixed width,
// so the layout never moves while typing (CJK-aware).
type input struct {
	Spec
	ti    textinput.Model
	keep  func(r rune) bool // runes the kind accepts; nil accepts every printable one
	upper bool              // typed letters become upper case
	// fold maps full-width forms to their usual width (rules.FoldWidth)
	// before keep: a Chinese input method types ＡＢＣ１２３ for ABC123. On
	// for the identifier kinds (dates, captcha, SMS code, and text fields
	// declared Identifier or Folded), off for free text (a name keeps its
	// （）) and passwords (never normalised).
	fold  bool
	width func(c *Ctx) int // visible width of the box
	// derive, when set, makes the value follow the other values (结束日期
	// from 开始日期 and 证件有效期): typing has no effect.
	derive func(Values) string
	// shows, with derive, names what the box says when the derived value
	// is empty on purpose (长期 for a long-term ID card): a catalog id, or
	// "" for the placeholder.
	shows   func(Values) string
	showing string
}

func newInput(s Spec, defMax int) input {
	ti := textinput.New()
	ti.Prompt = ""
	if s.MaxLen <= 0 {
		s.MaxLen = defMax
	}
	ti.CharLimit = s.MaxLen
	ti.Cursor.SetMode(cursor.CursorStatic) // no blink ticks: fewer frames, stable output
	// The kiosk has no clipboard and ↑/↓ move the focus.
	ti.KeyMap.Paste.SetEnabled(false)
	ti.KeyMap.NextSuggestion.SetEnabled(false)
	ti.KeyMap.PrevSuggestion.SetEnabled(false)
	ti.KeyMap.AcceptSuggestion.SetEnabled(false)
	return input{Spec: s, ti: ti, width: textWidth, fold: true}
}

func textWidth(c *Ctx) int { return min(max(c.Width-extrasW, minInputW), maxInputW) }

func fixedWidth(w int) func(*Ctx) int { return func(*Ctx) int { return w } }

func (f *input) Base() *Spec  { return &f.Spec }
func (f *input) Text() string { return f.ti.Value() }
func (f *input) Value() any {
	if f.ti.Value() == "" {
		return nil
	}
	return f.ti.Value()
}
func (f *input) Check() error { return nil }
func (f *input) Focus()       { f.ti.Focus() }
func (f *input) Blur()        { f.ti.Blur() }

func (f *input) SetText(v string) {
	f.ti.SetValue(f.filter(v))
	f.ti.CursorEnd()
}

func (f *input) Reset() {
	f.ti.Reset()
	f.ti.Blur()
	f.err, f.note = i18n.Text{}, i18n.Text{}
}

// filter keeps only the runes the kind accepts, width folded and upper-
// cased as the kind says, so the screen shows the value the rules read;
// control and escape sequences never get into a value.
func (f *input) filter(s string) string {
	s = rules.Sanitize(s)
	if f.fold {
		s = rules.FoldWidth(s)
	}
	var b strings.Builder
	for _, r := range s {
		if f.keep != nil && !f.keep(r) {
			continue
		}
		if f.upper {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (f *input) OnKey(msg tea.KeyMsg, _ *Ctx) (tea.Cmd, bool) {
	if f.derive != nil {
		return nil, true // read-only: follows the other values
	}
	if msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace {
		s := f.filter(string(msg.Runes))
		if msg.Type == tea.KeySpace {
			s = f.filter(" ")
		}
		if s == "" {
			return nil, true
		}
		msg.Type, msg.Runes = tea.KeyRunes, []rune(s)
	}
	before := f.ti.Value()
	var cmd tea.Cmd
	f.ti, cmd = f.ti.Update(msg)
	if f.ti.Value() != before {
		f.err = i18n.Text{} // a new value deserves a new verdict
	}
	return cmd, true
}

func (f *input) OnTap(tea.MouseMsg, *Ctx) (tea.Cmd, bool) { return nil, false }
func (f *input) Action(*Ctx) tea.Cmd                      { return nil }
func (f *input) Help(theme.KeyMap) []key.Binding          { return nil }

func (f *input) View(c *Ctx, _ bool) (string, []string) { return f.box(c), f.spill(c) }

// box draws the input between brackets at its fixed width.
func (f *input) box(c *Ctx) string {
	w := f.width(c)
	f.ti.Width = w
	f.ti.TextStyle, f.ti.PlaceholderStyle = c.St.Input, c.St.Placeholder
	f.ti.Placeholder = ""
	if f.showing != "" && f.ti.Value() == "" { // 长期: a value in words, not a placeholder
		return "[" + widget.PadRight(c.St.Input.Render(ansi.Truncate(c.S(f.showing), w, "")), w+1) + "]"
	}
	if p := f.placeholder(c); ansi.StringWidth(p) <= w {
		f.ti.Placeholder = p
	}
	v := f.ti.View()
	if ansi.StringWidth(v) > w+1 {
		v = ansi.Truncate(v, w+1, "")
	}
	return "[" + widget.PadRight(v, w+1) + "]"
}

func (f *input) isDerived() bool { return f.derive != nil }

func (f *input) placeholder(c *Ctx) string {
	if f.Placeholder == "" {
		return ""
	}
	return c.S(f.Placeholder)
}

// spill is a placeholder too long for the box (a rule in a longer
// language): while the field is empty it stands under the box, whole and
// wrapped, instead of being cut.
func (f *input) spill(c *Ctx) []string {
	p := f.placeholder(c)
	if p == "" || f.ti.Value() != "" || f.showing != "" || ansi.StringWidth(p) <= f.width(c) {
		return nil
	}
	var out []string
	for _, l := range wrap(p, max(c.Width, 10)) {
		out = append(out, c.St.Placeholder.Render(l))
	}
	return out
}

// derived recomputes a derived value; it reports a change.
func (f *input) derived(v Values) bool {
	if f.derive == nil {
		return false
	}
	shows := ""
	if f.shows != nil {
		shows = f.shows(v)
	}
	changed := shows != f.showing
	f.showing = shows
	if s := f.derive(v); s != f.ti.Value() {
		f.ti.SetValue(s)
		return true
	}
	return changed
}

// TextField is free text on one line.
type TextField struct{ input }

// Text declares a text field: free text, kept as typed.
func Text(key, label string, opts ...Option) *TextField {
	f := &TextField{newInput(spec(key, label, opts), 64)}
	f.fold = false
	return f
}

// Identifier makes the field an identifier in upper case (USCC, resident
// ID number): full-width characters are folded and letters upper-cased as
// they are typed, so the screen shows what the rules read (91…ma → 91…MA,
// the ID's x → X).
func (f *TextField) Identifier() *TextField {
	f.fold, f.upper = true, true
	return f
}

// Folded makes the field an identifier whose case matters or does not
// arise (account name, mobile number): full-width characters are folded
// as they are typed.
func (f *TextField) Folded() *TextField {
	f.fold = true
	return f
}

// PasswordField is masked text with 显示/隐藏 (F2 or a tap), printable ASCII
// only (no input-method characters). A password is never normalised: a
// full-width character is refused, not folded, so what was typed is what
// is checked and hashed. A new password may show a strength meter (Meter).
type PasswordField struct {
	input
	revealed bool
	meter    meter
}

// Password declares a password field.
func Password(key, label string, opts ...Option) *PasswordField {
	f := &PasswordField{input: newInput(spec(key, label, opts), 32)}
	f.fold = false
	f.keep = func(r rune) bool { return r >= ' ' && r < 127 }
	f.ti.EchoMode = textinput.EchoPassword
	f.ti.EchoCharacter = '*'
	return f
}

func (f *PasswordField) reveal(on bool) {
	f.revealed = on
	f.ti.EchoMode = textinput.EchoPassword
	if on {
		f.ti.EchoMode = textinput.EchoNormal
	}
}

func (f *PasswordField) Reset() {
	f.input.Reset()
	f.reveal(false)
	f.meter.forget()
}

func (f *PasswordField) SetText(v string) {
	f.input.SetText(v)
	f.meter.forget() // measured again on the next key
}

func (f *PasswordField) OnKey(msg tea.KeyMsg, c *Ctx) (tea.Cmd, bool) {
	if key.Matches(msg, c.Keys.Reveal) {
		f.reveal(!f.revealed)
		return nil, true
	}
	before := f.ti.Value()
	cmd, handled := f.input.OnKey(msg, c)
	if f.ti.Value() != before {
		cmd = tea.Batch(cmd, f.meter.measure(f.ti.Value(), c, f.Key))
	}
	return cmd, handled
}

// Update takes the meter's estimates.
func (f *PasswordField) Update(msg tea.Msg, c *Ctx) tea.Cmd {
	if m, ok := msg.(strengthMsg); ok && m.form == c.Form && m.key == f.Key && f.meter.take(m) {
		f.touch() // the row is drawn again
	}
	return nil
}

func (f *PasswordField) OnTap(m tea.MouseMsg, c *Ctx) (tea.Cmd, bool) {
	if c.Tapped(c.Zone("reveal", f.Key), m) {
		f.reveal(!f.revealed)
		return nil, true
	}
	return nil, false
}

func (f *PasswordField) View(c *Ctx, _ bool) (string, []string) {
	txt := "form.show"
	if f.revealed {
		txt = "form.hide"
	}
	below := f.spill(c)
	if f.ti.Value() != "" {
		below = append(below, f.meter.view(c)...)
	}
	return f.box(c) + "  " + c.Mark(c.Zone("reveal", f.Key), c.St.Link.Render("["+c.S(txt)+"]")), below
}

func (f *PasswordField) Help(k theme.KeyMap) []key.Binding { return []key.Binding{k.Reveal} }

// DateLayout is the layout of Date fields.
const DateLayout = "2006-01-02"

// DateField is a date typed as YYYY-MM-DD; its Value is a time.Time.
type DateField struct{ input }

// Date declares a date field.
func Date(key, label string, opts ...Option) *DateField {
	s := spec(key, label, opts)
	if s.Placeholder == "" {
		s.Placeholder = "form.date_placeholder"
	}
	f := &DateField{newInput(s, 10)}
	f.keep = func(r rune) bool { return r >= '0' && r <= '9' || r == '-' }
	f.width = fixedWidth(12)
	return f
}

// Derived makes the date follow the other values: fn computes it (""
// for none) after every change, and typing has no effect.
func (f *DateField) Derived(fn func(Values) string) *DateField {
	f.derive = fn
	return f
}

// Shows names (by catalog id, "" for none) what the box says while the
// derived date is empty on purpose: 长期 when the ID card never expires.
func (f *DateField) Shows(fn func(Values) string) *DateField {
	f.shows = fn
	return f
}

func (f *DateField) Value() any {
	t, err := time.Parse(DateLayout, f.ti.Value())
	if err != nil {
		return nil
	}
	return t
}

func (f *DateField) Check() error {
	if _, err := time.Parse(DateLayout, f.ti.Value()); err != nil {
		return &rules.Error{Code: "date_format", Msg: i18n.T("form.date_format")}
	}
	return nil
}
