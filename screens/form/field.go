// Package form is the kiosk's declarative form engine: steps of fields,
// inline Chinese errors on blur and on 下一步, cross-field rules, values kept
// across steps, keyboard and touch, and a viewport that scrolls a step
// taller than the screen. The API follows huh's shape; the engine is our
// own because huh v1 has no mouse, no step index and only synchronous
// validation.
//
// Fields are open: Field is an interface, and each kind (text, password,
// date, choice, captcha, SMS code, text area, file) is a type of its own in
// this package beside the engine. A new kind is added by implementing
// Field, without touching the engine.
package form

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	zone "github.com/lrstanley/bubblezone"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/theme"
	"kiosk/screens/widget"
)

// Field is one input of a form. The engine draws the focus marker, the
// required mark, the label, the hint and the error or note under the
// field, moves the focus and validates; the field draws its input and
// handles the keys and taps that reach it.
type Field interface {
	// Base is the declaration and the per-field state the engine keeps.
	Base() *Spec
	// Text is the value as text ("" when empty); SetText sets it as if it
	// had been typed (filtered the same way).
	Text() string
	SetText(s string)
	// Value is the typed value: string, time.Time, []File… (nil when empty).
	Value() any
	// Check validates a non-empty value for its kind (a date that does not
	// exist, say); Spec.Validate runs after it.
	Check() error
	Focus()
	Blur()
	Reset()
	// OnKey gets a key while the field has the focus, after the form's own
	// keys (focus movement, enter, esc, F2, F5, F6). handled false lets the
	// form go on (space on a button-less field, say).
	OnKey(msg tea.KeyMsg, c *Ctx) (cmd tea.Cmd, handled bool)
	// OnTap gets every press on the step; handled reports a press on one of
	// the field's own zones (the form then focuses the field).
	OnTap(msg tea.MouseMsg, c *Ctx) (cmd tea.Cmd, handled bool)
	// Action is the field's own button (F5): 换一张, 获取验证码, 选择文件.
	Action(c *Ctx) tea.Cmd
	// View draws the input (right of the label, at most c.Width cells) and
	// the lines under it (options, a picture, a counter).
	View(c *Ctx, focused bool) (input string, below []string)
	// Help is the field's own key help while it has the focus.
	Help(k theme.KeyMap) []key.Binding
}

// Spec is what every field declares, and the state the engine keeps for
// it. Fields embed it and return it from Base(). Label, Placeholder and
// Hint are catalog ids (model/i18n), drawn in the language of the visit.
type Spec struct {
	Key         string // value key, unique in the form
	Label       string // catalog id
	Placeholder string // catalog id
	Hint        string // catalog id: muted text under the field while it has no error
	Required    bool
	MaxLen      int // in runes; a default per kind when 0
	// Validate checks a non-empty value; an error's Message is shown next
	// to the field (model.Messager).
	Validate func(string) error

	err  i18n.Text
	note i18n.Text
	ver  int // bumped on every change: the row cache's key
}

func (s *Spec) touch() { s.ver++ }

// Option configures a field's Spec at declaration.
type Option func(*Spec)

// Required makes an empty value an error on 下一步.
func Required(s *Spec) { s.Required = true }

// Max limits the value to n runes.
func Max(n int) Option { return func(s *Spec) { s.MaxLen = n } }

// Placeholder is the muted text of an empty input (a catalog id).
func Placeholder(id string) Option { return func(s *Spec) { s.Placeholder = id } }

// Hint is a muted sentence under the field, the password rule say (a
// catalog id).
func Hint(id string) Option { return func(s *Spec) { s.Hint = id } }

// Check validates the value (see Spec.Validate).
func Check(fn func(string) error) Option { return func(s *Spec) { s.Validate = fn } }

