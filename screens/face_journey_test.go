package screens

import (
	"context"
	"errors"
	"image"
	_ "image/jpeg" // the sample frames
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"kiosk/assets"
	"kiosk/devices/camera"
	"kiosk/devices/camera/replay"
	"kiosk/devices/face"
	"kiosk/devices/face/counter"
	"kiosk/devices/face/demo"
	"kiosk/model"
	"kiosk/model/pwhash"
	"kiosk/screens/facestep"
	"kiosk/screens/route"
)

// Journeys of the face step through the real root model: the acceptance
// item "the UI never freezes on a device" — keys keep working while a slow
// verifier, a slow staff check or a hung camera holds its command.

const (
	counterUser  = "wangfang"
	counterPass  = "Counter#2026"
	faceHolder   = "王建国"
	faceHolderID = "110108198001011234" // shape only: the step never checks it
	// Texts of the face step that it keeps to itself.
	faceCancelledText = "已取消人脸比对，可重新拍照"
	staffApprove      = "核验通过"
)

// scriptedFace answers Verify with answer(n) for the n-th call (from 0).
type scriptedFace struct {
	mu     sync.Mutex
	calls  int
	answer func(ctx context.Context, n int) (face.Result, error)
}

func (s *scriptedFace) Verify(ctx context.Context, _ face.Request) (face.Result, error) {
	s.mu.Lock()
	n := s.calls
	s.calls++
	s.mu.Unlock()
	return s.answer(ctx, n)
}

func (s *scriptedFace) Name() string                { return "scripted" }
func (s *scriptedFace) Simulated() bool             { return false }
func (s *scriptedFace) Check(context.Context) error { return nil }

func (s *scriptedFace) nCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func waitSignal(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(waitTimeout):
		t.Fatalf("%s never happened", what)
	}
}

