package form

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/rules"
)

// Meter shows a strength meter under a new password while it has a value
// (强度：弱 ▮▯▯▯), in the language of the visit, following the typing.
// inputs are the other values the password must not be built from (the
// account, the names), read from the form's values at each key: zxcvbn's
// user inputs (rules.PasswordScore). The estimate takes a fraction of a
// millisecond (tens of ms the first time in a process), so it runs in a
// command, off the event loop, and a newer key's estimate replaces an older
// one; the keystroke itself stays as cheap as in any text field.
func (f *PasswordField) Meter(inputs func(Values) []string) *PasswordField {
	f.meter.inputs = inputs
	return f
}

// meter is a PasswordField's strength meter; the zero meter is off.
type meter struct {
	inputs func(Values) []string
	seq    int  // of the newest estimate asked for
	score  int  // of the newest estimate received
	scored bool // score belongs to a value typed in this field
}

// strengthMsg is an estimate coming back.
type strengthMsg struct {
	form, key string
	seq       int
	score     int
}

// measure asks for pw's estimate; nil when the meter is off or pw empty.
// The command captures values, never the field.
func (m *meter) measure(pw string, c *Ctx, key string) tea.Cmd {
	if m.inputs == nil {
		return nil
	}
	m.seq++
	if pw == "" {
		m.scored = false
		return nil
	}
	seq, form, inputs := m.seq, c.Form, m.inputs(c.Values())
	return func() tea.Msg {
		return strengthMsg{form: form, key: key, seq: seq, score: rules.PasswordScore(pw, inputs...)}
	}
}

// take keeps the newest estimate; it reports whether the meter changed.
func (m *meter) take(msg strengthMsg) bool {
	if m.inputs == nil || msg.seq != m.seq || (m.scored && m.score == msg.score) {
		return false
	}
	m.score, m.scored = msg.score, true
	return true
}

// forget drops the estimate (the value was set or cleared, not typed).
func (m *meter) forget() {
	m.seq++
	m.scored = false
}

// Meter levels: a score below rules.MinPasswordScore is weak (and refused),
// the minimum is medium, above it strong.
func meterLevel(score int) string {
	switch {
	case score < rules.MinPasswordScore:
		return "form.strength_weak"
	case score == rules.MinPasswordScore:
		return "form.strength_medium"
	}
	return "form.strength_strong"
}

// view is the meter's line: the level, then four bars, one per step of the
// score (at least one). Nothing before the first estimate.
func (m *meter) view(c *Ctx) []string {
	if m.inputs == nil || !m.scored {
		return nil
	}
	n := min(max(m.score, 1), 4)
	st := c.St.FieldError
	switch {
	case m.score > rules.MinPasswordScore:
		st = c.St.Success
	case m.score == rules.MinPasswordScore:
		st = c.St.Muted
	}
	return []string{st.Render(c.S(meterLevel(m.score)) + " " + strings.Repeat("▮", n) + strings.Repeat("▯", 4-n))}
}
