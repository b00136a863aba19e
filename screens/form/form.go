package form

import (
	"image"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	zone "github.com/lrstanley/bubblezone"

	"kiosk/model/i18n"
	"kiosk/screens/task"
	"kiosk/screens/theme"
	"kiosk/screens/widget"
)

// Config declares a form.
type Config struct {
	ID    string // zone prefix and message tag; unique among live forms
	Steps []Step

	SubmitLabel string // primary button on the last step; default 提交
	NextLabel   string // primary button on other steps; default 下一步
	PrevLabel   string // default 上一步
	CancelLabel string // default 返回
	NoCancel    bool   // no cancel button (esc still emits Cancelled on step 1)
	// Gate hands every valid 下一步 to the owner (NextRequested), which
	// answers with Advance or Refuse after its own checks. Without it the
	// form advances by itself and emits Submitted on the last step.
	Gate bool

	Styles *theme.Styles
	Keys   theme.KeyMap
	Zones  *zone.Manager // nil: no zones (pure tests)
	Tasks  Tasks         // timed work (countdowns); nil: a scope of the form's own
	// Sprites takes pictures out of the frame's layout work; nil draws
	// them inline.
	Sprites *widget.Sprites
	// Text renders catalog texts in the language of the visit and Lang
	// says which that is; nil: Chinese from the default catalog.
	Text func(i18n.Text) string
	Lang func() i18n.Lang
}

// Step is one page of a multi-step form.
type Step struct {
	Title  string
	Fields []Field
	Rules  []Rule // checks across fields of the form
}

// Form is the live form. It is a pointer component: Update mutates it and
// returns a command.
type Form struct {
	cfg      Config
	ctx      Ctx // the base context; Width and Rows are set per drawing
	steps    [][]Field
	rules    [][]Rule
	byKey    map[string]Field
	stepOf   map[string]int
	step     int
	focus    int // index into the current step's fields, then its buttons
	extra    []Button
	formErr  i18n.Text
	busy     bool // the owner is working (login running): the primary button waits
	pending  bool // a gated 下一步 waits for the owner
	width    int
	height   int // 0: as tall as the step
	cache    map[Field]rowCache
	derived  []deriver
	labelW   map[labelKey]int // per step and language
	extraVer int              // bumped when the extra buttons change
	bottomC  [2]struct {      // one-line and boxed buttons
		key   bottomKey
		lines []string
	}
}

// New builds a form from its declaration.
func New(cfg Config) *Form {
	if cfg.Styles == nil {
		cfg.Styles = theme.DefaultStyles()
	}
	if cfg.Keys.Next.Keys() == nil {
		cfg.Keys = theme.DefaultKeyMap(false)
	}
	if cfg.Tasks == nil {
		cfg.Tasks = task.New(0, nil)
	}
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&cfg.SubmitLabel, "form.submit")
	def(&cfg.NextLabel, "form.next")
	def(&cfg.PrevLabel, "form.prev")
	def(&cfg.CancelLabel, "form.back")
	if cfg.Text == nil {
		cat := i18n.Default()
		cfg.Text = func(t i18n.Text) string { return cat.Render(i18n.Chinese, t) }
	}
	if cfg.Lang == nil {
		cfg.Lang = func() i18n.Lang { return i18n.Chinese }
	}
	f := &Form{cfg: cfg, byKey: map[string]Field{}, stepOf: map[string]int{}, width: 80, cache: map[Field]rowCache{}, labelW: map[labelKey]int{}}
	f.ctx = Ctx{Form: cfg.ID, St: cfg.Styles, Keys: cfg.Keys, Zones: cfg.Zones, Tasks: cfg.Tasks, Values: f.Values,
		Sprites: cfg.Sprites, T: cfg.Text}
	for i, s := range cfg.Steps {
		f.steps = append(f.steps, s.Fields)
		f.rules = append(f.rules, s.Rules)
		for _, fld := range s.Fields {
			f.byKey[fld.Base().Key] = fld
			f.stepOf[fld.Base().Key] = i
			if d, ok := fld.(deriver); ok && d.isDerived() {
				f.derived = append(f.derived, d)
			}
		}
	}
	f.setFocus(0, false)
	return f
}

