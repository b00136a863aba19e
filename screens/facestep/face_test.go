package facestep

import (
	"context"
	"image"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/face"
	"kiosk/devices/face/counter"
	"kiosk/devices/face/demo"
	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/model/pwhash"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

const (
	staffUser = "wangfang"
	staffPass = "Counter#2026"
	faceName  = "王建国"
)

var faceID = "110108198001011234" // shape only: the step never checks it

var cst = time.FixedZone("CST", 8*3600)

// stubFace answers Verify with answer(n) for the n-th call (from 0).
type stubFace struct {
	mu     sync.Mutex
	calls  []face.Request
	answer func(ctx context.Context, n int) (face.Result, error)
	sim    bool
}

func (s *stubFace) Verify(ctx context.Context, req face.Request) (face.Result, error) {
	s.mu.Lock()
	n := len(s.calls)
	s.calls = append(s.calls, req)
	s.mu.Unlock()
	return s.answer(ctx, n)
}

func (s *stubFace) Name() string                { return "stub" }
func (s *stubFace) Simulated() bool             { return s.sim }
func (s *stubFace) Check(context.Context) error { return nil }

func (s *stubFace) nCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

func always(res face.Result, err error) func(context.Context, int) (face.Result, error) {
	return func(context.Context, int) (face.Result, error) { return res, err }
}

// counterOn is the counter adapter over a real store (memkv) holding one
// staff member.
func counterOn(t *testing.T, st model.Store) *counter.Verifier {
	t.Helper()
	h := pwhash.New(pwhash.Fast)
	phc, err := h.Hash(staffPass)
	if err != nil {
		t.Fatal(err)
	}
	clock := clocktest.New(time.Date(2026, 3, 2, 9, 0, 0, 0, cst))
	err = st.Update(context.Background(), func(tx model.Tx) error {
		return tx.Staff().Put(model.Staff{ID: "s-001", Username: staffUser, Name: "王芳", PasswordHash: phc, CreatedAt: clock.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	return &counter.Verifier{Auth: &model.Auth{Store: st, Hasher: h, Clock: clock, Kiosk: "KIOSK-T1"}}
}

func memStore(t *testing.T) *storage.Store {
	t.Helper()
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func threeFrames(t *testing.T) []image.Image {
	return []image.Image{sampleFrame(t, "face-1"), sampleFrame(t, "face-2"), sampleFrame(t, "face-3")}
}

func hasAudit(recs []model.AuditRecord, action, outcome string) bool {
	for _, r := range recs {
		if r.Action == action && r.Outcome == outcome {
			return true
		}
	}
	return false
}

// newTestFace is a face step at 120×34 (the body of the 120×40 layout)
// that has just taken its three frames: its Verify command is returned.
func newTestFace(t *testing.T, d kit.Deps) (*Step, tea.Cmd) {
	t.Helper()
	if d.Camera == nil {
		d.Camera = &listCam{frames: threeFrames(t)}
	}
	s := New(newTestApp(t, d), Params{Name: faceName, IDNumber: faceID, Purpose: "register.face_purpose", For: model.FaceForRegister})
	s.SetSize(120, 34)
	s.Init()
	cmd := s.Update(Captured{ID: s.cap.cfg.ID, Images: threeFrames(t)})
	if s.state != fsVerifying || cmd == nil {
		t.Fatalf("after capture: state %d", s.state)
	}
	return s, cmd
}

// verified is the verdict among msgs: the step reports a pass as
// kit.StepDone carrying Verified.
func verified(t *testing.T, msgs []tea.Msg) Verified {
	t.Helper()
	done := findMsg[kit.StepDone](t, msgs)
	v, ok := done.Result.(Verified)
	if !ok {
		t.Fatalf("StepDone carries %#v", done.Result)
	}
	return v
}

func TestFaceMatch(t *testing.T) {
	v := &stubFace{answer: always(face.ResultFor(face.Match, 0.97), nil)}
	s, cmd := newTestFace(t, kit.Deps{Face: v})
	view := s.View()
	for _, want := range []string{zh(Verifying), "【取消】", "王**", "110108********1234", "法定代表人人脸核验"} {
		if !strings.Contains(view, want) {
			t.Errorf("verifying view lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, faceName) || strings.Contains(view, faceID) || strings.Contains(view, zh(DemoLabel)) {
		t.Errorf("unmasked PII or a wrong demo label:\n%s", view)
	}
	out := deliver(s.a, s.Update(run(t, s.a, cmd)))
	got := verified(t, out)
	if !got.Result.Match || got.Result.Score != 0.97 || got.Purpose != "register.face_purpose" {
		t.Errorf("Verified %+v", got)
	}
	if v.nCalls() != 1 || len(v.calls[0].Frames) != 3 || v.calls[0].IDNumber != faceID || v.calls[0].Name != faceName {
		t.Errorf("verify request %+v", v.calls)
	}
	if s.state != fsPassed || !strings.Contains(s.View(), zh(Passed)) {
		t.Errorf("passed view:\n%s", s.View())
	}
	m := run(t, s.a, s.Update(keyEnter))
	if m != (kit.StepBack{}) {
		t.Errorf("完成 = %#v", m)
	}
	// On its own screen, 完成 goes back.
	scr := NewScreen(s.a, Params{Name: faceName, IDNumber: faceID}, nil)
	if back := run(t, s.a, scr.Update(m)); back != (kit.Back{}) {
		t.Errorf("完成 on the face screen = %#v", back)
	}
}

func TestFaceNoMatchThenCounterOnly(t *testing.T) {
	v := &stubFace{answer: always(face.ResultFor(face.NoMatch, 0.2), nil)}
	s, cmd := newTestFace(t, kit.Deps{Face: v, Counter: counterOn(t, memStore(t))})
	for i := 1; i <= maxFaceAttempts; i++ {
		if out := s.Update(run(t, s.a, cmd)); out != nil {
			t.Fatalf("no_match emitted %#v", collect(out))
		}
		view := s.View()
		if s.state != fsOutcome || !strings.Contains(view, zht(face.NoMatch.Reason())) || !strings.Contains(view, "到窗口人工核验") {
			t.Fatalf("attempt %d view:\n%s", i, view)
		}
		if i == maxFaceAttempts {
			if strings.Contains(view, "重试") || !strings.Contains(view, zh(faceTooMany, "Reason", face.NoMatch.Reason())) {
				t.Fatalf("after %d no_match only the counter is left:\n%s", i, view)
			}
			break
		}
		// 重试 (focused) takes new frames.
		if !strings.Contains(view, "【重试】") {
			t.Fatalf("no 重试:\n%s", view)
		}
		s.Update(keyEnter)
		if s.state != fsCapture {
			t.Fatalf("重试 → state %d", s.state)
		}
		cmd = s.Update(Captured{ID: s.cap.cfg.ID, Images: threeFrames(t)})
	}
	// 到窗口人工核验 opens the staff form.
	s.Update(keyEnter)
	if s.state != fsStaff || !strings.Contains(s.View(), "工作人员账号") {
		t.Fatalf("staff form:\n%s", s.View())
	}
}

func TestFaceRetakeOutcomes(t *testing.T) {
	for _, o := range []face.Outcome{face.NoFace, face.MultipleFaces, face.LivenessFailed} {
		t.Run(string(o), func(t *testing.T) {
			s, cmd := newTestFace(t, kit.Deps{Face: &stubFace{answer: always(face.ResultFor(o, 0), nil)}})
			s.Update(run(t, s.a, cmd))
			view := s.View()
			if !strings.Contains(view, zht(o.Reason())) || !strings.Contains(view, "【重拍】") || strings.Contains(view, "人工核验") {
				t.Fatalf("view (no counter configured):\n%s", view)
			}
			if s.Update(keyEnter); s.state != fsCapture {
				t.Fatalf("重拍 → state %d", s.state)
			}
		})
	}
}

// A service error keeps the frames: 重试 sends them again.
func TestFaceServiceErrorRetrySameFrames(t *testing.T) {
	v := &stubFace{answer: func(_ context.Context, n int) (face.Result, error) {
		if n == 0 {
			return face.Result{}, face.ErrTimeout
		}
		return face.ResultFor(face.Match, 0.9), nil
	}}
	s, cmd := newTestFace(t, kit.Deps{Face: v})
	s.Update(run(t, s.a, cmd))
	if view := s.View(); !strings.Contains(view, zht(face.ErrTimeout.Msg)) || !strings.Contains(view, "【重试】") {
		t.Fatalf("timeout view:\n%s", view)
	}
	again := s.Update(keyEnter)
	if s.state != fsVerifying {
		t.Fatalf("重试 → state %d", s.state)
	}
	verified(t, deliver(s.a, s.Update(run(t, s.a, again))))
	if v.calls[0].Frames[0] != v.calls[1].Frames[0] {
		t.Errorf("重试 used new frames")
	}
}

func TestFaceIDNotFoundAndNoVerifier(t *testing.T) {
	s, cmd := newTestFace(t, kit.Deps{Face: &stubFace{answer: always(face.ResultFor(face.IDNotFound, 0), nil)}})
	s.Update(run(t, s.a, cmd))
	if view := s.View(); strings.Contains(view, "重试") || strings.Contains(view, "重拍") || !strings.Contains(view, zht(face.IDNotFound.Reason())) {
		t.Fatalf("id_not_found view:\n%s", view)
	}
	s = New(newTestApp(t, kit.Deps{}), Params{Name: faceName, IDNumber: faceID})
	s.Update(Captured{ID: s.cap.cfg.ID, Images: threeFrames(t)})
	if s.state != fsOutcome || !strings.Contains(s.View(), zht(face.ErrUnavailable.Msg)) {
		t.Fatalf("no verifier:\n%s", s.View())
	}
}

// Cancel: the verifier ignores its context and answers late; the late
// answer is dropped and the person is back at the live preview.
func TestFaceCancel(t *testing.T) {
	release := make(chan struct{})
	var sawCancel sync.WaitGroup
	sawCancel.Add(1)
	v := &stubFace{answer: func(ctx context.Context, _ int) (face.Result, error) {
		<-ctx.Done()
		sawCancel.Done()
		<-release
		return face.ResultFor(face.Match, 1), nil
	}}
	s, cmd := newTestFace(t, kit.Deps{Face: v})
	late := make(chan []tea.Msg, 1)
	go func() { late <- collect(cmd) }()
	if s.Update(keyEnter) == nil || s.state != fsCapture {
		t.Fatalf("取消 → state %d", s.state)
	}
	if !strings.Contains(s.View(), zh(faceCancelledText)) {
		t.Errorf("no cancel notice:\n%s", s.View())
	}
	sawCancel.Wait() // the verifier's context was cancelled
	close(release)
	msgs := <-late
	if len(msgs) == 0 {
		t.Fatal("the verifier's late answer never came back")
	}
	if m := opened(s.a, msgs); len(m) != 0 {
		t.Fatalf("late verdict delivered: %#v", m)
	}
	if s.state != fsCapture {
		t.Fatalf("late verdict taken: state %d", s.state)
	}
	// esc while verifying cancels too.
	s.Update(Captured{ID: s.cap.cfg.ID, Images: threeFrames(t)})
	if s.Update(keyEsc); s.state != fsCapture {
		t.Errorf("esc → state %d", s.state)
	}
}

func TestFaceNeedsStaffConfirm(t *testing.T) {
	st := memStore(t)
	cv := counterOn(t, st)
	s, cmd := newTestFace(t, kit.Deps{Face: cv, Counter: cv})
	s.Update(run(t, s.a, cmd))
	if s.state != fsStaff {
		t.Fatalf("ErrNeedsStaff → state %d:\n%s", s.state, s.View())
	}
	submit := func(user, pw, verdict string) {
		t.Helper()
		s.staff.SetValue(fieldStaffUser, user)
		s.staff.SetValue(fieldStaffPass, pw)
		s.staff.SetValue(fieldStaffVerdict, verdict)
		confirm := s.Update(form.Submitted{Form: StaffForm, Values: s.staff.Values()})
		if !s.busy || !strings.Contains(s.View(), "正在核验工作人员身份") {
			t.Fatalf("no spinner while Confirm runs:\n%s", s.View())
		}
		if again := s.Update(form.Submitted{Form: StaffForm, Values: s.staff.Values()}); again != nil {
			t.Fatalf("a second submit while busy")
		}
		for _, m := range deliver(s.a, confirm) {
			for _, o := range deliver(s.a, s.Update(m)) {
				s.Update(o)
			}
		}
	}
	submit(staffUser, "Wrong#2026", staffApprove)
	if s.state != fsStaff || s.staff.FormError() != "账号或密码错误，还可尝试 4 次" || s.staff.Value(fieldStaffPass) != "" ||
		s.staff.Focused() != fieldStaffPass || s.staff.Value(fieldStaffUser) != staffUser {
		t.Fatalf("wrong password: err %q focus %s values %v", s.staff.FormError(), s.staff.Focused(), s.staff.Values())
	}
	s.staff.SetValue(fieldStaffUser, staffUser)
	s.staff.SetValue(fieldStaffPass, staffPass)
	s.staff.SetValue(fieldStaffVerdict, staffApprove)
	confirm := s.Update(form.Submitted{Form: StaffForm, Values: s.staff.Values()})
	got := verified(t, deliver(s.a, s.Update(run(t, s.a, confirm))))
	if !got.Result.Match || got.Result.Outcome != face.Counter {
		t.Fatalf("staff approval: %+v", got)
	}
	if s.staff != nil {
		t.Errorf("the staff form (with its password) outlived the check")
	}
	var recs []model.AuditRecord
	_ = st.View(context.Background(), func(tx model.Tx) error {
		var err error
		recs, err = tx.Audit().List(0, 10)
		return err
	})
	if !hasAudit(recs, counter.Action, "approved") || !hasAudit(recs, counter.Action, "fail") {
		t.Errorf("audit %+v", recs)
	}
}

func TestFaceStaffRejectsAndLocks(t *testing.T) {
	cv := counterOn(t, memStore(t))
	s, cmd := newTestFace(t, kit.Deps{Face: &stubFace{answer: always(face.ResultFor(face.NoMatch, 0.1), nil)}, Counter: cv})
	s.Update(run(t, s.a, cmd))
	s.Update(keyRight) // 到窗口人工核验
	s.Update(keyEnter)
	if s.state != fsStaff {
		t.Fatalf("state %d", s.state)
	}
	try := func(pw, verdict string) {
		s.staff.SetValue(fieldStaffUser, staffUser)
		s.staff.SetValue(fieldStaffPass, pw)
		s.staff.SetValue(fieldStaffVerdict, verdict)
		s.Update(run(t, s.a, s.Update(form.Submitted{Form: StaffForm, Values: s.staff.Values()})))
	}
	try(staffPass, staffReject)
	if s.state != fsRejected || !strings.Contains(s.View(), zht(counter.Rejected)) {
		t.Fatalf("rejected view:\n%s", s.View())
	}
	if m := run(t, s.a, s.Update(keyEnter)); m != (kit.StepBack{}) {
		t.Fatalf("返回 after a rejection = %#v", m)
	}
	// Five wrong passwords lock the staff username.
	s.openStaff()
	for range model.MaxFailures {
		try("Wrong#2026", staffApprove)
	}
	if !strings.Contains(s.staff.FormError(), "该工作人员账号已锁定") {
		t.Fatalf("lock message %q", s.staff.FormError())
	}
	// esc leaves the form for a new picture.
	s.Update(run(t, s.a, s.Update(keyEsc)))
	if s.state != fsCapture || s.staff != nil {
		t.Fatalf("esc on the staff form → state %d", s.state)
	}
}

func TestFaceDemoLabelAndBack(t *testing.T) {
	dv, err := demo.New(true)
	if err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, kit.Deps{Face: dv, Camera: &listCam{frames: threeFrames(t)}})
	s := New(a, Params{Name: faceName, IDNumber: faceID})
	s.SetSize(120, 34)
	if v := s.View(); !strings.Contains(v, zh(DemoLabel)) || !strings.Contains(v, "人脸核验") {
		t.Errorf("demo view:\n%s", v)
	}
	// No frame yet: 拍照 is disabled and 返回 has the focus.
	cc := findMsg[CaptureCancelled](t, deliver(a, s.Update(keyEnter)))
	findMsg[kit.StepBack](t, deliver(a, s.Update(cc)))
}

func TestFaceScreenLeaveReleasesCamera(t *testing.T) {
	cam := &listCam{frames: threeFrames(t)}
	a := newTestApp(t, kit.Deps{Camera: cam})
	scr := NewScreen(a, Params{Name: faceName, IDNumber: faceID}, nil)
	collect(scr.Init())
	collect(scr.Leave())
	if cam.stops != 1 {
		t.Errorf("Leave did not stop the camera")
	}
}
