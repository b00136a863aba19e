package flow

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

type phase int

const (
	onPage      phase = iota
	onComponent       // a component step is on show
	saving            // Final runs after a component step: a spinner page
	done              // the result page
)

type work int

const (
	idle      work = iota
	checking       // a page's Check runs
	finishing      // Final runs
)

// Host runs a flow declared by a Def. It is a kit.Screen.
type Host[S any] struct {
	kit.Base
	a        *kit.App
	def      Def[S]
	titles   []string // the step bar's titles (Steps), from def
	st       S
	form     *form.Form
	pageOf   []int // step → form page (-1 for a component)
	stepOf   []int // form page → step
	cur      int   // the current step
	phase    phase
	comp     kit.Component
	captchas map[string]*kit.Captcha // by field key
	capPage  map[string]int          // the page of each captcha
	capSMS   map[string]bool         // captchas that gate their page's SMS code
	pass     captcha.Pass            // the flow's answered captcha, for SMS sends
	load     *kit.Loader
	working  work
	wayOnAt  int // the page the way-on buttons belong to; -1 for none
	result   Result
	buttons  kit.ButtonRow
	picker   kit.Component // a file picker over the page (选择文件)
	pickKey  string        // the File field it fills
	confirm  *kit.Confirm  // 确定取消本次办理吗？ over the page
	leaveTo  tea.Cmd       // where the confirmed leave goes
	initial  map[string]string
	w, h     int
}

// Answers of the leave dialog (zone ids "<form id>-confirm:<id>").
const (
	ConfirmStay  = "stay"
	ConfirmLeave = "leave"
)

// New builds the host of def; the flow starts on its first step.
func New[S any](a *kit.App, def Def[S]) *Host[S] {
	if def.Cancel == "" {
		def.Cancel = "flow.cancel"
	}
	if def.Checking == "" {
		def.Checking = "flow.checking"
	}
	if def.Saving == "" {
		def.Saving = "flow.saving"
	}
	h := &Host[S]{a: a, def: def, wayOnAt: -1, captchas: map[string]*kit.Captcha{}, capPage: map[string]int{}, capSMS: map[string]bool{},
		load: kit.NewLoader(a, "flow:"+def.ID+":work"), buttons: kit.NewButtonRow(a, def.ID+"-done")}
	var pages []form.Step
	for _, st := range def.Steps {
		if !st.Page() {
			h.pageOf = append(h.pageOf, -1)
			continue
		}
		h.pageOf = append(h.pageOf, len(pages))
		h.stepOf = append(h.stepOf, len(h.pageOf)-1)
		pages = append(pages, form.Step{Title: st.Title, Fields: st.Fields, Rules: st.Rules})
	}
	h.form = form.New(form.Config{ID: def.ID, Steps: pages, SubmitLabel: def.Submit, CancelLabel: def.Cancel,
		Gate: true, Styles: a.St, Keys: a.Keys, Zones: a.Zones, Tasks: a, Sprites: a.Sprites, Text: a.T, Lang: a.Lang})
	for p, st := range pages {
		sms := slices.ContainsFunc(st.Fields, func(f form.Field) bool { _, ok := f.(*form.SMSField); return ok })
		for _, fld := range st.Fields {
			if _, ok := fld.(*form.CaptchaField); ok {
				k := fld.Base().Key
				h.captchas[k], h.capPage[k], h.capSMS[k] = kit.NewCaptcha(a, h.form, k), p, sms
			}
		}
	}
	h.form.SetButtons(h.pageButtons())
	if def.Prefill != nil {
		def.Prefill(&h.st, h.form)
	}
	h.initial = h.form.Values().Texts() // presets and pre-filled values are not typed
	h.confirm = kit.NewConfirm(a, def.ID+"-confirm")
	return h
}