// ID is the form's id.
func (f *Form) ID() string { return f.cfg.ID }

// MaxWidth is the widest a form lays itself out: on a wide screen it
// stands as a block in the middle instead of stretching its errors and
// hints across the whole line.
const MaxWidth = 100

// SetWidth sets the width the form may draw in (at most MaxWidth).
func (f *Form) SetWidth(w int) { f.width = min(w, MaxWidth) }

// SetSize sets the room the form draws in; a step taller than h scrolls
// (h 0: as tall as the step).
func (f *Form) SetSize(w, h int) { f.SetWidth(w); f.height = h }

// Steps returns the step titles.
func (f *Form) Steps() []string {
	t := make([]string, len(f.cfg.Steps))
	for i, s := range f.cfg.Steps {
		t[i] = s.Title
	}
	return t
}

// Step returns the current step index (0-based).
func (f *Form) Step() int { return f.step }

// Field returns a field by key (nil when the form has none).
func (f *Form) Field(key string) Field { return f.byKey[key] }

// Values returns every value of every step.
func (f *Form) Values() Values {
	v := Values{text: make(map[string]string, len(f.byKey)), typed: make(map[string]any, len(f.byKey))}
	for k, fld := range f.byKey {
		v.text[k] = fld.Text()
		if t := fld.Value(); t != nil {
			v.typed[k] = t
		}
	}
	return v
}

// Value returns one value as text.
func (f *Form) Value(key string) string {
	if fld := f.byKey[key]; fld != nil {
		return fld.Text()
	}
	return ""
}

// SetValue sets a value as if typed (filtered the same way).
func (f *Form) SetValue(key, v string) {
	if fld := f.byKey[key]; fld != nil {
		fld.SetText(v)
		fld.Base().touch()
		f.derive()
	}
}

// Clear empties one field (the password after a failed login, say).
func (f *Form) Clear(key string) { f.SetValue(key, "") }

// Error returns the error shown at a field, in the language of the visit.
func (f *Form) Error(key string) string { return f.cfg.Text(f.ErrorOf(key)) }

// ErrorOf returns the error shown at a field as a catalog text.
func (f *Form) ErrorOf(key string) i18n.Text {
	if fld := f.byKey[key]; fld != nil {
		return fld.Base().err
	}
	return i18n.Text{}
}

// Errors returns every field error that is set, rendered.
func (f *Form) Errors() map[string]string {
	e := map[string]string{}
	for k, fld := range f.byKey {
		if s := fld.Base(); !s.err.IsZero() {
			e[k] = f.cfg.Text(s.err)
		}
	}
	return e
}

// SetError sets (or with a zero Text clears) one field's error.
func (f *Form) SetError(key string, msg i18n.Text) {
	if fld := f.byKey[key]; fld != nil {
		s := fld.Base()
		s.err = msg
		s.touch()
	}
}

// SetErrors applies errors from a server-side check and moves to the first
// field in error (switching step when the error is on another step).
func (f *Form) SetErrors(errs map[string]i18n.Text) {
	first := true
	for si, fs := range f.steps {
		for fi, fld := range fs {
			msg, ok := errs[fld.Base().Key]
			if !ok {
				continue
			}
			f.SetError(fld.Base().Key, msg)
			if !msg.IsZero() && first {
				first = false
				if si != f.step {
					f.gotoStep(si)
				}
				f.setFocus(fi, false)
			}
		}
	}
}

// SetNote sets (or with a zero Text clears) a muted hint under one field,
// shown while the field has no error (the code was sent to 138****5678).
func (f *Form) SetNote(key string, msg i18n.Text) {
	if fld := f.byKey[key]; fld != nil {
		s := fld.Base()
		s.note = msg
		s.touch()
	}
}

// FormError is the sentence shown above the buttons, rendered.
func (f *Form) FormError() string { return f.cfg.Text(f.formErr) }

