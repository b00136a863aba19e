package screens

import (
	"context"
	"errors"
	"image"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/face"
	"kiosk/model"
	"kiosk/model/rules"
	"kiosk/screens/form"
)

// ScreenFaceVerify is the face-verification step as a screen of its own;
// its Params are FaceParams. Multi-step flows (registration, adding an
// agent, legal-rep change) may embed newFaceStep instead, so their typed
// values survive the check.
const ScreenFaceVerify ScreenID = "face-verify"

// FaceParams says whose face is checked and what for.
type FaceParams struct {
	Name     string // ID holder; PII, shown masked only
	IDNumber string // PII, shown masked only
	Purpose  string // title, e.g. "法定代表人人脸核验"; default 人脸核验
	// OnDone is opened with FaceVerified as its Params after a pass; empty
	// stays on the 人脸核验通过 page, whose 完成 goes back.
	OnDone ScreenID
}

// Messages of the face step to its host.
type (
	// FaceVerified: the person passed, automatically or confirmed by staff
	// (Result.Outcome is face.Counter then).
	FaceVerified struct {
		Purpose string
		Result  face.Result
		// Method is model.FaceHTTP, FaceDemo or FaceCounter; Ref the staff
		// username for the counter; At when the verdict was given. Hosts
		// turn these into model.FaceEvidence (faceEvidence).
		Method string
		Ref    string
		At     time.Time
	}
	// FaceCancelled: the person left the step with 返回.
	FaceCancelled struct{ Purpose string }

	faceVerifyResult struct {
		gen int
		res face.Result
		err error
	}
	faceStaffResult struct {
		gen int
		res face.Result
		err error
	}
)

// Texts of the face step.
const (
	FaceDemoLabel     = "演示人脸核验（模拟）"
	FaceVerifying     = "正在进行人脸比对…"
	FacePassed        = "人脸核验通过"
	faceCancelledText = "已取消人脸比对，可重新拍照"
	faceGuideHint     = "请摘下帽子、口罩，正对摄像头，将面部置于椭圆框内，然后点击“拍照”"
	faceStaffIntro    = "请窗口工作人员核对本人与身份证件后，输入工作人员账号和密码确认"
	faceNoCounter     = "暂不支持人工核验，请咨询窗口工作人员"
	faceTooMany       = "多次比对未通过，请到窗口人工核验"
)

// Staff form field keys and decisions.
const (
	FaceStaffForm     = "face-staff"
	fieldStaffUser    = "staff_user"
	fieldStaffPass    = "staff_pass"
	fieldStaffVerdict = "staff_verdict"
	staffApprove      = "核验通过"
	staffReject       = "核验不通过"
)

// Button ids of the face step (zone id: "face:" + id).
const (
	FaceZonePrefix = "face"
	FaceCancel     = "cancel"
	FaceRetry      = "retry"  // verify the same frames again (service error)
	FaceRetake     = "retake" // new frames
	FaceStaff      = "staff"  // 到窗口人工核验
	FaceBack       = "back"
	FaceDone       = "done"
)

// faceTimeout bounds one verification, retries included; the adapters have
// their own shorter per-request timeouts.
const faceTimeout = 90 * time.Second

// maxFaceAttempts is how many automatic verdicts of "not the same person"
// are allowed before only the counter remains.
const maxFaceAttempts = 3

type faceState int

const (
	fsCapture   faceState = iota // live preview and 拍照
	fsVerifying                  // Verify running: spinner and 取消
	fsOutcome                    // no verdict or a negative one: explain, offer the way on
	fsStaff                      // staff confirmation form
	fsPassed
	fsRejected // staff did not confirm
)

// faceStep is the reusable face-verification component.
type faceStep struct {
	a        *app
	p        FaceParams
	cap      *capture
	state    faceState
	spin     spinner.Model
	cancel   context.CancelFunc // of the running Verify
	gen      int                // drops verdicts of cancelled or superseded checks
	frames   []image.Image
	attempts int
	msg      string // sentence under the picture
	msgErr   bool
	buttons  buttonRow
	staff    *form.Form
	busy     bool   // staff Confirm running
	staffBy  string // username of the staff member who confirmed, for the evidence
	w, h     int
}

