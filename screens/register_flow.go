package screens

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/smscode"
	"kiosk/screens/form"
)

// regFlow hosts the two registrations (enterprise and natural person):
// a multi-step form whose steps are checked by the account use cases, the
// SMS code of one step kept as a proof, an embedded face step, the final
// write with a spinner, and the 完成 page. The face step is embedded rather
// than navigated to because screens are rebuilt from the history and the
// typed values would be lost.
type regFlow struct {
	base
	a     *app
	cfg   regConfig
	form  *form.Form
	face  *faceStep
	phase regPhase
	spin  spinner.Model
	// The SMS proof of the code step and the phone and code it was made
	// from: going back and forth must not answer the single-use code twice.
	proof    smscode.Proof
	proofKey string
	wayOnAt  int // form step the way-on buttons belong to; -1 for none
	done     account.Done
	doneBtns buttonRow
	w, h     int
}

type regPhase int

const (
	regForm regPhase = iota
	regFace
	regSaving
	regDone
)

// regConfig is what differs between the registrations.
type regConfig struct {
	formID  string
	title   string
	steps   []form.Step
	submit  string   // label of the last form step's button
	titles  []string // step indicator: the form steps, 人脸验证, 完成
	smsStep int      // form step holding FieldPhone and FieldSMSCode
	purpose string   // face step title

	check  func(ctx context.Context, svc *account.Service, step int, v map[string]string) error
	send   func(ctx context.Context, svc *account.Service, phone string) (time.Time, error)
	verify func(ctx context.Context, svc *account.Service, phone, code string) (smscode.Proof, error)
	// person is whose face is checked: name and ID number from the values.
	person func(v map[string]string) (name, id string)
	save   func(ctx context.Context, svc *account.Service, v map[string]string, p smscode.Proof, f model.FaceEvidence) (account.Done, error)
	// wayOn returns the buttons an error calls for (申诉, 忘记密码…).
	wayOn func(err error) []form.Button
	// refine rewrites messages placed on the form for this flow (nil: none).
	refine  func(f *form.Form, err error)
	pressed func(id string, v map[string]string) tea.Cmd
	// doneView draws the 完成 page above its buttons; doneBtns are those.
	doneView func(a *app, d account.Done) []string
	doneBtns []btn
	doneNav  func(id string) tea.Cmd
}

// provedCode is what the SMS step's check returns.
type provedCode struct {
	proof smscode.Proof
	key   string
}

// regSaved is the outcome of the final write.
type regSaved struct {
	form string
	done account.Done
	err  error
}

// Zone prefix of the 完成 page's buttons ("<formID>-done:<id>").
func doneZonePrefix(formID string) string { return formID + "-done" }

func newRegFlow(a *app, cfg regConfig) *regFlow {
	fl := &regFlow{a: a, cfg: cfg, wayOnAt: -1,
		spin:     spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(a.st.Spinner)),
		doneBtns: buttonRow{a: a, prefix: doneZonePrefix(cfg.formID)}}
	fl.form = form.New(form.Config{
		ID: cfg.formID, Steps: cfg.steps, SubmitLabel: cfg.submit, CancelLabel: "取消",
		CheckStep: fl.checkStep, Styles: a.st, Keys: a.keys, Zones: a.zones,
	})
	presetIDCard(fl.form)
	return fl
}

func (fl *regFlow) SetSize(w, h int) {
	fl.w, fl.h = w, h
	fl.form.SetWidth(w)
	if fl.face != nil {
		fl.face.SetSize(w, h-2)
	}
}

func (fl *regFlow) Steps() ([]string, int) {
	switch fl.phase {
	case regFace, regSaving:
		return fl.cfg.titles, len(fl.cfg.steps)
	case regDone:
		return fl.cfg.titles, len(fl.cfg.titles) - 1
	}
	return fl.cfg.titles, fl.form.Step()
}

func (fl *regFlow) Help() []key.Binding {
	switch fl.phase {
	case regFace:
		return fl.face.Help()
	case regSaving:
		return nil
	case regDone:
		return fl.doneBtns.help()
	}
	return fl.form.Help()
}

// Leave frees the camera and drops a running face check.
func (fl *regFlow) Leave() tea.Cmd {
	if fl.face == nil {
		return nil
	}
	fl.face.stopVerify()
	return fl.face.cap.Stop()
}

