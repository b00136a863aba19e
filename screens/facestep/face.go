package facestep

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
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// Params says whose face is checked and what for.
type Params struct {
	Name     string // ID holder; PII, shown masked only
	IDNumber string // PII, shown masked only
	Purpose  string // title, a catalog id; default face.title
	// For is the use the evidence is bound to (model.FaceForRegister…):
	// the use case accepts evidence for its own purpose only.
	For string
}

// Verified is the step's result: the person passed, automatically or
// confirmed by staff (Result.Outcome is face.Counter then).
type Verified struct {
	Purpose string
	Result  face.Result
	// Method is model.FaceHTTP, FaceDemo or FaceCounter; Ref the staff
	// username for the counter; At when the verdict was given.
	Method string
	Ref    string
	At     time.Time
	// evidence is sealed by the model's FaceService for Params.IDNumber
	// and Params.For; the step only carries it.
	evidence model.FaceEvidence
}

// Evidence is what a use case needs from a passed face step.
func (v Verified) Evidence() model.FaceEvidence { return v.evidence }

type (
	verifyResult struct {
		res face.Result
		ev  model.FaceEvidence
		err error
	}
	staffResult struct {
		res face.Result
		ev  model.FaceEvidence
		err error
	}
)

// Texts of the face step: catalog ids.
const (
	DemoLabel         = "face.demo_label"
	Verifying         = "face.verifying"
	Passed            = "face.passed"
	faceCancelledText = "face.cancelled"
	faceGuideHint     = "face.guide"
	faceStaffIntro    = "face.staff_intro"
	faceNoCounter     = "face.no_counter"
	faceTooMany       = "face.too_many"
)

// Staff form field keys and decisions.
const (
	StaffForm         = "face-staff"
	fieldStaffUser    = "staff_user"
	fieldStaffPass    = "staff_pass"
	fieldStaffVerdict = "staff_verdict"
	staffApprove      = "approve"
	staffReject       = "reject"
)

// Button ids of the face step (zone id: "face:" + id).
const (
	ZonePrefix = "face"
	Cancel     = "cancel"
	Retry      = "retry"  // verify the same frames again (service error)
	Retake     = "retake" // new frames
	Staff      = "staff"  // 到窗口人工核验
	Back       = "back"
	Done       = "done"
)

// faceTimeout bounds one verification, retries included; the adapters have
// their own shorter per-request timeouts.
const faceTimeout = 90 * time.Second

// maxFaceAttempts is how many automatic verdicts of "not the same person"
// are allowed before only the counter remains.
const maxFaceAttempts = 3

// Slots of the step's work in the visit.
const (
	verifySlot = "face:verify"
	staffSlot  = "face:staff"
)

type faceState int

const (
	fsCapture   faceState = iota // live preview and 拍照
	fsVerifying                  // Verify running: spinner and 取消
	fsOutcome                    // no verdict or a negative one: explain, offer the way on
	fsStaff                      // staff confirmation form
	fsPassed
	fsRejected // staff did not confirm
)

// Step is the face-verification component. It reports
// kit.StepDone{Verified} on a pass and kit.StepBack when the person leaves.
type Step struct {
	a        *kit.App
	p        Params
	cap      *Capture
	state    faceState
	spin     spinner.Model
	frames   []image.Image
	attempts int
	msg      i18n.Text // sentence under the picture
	msgErr   bool
	buttons  kit.ButtonRow
	staff    *form.Form
	busy     bool // staff Confirm running
	w, h     int
}

// New builds the face step for p.
func New(a *kit.App, p Params) *Step {
	if p.Purpose == "" {
		p.Purpose = "face.title"
	}
	s := &Step{a: a, p: p, buttons: kit.NewButtonRow(a, ZonePrefix),
		spin: spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(a.St.Spinner))}
	s.cap = NewCapture(a, CaptureConfig{ID: ZonePrefix + "-cap", Count: 3, Guide: true, Hint: faceGuideHint})
	return s
}

func (s *Step) Init() tea.Cmd { return s.cap.Init() }

