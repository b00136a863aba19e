package form

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	zone "github.com/lrstanley/bubblezone"

	"kiosk/screens/theme"
)

// Config declares a form.
type Config struct {
	ID    string // zone prefix and message tag; unique among live forms
	Steps []Step

	SubmitLabel string // primary button on the last step; default 提交
	NextLabel   string // primary button on other steps; default 下一步
	PrevLabel   string // default 上一步
	CancelLabel string // default 返回
	NoCancel    bool   // no 返回 button (esc still emits Cancelled on step 1)

	// CheckStep, when set, runs after a step passes its field validation
	// and before the form advances or submits.
	CheckStep CheckFunc

	Styles *theme.Styles
	Keys   theme.KeyMap
	Zones  *zone.Manager // nil: the form draws no zones (pure tests)
}

// Form is the live form. It is a pointer component: Update mutates it and
// returns a command.
type Form struct {
	cfg     Config
	st      *theme.Styles
	keys    theme.KeyMap
	zones   *zone.Manager
	steps   [][]*field
	byKey   map[string]*field
	step    int
	focus   int // index into the current step's fields, then its buttons
	extra   []Button
	formErr string
	busy    bool // the owner is working (login running): the primary button waits
	pending bool // a CheckStep is running
	seq     int  // tags CheckStep results so that stale ones are dropped
	width   int
}

// New builds a form from its declaration.
func New(cfg Config) *Form {
	if cfg.Styles == nil {
		cfg.Styles = theme.DefaultStyles()
	}
	if cfg.Keys.Next.Keys() == nil {
		cfg.Keys = theme.DefaultKeyMap(false)
	}
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&cfg.SubmitLabel, "提交")
	def(&cfg.NextLabel, "下一步")
	def(&cfg.PrevLabel, "上一步")
	def(&cfg.CancelLabel, "返回")
	f := &Form{cfg: cfg, st: cfg.Styles, keys: cfg.Keys, zones: cfg.Zones, byKey: map[string]*field{}, width: 80}
	for _, s := range cfg.Steps {
		var fs []*field
		for _, fd := range s.Fields {
			fld := newField(fd, f.st)
			fs = append(fs, fld)
			f.byKey[fd.Key] = fld
		}
		f.steps = append(f.steps, fs)
	}
	f.relayout()
	f.setFocus(0, false)
	return f
}

// ID is the form's id.
func (f *Form) ID() string { return f.cfg.ID }

// Init returns the form's first command (none: the cursor does not blink).
func (f *Form) Init() tea.Cmd { return nil }

// SetWidth sets the width the form may draw in.
func (f *Form) SetWidth(w int) {
	f.width = w
	f.relayout()
}

// Steps returns the step titles for the step indicator.
func (f *Form) Steps() []string {
	t := make([]string, len(f.cfg.Steps))
	for i, s := range f.cfg.Steps {
		t[i] = s.Title
	}
	return t
}

// Step returns the current step index (0-based).
func (f *Form) Step() int { return f.step }

// Values returns a copy of every value of every step.
func (f *Form) Values() map[string]string {
	v := make(map[string]string, len(f.byKey))
	for k, fld := range f.byKey {
		v[k] = fld.value()
	}
	return v
}

// Value returns one value.
func (f *Form) Value(key string) string {
	if fld := f.byKey[key]; fld != nil {
		return fld.value()
	}
	return ""
}

// SetValue sets a value (filtered like typed input).
func (f *Form) SetValue(key, v string) {
	if fld := f.byKey[key]; fld != nil {
		fld.setValue(v)
	}
}

// Clear empties one field (e.g. the password after a failed login).
func (f *Form) Clear(key string) { f.SetValue(key, "") }

// Error returns the error shown at a field.
func (f *Form) Error(key string) string {
	if fld := f.byKey[key]; fld != nil {
		return fld.err
	}
	return ""
}

// Errors returns every field error that is set.
func (f *Form) Errors() map[string]string {
	e := map[string]string{}
	for k, fld := range f.byKey {
		if fld.err != "" {
			e[k] = fld.err
		}
	}
	return e
}

// SetError sets (or with "" clears) one field's error.
func (f *Form) SetError(key, msg string) {
	if fld := f.byKey[key]; fld != nil {
		fld.err = msg
	}
}

// SetErrors applies errors from a server-side check and moves to the first
// field in error (switching step when the error is on another step).
func (f *Form) SetErrors(errs map[string]string) {
	first := true
	for si, fs := range f.steps {
		for fi, fld := range fs {
			msg, ok := errs[fld.Key]
			if !ok {
				continue
			}
			fld.err = msg
			if msg != "" && first {
				first = false
				if si != f.step {
					f.gotoStep(si)
				}
				f.setFocus(fi, false)
			}
		}
	}
}

// SetNote sets (or with "" clears) a muted hint under one field, shown
// while the field has no error (e.g. "验证码已发送至 138****5678").
func (f *Form) SetNote(key, msg string) {
	if fld := f.byKey[key]; fld != nil {
		fld.note = msg
	}
}

// FormError is the sentence shown above the buttons.
func (f *Form) FormError() string { return f.formErr }

// SetFormError sets (or with "" clears) the sentence above the buttons.
func (f *Form) SetFormError(msg string) { f.formErr = msg }

// SetBusy marks the owner as working: the primary button is disabled while
// typing stays possible.
func (f *Form) SetBusy(b bool) { f.busy = b }

// Busy reports SetBusy's state or a running CheckStep.
func (f *Form) Busy() bool { return f.busy || f.pending }

// SetButtons replaces the extra buttons (drawn before 返回).
func (f *Form) SetButtons(b []Button) {
	f.extra = append([]Button(nil), b...)
	f.clampFocus()
}

