package screens

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model"
	"kiosk/screens/form"
)

// stepFlow is what 忘记密码 (forgot.go) and 账号激活 (activate.go) share: a
// multi-step form whose first step ends in a rationed account look-up
// behind a picture captcha, whose steps are each checked by a use case in
// a command (flowkit's stepCheck, with a spinner meanwhile), an SMS step,
// and a final page with 前往登录. The owner supplies the per-step work
// through the hooks.
type stepFlow struct {
	base
	a        *app
	title    string
	titles   []string // step indicator: the form's steps and the final page
	firstKey string   // first field of step 1, where an expired ticket leads back
	form     *form.Form
	captcha  *captchaBox // on the first step
	spin     spinner.Model
	spinning bool   // a spinner tick chain is running
	nonce    uint64 // tags check results: a rebuilt screen ignores the old one's
	fields   int    // rows of the first step without the picture, for fitting it
	width    int
	height   int

	done     bool // the final page is shown
	doneText []string
	buttons  buttonRow // of the final page

	// check runs on the event loop for a step that passed its field
	// validation: it may refuse at once with field errors (pure checks such
	// as 确认密码), else it returns the use-case call, which runs off the
	// event loop and must capture values only (the ticket, not the flow).
	check func(step int, v map[string]string) (errs map[string]string, work stepWork)
	// accept takes a step's result (ticket, proof, Done) before the form
	// moves on; the last step's accept fills doneText.
	accept func(step int, result any)
	// refused lets the owner add a way-on button after the error is shown.
	refused func(step int, err error)
	// pressed handles the owner's extra form buttons.
	pressed func(id string) tea.Cmd
	// hint is drawn above the form on a step ("" for none).
	hint func(step int) string
	// sendCode is the 获取验证码 command of the SMS step.
	sendCode func(key string) tea.Cmd
}

// stepWork is a use-case call run off the event loop.
type stepWork func(ctx context.Context) (any, error)

// nonced wraps a check result with the flow instance that asked for it.
type nonced struct {
	nonce  uint64
	result any
}

// Final-page buttons (zone id: prefix + ":" + id).
const (
	FlowToLogin = "login"
	FlowToHome  = "home"
)

// flowNonce numbers stepFlow instances.
var flowNonce atomic.Uint64

// captchaWrong is the sentence of a wrong or expired picture captcha.
const captchaWrong = "验证码错误或已过期，请重新输入"

// setup builds the form around cfg (CheckStep and cancel label set here)
// and the captcha of the first step.
func (s *stepFlow) setup(a *app, title string, titles []string, cfg form.Config, zonePrefix string) {
	s.a, s.title, s.titles = a, title, titles
	s.firstKey = cfg.Steps[0].Fields[0].Key
	s.nonce = flowNonce.Add(1)
	s.spin = spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(a.st.Spinner))
	s.buttons = buttonRow{a: a, prefix: zonePrefix}
	cfg.Styles, cfg.Keys, cfg.Zones = a.st, a.keys, a.zones
	cfg.CancelLabel = "取消"
	cfg.CheckStep = s.checkStep
	s.form = form.New(cfg)
	s.captcha = newCaptchaBox(a, s.form, fieldCaptcha)
	s.fields = nonBlankLines(s.form.View()) - s.captcha.pictureRows() - 1 // less the button row
}

func (s *stepFlow) Steps() ([]string, int) {
	if s.done {
		return s.titles, len(s.titles) - 1
	}
	return s.titles, s.form.Step()
}

func (s *stepFlow) SetSize(w, h int) {
	s.form.SetWidth(w)
	s.width, s.height = w, h
	s.fitCaptcha()
}

// fitCaptcha sizes the first step's picture like the login screens do:
// its own size when the tallest form fits, else what the lines shown now
// leave over.
func (s *stepFlow) fitCaptcha() {
	if s.done || s.form.Step() != 0 {
		return
	}
	cols := s.form.ContentWidth()
	native := s.captcha.nativeRows()
	if s.height == 0 || s.height >= 3+2*s.fields+3+native { // title; buttons, form error, status
		s.captcha.fit(cols, native)
		return
	}
	head, fields, bottom := s.parts()
	others := nonBlankLines(strings.Join(append(append(head, fields...), bottom...), "\n")) - s.captcha.pictureRows()
	s.captcha.fit(cols, max(s.height-others, minCaptchaRows))
}

func (s *stepFlow) Help() []key.Binding {
	if s.done {
		return append(s.buttons.help(), s.a.keys.Back)
	}
	return s.form.Help()
}

func (s *stepFlow) Update(msg tea.Msg) tea.Cmd {
	cmd := s.update(msg)
	s.fitCaptcha()
	return cmd
}