func (s *Step) SetSize(w, h int) {
	s.w, s.h = w, h
	s.cap.SetSize(w, h-5) // title block above the picture
	if s.staff != nil {
		s.staff.SetWidth(w)
	}
}

// Staffing reports whether the staff confirmation form is on show.
func (s *Step) Staffing() bool { return s.state == fsStaff }

// Busy reports a staff confirmation under way.
func (s *Step) Busy() bool { return s.busy }

// Capture is the step's camera capture.
func (s *Step) Capture() *Capture { return s.cap }

func (s *Step) Help() []key.Binding {
	switch s.state {
	case fsCapture:
		return s.cap.Help()
	case fsStaff:
		return s.staff.Help()
	}
	return append(s.buttons.Help(), s.a.Keys.Back)
}

func (s *Step) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if (s.state != fsVerifying && !s.busy) || msg.ID != s.spin.ID() {
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
	case verifyResult:
		if s.state == fsVerifying {
			return s.verdict(msg.res, msg.ev, msg.err)
		}
		return nil
	case staffResult:
		if s.state == fsStaff {
			return s.staffDone(msg.res, msg.ev, msg.err)
		}
		return nil
	case form.Submitted:
		if msg.Form == StaffForm && s.state == fsStaff {
			return s.confirm(msg.Values)
		}
		return nil
	case form.Cancelled:
		if msg.Form == StaffForm && s.state == fsStaff {
			return s.retake(i18n.Text{})
		}
		return nil
	}
	switch s.state {
	case fsCapture:
		if !s.msg.IsZero() {
			if _, ok := msg.(tea.KeyMsg); ok {
				s.msg = i18n.Text{} // the cancel notice goes with the next key
			}
		}
		return s.cap.Update(msg)
	case fsStaff:
		return s.staff.Update(msg)
	}
	if km, ok := msg.(tea.KeyMsg); ok && key.Matches(km, s.a.Keys.Back) {
		if s.state == fsVerifying {
			return s.press(Cancel)
		}
		return s.press(Back)
	}
	switch msg.(type) {
	case tea.KeyMsg, tea.MouseMsg:
		return s.press(s.buttons.Update(msg))
	}
	return nil
}

func (s *Step) press(id string) tea.Cmd {
	switch id {
	case Cancel:
		if s.state == fsVerifying {
			s.a.Drop(verifySlot)
			return s.retake(i18n.T(faceCancelledText))
		}
	case Retry:
		return s.verify()
	case Retake:
		return s.retake(i18n.Text{})
	case Staff:
		return s.openStaff()
	case Back:
		return s.leave()
	case Done:
		return kit.Emit(kit.StepBack{})
	}
	return nil
}

// verify runs Deps.Faces in a slot of the visit; 取消 drops it.
func (s *Step) verify() tea.Cmd {
	s.state, s.msg = fsVerifying, i18n.Text{}
	s.buttons.Set(kit.Btn{ID: Cancel, Label: "flow.cancel"})
	fs := s.a.Deps.Faces
	if fs == nil {
		return s.verdict(face.Result{}, model.FaceEvidence{}, face.ErrUnavailable)
	}
	req := model.FaceRequest{Name: s.p.Name, IDNumber: s.p.IDNumber, Purpose: s.p.For,
		Frames: append([]image.Image(nil), s.frames...)}
	return tea.Batch(s.spin.Tick, s.a.InFor(verifySlot, faceTimeout, func(ctx context.Context) tea.Msg {
		v, ev, err := fs.Verify(ctx, req)
		return verifyResult{res: face.ResultOf(v), ev: ev, err: err}
	}))
}