// SpeakKey plays the spoken captcha of the current step (F6). It sits
// here rather than in theme.KeyMap because only captcha fields use it.
var SpeakKey = key.NewBinding(key.WithKeys("f6"), key.WithHelp("F6", "听语音"))

// ContentWidth is the width, in cells, right of the labels: where inputs,
// errors and the captcha picture go.
func (f *Form) ContentWidth() int {
	return max(f.width-markerW-requiredW-f.labelWidth()-gapW, 0)
}

// SetCaptcha shows a new captcha picture and clears the typed answer.
func (f *Form) SetCaptcha(key, picture string) {
	if fld := f.byKey[key]; fld != nil {
		fld.picture = picture
		fld.setValue("")
	}
}

// StartCountdown starts the 60 s resend countdown of an SMS field. The
// returned command is a tea.Tick; the owner must return it.
func (f *Form) StartCountdown(key string) tea.Cmd {
	fld := f.byKey[key]
	if fld == nil {
		return nil
	}
	fld.gen++
	fld.countdown = SMSResend
	return f.tick(fld)
}

// StartCountdownFrom starts the resend countdown at secs seconds (the
// wait a refused send still has left); secs <= 0 means SMSResend.
func (f *Form) StartCountdownFrom(key string, secs int) tea.Cmd {
	fld := f.byKey[key]
	if fld == nil {
		return nil
	}
	if secs <= 0 {
		secs = SMSResend
	}
	fld.gen++
	fld.countdown = secs
	return f.tick(fld)
}

// StopCountdown ends a countdown early (e.g. the send failed).
func (f *Form) StopCountdown(key string) {
	if fld := f.byKey[key]; fld != nil {
		fld.gen++
		fld.countdown = 0
	}
}

// Countdown returns the seconds left before an SMS code may be resent.
func (f *Form) Countdown(key string) int {
	if fld := f.byKey[key]; fld != nil {
		return fld.countdown
	}
	return 0
}

func (f *Form) tick(fld *field) tea.Cmd {
	m := countdownTick{form: f.cfg.ID, key: fld.Key, gen: fld.gen}
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return m })
}

// Reset wipes every value, error and countdown and returns to step 1.
func (f *Form) Reset() {
	for _, fld := range f.byKey {
		fld.reset()
	}
	f.formErr = ""
	f.extra = nil
	f.busy, f.pending = false, false
	f.seq++
	f.step = 0
	f.relayout()
	f.setFocus(0, false)
}

// Focus moves the focus to a field by key (switching step if needed).
func (f *Form) Focus(key string) {
	for si, fs := range f.steps {
		for fi, fld := range fs {
			if fld.Key == key {
				if si != f.step {
					f.gotoStep(si)
				}
				f.setFocus(fi, true)
				return
			}
		}
	}
}

// Focused returns the key of the focused field, or "button:<id>".
func (f *Form) Focused() string {
	if fld := f.focusedField(); fld != nil {
		return fld.Key
	}
	if b, ok := f.focusedButton(); ok {
		return "button:" + b.ID
	}
	return ""
}

// Help returns the key bindings that apply to the focused element.
func (f *Form) Help() []key.Binding {
	k := f.keys
	h := []key.Binding{k.Next, k.Prev}
	if fld := f.focusedField(); fld != nil {
		switch fld.Kind {
		case Password:
			h = append(h, k.Reveal)
		case Select, Radio:
			l := key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "选择"))
			h = append(h, l)
		case Captcha:
			h = append(h, k.Action, SpeakKey)
		case SMSCode:
			a := k.Action
			a.SetHelp("F5", "获取验证码")
			h = append(h, a)
		}
	}
	h = append(h, k.Enter, k.Back)
	return h
}

func (f *Form) fields() []*field { return f.steps[f.step] }

func (f *Form) buttons() []Button {
	var b []Button
	if f.step > 0 {
		b = append(b, Button{ButtonPrev, f.cfg.PrevLabel})
	}
	primary := f.cfg.NextLabel
	if f.step == len(f.steps)-1 {
		primary = f.cfg.SubmitLabel
	}
	b = append(b, Button{ButtonNext, primary})
	b = append(b, f.extra...)
	if !f.cfg.NoCancel {
		b = append(b, Button{ButtonCancel, f.cfg.CancelLabel})
	}
	return b
}

func (f *Form) focusables() int { return len(f.fields()) + len(f.buttons()) }

func (f *Form) focusedField() *field {
	if fs := f.fields(); f.focus < len(fs) {
		return fs[f.focus]
	}
	return nil
}

func (f *Form) focusedButton() (Button, bool) {
	i := f.focus - len(f.fields())
	if b := f.buttons(); i >= 0 && i < len(b) {
		return b[i], true
	}
	return Button{}, false
}

// setFocus moves the focus. With blur set, the field being left is
// validated; an empty one keeps whatever error it had (so walking through a
// fresh form does not paint it red, and a "请输入…" from submit stays).
func (f *Form) setFocus(i int, blur bool) {
	n := f.focusables()
	i = ((i % n) + n) % n
	if old := f.focusedField(); old != nil && i != f.focus {
		if blur && old.value() != "" {
			old.err, _ = old.check(false)
		}
		if old.isText() {
			old.input.Blur()
		}
	}
	f.focus = i
	if fld := f.focusedField(); fld != nil && fld.isText() {
		fld.input.Focus()
	}
}

func (f *Form) clampFocus() {
	if f.focus >= f.focusables() {
		f.setFocus(f.focusables()-1, false)
	}
}

func (f *Form) gotoStep(s int) {
	if fld := f.focusedField(); fld != nil && fld.isText() {
		fld.input.Blur()
	}
	f.step = s
	f.focus = 0
	f.relayout()
	f.setFocus(0, false)
}
