package screens

import (
	"context"
	"errors"
	"image"
	"strings"
	"sync"
	"sync/atomic"
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
)

// Journeys of the face step through the real root model: the acceptance
// item "the UI never freezes on a device" — keys keep working while a slow
// verifier, a slow staff check or a hung camera holds its command.

// gatedStore blocks every store call once armed, until the gate opens.
type gatedStore struct {
	model.Store
	armed   atomic.Bool
	gate    chan struct{}
	entered chan struct{} // one signal per blocked call
}

func (g *gatedStore) wait() {
	if g.armed.Load() {
		select {
		case g.entered <- struct{}{}:
		default:
		}
		<-g.gate
	}
}

func (g *gatedStore) View(ctx context.Context, fn func(model.Tx) error) error {
	g.wait()
	return g.Store.View(ctx, fn)
}

func (g *gatedStore) Update(ctx context.Context, fn func(model.Tx) error) error {
	g.wait()
	return g.Store.Update(ctx, fn)
}

func faceCamera() camera.Camera {
	return replay.New(assets.CameraFrames, replay.Options{Pattern: "camera/face-*.jpg", FPS: 30})
}

func waitSignal(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(waitTimeout):
		t.Fatalf("%s never happened", what)
	}
}

func TestJourneyFaceUINeverFreezes(t *testing.T) {
	f := newFixture(t)
	hasher := pwhash.New(pwhash.Fast)
	phc, err := hasher.Hash(staffPass)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Update(context.Background(), func(tx model.Tx) error {
		return tx.Staff().Put(model.Staff{ID: "s-001", Username: staffUser, Name: "王芳", PasswordHash: phc, CreatedAt: f.clock.Now()})
	}); err != nil {
		t.Fatal(err)
	}
	gs := &gatedStore{Store: f.store, gate: make(chan struct{}), entered: make(chan struct{}, 1)}
	cv := &counter.Verifier{Store: gs, Hasher: hasher, Clock: f.clock, Kiosk: "KIOSK-T1"}

	// The first verification hangs (ignoring its context, like a stuck
	// device) until released, and then says "match"; the second asks for
	// staff.
	started, release, returned := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var once sync.Once
	slow := &stubFace{answer: func(_ context.Context, n int) (face.Result, error) {
		if n > 0 {
			return face.Result{}, face.ErrNeedsStaff
		}
		close(started)
		<-release
		defer close(returned)
		return face.ResultFor(face.Match, 1), nil
	}}
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	t.Cleanup(func() {
		if !gs.armed.Load() {
			return
		}
		select {
		case <-gs.gate:
		default:
			close(gs.gate)
		}
	})

	deps := f.deps
	deps.Camera, deps.Face, deps.Counter = faceCamera(), slow, cv
	k := startKiosk(t, deps)
	k.tm.Send(Navigate{To: ScreenFaceVerify, Params: FaceParams{Name: faceName, IDNumber: faceID, Purpose: "法定代表人人脸核验"}})
	k.waitFor("【拍照】") // the first frame arrived
	k.key(tea.KeyEnter)
	k.waitFor(FaceVerifying)
	waitSignal(t, started, "Verify")

	// 取消 while the verifier hangs: back to the live preview at once.
	k.click(FaceZonePrefix + ":" + FaceCancel)
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
	k.typeText(staffUser)
	k.key(tea.KeyTab)
	k.typeText(staffPass)
	k.key(tea.KeyTab)
	k.key(tea.KeyRight) // 核验通过
	k.waitFor("(*) " + staffApprove)
	gs.armed.Store(true)
	k.key(tea.KeyEnter)
	waitSignal(t, gs.entered, "Confirm")

	// Confirm is stuck in the store: the form still takes keys.
	k.key(tea.KeyShiftTab)
	k.key(tea.KeyShiftTab)
	k.typeText("_x")
	k.waitFor(staffUser + "_x")
	k.waitFor("正在核验工作人员身份")

	close(gs.gate)
	k.waitFor(FacePassed)
	r := k.finish()
	if r.Current() != ScreenFaceVerify {
		t.Fatalf("at %s", r.Current())
	}
	if hasAudit(f.audit(), counter.Action, "approved") == false {
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
	k.tm.Send(Navigate{To: ScreenFaceVerify, Params: FaceParams{Name: faceName, IDNumber: faceID}})
	k.waitFor("正在打开摄像头")
	k.key(tea.KeyEsc)
	k.waitFor("欢迎使用单位服务自助终端")
	if r := k.finish(); r.Current() != ScreenHome {
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
	k.tm.Send(Navigate{To: ScreenFaceVerify, Params: FaceParams{Name: faceName, IDNumber: faceID, Purpose: "法定代表人人脸核验"}})
	k.waitFor("【拍照】")
	v := k.finish().View()
	if !strings.Contains(v, "模拟摄像头") || !strings.Contains(v, FaceDemoLabel) {
		t.Errorf("labels missing:\n%s", v)
	}
	teatest.RequireEqualOutput(t, []byte(v))
}

// TestJourneyIdleReleasesCamera: the idle reset on the face step stops the
// camera (the root calls the screen's Leave), so a real device is not left
// open on the home screen.
func TestJourneyIdleReleasesCamera(t *testing.T) {
	t.Parallel() // mostly waiting for the idle timers
	f := newFixture(t)
	deps := idleDeps(f)
	cam := faceCamera()
	deps.Camera = cam
	k := startKiosk(t, deps)
	k.tm.Send(Navigate{To: ScreenFaceVerify, Params: FaceParams{Name: faceName, IDNumber: faceID}})
	k.waitFor("【拍照】")
	if _, err := cam.Frame(context.Background()); err != nil {
		t.Fatalf("camera not running on the face step: %v", err)
	}
	k.waitFor("长时间无操作，将在")
	k.waitFor("欢迎使用单位服务自助终端")
	r := k.finish()
	if r.Current() != ScreenHome {
		t.Fatalf("at %s", r.Current())
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := cam.Frame(ctx); !errors.Is(err, camera.ErrNotStarted) {
		t.Fatalf("camera still running after the idle reset: %v", err)
	}
}