// Typed reports whether leaving would lose what the person typed: a value
// other than the flow's presets and pre-filled ones (the picture captcha's
// answer aside: it is single use anyway), or any step past the first,
// which holds the first one's values.
func (h *Host[S]) Typed() bool {
	if h.phase == done {
		return false // the result page: the form is wiped already
	}
	if h.cur > 0 || h.form.Step() > 0 {
		return true
	}
	for k, v := range h.form.Values().Texts() {
		if _, ok := h.captchas[k]; !ok && v != h.initial[k] {
			return true
		}
	}
	return false
}

// Confirming reports whether the leave dialog is on show.
func (h *Host[S]) Confirming() bool { return h.confirm.Open() }

// askLeave leaves by then at once when nothing was typed; otherwise it asks
// first, 继续填写 focused (Enter and esc keep the form).
func (h *Host[S]) askLeave(then tea.Cmd) tea.Cmd {
	if !h.Typed() {
		return then
	}
	h.leaveTo = then
	h.confirm.Ask(i18n.T("confirm.question"), kit.Btn{ID: ConfirmStay, Label: "confirm.stay"},
		kit.Btn{ID: ConfirmLeave, Label: "confirm.leave"})
	return nil
}

// confirming takes a key or tap while the leave dialog is open.
func (h *Host[S]) confirming(msg tea.Msg) tea.Cmd {
	if h.confirm.Update(msg) == ConfirmLeave {
		then := h.leaveTo
		h.leaveTo = nil
		return then
	}
	if !h.confirm.Open() {
		h.leaveTo = nil
	}
	return nil
}

// Resume shows the flow again when the person comes back to it from a
// page it opened (esc on 忘记密码 after the way-on): every value is kept;
// what Leave let go is taken up again: a new picture for each captcha not
// already passed, the resend countdowns, the page (a component step such
// as the camera is left for the page before it).
func (h *Host[S]) Resume() tea.Cmd {
	h.working = idle
	h.form.Release()
	h.form.SetBusy(false)
	if h.phase == onComponent || h.phase == saving {
		h.comp, h.phase = nil, onPage
		h.cur = h.stepOf[h.form.Step()]
	}
	for k, c := range h.captchas {
		if h.capSMS[k] && h.passLive() && h.form.Value(k) != "" {
			continue // passed: the answer stays on show with its note
		}
		c.Issue()
		h.form.SetNote(k, i18n.Text{})
	}
	var cmds []tea.Cmd
	for _, st := range h.def.Steps {
		for _, fld := range st.Fields {
			if _, ok := fld.(*form.SMSField); ok {
				if n := h.form.Countdown(fld.Base().Key); n > 0 {
					cmds = append(cmds, h.form.StartCountdown(fld.Base().Key, n))
				}
			}
		}
	}
	return tea.Batch(cmds...)
}

// Form is the flow's form (tests and hooks).
func (h *Host[S]) Form() *form.Form { return h.form }

// State is the flow's own state (tests).
func (h *Host[S]) State() *S { return &h.st }

// Captcha is the live captcha of field key (nil for none).
func (h *Host[S]) Captcha(key string) *kit.Captcha { return h.captchas[key] }

// Component is the component step on show (nil for none).
func (h *Host[S]) Component() kit.Component {
	if h.phase == onComponent {
		return h.comp
	}
	return nil
}

// OnForm reports whether a form page is on show.
func (h *Host[S]) OnForm() bool { return h.phase == onPage }

// Finished reports whether the result page is on show.
func (h *Host[S]) Finished() bool { return h.phase == done }

// Steps is the step bar: the steps and the result page.
func (h *Host[S]) Steps() ([]string, int) {
	if h.titles == nil { // the declaration does not change: built once
		h.titles = make([]string, 0, len(h.def.Steps)+1)
		for _, st := range h.def.Steps {
			h.titles = append(h.titles, st.Title)
		}
		if h.def.DoneTitle != "" {
			h.titles = append(h.titles, h.def.DoneTitle)
		}
	}
	titles := h.titles
	if h.phase == done {
		return titles, len(titles) - 1
	}
	return titles, h.cur
}

func (h *Host[S]) SetSize(w, hh int) {
	h.w, h.h = w, hh
	h.form.SetWidth(w)
	if h.comp != nil {
		h.comp.SetSize(w, hh)
	}
	if h.picker != nil {
		h.picker.SetSize(w, hh)
	}
}