// FormErrorOf is the sentence shown above the buttons as a catalog text.
func (f *Form) FormErrorOf() i18n.Text { return f.formErr }

// SetFormError sets (or with a zero Text clears) the sentence above the
// buttons.
func (f *Form) SetFormError(msg i18n.Text) { f.formErr = msg }

// SetBusy marks the owner as working: the primary button is disabled while
// typing stays possible.
func (f *Form) SetBusy(b bool) { f.busy = b }

// Busy reports SetBusy's state or a gated 下一步 waiting for the owner.
func (f *Form) Busy() bool { return f.busy || f.pending }

// Pending reports a gated 下一步 waiting for the owner.
func (f *Form) Pending() bool { return f.pending }

// SetButtons replaces the extra buttons (drawn before the cancel button).
func (f *Form) SetButtons(b []Button) {
	f.extra = append([]Button(nil), b...)
	f.extraVer++
	f.clampFocus()
}

// Buttons returns the extra buttons.
func (f *Form) Buttons() []Button { return append([]Button(nil), f.extra...) }

// SetPicture shows a new captcha picture and clears the typed answer.
func (f *Form) SetPicture(key string, img image.Image) {
	if c, ok := f.byKey[key].(*CaptchaField); ok {
		c.setPicture(img)
		c.touch()
	}
}

// SetFiles sets the files of a File field (those it accepts).
func (f *Form) SetFiles(key string, files []File) {
	if c, ok := f.byKey[key].(*FileField); ok {
		c.setFiles(files)
		c.touch()
	}
}

// StartCountdown starts the resend countdown of an SMS field at secs
// seconds (secs <= 0: SMSResend). The owner must return the command.
func (f *Form) StartCountdown(key string, secs int) tea.Cmd {
	c, ok := f.byKey[key].(*SMSField)
	if !ok {
		return nil
	}
	c.touch()
	return c.start(&f.ctx, secs)
}

// StopCountdown ends a countdown early.
func (f *Form) StopCountdown(key string) {
	if c, ok := f.byKey[key].(*SMSField); ok {
		c.stop(&f.ctx)
		c.touch()
	}
}

// Countdown returns the seconds left before an SMS code may be resent.
func (f *Form) Countdown(key string) int {
	if c, ok := f.byKey[key].(*SMSField); ok {
		return c.countdown
	}
	return 0
}

// Reset wipes every value, error and countdown and returns to step 1.
func (f *Form) Reset() {
	for _, fld := range f.byKey {
		if c, ok := fld.(*SMSField); ok {
			c.stop(&f.ctx)
		}
		fld.Reset()
		fld.Base().touch()
	}
	f.formErr = i18n.Text{}
	f.extra = nil
	f.extraVer++
	f.busy, f.pending = false, false
	f.step = 0
	f.focus = 0
	f.setFocus(0, false)
}

// Focus moves the focus to a field by key (switching step if needed).
func (f *Form) Focus(key string) {
	si, ok := f.stepOf[key]
	if !ok {
		return
	}
	if si != f.step {
		f.gotoStep(si)
	}
	for fi, fld := range f.fields() {
		if fld.Base().Key == key {
			f.setFocus(fi, true)
			return
		}
	}
}

// Focused returns the key of the focused field, or "button:<id>".
func (f *Form) Focused() string {
	if fld := f.focusedField(); fld != nil {
		return fld.Base().Key
	}
	if b, ok := f.focusedButton(); ok {
		return "button:" + b.ID
	}
	return ""
}

// GoTo shows step s (values kept), ending a gated wait.
func (f *Form) GoTo(s int) {
	if s >= 0 && s < len(f.steps) {
		f.pending = false
		f.gotoStep(s)
	}
}

// Advance answers a NextRequested: the next step is shown. On the last
// step it only ends the wait; the owner goes on.
func (f *Form) Advance() {
	f.pending = false
	if f.step < len(f.steps)-1 {
		f.gotoStep(f.step + 1)
	}
}

