package screens

import (
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model"
	"kiosk/screens/form"
)

// Field keys shared by both login forms.
const (
	fieldPassword = "password"
	fieldCaptcha  = "captcha"
)

// buttonActivate is the extra button offered to a pending-activation account.
const buttonActivate = "activate"

// loginResult is what a login command brings back.
type loginResult struct {
	form    string
	session model.Session
	err     error
}

// loginScreen is the part both login screens share: the form, the picture
// captcha (single use: every attempt consumes it and a new one is shown;
// see captchaBox), the spinner while argon2 runs, and turning errors into
// sentences.
type loginScreen struct {
	base
	a       *app
	title   string
	form    *form.Form
	spin    spinner.Model
	busy    bool
	captcha *captchaBox
	fields  int // rows of the form, for fitting the captcha picture
	width   int
	height  int
	center  ScreenID // where a successful login goes
	// login runs the use case off the event loop with the submitted values.
	login func(values map[string]string) tea.Cmd
}

func (l *loginScreen) setup(a *app, title string, f *form.Form, center ScreenID) {
	l.a, l.title, l.form, l.center = a, title, f, center
	l.spin = spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(a.st.Spinner))
	l.captcha = newCaptchaBox(a, f, fieldCaptcha)
	l.fields = nonBlankLines(f.View()) - l.captcha.pictureRows() - 1 // less the button row
}

func (l *loginScreen) SetSize(w, h int) {
	l.form.SetWidth(w)
	l.width, l.height = w, h
	l.fitCaptcha()
}

// fitCaptcha sizes the captcha picture: right of the labels, and at its
// own size when the screen has room for the form at its tallest (an error
// under every field, the form error, the voice or spinner line). On a
// shorter screen it takes what the lines now shown leave over, so the
// buttons never drop off; it grows back as errors are cleared.
func (l *loginScreen) fitCaptcha() {
	cols := l.form.ContentWidth()
	native := l.captcha.nativeRows()
	if l.height == 0 || l.height >= 1+2*l.fields+3+native { // title; buttons, form error, status
		l.captcha.fit(cols, native)
		return
	}
	others := nonBlankLines(l.View()) - l.captcha.pictureRows()
	l.captcha.fit(cols, max(l.height-others, minCaptchaRows))
}

// minCaptchaRows is the least picture worth drawing.
const minCaptchaRows = 2

func nonBlankLines(s string) int {
	n := 0
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) != "" {
			n++
		}
	}
	return n
}

func (l *loginScreen) Help() []key.Binding { return l.form.Help() }

func (l *loginScreen) Update(msg tea.Msg) tea.Cmd {
	cmd := l.update(msg)
	l.fitCaptcha() // errors come and go: the picture may have to make room
	return cmd
}

func (l *loginScreen) update(msg tea.Msg) tea.Cmd {
	if cmd, ok := l.captcha.update(msg); ok {
		return cmd
	}
	id := l.form.ID()
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if !l.busy {
			return nil // let the spinner's tick chain die
		}
		var cmd tea.Cmd
		l.spin, cmd = l.spin.Update(msg)
		return cmd
	case form.Submitted:
		if msg.Form == id {
			return l.submit(msg.Values)
		}
		return nil
	case form.Cancelled:
		if msg.Form == id {
			return back
		}
		return nil
	case form.ButtonPressed:
		if msg.Form == id && msg.ID == buttonActivate {
			// A pending account typed as its USCC pre-fills activation.
			return navigate(ScreenActivate, ActivateParams{USCC: l.form.Value(fieldIdentifier)})
		}
		return nil
	case loginResult:
		if msg.form == id {
			return l.done(msg)
		}
		return nil
	}
	return l.form.Update(msg)
}

// submit checks the captcha locally, then runs the login in a command.
func (l *loginScreen) submit(values map[string]string) tea.Cmd {
	ok := l.captcha.verify(values[fieldCaptcha]) // consumed either way
	l.captcha.issue()
	l.form.SetButtons(nil)
	if !ok {
		l.form.SetBusy(false)
		l.form.SetFormError("")
		l.form.SetErrors(map[string]string{fieldCaptcha: "验证码错误或已过期，请重新输入"})
		return playPrompt(audio.PromptErrorCaptcha)
	}
	l.busy = true
	l.form.SetBusy(true)
	l.form.SetFormError("")
	return tea.Batch(l.spin.Tick, l.login(values))
}

func (l *loginScreen) done(r loginResult) tea.Cmd {
	l.busy = false
	l.form.SetBusy(false)
	if r.err == nil {
		return func() tea.Msg { return SessionStarted{Session: r.session, To: l.center} }
	}
	var locked *model.LockedError
	var known interface{ Message() string }
	msg := model.UserMessage(r.err)
	switch {
	case errors.As(r.err, &locked):
		msg = "账号已锁定，请于 " + unlockTime(locked.Until, l.a.now()) + " 后重试"
	case errors.Is(r.err, model.ErrPendingActivation):
		l.form.SetButtons([]form.Button{{ID: buttonActivate, Label: "前往账号激活"}})
	case !errors.As(r.err, &known):
		l.a.logError("login", r.err) // the store failed: detail to the log only
	}
	l.form.SetFormError(msg)
	l.form.Clear(fieldPassword)
	l.form.Focus(fieldPassword)
	return playError(r.err)
}

// unlockTime is HH:MM in the kiosk's time zone, with the date when the lock
// ends on another day.
func unlockTime(until, now time.Time) string {
	until = until.In(now.Location())
	y1, m1, d1 := until.Date()
	y2, m2, d2 := now.Date()
	if y1 == y2 && m1 == m2 && d1 == d2 {
		return until.Format("15:04")
	}
	return until.Format("1月2日 15:04")
}

func (l *loginScreen) View() string {
	st := l.a.st
	lines := []string{"", "  " + st.Title.Render(l.title), "", l.form.View()}
	if l.busy {
		lines = append(lines, "", "  "+l.spin.View()+" "+st.Text.Render("正在验证…"))
	}
	if s := l.captcha.statusView(); s != "" { // under the inputs, like a field error
		lines = append(lines, "", strings.Repeat(" ", max(l.width-l.form.ContentWidth(), 2))+s)
	}
	return strings.Join(lines, "\n")
}