// verdict turns the verifier's answer into the next step.
func (s *Step) verdict(res face.Result, ev model.FaceEvidence, err error) tea.Cmd {
	retry := &kit.Btn{ID: Retry, Label: "face.retry"}       // the same frames again
	retake := &kit.Btn{ID: Retake, Label: "capture.retake"} // new frames
	again := &kit.Btn{ID: Retake, Label: "face.retry"}      // new frames after "not the same person"
	switch {
	case err == nil && res.Match:
		return s.pass(res, ev)
	case errors.Is(err, face.ErrNeedsStaff):
		return s.openStaff()
	case errors.Is(err, face.ErrNoFrames):
		s.outcome(face.Message(err), retake)
		return nil
	case err != nil:
		var known *face.Error
		if !errors.As(err, &known) {
			s.a.LogError("face verify", err) // adapters never put PII in errors
		}
		s.outcome(face.Message(err), retry)
		return nil
	}
	reason := res.Reason
	if reason.IsZero() {
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
			s.outcome(i18n.T(faceTooMany, "Reason", reason), nil)
		} else {
			s.outcome(reason, again)
		}
	}
	return nil
}

// outcome shows a sentence with the ways on: first (if any), the counter
// when there is one, and 返回.
func (s *Step) outcome(msg i18n.Text, first *kit.Btn) {
	s.state, s.msg, s.msgErr = fsOutcome, msg, true
	var b []kit.Btn
	if first != nil {
		b = append(b, *first)
	}
	if s.a.Deps.Faces.HasStaff() {
		b = append(b, kit.Btn{ID: Staff, Label: "face.to_counter"})
	}
	s.buttons.Set(append(b, kit.Btn{ID: Back, Label: "key.back"})...)
}

func (s *Step) retake(notice i18n.Text) tea.Cmd {
	s.state, s.msg, s.msgErr, s.busy = fsCapture, notice, false, false
	s.staff = nil // staff credentials never outlive the form
	s.a.Drop(staffSlot)
	return s.cap.Restart()
}

// pass reports the verdict with the evidence the model sealed for it.
func (s *Step) pass(res face.Result, ev model.FaceEvidence) tea.Cmd {
	s.state, s.msg, s.msgErr, s.busy = fsPassed, i18n.T(Passed), false, false
	s.staff = nil
	s.buttons.Set(kit.Btn{ID: Done, Label: "face.done"})
	m := Verified{Purpose: s.p.Purpose, Result: res, Method: ev.Method, Ref: ev.Ref, At: ev.At, evidence: ev}
	return tea.Batch(s.cap.Stop(), kit.Emit(kit.StepDone{Result: m}))
}

func (s *Step) leave() tea.Cmd {
	s.a.Drop(verifySlot)
	return tea.Batch(s.cap.Stop(), kit.Emit(kit.StepBack{}))
}

// Leave releases the camera and drops a running verification.
func (s *Step) Leave() tea.Cmd {
	s.a.Drop(verifySlot)
	s.a.Drop(staffSlot)
	return s.cap.Stop()
}

func (s *Step) View() string {
	st := s.a.St
	who := s.a.S("face.who", "Name", rules.MaskName(rules.Sanitize(s.p.Name)), "ID", rules.MaskID(rules.Sanitize(s.p.IDNumber)))
	label := ""
	if s.a.Deps.Faces.Simulated() {
		label = st.Muted.Render("〔" + s.a.S(DemoLabel) + "〕")
	}
	lines := []string{"", "  " + st.Title.Render(s.a.S(s.p.Purpose)), "  " + st.Text.Render(who), "  " + label, ""}
	msg := s.a.T(s.msg)
	switch s.state {
	case fsCapture:
		v := s.cap.View()
		if msg != "" {
			v += "\n" + Indented(st.Muted, msg, s.w)
		}
		lines = append(lines, v)
	case fsStaff:
		lines = append(lines, " "+Indented(st.Text, s.a.S(faceStaffIntro), s.w-1), "", s.staff.View())
		if s.busy {
			lines = append(lines, "", "  "+s.spin.View()+" "+st.Text.Render(s.a.S("face.staff_checking")))
		}
	default:
		line := Indented(st.Text, msg, s.w)
		switch {
		case s.state == fsVerifying:
			line = " " + s.spin.View() + " " + st.Text.Render(s.a.S(Verifying))
		case s.state == fsPassed:
			line = Indented(st.Success, "✔ "+msg, s.w)
		case s.msgErr:
			line = Indented(st.Error, msg, s.w)
		}
		lines = append(lines, s.cap.preview.View(), line, "", " "+s.buttons.View())
	}
	return strings.Join(lines, "\n")
}