// Refuse answers a NextRequested with field errors (key → sentence): they
// are shown, the first is focused, and Invalid is emitted.
func (f *Form) Refuse(errs map[string]i18n.Text) tea.Cmd {
	f.pending = false
	f.SetErrors(errs)
	return Emit(Invalid{Form: f.cfg.ID})
}

// Release ends a gated wait without an answer (the owner refused in its
// own way, above the buttons).
func (f *Form) Release() { f.pending = false }

// Help returns the key bindings that apply to the focused element.
func (f *Form) Help() []key.Binding {
	k := f.cfg.Keys
	h := []key.Binding{k.Next, k.Prev}
	if fld := f.focusedField(); fld != nil {
		h = append(h, fld.Help(k)...)
	}
	return append(h, k.Enter, k.Back)
}

func (f *Form) fields() []Field { return f.steps[f.step] }

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

func (f *Form) focusedField() Field {
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
// fresh form does not paint it red, and a "please enter" from 下一步 stays).
func (f *Form) setFocus(i int, blur bool) {
	n := f.focusables()
	i = ((i % n) + n) % n
	if old := f.focusedField(); old != nil && i != f.focus {
		if blur && old.Text() != "" {
			old.Base().err = f.verdict(old, false)
		}
		old.Blur()
		old.Base().touch()
	}
	f.focus = i
	if fld := f.focusedField(); fld != nil {
		fld.Focus()
		fld.Base().touch()
	}
}

func (f *Form) clampFocus() {
	if f.focus >= f.focusables() {
		f.setFocus(f.focusables()-1, false)
	}
}

func (f *Form) gotoStep(s int) {
	if fld := f.focusedField(); fld != nil {
		fld.Blur()
		fld.Base().touch()
	}
	f.step = s
	f.focus = 0
	f.setFocus(0, false)
}

// verdict validates a field: its kind, its validator, then the step's
// rules on it. With required set, an empty required value is an error;
// without it (on blur) an empty value is left alone.
func (f *Form) verdict(fld Field, required bool) i18n.Text {
	s := fld.Base()
	if strings.TrimSpace(fld.Text()) == "" {
		if !required || !s.Required {
			return i18n.Text{}
		}
		if e, ok := fld.(interface{ Empty() i18n.Text }); ok {
			return e.Empty()
		}
		return i18n.T("form.required_input", "Label", i18n.T(s.Label))
	}
	if err := fld.Check(); err != nil {
		return ErrorText(err)
	}
	if s.Validate != nil {
		if err := s.Validate(fld.Text()); err != nil {
			return ErrorText(err)
		}
	}
	si := f.stepOf[s.Key]
	if len(f.rules[si]) == 0 {
		return i18n.Text{}
	}
	v := f.Values()
	for _, r := range f.rules[si] {
		if r.Field == s.Key {
			if err := r.Check(v); err != nil {
				return ErrorText(err)
			}
		}
	}
	return i18n.Text{}
}

// Validate checks every field of the current step as on 下一步, shows the
// errors and focuses the first one. It reports whether the step is valid.
func (f *Form) Validate() bool {
	firstBad := -1
	for i, fld := range f.fields() {
		msg := f.verdict(fld, true)
		fld.Base().err = msg
		fld.Base().touch()
		if !msg.IsZero() && firstBad < 0 {
			firstBad = i
		}
	}
	if firstBad >= 0 {
		f.setFocus(firstBad, false)
		return false
	}
	return true
}

// derive recomputes derived values (dates that follow other fields).
func (f *Form) derive() {
	if len(f.derived) == 0 {
		return
	}
	v := f.Values()
	for _, fld := range f.derived {
		if fld.derived(v) {
			fld.Base().touch()
		}
	}
}

// deriver is a field whose value follows the others (input.derive).
type deriver interface {
	Field
	derived(Values) bool
	isDerived() bool
}

// Empty is the sentence of an empty required choice.
func (f *ChoiceField) Empty() i18n.Text {
	return i18n.T("form.required_choose", "Label", i18n.T(f.Label))
}

// Empty is the sentence of an empty required file field.
func (f *FileField) Empty() i18n.Text {
	return i18n.T("form.required_choose", "Label", i18n.T(f.Label))
}