// sampleFrame decodes one of the replay camera's sample frames.
func sampleFrame(t testing.TB, name string) image.Image {
	t.Helper()
	f, err := assets.CameraFrames.Open("camera/" + name + ".jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// toFace opens the stand-alone face step for the test's ID holder;
// purpose is a catalog id (the title).
func toFace(purpose string) tea.Msg {
	return route.FaceVerify.Nav(route.FaceParams{Name: faceHolder, IDNumber: faceHolderID, Purpose: purpose})
}

func TestJourneyFaceUINeverFreezes(t *testing.T) {
	f := newFixture(t)
	hasher := pwhash.New(pwhash.Fast)
	phc, err := hasher.Hash(counterPass)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Update(context.Background(), func(tx model.Tx) error {
		return tx.Staff().Put(model.Staff{ID: "s-001", Username: counterUser, Name: "王芳", PasswordHash: phc, CreatedAt: f.clock.Now()})
	}); err != nil {
		t.Fatal(err)
	}
	g := newGate()
	t.Cleanup(func() {
		select {
		case <-g.release:
		default:
			close(g.release)
		}
	})
	cv := &counter.Verifier{Auth: &model.Auth{Store: gatedStore{Store: f.store, g: g}, Hasher: hasher, Clock: f.clock, Kiosk: "KIOSK-T1"}}

	// The first verification hangs (ignoring its context, like a stuck
	// device) until released, and then says "match"; the second asks for
	// staff.
	started, release, returned := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var once sync.Once
	slow := &scriptedFace{answer: func(_ context.Context, n int) (face.Result, error) {
		if n > 0 {
			return face.Result{}, face.ErrNeedsStaff
		}
		close(started)
		<-release
		defer close(returned)
		return face.ResultFor(face.Match, 1), nil
	}}
	t.Cleanup(func() { once.Do(func() { close(release) }) })

	deps := f.deps
	deps.Camera, deps.Face, deps.Counter = faceCamera(), slow, cv
	k := startKiosk(t, deps)
	k.tm.Send(toFace("register.face_purpose"))
	k.waitFor("【拍照】") // the first frame arrived
	k.key(tea.KeyEnter)
	k.waitFor(zh(facestep.Verifying))
	waitSignal(t, started, "Verify")

	// 取消 while the verifier hangs: back to the live preview at once.
	k.click(facestep.ZonePrefix + ":" + facestep.Cancel)
	k.waitFor(faceCancelledText)
	select {
	case <-returned:
		t.Fatal("the verifier returned before 取消 took effect")
	default:
	}
	// Its late "match" must not pass anybody.
	once.Do(func() { close(release) })
	waitSignal(t, returned, "the late verdict")

	// New frames (拍照 has the focus again); this time the counter is needed.
	k.key(tea.KeyEnter)
	k.waitFor("工作人员账号")
	k.typeText(counterUser)
	k.key(tea.KeyTab)
	k.typeText(counterPass)
	k.key(tea.KeyTab)
	k.key(tea.KeyRight) // 核验通过
	k.waitFor("(*) " + staffApprove)
	g.arm()
	k.key(tea.KeyEnter)
	g.waitHeld(t) // Confirm

	// Confirm is stuck in the store: the form still takes keys.
	k.key(tea.KeyShiftTab)
	k.key(tea.KeyShiftTab)
	k.typeText("_x")
	k.waitFor(counterUser + "_x")
	k.waitFor("正在核验工作人员身份")

	close(g.release)
	k.waitFor(zh(facestep.Passed))
	r := k.finish()
	if r.Current() != route.FaceVerify.ID() {
		t.Fatalf("at %s", r.Current())
	}
	if !hasAudit(f.audit(), counter.Action, "approved") {
		t.Errorf("no approval audit: %+v", f.audit())
	}
	if n := slow.nCalls(); n != 2 {
		t.Errorf("%d verifications", n)
	}
}

// hungCam never delivers a frame until released.
type hungCam struct {
	release chan struct{}
	frame   image.Image
}

func (c *hungCam) Start(context.Context) error { return nil }
func (c *hungCam) Frame(ctx context.Context) (image.Image, error) {
	<-c.release // ignores ctx: a driver stuck in an ioctl
	return c.frame, nil
}
func (c *hungCam) Stop() error                 { return nil }
func (c *hungCam) Name() string                { return "hung" }
func (c *hungCam) Simulated() bool             { return false }
func (c *hungCam) Check(context.Context) error { return nil }

// A camera that hangs: the screen says it is opening and 返回 still works.
func TestJourneyFaceHungCameraCanLeave(t *testing.T) {
	f := newFixture(t)
	cam := &hungCam{release: make(chan struct{}), frame: sampleFrame(t, "face-1")}
	t.Cleanup(func() { close(cam.release) })
	deps := f.deps
	deps.Camera = cam
	k := startKiosk(t, deps)
	k.tm.Send(toFace(""))
	k.waitFor("正在打开摄像头")
	k.key(tea.KeyEsc)
	k.waitFor("欢迎使用单位服务自助终端")
	if r := k.finish(); r.Current() != route.Home.ID() {
		t.Fatalf("at %s", r.Current())
	}
}

func TestGoldenFaceVerify(t *testing.T) {
	f := newFixture(t)
	dv, err := demo.New(true)
	if err != nil {
		t.Fatal(err)
	}
	deps := f.deps
	deps.Camera = replay.New(assets.CameraFrames, replay.Options{Pattern: "camera/face-1.jpg", FPS: 30})
	deps.Face = dv
	k := startKiosk(t, deps)
	k.tm.Send(toFace("register.face_purpose"))
	k.waitFor("【拍照】")
	v := k.finish().View()
	if !strings.Contains(v, "模拟摄像头") || !strings.Contains(v, zh(facestep.DemoLabel)) {
		t.Errorf("labels missing:\n%s", v)
	}
	teatest.RequireEqualOutput(t, []byte(v))
}

// TestJourneyIdleReleasesCamera: the idle reset on the face step stops the
// camera (the root calls the screen's Leave), so a real device is not left
// open on the home screen.
func TestJourneyIdleReleasesCamera(t *testing.T) {
	f := newFixture(t)
	deps := f.deps
	cam := faceCamera()
	deps.Camera = cam
	k := startKiosk(t, deps)
	k.tm.Send(toFace(""))
	k.waitFor("【拍照】")
	if _, err := cam.Frame(context.Background()); err != nil {
		t.Fatalf("camera not running on the face step: %v", err)
	}
	k.idle(f.clock, "长时间无操作，将在")
	k.idle(f.clock, "欢迎使用单位服务自助终端")
	r := k.finish()
	if r.Current() != route.Home.ID() {
		t.Fatalf("at %s", r.Current())
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := cam.Frame(ctx); !errors.Is(err, camera.ErrNotStarted) {
		t.Fatalf("camera still running after the idle reset: %v", err)
	}
}
