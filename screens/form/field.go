// Package form is the kiosk's declarative form component: steps of fields
// (text, password, select, radio, date, captcha, SMS code), inline Chinese
// errors on blur and on next, asynchronous server-side checks that come back
// as per-field errors, values kept across steps, keyboard and touch (mouse
// zones). The API follows huh's shape; the engine is our own because huh v1
// has no mouse, no step index and only synchronous validation.
package form

import (
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"

	"kiosk/model"
	"kiosk/model/rules"
	"kiosk/screens/theme"
)

// Kind is the kind of a field.
type Kind int

const (
	Text     Kind = iota // free text
	Password             // masked text with show/hide
	Select               // one of Options, cycled with ←/→ or picked from the list
	Radio                // one of Options, all shown inline
	Date                 // YYYY-MM-DD
	Captcha              // picture captcha answer, with 换一张
	SMSCode              // 6-digit SMS code, with 获取验证码 and a resend countdown
)

// Field declares one input.
type Field struct {
	Key         string // value key, unique in the form
	Label       string
	Placeholder string
	Kind        Kind
	// Validate checks a non-empty value; a *rules.Error's Message (or any
	// domain error's Message) is shown next to the field.
	Validate func(string) error
	MaxLen   int      // in runes; a default per kind when 0
	Options  []string // Select and Radio
	Required bool
}

// Step is one page of a multi-step form.
type Step struct {
	Title  string
	Fields []Field
}

// DateLayout is the layout of Date fields.
const DateLayout = "2006-01-02"

// SMSResend is the wait before an SMS code may be requested again (SPEC §2).
const SMSResend = 60

// field is a Field plus its live state.
type field struct {
	Field
	input     textinput.Model // text-like kinds
	choice    int             // Select/Radio: index into Options, -1 = none
	revealed  bool            // Password: shown in clear
	err       string
	note      string // muted hint under the field when it has no error (SetNote)
	picture   string // Captcha: the drawn challenge
	countdown int    // SMSCode: seconds left before a resend
	gen       int    // SMSCode: invalidates stale countdown ticks
}

func (f *field) isText() bool { return f.Kind != Select && f.Kind != Radio }

func newField(fd Field, st *theme.Styles) *field {
	f := &field{Field: fd, choice: -1}
	if !f.isText() {
		return f
	}
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = fd.Placeholder
	if fd.Kind == Date && ti.Placeholder == "" {
		ti.Placeholder = "YYYY-MM-DD"
	}
	ti.CharLimit = fd.MaxLen
	if ti.CharLimit == 0 {
		ti.CharLimit = defaultMaxLen(fd.Kind)
	}
	ti.TextStyle = st.Input
	ti.PlaceholderStyle = st.Placeholder
	ti.Cursor.SetMode(cursor.CursorStatic) // no blink ticks: fewer frames, stable output
	// The kiosk has no clipboard and ↑/↓ move focus, so these input bindings go.
	ti.KeyMap.Paste.SetEnabled(false)
	ti.KeyMap.NextSuggestion.SetEnabled(false)
	ti.KeyMap.PrevSuggestion.SetEnabled(false)
	ti.KeyMap.AcceptSuggestion.SetEnabled(false)
	if fd.Kind == Password {
		ti.EchoMode = textinput.EchoPassword
		ti.EchoCharacter = '*'
	}
	f.input = ti
	return f
}

func defaultMaxLen(k Kind) int {
	switch k {
	case Date:
		return 10
	case Captcha:
		return 5
	case SMSCode:
		return 6
	case Password:
		return 32
	}
	return 64
}

// value is the field's current value.
func (f *field) value() string {
	if f.isText() {
		return f.input.Value()
	}
	if f.choice >= 0 && f.choice < len(f.Options) {
		return f.Options[f.choice]
	}
	return ""
}

func (f *field) setValue(v string) {
	if f.isText() {
		f.input.SetValue(f.filter(v))
		f.input.CursorEnd()
		return
	}
	f.choice = -1
	for i, o := range f.Options {
		if o == v {
			f.choice = i
		}
	}
}

func (f *field) reset() {
	if f.isText() {
		f.input.Reset()
		f.input.Blur()
		f.input.EchoMode = textinput.EchoNormal
		if f.Kind == Password {
			f.input.EchoMode = textinput.EchoPassword
		}
	}
	f.choice = -1
	f.revealed = false
	f.err = ""
	f.note = ""
	f.countdown = 0
	f.gen++
}

// filter keeps only the runes a field accepts; control and escape sequences
// never get into a value.
func (f *field) filter(s string) string {
	s = rules.Sanitize(s)
	keep := func(r rune) bool { return true }
	switch f.Kind {
	case Date:
		keep = func(r rune) bool { return r >= '0' && r <= '9' || r == '-' }
	case SMSCode:
		keep = func(r rune) bool { return r >= '0' && r <= '9' }
	case Captcha:
		keep = func(r rune) bool { return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
	case Password:
		keep = func(r rune) bool { return r >= ' ' && r < 127 } // printable ASCII: no IME characters
	}
	var b strings.Builder
	for _, r := range s {
		if !keep(r) {
			continue
		}
		if f.Kind == Captcha {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// check validates the field. With required set, an empty value is an error;
// without it (on blur) an empty value is left alone so that walking through
// a form does not paint it red.
func (f *field) check(required bool) (msg string, ok bool) {
	v := f.value()
	if strings.TrimSpace(v) == "" {
		if required && f.Required {
			if f.isText() {
				return "请输入" + f.Label, false
			}
			return "请选择" + f.Label, false
		}
		return "", true
	}
	if f.Kind == Date {
		if _, err := time.Parse(DateLayout, v); err != nil {
			return "日期格式应为YYYY-MM-DD，例如2024-01-31", false
		}
	}
	if f.Validate != nil {
		if err := f.Validate(v); err != nil {
			return ErrorText(err), false
		}
	}
	return "", true
}

// ErrorText is the Chinese sentence for a validator or domain error.
func ErrorText(err error) string {
	if err == nil {
		return ""
	}
	if m := rules.Message(err); m != "" {
		return m
	}
	var te interface{ Message() string }
	if errors.As(err, &te) {
		return te.Message()
	}
	return model.UserMessage(err)
}
