package facestep

import (
	"image"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/camera"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// nextFrame runs the preview's pending read and feeds the frame in.
func nextFrame(t *testing.T, c *Capture, cmd tea.Cmd) tea.Cmd {
	t.Helper()
	m := run(t, c.a, cmd)
	if _, ok := m.(widget.PreviewFrame); !ok {
		t.Fatalf("want a frame, got %#v", m)
	}
	return c.Update(m)
}

func TestCaptureBadFrameRetakeUse(t *testing.T) {
	dark, good := sampleFrame(t, "dark"), sampleFrame(t, "document")
	cam := &listCam{frames: []image.Image{dark, good}}
	a := newTestApp(t, kit.Deps{Camera: cam})
	c := NewCapture(a, CaptureConfig{ID: "doc", Review: true, FPS: 1000, Hint: faceGuideHint})
	c.SetSize(100, 30)
	if v := c.View(); !strings.Contains(v, zh(widget.PreviewOpening)) || !strings.Contains(v, "[ 拍照 ]") {
		t.Fatalf("before the first frame 拍照 is disabled:\n%s", v)
	}
	read := nextFrame(t, c, c.Init())
	if read == nil || c.buttons.Focused() != CaptureShoot {
		t.Fatalf("after a frame: stream %v, focus %q", read != nil, c.buttons.Focused())
	}
	v := c.View()
	for _, want := range []string{"【拍照】", zh(widget.PreviewLive), zh(widget.SimulatedCameraLabel), zh(faceGuideHint)} {
		if !strings.Contains(v, want) {
			t.Errorf("live view lacks %q:\n%s", want, v)
		}
	}
	// 拍照 on the dark frame: the check fails with its hint and offers 重拍.
	chk := c.Update(keyEnter)
	if c.state != capChecking || c.preview.Live() {
		t.Fatalf("拍照 did not freeze the picture: state %d", c.state)
	}
	if cmd := c.Update(run(t, a, chk)); cmd != nil {
		t.Fatalf("a bad frame emitted %#v", collect(cmd))
	}
	v = c.View()
	if !strings.Contains(v, "画面过暗") || !strings.Contains(v, "【重拍】") || !strings.Contains(v, zh(widget.PreviewStill)) {
		t.Fatalf("bad frame view:\n%s", v)
	}
	// 重拍: live again, the next frame is good.
	read = c.Update(keyEnter)
	if c.state != capLive {
		t.Fatalf("重拍: state %d", c.state)
	}
	nextFrame(t, c, read)
	c.Update(run(t, a, c.Update(keyEnter)))
	v = c.View()
	if c.state != capReview || !strings.Contains(v, "【使用此照片】") || !strings.Contains(v, "[ 重拍 ]") {
		t.Fatalf("review view:\n%s", v)
	}
	got, ok := run(t, a, c.Update(keyEnter)).(Captured)
	if !ok || got.ID != "doc" || len(got.Images) != 1 || got.Images[0] != good {
		t.Fatalf("使用此照片 emitted %#v", got)
	}
	if c.Stop()(); cam.stops != 1 {
		t.Errorf("Stop left the camera running")
	}
}

// A burst of three: a blurred third frame fails the whole shot and the
// picture shows the frame that failed.
func TestCaptureBurstChecksEveryFrame(t *testing.T) {
	good, blurred := sampleFrame(t, "face-1"), sampleFrame(t, "blurred")
	cam := &listCam{frames: []image.Image{good, good, blurred, good}}
	a := newTestApp(t, kit.Deps{Camera: cam})
	c := NewCapture(a, CaptureConfig{ID: "burst", Count: 3, FPS: 1000})
	read := nextFrame(t, c, c.Init())
	if c.Update(keyEnter) != nil || c.state != capShooting {
		t.Fatalf("拍照 should wait for the burst: state %d", c.state)
	}
	if strings.Contains(c.View(), "拍照 ]") || !strings.Contains(c.View(), zh(captureShooting)) {
		t.Errorf("shooting view:\n%s", c.View())
	}
	c.Update(keyEsc) // ignored mid-burst
	read = nextFrame(t, c, read)
	chk := nextFrame(t, c, read)
	m, ok := run(t, a, chk).(captureChecked)
	if !ok || len(m.results) != 3 {
		t.Fatalf("check = %#v", m)
	}
	c.Update(m)
	if c.state != capBad || c.hint.IsZero() || !strings.Contains(c.View(), "画面模糊") {
		t.Fatalf("blurred burst:\n%s", c.View())
	}
	// 返回 from the hint cancels.
	c.Update(keyRight)
	if got, ok := run(t, a, c.Update(keyEnter)).(CaptureCancelled); !ok || got.ID != "burst" {
		t.Fatalf("返回 emitted %#v", got)
	}
}

// Without review a good burst is emitted at once; a verdict from a shot
// abandoned by 重拍 is dropped.
func TestCaptureNoReviewAndStaleVerdict(t *testing.T) {
	good := sampleFrame(t, "face-2")
	cam := &listCam{frames: []image.Image{good}}
	a := newTestApp(t, kit.Deps{Camera: cam})
	c := NewCapture(a, CaptureConfig{ID: "fast", FPS: 1000})
	nextFrame(t, c, c.Init())
	stale := raw(t, c.Update(keyEnter))
	c.Restart()
	if m, ok := a.Scope().Open(stale); ok {
		t.Fatalf("the verdict of an abandoned shot was delivered: %#v", m)
	}
	if c.state != capLive {
		t.Fatalf("stale verdict taken: state %d", c.state)
	}
	// The restarted stream goes on; shoot again and get the frame.
	nextFrame(t, c, c.preview.Start())
	got, ok := run(t, a, c.Update(run(t, a, c.Update(keyEnter)))).(Captured)
	if !ok || len(got.Images) != 1 {
		t.Fatalf("got %#v", got)
	}
}

func TestCaptureCameraErrorBack(t *testing.T) {
	a := newTestApp(t, kit.Deps{}) // no camera configured
	c := NewCapture(a, CaptureConfig{ID: "nocam"})
	if c.Init() != nil {
		t.Fatal("a missing camera has nothing to read")
	}
	v := c.View()
	if !strings.Contains(v, zht(camera.ErrNoDevice.Msg)) || !strings.Contains(v, "【重试】") || strings.Contains(v, "拍照") {
		t.Fatalf("no-camera view:\n%s", v)
	}
	c.Update(keyRight)
	back, ok := run(t, a, c.Update(keyEnter)).(widget.PreviewBack)
	if !ok {
		t.Fatalf("got %#v", back)
	}
	if got, ok := run(t, a, c.Update(back)).(CaptureCancelled); !ok || got.ID != "nocam" {
		t.Fatalf("PreviewBack became %#v", got)
	}
}
