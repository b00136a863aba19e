package widget

import (
	"context"
	"errors"
	"image"
	"kiosk/model/i18n"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"kiosk/devices/camera"
	"kiosk/screens/task"
)

// fakeCam serves one grey frame per Frame call, or the queued errors first.
type fakeCam struct {
	mu      sync.Mutex
	started bool
	starts  int
	stops   int
	errs    []error
	sim     bool
	img     image.Image
}

func (c *fakeCam) Start(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.started = true
	c.starts++
	return nil
}

func (c *fakeCam) Frame(ctx context.Context) (image.Image, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.errs) > 0 {
		err := c.errs[0]
		c.errs = c.errs[1:]
		return nil, err
	}
	if !c.started {
		return nil, camera.ErrNotStarted
	}
	return c.img, ctx.Err()
}

func (c *fakeCam) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.started = false
	c.stops++
	return nil
}

func (c *fakeCam) Name() string                    { return "fake" }
func (c *fakeCam) Simulated() bool                 { return c.sim }
func (c *fakeCam) Check(ctx context.Context) error { return nil }

func grey(w, h int, v uint8) image.Image {
	m := image.NewGray(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = v
	}
	return m
}

// newTestPreview reads its frames in a scope of its own, as a screen's
// preview does in the visit's: a frame reaches the preview only through
// the scope's Open, which drops the reads of a stopped or restarted stream.
func newTestPreview(cam camera.Camera) *Preview {
	lipgloss.SetColorProfile(termenv.Ascii)
	return NewPreview(cam, PreviewConfig{ID: "pv", FPS: 1000, Tasks: task.New(1, nil)})
}

// read runs a read command of p and opens its frame as the root would; ok
// is false when the frame was dropped.
func read(t *testing.T, p *Preview, cmd tea.Cmd) (msg tea.Msg, ok bool) {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	return p.cfg.Tasks.(*task.Scope).Open(cmd())
}

// step runs cmd and feeds its frame back, returning the next command.
func step(t *testing.T, p *Preview, cmd tea.Cmd) tea.Cmd {
	t.Helper()
	m, ok := read(t, p, cmd)
	if !ok {
		t.Fatal("the frame was dropped")
	}
	return p.Update(m)
}

func TestPreviewStreamsOneFrameAtATime(t *testing.T) {
	cam := &fakeCam{sim: true, img: grey(64, 48, 255)}
	p := newTestPreview(cam)
	p.SetSize(20, 6)
	if c, r := p.Size(); c != 16 || r != 6 {
		t.Errorf("a 4:3 box in 20×6 cells: %d×%d", c, r)
	}
	if v := p.View(); !strings.Contains(v, zh(PreviewOpening)) {
		t.Errorf("before Start:\n%s", v)
	}
	cmd := p.Start()
	for i := 1; i <= 3; i++ {
		cmd = step(t, p, cmd)
		if p.Frames() != i || !p.Live() {
			t.Fatalf("frame %d: frames %d live %v", i, p.Frames(), p.Live())
		}
	}
	v := p.View()
	for _, want := range []string{zh(PreviewLive), zh(SimulatedCameraLabel), "████████"} {
		if !strings.Contains(v, want) {
			t.Errorf("live view lacks %q:\n%s", want, v)
		}
	}
	if cam.starts != 1 {
		t.Errorf("Start called %d times", cam.starts)
	}
	// Pausing drops the read already in flight.
	p.Pause()
	if m, ok := read(t, p, cmd); ok {
		t.Errorf("a frame of a paused stream was delivered: %#v", m)
		p.Update(m)
	}
	if p.Frames() != 3 {
		t.Errorf("a frame of a paused stream was taken")
	}
	if !strings.Contains(p.View(), zh(PreviewStill)) {
		t.Errorf("paused view:\n%s", p.View())
	}
	stop := p.Stop()
	stop()
	if cam.stops != 1 {
		t.Errorf("Stop did not release the camera")
	}
}

func TestPreviewRestartDropsOldStream(t *testing.T) {
	cam := &fakeCam{img: grey(8, 6, 128)}
	p := newTestPreview(cam)
	old := p.Start()
	fresh := p.Start()
	if m, ok := read(t, p, old); ok || p.Frames() != 0 {
		t.Fatalf("old stream's frame accepted: %#v", m)
	}
	if step(t, p, fresh) == nil || p.Frames() != 1 {
		t.Fatalf("fresh stream's frame refused")
	}
	if strings.Contains(p.View(), zh(SimulatedCameraLabel)) {
		t.Errorf("a real camera labelled simulated")
	}
	// A frame tagged for another preview is ignored.
	if p.Update(PreviewFrame{ID: "other", Image: grey(8, 6, 0)}) != nil || p.Frames() != 1 {
		t.Errorf("foreign frame accepted")
	}
}