func (s *stepFlow) update(msg tea.Msg) tea.Cmd {
	if s.done {
		return s.doneUpdate(msg)
	}
	if cmd, ok := s.captcha.update(msg); ok {
		return cmd
	}
	if s.finalRunning() && s.leaving(msg) {
		return nil
	}
	id := s.form.ID()
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if !s.form.Busy() {
			s.spinning = false
			return nil // let the tick chain die
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return cmd
	case stepChecked:
		return s.checked(msg)
	case codeSent:
		return s.a.handleCodeSent(s.form, msg)
	case form.Submitted:
		if msg.Form == id {
			return s.finish()
		}
		return nil
	case form.Cancelled:
		if msg.Form == id {
			return back
		}
		return nil
	case form.ButtonPressed:
		if msg.Form == id && s.pressed != nil {
			return s.pressed(msg.ID)
		}
		return nil
	case form.SMSRequested:
		if msg.Form == id && s.sendCode != nil {
			return s.sendCode(msg.Key)
		}
		return nil
	}
	return s.form.Update(msg)
}

// finalRunning reports whether the last step's write is running.
func (s *stepFlow) finalRunning() bool {
	return s.form.Busy() && s.form.Step() == len(s.form.Steps())-1
}

// leaving reports whether msg would leave the step (esc, 上一步, 取消). While
// the final write runs these wait: leaving would hide whether the password
// was set, since the write completes anyway.
func (s *stepFlow) leaving(msg tea.Msg) bool {
	id := s.form.ID()
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if key.Matches(msg, s.a.keys.Back) {
			return true
		}
		f := s.form.Focused()
		onExit := f == "button:"+form.ButtonPrev || f == "button:"+form.ButtonCancel
		return onExit && (key.Matches(msg, s.a.keys.Enter) || msg.Type == tea.KeySpace)
	case tea.MouseMsg:
		return s.a.zones.Get(form.ButtonZone(id, form.ButtonPrev)).InBounds(msg) ||
			s.a.zones.Get(form.ButtonZone(id, form.ButtonCancel)).InBounds(msg)
	case form.Cancelled:
		return msg.Form == id
	}
	return false
}

// checkStep is the form's CheckStep. It runs on the event loop, so the
// captcha (single use) is checked here and replaced whatever the answer:
// a wrong one never reaches the use case.
func (s *stepFlow) checkStep(step, seq int, v map[string]string) tea.Cmd {
	formID := s.form.ID()
	refuse := func(errs map[string]string) tea.Cmd {
		return func() tea.Msg { return form.CheckResult{Form: formID, Step: step, Seq: seq, Errors: errs} }
	}
	s.form.SetButtons(nil)
	s.form.SetFormError("")
	if step == 0 {
		ok := s.captcha.verify(v[fieldCaptcha])
		s.captcha.issue()
		if !ok {
			return refuse(map[string]string{fieldCaptcha: captchaWrong})
		}
	}
	errs, work := s.check(step, v)
	if len(errs) > 0 {
		return refuse(errs)
	}
	nonce := s.nonce
	run := stepCheck(formID, func(ctx context.Context, _ int, _ map[string]string) (any, error) {
		res, err := work(ctx)
		return nonced{nonce: nonce, result: res}, err
	})(step, seq, v)
	if s.spinning {
		return run
	}
	s.spinning = true
	return tea.Batch(s.spin.Tick, run)
}

// checked answers the form's pending check with a use case's outcome.
func (s *stepFlow) checked(m stepChecked) tea.Cmd {
	n, ok := m.result.(nonced)
	if m.form != s.form.ID() || !ok || n.nonce != s.nonce || m.step != s.form.Step() || !s.form.Busy() {
		return nil // from an earlier visit, or the person went back meanwhile
	}
	if m.err == nil {
		s.accept(m.step, n.result)
	}
	m.result = n.result
	cmd := s.a.handleStepChecked(s.form, m)
	if m.err == nil {
		return cmd
	}
	if errors.Is(m.err, model.ErrTicketExpired) {
		s.form.Focus(s.firstKey) // step 1 must be answered again; values kept
	}
	if s.refused != nil {
		s.refused(m.step, m.err)
	}
	return cmd
}

// finish shows the final page once the last step's use case succeeded;
// every typed value (passwords included) is wiped from the form.
func (s *stepFlow) finish() tea.Cmd {
	s.done = true
	s.form.Reset()
	s.buttons.set(btn{id: FlowToLogin, label: "前往登录"}, btn{id: FlowToHome, label: "返回首页"})
	return playPrompt(audio.PromptSuccess)
}

func (s *stepFlow) doneUpdate(msg tea.Msg) tea.Cmd {
	home := func() tea.Msg { return Navigate{To: ScreenHome, ClearHistory: true} }
	switch s.buttons.update(msg) {
	case FlowToLogin:
		return func() tea.Msg { return Navigate{To: ScreenEnterpriseLogin, ClearHistory: true} }
	case FlowToHome:
		return home
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, s.a.keys.Back) {
		return home // never back into the finished form
	}
	return nil
}