func newFaceStep(a *app, p FaceParams) *faceStep {
	if p.Purpose == "" {
		p.Purpose = "人脸核验"
	}
	s := &faceStep{a: a, p: p, buttons: buttonRow{a: a, prefix: FaceZonePrefix},
		spin: spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(a.st.Spinner))}
	s.cap = newCapture(a, CaptureConfig{ID: FaceZonePrefix + "-cap", Count: 3, Guide: true, Hint: faceGuideHint})
	return s
}

func (s *faceStep) Init() tea.Cmd { return s.cap.Init() }

func (s *faceStep) SetSize(w, h int) {
	s.w, s.h = w, h
	s.cap.SetSize(w, h-5) // title block above the picture
	if s.staff != nil {
		s.staff.SetWidth(w)
	}
}

func (s *faceStep) Help() []key.Binding {
	switch s.state {
	case fsCapture:
		return s.cap.Help()
	case fsStaff:
		return s.staff.Help()
	}
	return append(s.buttons.help(), s.a.keys.Back)
}

func (s *faceStep) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if s.state != fsVerifying && !s.busy {
			return nil // let the tick chain die
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return cmd
	case Captured:
		if msg.ID == s.cap.cfg.ID && s.state == fsCapture {
			s.frames = msg.Images
			return s.verify()
		}
		return nil
	case CaptureCancelled:
		if msg.ID == s.cap.cfg.ID {
			return s.leave()
		}
		return nil
	case faceVerifyResult:
		if msg.gen == s.gen && s.state == fsVerifying {
			return s.verdict(msg.res, msg.err)
		}
		return nil
	case faceStaffResult:
		if msg.gen == s.gen && s.state == fsStaff {
			return s.staffDone(msg.res, msg.err)
		}
		return nil
	case form.Submitted:
		if msg.Form == FaceStaffForm && s.state == fsStaff {
			return s.confirm(msg.Values)
		}
		return nil
	case form.Cancelled:
		if msg.Form == FaceStaffForm && s.state == fsStaff {
			return s.retake("")
		}
		return nil
	}
	switch s.state {
	case fsCapture:
		if s.msg != "" {
			if _, ok := msg.(tea.KeyMsg); ok {
				s.msg = "" // the cancel notice goes with the next key
			}
		}
		return s.cap.Update(msg)
	case fsStaff:
		return s.staff.Update(msg)
	}
	if km, ok := msg.(tea.KeyMsg); ok && key.Matches(km, s.a.keys.Back) {
		if s.state == fsVerifying {
			return s.press(FaceCancel)
		}
		return s.press(FaceBack)
	}
	if _, ok := msg.(tea.KeyMsg); ok {
		return s.press(s.buttons.update(msg))
	}
	if _, ok := msg.(tea.MouseMsg); ok {
		return s.press(s.buttons.update(msg))
	}
	return nil
}

func (s *faceStep) press(id string) tea.Cmd {
	switch id {
	case FaceCancel:
		if s.state == fsVerifying {
			s.stopVerify()
			return s.retake(faceCancelledText)
		}
	case FaceRetry:
		return s.verify()
	case FaceRetake:
		return s.retake("")
	case FaceStaff:
		return s.openStaff()
	case FaceBack:
		return s.leave()
	case FaceDone:
		return back
	}
	return nil
}

// verify runs Deps.Face in a command; the cancel func stays in the model so
// 取消 can end it.
func (s *faceStep) verify() tea.Cmd {
	s.stopVerify()
	s.state, s.msg = fsVerifying, ""
	s.buttons.set(btn{id: FaceCancel, label: "取消"})
	v := s.a.deps.Face
	if v == nil {
		return s.verdict(face.Result{}, face.ErrUnavailable)
	}
	ctx, cancel := context.WithTimeout(context.Background(), faceTimeout)
	s.cancel = cancel
	req := face.Request{Name: s.p.Name, IDNumber: s.p.IDNumber, Frames: append([]image.Image(nil), s.frames...)}
	gen := s.gen
	return tea.Batch(s.spin.Tick, func() tea.Msg {
		res, err := v.Verify(ctx, req)
		return faceVerifyResult{gen: gen, res: res, err: err}
	})
}

func (s *faceStep) stopVerify() {
	s.gen++
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
}