func (h *Host[S]) Help() []key.Binding {
	if h.confirm.Open() {
		return h.confirm.Help()
	}
	if h.picker != nil {
		return h.picker.Help()
	}
	switch h.phase {
	case onComponent:
		return h.comp.Help()
	case saving:
		return nil
	case done:
		return append(h.buttons.Help(), h.a.Keys.Back)
	}
	return h.form.Help()
}

// Leave releases the component (a camera) and forgets the challenges.
func (h *Host[S]) Leave() tea.Cmd {
	h.load.Cancel()
	if h.picker != nil {
		h.picker.Leave()
	}
	for _, c := range h.captchas {
		c.Discard()
	}
	if h.comp != nil {
		return h.comp.Leave()
	}
	return nil
}

func (h *Host[S]) Update(msg tea.Msg) tea.Cmd {
	id := h.def.ID
	if h.picker != nil {
		return h.picking(msg)
	}
	if h.confirm.Open() && isInput(msg) {
		return h.confirming(msg) // modal: the page waits behind it
	}
	switch m := msg.(type) {
	case spinner.TickMsg:
		cmd, _ := h.load.Update(m)
		if h.phase == onComponent {
			return tea.Batch(cmd, h.comp.Update(m))
		}
		return cmd
	case kit.Loaded:
		if _, res := h.load.Update(m); res != nil {
			return h.worked(res)
		}
	case codeSent:
		return h.codeSent(m)
	case form.NextRequested:
		if m.Form == id && h.phase == onPage {
			return h.next(m)
		}
		return nil
	case form.Cancelled:
		if m.Form == id && !h.holding() {
			return h.askLeave(kit.GoBack)
		}
		return nil
	case form.ButtonPressed:
		if m.Form == id && h.def.Pressed != nil {
			return h.def.Pressed(&h.st, m.ID, h.form.Values())
		}
		return nil
	case form.SMSRequested:
		if m.Form == id {
			return h.send(m)
		}
		return nil
	case form.FileRequested:
		if m.Form == id && h.phase == onPage {
			p := kit.NewFilePicker(h.a, id+":picker", h.a.Deps.USBRoot, m.Accept)
			// The appeal's total: what the other fields hold already.
			p.SetBudget(h.a.Deps.MaterialLimits, h.form.Values().FilesSize(m.Key))
			h.picker = p
			h.pickKey = m.Key
			h.picker.SetSize(h.w, h.h)
			return h.picker.Init()
		}
		return nil
	case form.CaptureRequested:
		if m.Form == id && h.phase == onPage && h.def.Camera != nil {
			h.picker = h.def.Camera(h.a, m.Key)
			h.pickKey = m.Key
			h.picker.SetSize(h.w, h.h)
			return h.picker.Init()
		}
		return nil
	case kit.StepDone:
		if h.phase == onComponent {
			return h.took(m.Result)
		}
		return nil
	case kit.StepBack:
		if h.phase == onComponent {
			return h.leftComponent()
		}
		return nil
	}
	for _, c := range h.captchas {
		if cmd, ok := c.Update(msg); ok {
			return cmd
		}
	}
	switch h.phase {
	case onPage:
		if h.holding() && h.leaving(msg) {
			return nil
		}
		before := h.form.Step()
		cmd := h.form.Update(msg)
		if h.form.Step() != before {
			h.pageChanged()
		}
		return cmd
	case onComponent:
		if isInput(msg) {
			return h.comp.Update(msg)
		}
		return tea.Batch(h.comp.Update(msg), h.form.Update(msg)) // countdowns go on
	case saving:
		if !isInput(msg) {
			return h.form.Update(msg)
		}
	case done:
		if isInput(msg) {
			return h.resultInput(msg)
		}
	}
	return nil
}

