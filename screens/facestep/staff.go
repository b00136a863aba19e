package facestep

import (
	"context"
	"errors"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/face"
	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// The counter path of the face step (a staff member confirms the person in
// person) and the screen that hosts the step on its own.

func (s *Step) openStaff() tea.Cmd {
	if !s.a.Deps.Faces.HasStaff() {
		s.outcome(i18n.T(faceNoCounter), &kit.Btn{ID: Retake, Label: "capture.retake"})
		return nil
	}
	s.a.Drop(verifySlot)
	s.state, s.msg, s.busy = fsStaff, i18n.Text{}, false
	s.staff = form.New(form.Config{
		ID: StaffForm, SubmitLabel: "face.staff_confirm", Styles: s.a.St, Keys: s.a.Keys, Zones: s.a.Zones, Tasks: s.a,
		Text: s.a.T, Lang: s.a.Lang,
		Steps: []form.Step{{Title: "face.staff_title", Fields: []form.Field{
			form.Text(fieldStaffUser, "face.staff_user", form.Placeholder("face.staff_user_placeholder"), form.Required, form.Max(32)),
			form.Password(fieldStaffPass, "field.password", form.Placeholder("face.staff_password_placeholder"), form.Required),
			form.Choice(fieldStaffVerdict, "face.staff_verdict", []form.Opt{
				{Value: staffApprove, Label: "face.staff_approve"}, {Value: staffReject, Label: "face.staff_reject"}}, form.Required),
		}}},
	})
	s.staff.SetWidth(s.w)
	return s.cap.Stop() // no picture on the staff form: free the camera
}

// confirm runs Counter.Confirm in a slot; the form stays live meanwhile.
func (s *Step) confirm(v form.Values) tea.Cmd {
	if s.busy {
		return nil
	}
	s.busy = true
	s.staff.SetBusy(true)
	s.staff.SetFormError(i18n.Text{})
	fs := s.a.Deps.Faces
	c := model.FaceConfirmation{IDNumber: s.p.IDNumber, Purpose: s.p.For, Username: v.Trim(fieldStaffUser),
		Password: v.Text(fieldStaffPass), Approve: v.Text(fieldStaffVerdict) == staffApprove}
	return tea.Batch(s.spin.Tick, s.a.In(staffSlot, func(ctx context.Context) tea.Msg {
		v, ev, err := fs.Confirm(ctx, c)
		return staffResult{res: face.ResultOf(v), ev: ev, err: err}
	}))
}

func (s *Step) staffDone(res face.Result, ev model.FaceEvidence, err error) tea.Cmd {
	s.busy = false
	s.staff.SetBusy(false)
	if err == nil {
		if res.Match {
			return s.pass(res, ev)
		}
		s.state, s.msg, s.msgErr, s.staff = fsRejected, res.Reason, true, nil
		s.buttons.Set(kit.Btn{ID: Back, Label: "key.back"})
		return nil
	}
	var locked *model.LockedError
	msg := s.a.Explain("counter confirm", err)
	if errors.As(err, &locked) {
		msg = i18n.T("face.staff_locked", "Until", kit.UnlockTime(locked.Until, s.a.Now()))
	}
	s.staff.SetFormError(msg)
	s.staff.Clear(fieldStaffPass)
	s.staff.Focus(fieldStaffPass)
	return nil
}

// Screen hosts the face step on its own (route facestep).
type Screen struct {
	kit.Base
	step *Step
	then func(Verified) tea.Cmd
}

// NewScreen builds the face step as a screen; after a pass, then (if not
// nil) says where to go with the verdict, else 完成 goes back.
func NewScreen(a *kit.App, p Params, then func(Verified) tea.Cmd) *Screen {
	return &Screen{step: New(a, p), then: then}
}

// Step is the screen's face step.
func (f *Screen) Step() *Step { return f.step }

func (f *Screen) Init() tea.Cmd       { return f.step.Init() }
func (f *Screen) SetSize(w, h int)    { f.step.SetSize(w, h) }
func (f *Screen) Help() []key.Binding { return f.step.Help() }
func (f *Screen) View() string        { return f.step.View() }

func (f *Screen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case kit.StepDone:
		if v, ok := msg.Result.(Verified); ok && f.then != nil {
			return f.then(v)
		}
		return nil
	case kit.StepBack:
		return kit.GoBack
	}
	return f.step.Update(msg)
}

// Leave releases the camera and cancels a running verification; the root
// calls it whenever the screen is replaced (navigation, idle, logout).
func (f *Screen) Leave() tea.Cmd { return f.step.Leave() }