// verdict turns the verifier's answer into the next step.
func (s *faceStep) verdict(res face.Result, err error) tea.Cmd {
	s.stopVerify()
	retry := &btn{id: FaceRetry, label: "重试"}   // the same frames again
	retake := &btn{id: FaceRetake, label: "重拍"} // new frames
	again := &btn{id: FaceRetake, label: "重试"}  // new frames after "not the same person"
	switch {
	case err == nil && res.Match:
		return s.pass(res)
	case errors.Is(err, face.ErrNeedsStaff):
		return s.openStaff()
	case errors.Is(err, face.ErrNoFrames):
		s.outcome(face.Message(err), retake)
		return nil
	case err != nil:
		var known *face.Error
		if !errors.As(err, &known) {
			s.a.logError("face verify", err) // adapters never put PII in errors
		}
		s.outcome(face.Message(err), retry)
		return nil
	}
	reason := res.Reason
	if reason == "" {
		reason = res.Outcome.Reason()
	}
	switch {
	case res.Outcome.Retake():
		s.outcome(reason, retake)
	case res.Outcome == face.IDNotFound:
		s.outcome(reason, nil) // new frames cannot help
	default: // no_match and anything unknown
		s.attempts++
		if s.attempts >= maxFaceAttempts {
			s.outcome(reason+"。"+faceTooMany, nil)
		} else {
			s.outcome(reason, again)
		}
	}
	return nil
}

// outcome shows a sentence with the ways on: first (if any), the counter
// when there is one, and 返回.
func (s *faceStep) outcome(msg string, first *btn) {
	s.state, s.msg, s.msgErr = fsOutcome, msg, true
	var b []btn
	if first != nil {
		b = append(b, *first)
	}
	if s.a.deps.Counter != nil {
		b = append(b, btn{id: FaceStaff, label: "到窗口人工核验"})
	}
	s.buttons.set(append(b, btn{id: FaceBack, label: "返回"})...)
}

func (s *faceStep) retake(notice string) tea.Cmd {
	s.state, s.msg, s.msgErr, s.busy = fsCapture, notice, false, false
	s.staff = nil // staff credentials never outlive the form
	return s.cap.Restart()
}

func (s *faceStep) pass(res face.Result) tea.Cmd {
	s.state, s.msg, s.msgErr, s.busy = fsPassed, FacePassed, false, false
	s.staff = nil
	s.buttons.set(btn{id: FaceDone, label: "完成"})
	m := FaceVerified{Purpose: s.p.Purpose, Result: res, Method: model.FaceHTTP, At: s.a.now()}
	switch {
	case res.Outcome == face.Counter:
		m.Method, m.Ref = model.FaceCounter, s.staffBy
	case s.a.deps.Face != nil && s.a.deps.Face.Simulated():
		m.Method = model.FaceDemo
	}
	return tea.Batch(s.cap.Stop(), func() tea.Msg { return m })
}

func (s *faceStep) leave() tea.Cmd {
	s.stopVerify()
	p := s.p.Purpose
	return tea.Batch(s.cap.Stop(), func() tea.Msg { return FaceCancelled{Purpose: p} })
}

func (s *faceStep) View() string {
	st := s.a.st
	who := "核验对象：" + rules.MaskName(rules.Sanitize(s.p.Name)) +
		"    证件号码：" + rules.MaskID(rules.Sanitize(s.p.IDNumber))
	label := ""
	if f := s.a.deps.Face; f != nil && f.Simulated() {
		label = st.Muted.Render("〔" + FaceDemoLabel + "〕")
	}
	lines := []string{"", "  " + st.Title.Render(rules.Sanitize(s.p.Purpose)), "  " + st.Text.Render(who), "  " + label, ""}
	switch s.state {
	case fsCapture:
		v := s.cap.View()
		if s.msg != "" {
			v += "\n " + st.Muted.Render(s.msg)
		}
		lines = append(lines, v)
	case fsStaff:
		lines = append(lines, "  "+st.Text.Render(faceStaffIntro), "", s.staff.View())
		if s.busy {
			lines = append(lines, "", "  "+s.spin.View()+" "+st.Text.Render("正在核验工作人员身份…"))
		}
	default:
		line := st.Text.Render(s.msg)
		switch {
		case s.state == fsVerifying:
			line = s.spin.View() + " " + st.Text.Render(FaceVerifying)
		case s.state == fsPassed:
			line = st.Success.Render("✔ " + s.msg)
		case s.msgErr:
			line = st.Error.Render(s.msg)
		}
		lines = append(lines, s.cap.preview.View(), " "+line, "", " "+s.buttons.view())
	}
	return strings.Join(lines, "\n")
}