// checkStep runs the step's use-case check; on the SMS step it also
// answers the code, unless the same phone and code were proved already.
func (fl *regFlow) checkStep(step, seq int, values map[string]string) tea.Cmd {
	svc, cfg := fl.a.deps.Accounts, fl.cfg
	if svc == nil {
		return fl.unavailable(step, seq)
	}
	codeKey := strings.TrimSpace(values[account.FieldPhone]) + "\x00" + values[account.FieldSMSCode]
	cached := provedCode{}
	if fl.proofKey == codeKey && !fl.proof.IsZero() && fl.a.now().Before(fl.proof.Expires()) {
		cached = provedCode{proof: fl.proof, key: codeKey}
	}
	run := stepCheck(cfg.formID, func(ctx context.Context, step int, v map[string]string) (any, error) {
		if err := cfg.check(ctx, svc, step, v); err != nil || step != cfg.smsStep {
			return nil, err
		}
		if cached.key != "" {
			return cached, nil
		}
		p, err := cfg.verify(ctx, svc, strings.TrimSpace(v[account.FieldPhone]), v[account.FieldSMSCode])
		if err != nil {
			return nil, err
		}
		return provedCode{proof: p, key: codeKey}, nil
	})
	return tea.Batch(fl.spin.Tick, run(step, seq, values))
}

// unavailable answers a check when the kiosk has no account service.
func (fl *regFlow) unavailable(step, seq int) tea.Cmd {
	m := stepChecked{form: fl.cfg.formID, step: step, seq: seq, err: model.ErrUnavailable}
	return func() tea.Msg { return m }
}

func (fl *regFlow) Update(msg tea.Msg) tea.Cmd {
	id := fl.cfg.formID
	switch msg := msg.(type) {
	case spinner.TickMsg:
		var cmds []tea.Cmd
		if fl.form.Busy() || fl.phase == regSaving {
			var cmd tea.Cmd
			fl.spin, cmd = fl.spin.Update(msg)
			cmds = append(cmds, cmd)
		}
		if fl.phase == regFace {
			cmds = append(cmds, fl.face.Update(msg))
		}
		return tea.Batch(cmds...)
	case stepChecked:
		if msg.form != id {
			return nil
		}
		if p, ok := msg.result.(provedCode); ok && msg.err == nil {
			fl.proof, fl.proofKey = p.proof, p.key
		}
		wasPending := fl.form.Busy()
		cmd := fl.a.handleStepChecked(fl.form, msg)
		if msg.err == nil || (wasPending && !fl.form.Busy()) { // not a stale refusal
			fl.setWayOn(msg.err)
		}
		return cmd
	case codeSent:
		return fl.a.handleCodeSent(fl.form, msg)
	case regSaved:
		if msg.form == id && fl.phase == regSaving {
			return fl.saved(msg)
		}
		return nil
	case form.SMSRequested:
		if msg.Form == id {
			return fl.sendCode(msg)
		}
		return nil
	case form.Submitted:
		if msg.Form == id && fl.phase == regForm {
			return fl.startFace()
		}
		return nil
	case form.Cancelled:
		if msg.Form == id {
			return back
		}
		return nil
	case form.ButtonPressed:
		if msg.Form == id && fl.cfg.pressed != nil {
			return fl.cfg.pressed(msg.ID, fl.form.Values())
		}
		return nil
	case FaceVerified:
		if fl.phase == regFace {
			return fl.save(faceEvidence(msg))
		}
		return nil
	case FaceCancelled:
		if fl.phase == regFace {
			fl.phase, fl.face = regForm, nil
			fl.form.SetBusy(false)
		}
		return nil
	}
	switch fl.phase {
	case regForm:
		before := fl.form.Step()
		cmd := fl.form.Update(msg)
		syncValidity(fl.form)
		if fl.form.Step() != before || fl.form.Step() != fl.wayOnAt {
			fl.clearWayOn()
		}
		return cmd
	case regFace:
		if isInput(msg) {
			return fl.face.Update(msg)
		}
		return tea.Batch(fl.face.Update(msg), fl.form.Update(msg)) // countdown ticks go on
	case regDone:
		if isInput(msg) {
			if b := fl.doneBtns.update(msg); b != "" {
				return fl.cfg.doneNav(b)
			}
		}
	}
	return nil
}

func isInput(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.KeyMsg, tea.MouseMsg:
		return true
	}
	return false
}