func spec(key, label string, opts []Option) Spec {
	s := Spec{Key: key, Label: label}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// Rule is a check across fields, declared on a step: it runs when Field is
// validated (after the field's own checks pass) and its error is shown at
// Field. 确认密码 equals 密码 is one.
type Rule struct {
	Field string
	Check func(v Values) error
}

// Equal is the rule that field must equal other; err says so.
func Equal(field, other string, err error) Rule {
	return Rule{Field: field, Check: func(v Values) error {
		if v.Text(field) != v.Text(other) {
			return err
		}
		return nil
	}}
}

// Values is a snapshot of every value of a form: text and typed.
type Values struct {
	text  map[string]string
	typed map[string]any
}

// ValuesOf builds values from texts (tests, pre-fills).
func ValuesOf(text map[string]string) Values {
	return Values{text: text, typed: map[string]any{}}
}

// Text is a value as text ("" when absent).
func (v Values) Text(key string) string { return v.text[key] }

// Trim is a value as text without surrounding spaces.
func (v Values) Trim(key string) string { return strings.TrimSpace(v.text[key]) }

// Date is a Date field's value (zero when empty or invalid).
func (v Values) Date(key string) time.Time {
	t, _ := v.typed[key].(time.Time)
	return t
}

// Files is a File field's value.
func (v Values) Files(key string) []File {
	f, _ := v.typed[key].([]File)
	return f
}

// FilesSize is the size of every file chosen on the form but those of
// key (the field about to be chosen again).
func (v Values) FilesSize(except string) int64 {
	var n int64
	for k, x := range v.typed {
		if fs, ok := x.([]File); ok && k != except {
			for _, f := range fs {
				n += f.Size
			}
		}
	}
	return n
}

// Texts is every value as text (a copy).
func (v Values) Texts() map[string]string {
	m := make(map[string]string, len(v.text))
	for k, s := range v.text {
		m[k] = s
	}
	return m
}

// Tasks runs the form's timed work scoped to the visit (task.Scope and
// kit.App implement it): a newer After in a slot replaces the older one,
// Drop abandons it.
type Tasks interface {
	After(slot string, d time.Duration, msg tea.Msg) tea.Cmd
	Drop(slot string)
}

// Ctx is what a field needs from its form while it draws and handles
// input.
type Ctx struct {
	Form  string // the form's id: zone prefix and message tag
	St    *theme.Styles
	Keys  theme.KeyMap
	Zones *zone.Manager
	Tasks Tasks
	Width int // cells right of the label
	// Rows is the height a flexible field (a picture) may take now; 0 is
	// its own height.
	Rows int
	// Values snapshots every value of the form.
	Values func() Values
	// T renders a catalog text in the language of the visit; Lang is that
	// language (drawings are cached per language).
	T    func(i18n.Text) string
	Lang i18n.Lang
	// Sprites, when set, takes heavy drawn lines (pictures) out of the
	// frame's layout work (widget.Sprites).
	Sprites *widget.Sprites
}

// S renders the catalog id in the language of the visit.
func (c *Ctx) S(id string, kv ...any) string { return c.T(i18n.T(id, kv...)) }

// Zone is the zone id of a part of a field: form:part:key.
func (c *Ctx) Zone(part, key string) string { return c.Form + ":" + part + ":" + key }

// Mark marks v as the zone id.
func (c *Ctx) Mark(id, v string) string { return widget.Mark(c.Zones, id, v) }

// Tapped reports whether m is a press inside the zone id.
func (c *Ctx) Tapped(id string, m tea.MouseMsg) bool { return widget.Tapped(c.Zones, id, m) }

// Emit is a command yielding m.
func Emit(m tea.Msg) tea.Cmd { return func() tea.Msg { return m } }

// Flexible fields (a captcha picture) may be drawn shorter when the step
// does not fit the screen.
type Flexible interface {
	// Rows is the field's own height below its row, and the least it may
	// be drawn with.
	Rows(c *Ctx) (native, least int)
}

// ErrorText is the sentence of a validator or domain error.
func ErrorText(err error) i18n.Text {
	if err == nil {
		return i18n.Text{}
	}
	if m := rules.Message(err); !m.IsZero() {
		return m
	}
	return model.UserMessage(err)
}