// picking runs the file picker over the page: the chosen file goes into
// its field; 返回 closes the picker. Countdowns go on behind it.
func (h *Host[S]) picking(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case kit.StepDone:
		if f, ok := m.Result.(form.File); ok {
			files := append(h.form.Values().Files(h.pickKey), f)
			if fld, ok := h.form.Field(h.pickKey).(*form.FileField); ok && len(files) > max(fld.Limit, 1) {
				files = files[1:] // the newest replaces the oldest
			}
			h.form.SetFiles(h.pickKey, files)
		}
		return h.closePicker()
	case kit.StepBack:
		return h.closePicker()
	}
	if isInput(msg) {
		return h.picker.Update(msg)
	}
	return tea.Batch(h.picker.Update(msg), h.form.Update(msg))
}

func (h *Host[S]) closePicker() tea.Cmd {
	leave := h.picker.Leave()
	h.picker = nil
	return leave
}

func isInput(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.KeyMsg, tea.MouseMsg:
		return true
	}
	return false
}

// holding: Final runs and the flow keeps the person on the step.
func (h *Host[S]) holding() bool { return h.def.Hold && h.working == finishing }

// leaving reports whether msg would leave the page (esc, 上一步, 取消).
func (h *Host[S]) leaving(msg tea.Msg) bool {
	id := h.def.ID
	switch m := msg.(type) {
	case tea.KeyMsg:
		if key.Matches(m, h.a.Keys.Back) {
			return true
		}
		f := h.form.Focused()
		onExit := f == "button:"+form.ButtonPrev || f == "button:"+form.ButtonCancel
		return onExit && key.Matches(m, h.a.Keys.Press)
	case tea.MouseMsg:
		for _, b := range []string{form.ButtonPrev, form.ButtonCancel} {
			if h.a.Zones.Get(form.ButtonZone(id, b)).InBounds(m) {
				return true
			}
		}
	}
	return false
}

// pageChanged: the person went back a page. A check still running is
// abandoned (its result is never delivered) and way-on buttons go.
func (h *Host[S]) pageChanged() {
	if h.working == checking {
		h.load.Cancel()
		h.working = idle
	}
	h.cur = h.stepOf[h.form.Step()]
	h.clearWayOn()
}

func (h *Host[S]) clearWayOn() {
	if h.wayOnAt >= 0 {
		h.wayOnAt = -1
	}
	h.form.SetButtons(h.pageButtons())
}

// pageButtons are the current page's own buttons (Step.Buttons).
func (h *Host[S]) pageButtons() []form.Button {
	if h.cur < len(h.def.Steps) {
		return h.def.Steps[h.cur].Buttons
	}
	return nil
}

// next answers a valid 下一步: the page's captcha (single use, checked on
// the event loop so a wrong answer never reaches a use case), then the
// page's use case, then the next step.
func (h *Host[S]) next(m form.NextRequested) tea.Cmd {
	f := h.form
	hs := h.stepOf[m.Step]
	h.clearWayOn()
	f.SetFormError(i18n.Text{})
	for k, c := range h.captchas {
		if h.capPage[k] != m.Step || h.capSMS[k] {
			continue // an SMS page's captcha was answered at 获取验证码
		}
		p, ok := c.Pass(m.Values.Text(k))
		if !ok {
			f.Release()
			f.SetErrors(map[string]i18n.Text{k: kit.CaptchaWrong})
			return kit.Play(audio.PromptErrorCaptcha)
		}
		h.pass = p
	}
	if ck := h.def.Steps[hs].Check; ck != nil {
		if job := ck(&h.st, m.Values); job != nil {
			h.working = checking
			return h.load.Run(h.def.Checking, kit.OpTimeout, job)
		}
	}
	return h.advance(hs, m.Values)
}

// worked takes the result of a check or of Final.
func (h *Host[S]) worked(res *kit.Loaded) tea.Cmd {
	w := h.working
	h.working = idle
	f := h.form
	switch w {
	case checking:
		if res.Err != nil {
			f.Release()
			return h.refused(res.Err)
		}
		st := h.def.Steps[h.cur]
		if st.Accept != nil {
			st.Accept(&h.st, f, res.Value)
		}
		return h.advance(h.cur, f.Values())
	case finishing:
		f.SetBusy(false)
		if res.Err != nil {
			h.phase = onPage
			return h.refused(res.Err)
		}
		return h.finished(res.Value)
	}
	return nil
}