func TestPreviewErrorsAndRetry(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"disconnected", camera.ErrDisconnected, zht(camera.ErrDisconnected.Msg)},
		{"timeout", camera.ErrTimeout, zht(camera.ErrTimeout.Msg)},
		{"wrapped", errors.Join(errors.New("ioctl"), camera.ErrNoDevice), zht(camera.ErrNoDevice.Msg)},
		{"unknown", errors.New("EIO"), zh(cameraFault)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cam := &fakeCam{errs: []error{tc.err}, img: grey(8, 6, 128)}
			p := newTestPreview(cam)
			if next := step(t, p, p.Start()); next != nil {
				t.Fatalf("the stream goes on after an error")
			}
			v := p.View()
			if !p.Failed() || !strings.Contains(v, tc.want) || !strings.Contains(v, "【重试】") || !strings.Contains(v, "[ 返回 ]") {
				t.Fatalf("error view:\n%s", v)
			}
			// 重试 (focused) restarts the stream.
			cmd := p.Update(tea.KeyMsg{Type: tea.KeyEnter})
			step(t, p, cmd)
			if !p.Live() || p.ErrText() != "" {
				t.Fatalf("retry: live %v err %q", p.Live(), p.ErrText())
			}
		})
	}
}

func TestPreviewBackButton(t *testing.T) {
	p := newTestPreview(&fakeCam{errs: []error{camera.ErrDisconnected}})
	step(t, p, p.Start())
	p.Update(tea.KeyMsg{Type: tea.KeyRight})
	cmd := p.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if cmd == nil {
		t.Fatal("返回 did nothing")
	}
	if m, ok := cmd().(PreviewBack); !ok || m.ID != "pv" {
		t.Errorf("got %#v", m)
	}
	if got := p.Update(tea.KeyMsg{Type: tea.KeyEsc}); got == nil {
		t.Errorf("esc under an error should mean 返回")
	}
}

func TestPreviewNilCamera(t *testing.T) {
	p := newTestPreview(nil)
	if cmd := p.Start(); cmd != nil || !p.Failed() || !strings.Contains(p.View(), zht(camera.ErrNoDevice.Msg)) {
		t.Errorf("nil camera:\n%s", p.View())
	}
	if p.Stop() != nil {
		t.Errorf("stopping a nil camera returned a command")
	}
}

// A camera stopped by someone else between Start and Frame is started again.
func TestPreviewRestartsAStoppedCamera(t *testing.T) {
	cam := &fakeCam{errs: []error{camera.ErrNotStarted}, img: grey(8, 6, 128)}
	p := newTestPreview(cam)
	step(t, p, p.Start())
	if !p.Live() || cam.starts != 2 {
		t.Errorf("live %v starts %d", p.Live(), cam.starts)
	}
}

func TestPreviewShowStillAndGuide(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	p := NewPreview(&fakeCam{}, PreviewConfig{ID: "pv", Guide: true})
	p.SetSize(40, 15)
	p.Show(grey(320, 240, 0)) // black: only the white guide shows
	v := p.View()
	if !strings.Contains(v, zh(PreviewStill)) || !strings.Contains(v, "▒") {
		t.Errorf("still with guide:\n%s", v)
	}
	lines := strings.Split(v, "\n")
	c, r := p.Size()
	if len(lines) != r+3 {
		t.Fatalf("%d lines for %d rows", len(lines), r)
	}
	for _, l := range lines[:r+2] {
		if lipgloss.Width(l) != c+2 {
			t.Errorf("ragged line %q", l)
		}
	}
}

func TestOvalMaskIsClosedAndCentred(t *testing.T) {
	w, h := 40, 30
	m := ovalMask(w, h)
	n := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if m[y*w+x] {
				n++
				if !m[y*w+(w-1-x)] {
					t.Fatalf("not symmetric at %d,%d", x, y)
				}
			}
		}
	}
	if n < 40 {
		t.Errorf("only %d guide pixels", n)
	}
	if ovalMask(1, 1) != nil {
		t.Errorf("tiny mask")
	}
}

// BenchmarkPreviewFrame is the cost of one live frame in the 120×40
// layout: a 640×480 JPEG-shaped frame arrives (Update renders it into the
// 60×20-cell box with the face guide, true colour) and View draws the box.
func BenchmarkPreviewFrame(b *testing.B) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	m := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
	for i := range m.Y {
		m.Y[i] = uint8(i * 7)
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = uint8(i*3), uint8(i*5)
	}
	p := NewPreview(&fakeCam{sim: true}, PreviewConfig{ID: "pv", Guide: true})
	p.SetSize(60, 20)
	p.Start()
	msg := PreviewFrame{ID: "pv", Image: m}
	b.ReportAllocs()
	for b.Loop() {
		p.Update(msg)
		_ = p.View()
	}
}

// zh renders a catalog id in Chinese, as the preview draws it by default.
func zh(id string) string { return zht(i18n.T(id)) }

func zht(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }
