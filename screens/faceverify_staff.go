package screens

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/face"
	"kiosk/model"
	"kiosk/screens/form"
)

// The counter path of the face step (a staff member confirms the person in
// person) and the screen that hosts the step on its own.

func (s *faceStep) openStaff() tea.Cmd {
	if s.a.deps.Counter == nil {
		s.outcome(faceNoCounter, &btn{id: FaceRetake, label: "重拍"})
		return nil
	}
	s.stopVerify()
	s.state, s.msg, s.busy = fsStaff, "", false
	s.staff = form.New(form.Config{
		ID: FaceStaffForm, SubmitLabel: "确认", Styles: s.a.st, Keys: s.a.keys, Zones: s.a.zones,
		Steps: []form.Step{{Title: "人工核验", Fields: []form.Field{
			{Key: fieldStaffUser, Label: "工作人员账号", Placeholder: "请输入工作人员账号", Required: true, MaxLen: 32},
			{Key: fieldStaffPass, Label: "密码", Kind: form.Password, Placeholder: "请输入工作人员密码", Required: true},
			{Key: fieldStaffVerdict, Label: "核验结果", Kind: form.Radio, Options: []string{staffApprove, staffReject}, Required: true},
		}}},
	})
	s.staff.SetWidth(s.w)
	return s.cap.Stop() // no picture on the staff form: free the camera
}

// confirm runs Counter.Confirm in a command; the form stays live meanwhile.
func (s *faceStep) confirm(v map[string]string) tea.Cmd {
	if s.busy {
		return nil
	}
	s.busy = true
	s.staff.SetBusy(true)
	s.staff.SetFormError("")
	s.gen++
	c, gen := s.a.deps.Counter, s.gen
	user, pw, approve := strings.TrimSpace(v[fieldStaffUser]), v[fieldStaffPass], v[fieldStaffVerdict] == staffApprove
	s.staffBy = user
	return tea.Batch(s.spin.Tick, func() tea.Msg {
		ctx, cancel := opContext()
		defer cancel()
		res, err := c.Confirm(ctx, user, pw, approve)
		return faceStaffResult{gen: gen, res: res, err: err}
	})
}

func (s *faceStep) staffDone(res face.Result, err error) tea.Cmd {
	s.busy = false
	s.staff.SetBusy(false)
	if err == nil {
		if res.Match {
			return s.pass(res)
		}
		s.state, s.msg, s.msgErr, s.staff = fsRejected, res.Reason, true, nil
		s.buttons.set(btn{id: FaceBack, label: "返回"})
		return nil
	}
	var locked *model.LockedError
	var known interface{ Message() string }
	msg := model.UserMessage(err)
	switch {
	case errors.As(err, &locked):
		msg = "该工作人员账号已锁定，请于 " + unlockTime(locked.Until, s.a.now()) + " 后重试"
	case !errors.As(err, &known):
		s.a.logError("counter confirm", err)
	}
	s.staff.SetFormError(msg)
	s.staff.Clear(fieldStaffPass)
	s.staff.Focus(fieldStaffPass)
	return nil
}

// faceScreen hosts the face step as a screen of its own.
type faceScreen struct {
	base
	a    *app
	p    FaceParams
	step *faceStep
}

func newFaceScreen(a *app, params any) Screen {
	p, _ := params.(FaceParams)
	return &faceScreen{a: a, p: p, step: newFaceStep(a, p)}
}

func (f *faceScreen) Init() tea.Cmd       { return f.step.Init() }
func (f *faceScreen) SetSize(w, h int)    { f.step.SetSize(w, h) }
func (f *faceScreen) Help() []key.Binding { return f.step.Help() }
func (f *faceScreen) View() string        { return f.step.View() }

func (f *faceScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case FaceVerified:
		if f.p.OnDone != "" {
			return navigate(f.p.OnDone, msg)
		}
		return nil
	case FaceCancelled:
		return back
	}
	return f.step.Update(msg)
}

// Leave releases the camera and cancels a running verification; the root
// calls it whenever the screen is replaced (navigation, idle, logout).
func (f *faceScreen) Leave() tea.Cmd {
	f.step.stopVerify()
	return f.step.cap.Stop()
}