// advance goes on from step hs: the next step, or Final after the last.
func (h *Host[S]) advance(hs int, v form.Values) tea.Cmd {
	if hs == len(h.def.Steps)-1 {
		return h.final(v)
	}
	return h.enter(hs+1, v)
}

// enter shows step n.
func (h *Host[S]) enter(n int, v form.Values) tea.Cmd {
	h.cur = n
	st := h.def.Steps[n]
	var cmd tea.Cmd
	if st.Page() {
		h.form.GoTo(h.pageOf[n])
		h.phase = onPage
		h.wayOnAt = -1
		h.form.SetButtons(h.pageButtons())
	} else {
		h.form.Release() // the form waits behind the component, values kept
		h.comp = st.Component(h.a, &h.st, v)
		h.comp.SetSize(h.w, h.h)
		h.phase = onComponent
		cmd = h.comp.Init()
	}
	return tea.Batch(cmd, kit.Play(st.Prompt))
}

// took takes a component's result and goes on.
func (h *Host[S]) took(res any) tea.Cmd {
	if t := h.def.Steps[h.cur].Took; t != nil {
		t(&h.st, res)
	}
	leave := h.comp.Leave()
	h.comp = nil
	return tea.Batch(leave, h.advance(h.cur, h.form.Values()))
}

// leftComponent: 返回 on a component goes back to the page before it.
func (h *Host[S]) leftComponent() tea.Cmd {
	leave := h.comp.Leave()
	h.comp = nil
	h.phase = onPage
	h.form.SetBusy(false)
	h.cur = h.stepOf[h.form.Step()]
	return leave
}

// final runs the flow's final call.
func (h *Host[S]) final(v form.Values) tea.Cmd {
	if h.def.Final == nil {
		return h.finished(nil)
	}
	job := h.def.Final(&h.st, v)
	h.form.Release()
	h.form.SetBusy(true) // a second press cannot send it twice
	h.working = finishing
	if h.phase == onComponent {
		h.phase = saving
	}
	return h.load.Run(h.def.Saving, kit.OpTimeout, job)
}

// finished shows the result; every typed value (passwords included) is
// wiped from the form.
func (h *Host[S]) finished(res any) tea.Cmd {
	r := Result{}
	if h.def.Done != nil {
		r = h.def.Done(h.a, &h.st, res)
	}
	if r.Then != nil {
		return r.Then
	}
	h.result, h.phase = r, done
	h.form.Reset()
	h.buttons.Set(r.Buttons...)
	var kick tea.Cmd
	if ob := h.a.Deps.Outbox; ob != nil {
		kick = func() tea.Msg { ob.Kick(); return nil } // the notice SMS
	}
	return tea.Batch(kick, kit.Play(audio.PromptSuccess))
}

// resultInput handles the result page's buttons; esc goes home, never
// back into the finished form.
func (h *Host[S]) resultInput(msg tea.Msg) tea.Cmd {
	if id := h.buttons.Update(msg); id != "" && h.result.Go != nil {
		return h.result.Go(id)
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, h.a.Keys.Back) {
		return kit.GoHome
	}
	return nil
}

// refused places a refusal on the form (each field's sentence next to it,
// the rest above the buttons), adds the way-on buttons and says it.
func (h *Host[S]) refused(err error) tea.Cmd {
	if cmd := kit.Ended(err); cmd != nil { // the login is gone: nothing to fix on the form
		return cmd
	}
	f := h.form
	Place(h.a, f, h.def.ID, err)
	h.cur = h.stepOf[f.Step()]
	var btns []form.Button
	if h.def.Refused != nil {
		btns = h.def.Refused(h.a, &h.st, f, err)
	}
	f.SetButtons(append(h.pageButtons(), btns...))
	h.wayOnAt = -1
	if len(btns) > 0 {
		h.wayOnAt = f.Step()
	}
	return kit.Play(kit.ErrorPrompt(err))
}
