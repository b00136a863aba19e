package form

import (
	"image"
	"strings"
	"time"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/i18n"
	"kiosk/screens/theme"
	"kiosk/screens/widget"
)

// CaptchaField is the answer to a picture captcha: the picture under the
// row, 换一张 (F5 or a tap) and 听语音 (F6 anywhere on the step, or a tap).
// The owner issues challenges (SetPicture) and checks answers; the field
// only draws and asks (CaptchaRefresh, CaptchaSpeak).
type CaptchaField struct {
	input
	img   image.Image
	cache struct { // the last drawing: a picture is costly to draw
		img        image.Image
		cols, rows int
		lines      []string
	}
}

// Captcha declares a captcha field.
func Captcha(key, label string, opts ...Option) *CaptchaField {
	s := spec(key, label, opts)
	if s.Placeholder == "" {
		s.Placeholder = "form.captcha_placeholder"
	}
	f := &CaptchaField{input: newInput(s, 5)}
	f.keep = func(r rune) bool { return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
	f.upper = true
	f.width = fixedWidth(8)
	return f
}

func (f *CaptchaField) setPicture(img image.Image) {
	f.img = img
	f.ti.SetValue("") // an answer to the old picture is no answer
	f.err = i18n.Text{}
}

func (f *CaptchaField) Action(c *Ctx) tea.Cmd {
	return Emit(CaptchaRefresh{Form: c.Form, Key: f.Key})
}

func (f *CaptchaField) OnTap(m tea.MouseMsg, c *Ctx) (tea.Cmd, bool) {
	switch {
	case c.Tapped(c.Zone("speak", f.Key), m):
		return Emit(CaptchaSpeak{Form: c.Form, Key: f.Key}), true
	case c.Tapped(c.Zone("action", f.Key), m):
		return f.Action(c), true
	}
	return nil, false
}

func (f *CaptchaField) Help(k theme.KeyMap) []key.Binding { return []key.Binding{k.Action, k.Speak} }

// Rows implements Flexible: the picture at its own resolution, within the
// width, down to widget.CaptchaMinRows (below that it is unreadable: the
// step scrolls instead).
func (f *CaptchaField) Rows(c *Ctx) (native, least int) {
	_, native = widget.CaptchaCells(f.img, c.Width, 1<<10)
	if native == 0 {
		return 1, 1 // the loading line
	}
	return native, min(native, widget.CaptchaMinRows)
}

func (f *CaptchaField) View(c *Ctx, _ bool) (string, []string) {
	row := f.box(c) + "  " + c.Mark(c.Zone("action", f.Key), c.St.Link.Render("["+c.S("form.captcha_refresh")+"]")) +
		"  " + c.Mark(c.Zone("speak", f.Key), c.St.Link.Render("["+c.S("form.captcha_speak")+"]"))
	if f.img == nil {
		return row, []string{c.St.Captcha.Render(c.S("form.captcha_loading"))}
	}
	rows := c.Rows
	if rows <= 0 {
		rows = 1 << 10
	}
	cols, rows := widget.CaptchaCells(f.img, c.Width, rows)
	if f.cache.img != f.img || f.cache.cols != cols || f.cache.rows != rows {
		f.cache.img, f.cache.cols, f.cache.rows = f.img, cols, rows
		f.cache.lines = strings.Split(widget.CaptchaPicture(f.img, cols, rows), "\n")
		for i, l := range f.cache.lines {
			f.cache.lines[i] = c.Sprites.Put(l, cols)
		}
	}
	return row, f.cache.lines
}

// SMSResend is the wait before an SMS code may be requested again (SPEC §2).
const SMSResend = 60

// SMSField is a 6-digit SMS code with 获取验证码 (F5 or a tap) and the resend
// countdown on the button.
type SMSField struct {
	input
	countdown int // seconds left before a resend
}

// SMSCode declares an SMS code field.
func SMSCode(key, label string, opts ...Option) *SMSField {
	s := spec(key, label, opts)
	if s.Placeholder == "" {
		s.Placeholder = "form.sms_placeholder"
	}
	f := &SMSField{input: newInput(s, 6)}
	f.keep = func(r rune) bool { return r >= '0' && r <= '9' }
	f.width = fixedWidth(8)
	return f
}

// countdownTick advances an SMS resend countdown.
type countdownTick struct{ form, key string }

func (f *SMSField) slot(c *Ctx) string { return c.Zone("countdown", f.Key) }

func (f *SMSField) start(c *Ctx, secs int) tea.Cmd {
	if secs <= 0 {
		secs = SMSResend
	}
	f.countdown = secs
	return c.Tasks.After(f.slot(c), time.Second, countdownTick{form: c.Form, key: f.Key})
}

func (f *SMSField) stop(c *Ctx) {
	f.countdown = 0
	c.Tasks.Drop(f.slot(c))
}

func (f *SMSField) Reset() {
	f.input.Reset()
	f.countdown = 0
}

// Update advances the countdown.
func (f *SMSField) Update(msg tea.Msg, c *Ctx) tea.Cmd {
	t, ok := msg.(countdownTick)
	if !ok || t.form != c.Form || t.key != f.Key || f.countdown <= 0 {
		return nil
	}
	f.countdown--
	if f.countdown > 0 {
		return c.Tasks.After(f.slot(c), time.Second, t)
	}
	return nil
}

func (f *SMSField) Action(c *Ctx) tea.Cmd {
	if f.countdown > 0 {
		return nil
	}
	return Emit(SMSRequested{Form: c.Form, Key: f.Key, Values: c.Values()})
}

func (f *SMSField) OnTap(m tea.MouseMsg, c *Ctx) (tea.Cmd, bool) {
	if f.countdown == 0 && c.Tapped(c.Zone("action", f.Key), m) {
		return f.Action(c), true
	}
	return nil, false
}

func (f *SMSField) Help(k theme.KeyMap) []key.Binding {
	a := k.Action
	a.SetHelp("F5", "form.sms_request")
	return []key.Binding{a}
}

func (f *SMSField) View(c *Ctx, _ bool) (string, []string) {
	if f.countdown > 0 {
		return f.box(c) + "  " + c.St.Muted.Render("["+c.S("form.sms_resend_in", "N", f.countdown)+"]"), f.spill(c)
	}
	return f.box(c) + "  " + c.Mark(c.Zone("action", f.Key), c.St.Link.Render("["+c.S("form.sms_request")+"]")), f.spill(c)
}