// setWayOn offers the buttons err calls for on the current step.
func (fl *regFlow) setWayOn(err error) {
	if err == nil || fl.cfg.wayOn == nil {
		fl.clearWayOn()
		return
	}
	if fl.cfg.refine != nil {
		fl.cfg.refine(fl.form, err)
	}
	b := fl.cfg.wayOn(err)
	fl.form.SetButtons(b)
	fl.wayOnAt = -1
	if len(b) > 0 {
		fl.wayOnAt = fl.form.Step()
	}
}

func (fl *regFlow) clearWayOn() {
	if fl.wayOnAt >= 0 {
		fl.form.SetButtons(nil)
		fl.wayOnAt = -1
	}
}

func (fl *regFlow) sendCode(m form.SMSRequested) tea.Cmd {
	svc, send := fl.a.deps.Accounts, fl.cfg.send
	if svc == nil {
		return fl.a.accountFailed(fl.form, "send sms code", model.ErrUnavailable)
	}
	phone := strings.TrimSpace(m.Values[account.FieldPhone])
	return fl.a.sendCodeCmd(fl.cfg.formID, m.Key, maskedPhone(phone), func(ctx context.Context) (time.Time, error) {
		return send(ctx, svc, phone)
	})
}

// startFace opens the embedded face step for the person of the form.
func (fl *regFlow) startFace() tea.Cmd {
	name, id := fl.cfg.person(fl.form.Values())
	fl.face = newFaceStep(fl.a, FaceParams{Name: name, IDNumber: id, Purpose: fl.cfg.purpose})
	fl.face.SetSize(fl.w, fl.h-2)
	fl.phase = regFace
	fl.form.SetBusy(false) // submitted: the form waits behind the face step
	fl.clearWayOn()
	return tea.Batch(fl.face.Init(), playPrompt(audio.PromptFaceVerify))
}

// save runs the final write in a command.
func (fl *regFlow) save(ev model.FaceEvidence) tea.Cmd {
	fl.phase = regSaving
	svc, cfg, v, proof := fl.a.deps.Accounts, fl.cfg, fl.form.Values(), fl.proof
	fl.face = nil // its pass already released the camera
	return tea.Batch(fl.spin.Tick, func() tea.Msg {
		if svc == nil {
			return regSaved{form: cfg.formID, err: model.ErrUnavailable}
		}
		ctx, cancel := opContext()
		defer cancel()
		d, err := cfg.save(ctx, svc, v, proof, ev)
		return regSaved{form: cfg.formID, done: d, err: err}
	})
}

// saved shows the 完成 page, or takes the person back to the field that
// was refused (another kiosk may have taken the account name meanwhile,
// the SMS proof may have run out).
func (fl *regFlow) saved(m regSaved) tea.Cmd {
	fl.form.SetBusy(false)
	if m.err != nil {
		fl.phase = regForm
		if errors.Is(m.err, smscode.ErrProofExpired) || errors.Is(m.err, smscode.ErrProofInvalid) ||
			errors.Is(m.err, smscode.ErrProofMissing) {
			fl.proof, fl.proofKey = smscode.Proof{}, ""
			fl.form.Clear(account.FieldSMSCode)
		}
		cmd := fl.a.accountFailed(fl.form, "register", m.err)
		fl.setWayOn(m.err)
		return cmd
	}
	fl.phase, fl.done = regDone, m.done
	fl.form.Reset() // the typed personal data is not needed any more
	fl.proof, fl.proofKey = smscode.Proof{}, ""
	fl.doneBtns.set(fl.cfg.doneBtns...)
	var kick tea.Cmd
	if ob := fl.a.deps.Outbox; ob != nil {
		kick = func() tea.Msg { ob.Kick(); return nil } // the notice SMS
	}
	return tea.Batch(kick, playPrompt(audio.PromptSuccess))
}

func (fl *regFlow) View() string {
	st := fl.a.st
	lines := []string{"", "  " + st.Title.Render(fl.cfg.title)}
	switch fl.phase {
	case regForm:
		lines = append(lines, "", fl.form.View())
		if fl.form.Busy() {
			lines = append(lines, "", "  "+fl.spin.View()+" "+st.Text.Render("正在核验…"))
		}
	case regFace:
		return fl.face.View()
	case regSaving:
		lines = append(lines, "", "", "  "+fl.spin.View()+" "+st.Text.Render("正在提交，请稍候…"))
	case regDone:
		lines = append(lines, "")
		for _, l := range fl.cfg.doneView(fl.a, fl.done) {
			lines = append(lines, "  "+l)
		}
		lines = append(lines, "", "  "+fl.doneBtns.view())
	}
	return strings.Join(lines, "\n")
}
