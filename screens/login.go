package screens

import (
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/screens/form"
	"kiosk/screens/widget"
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
// captcha (single use: every attempt consumes it and a new one is shown),
// the spinner while argon2 runs, and turning errors into sentences.
type loginScreen struct {
	base
	a         *app
	title     string
	form      *form.Form
	spin      spinner.Model
	busy      bool
	challenge captcha.Challenge
	center    ScreenID // where a successful login goes
	// login runs the use case off the event loop with the submitted values.
	login func(values map[string]string) tea.Cmd
}

func (l *loginScreen) setup(a *app, title string, f *form.Form, center ScreenID) {
	l.a, l.title, l.form, l.center = a, title, f, center
	l.spin = spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(a.st.Spinner))
	l.newCaptcha()
}

func (l *loginScreen) newCaptcha() {
	if l.challenge.ID != "" {
		l.a.deps.Captcha.Discard(l.challenge.ID)
	}
	l.challenge = l.a.deps.Captcha.Issue()
	l.form.SetCaptcha(fieldCaptcha, widget.CaptchaPicture(l.challenge.Text))
}

func (l *loginScreen) SetSize(w, _ int) { l.form.SetWidth(w) }

func (l *loginScreen) Help() []key.Binding { return l.form.Help() }

func (l *loginScreen) Update(msg tea.Msg) tea.Cmd {
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
	case form.CaptchaRefresh:
		if msg.Form == id {
			l.newCaptcha()
		}
		return nil
	case form.ButtonPressed:
		if msg.Form == id && msg.ID == buttonActivate {
			return navigate(ScreenComingSoon, "账号激活")
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
	ok := l.a.deps.Captcha.Verify(l.challenge.ID, values[fieldCaptcha])
	l.challenge = captcha.Challenge{} // consumed either way
	l.newCaptcha()
	l.form.SetButtons(nil)
	if !ok {
		l.form.SetBusy(false)
		l.form.SetFormError("")
		l.form.SetErrors(map[string]string{fieldCaptcha: "验证码错误或已过期，请重新输入"})
		return nil
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
	return nil
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
	return strings.Join(lines, "\n")
}
