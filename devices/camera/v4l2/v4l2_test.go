package v4l2

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/blackjack/webcam"

	"kiosk/devices/camera"
	"kiosk/devices/camera/cameratest"
)

func recordedYUYV(t *testing.T) *fakeDevice {
	return newFake(FormatYUYV, recW, recH, readRecorded(t, yuyvFile))
}

func recordedMJPEG(t *testing.T) *fakeDevice {
	return newFake(FormatMJPEG, recW, recH, readRecorded(t, mjpegFile))
}

func newCam(d *fakeDevice, mod ...func(*Config)) *Camera {
	cfg := Config{Device: "/dev/video9", Width: recW, Height: recH, Open: d.opener(),
		Exists: func(string) bool { return true }}
	for _, m := range mod {
		m(&cfg)
	}
	return New(cfg)
}

func TestConformanceRecordedYUYV(t *testing.T) {
	cameratest.Run(t, func(t *testing.T) camera.Camera { return newCam(recordedYUYV(t)) })
}

func TestConformanceRecordedMJPEG(t *testing.T) {
	cameratest.Run(t, func(t *testing.T) camera.Camera { return newCam(recordedMJPEG(t)) })
}

// TestConformanceRealDevice runs only on a machine with a camera (a kiosk);
// the development machine has none and skips it.
func TestConformanceRealDevice(t *testing.T) {
	if _, err := os.Stat(DefaultDevice); err != nil {
		t.Skipf("no %s on this machine: real V4L2 path untested here", DefaultDevice)
	}
	cameratest.Run(t, func(t *testing.T) camera.Camera { return New(Config{}) })
}

func start(t *testing.T, c *Camera) {
	t.Helper()
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
}

func TestFramesMatchRecording(t *testing.T) {
	for name, d := range map[string]*fakeDevice{"yuyv": recordedYUYV(t), "mjpeg": recordedMJPEG(t)} {
		t.Run(name, func(t *testing.T) {
			c := newCam(d)
			start(t, c)
			for range 2 { // the second read proves the first buffer was released
				img, err := c.Frame(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				// The fake scribbles over its buffer on release: a frame
				// that still matches the card was copied out in time.
				checkCard(t, img, 24)
			}
		})
	}
}

func TestNegotiation(t *testing.T) {
	d := recordedMJPEG(t)
	d.formats[FormatYUYV] = "YUYV 4:2:2"
	d.sizes[FormatMJPEG] = []webcam.FrameSize{
		{MinWidth: 1280, MaxWidth: 1280, MinHeight: 720, MaxHeight: 720},
		{MinWidth: 640, MaxWidth: 640, MinHeight: 360, MaxHeight: 360},
		{MinWidth: 800, MaxWidth: 800, MinHeight: 600, MaxHeight: 600},
	}
	c := newCam(d, func(c *Config) { c.Width, c.Height = 640, 480 })
	start(t, c)
	if d.setFormat != FormatMJPEG || d.setW != 640 || d.setH != 360 {
		t.Fatalf("asked for %#x %dx%d, want MJPEG 640x360", uint32(d.setFormat), d.setW, d.setH)
	}
}

func TestChooseFormat(t *testing.T) {
	tests := []struct {
		name   string
		offers []webcam.PixelFormat
		want   webcam.PixelFormat
		ok     bool
	}{
		{"mjpeg over yuyv", []webcam.PixelFormat{FormatYUYV, FormatMJPEG}, FormatMJPEG, true},
		{"jpeg alias", []webcam.PixelFormat{FormatYUYV, FormatJPEG}, FormatJPEG, true},
		{"yuyv only", []webcam.PixelFormat{FormatYUYV}, FormatYUYV, true},
		{"neither", []webcam.PixelFormat{fourcc("H264"), fourcc("NV12")}, 0, false},
		{"nothing", nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := map[webcam.PixelFormat]string{}
			for _, f := range tt.offers {
				m[f] = ""
			}
			got, ok := chooseFormat(m)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("got %#x %v", uint32(got), ok)
			}
		})
	}
}

func TestChooseSize(t *testing.T) {
	d := func(w, h uint32) webcam.FrameSize {
		return webcam.FrameSize{MinWidth: w, MaxWidth: w, MinHeight: h, MaxHeight: h}
	}
	tests := []struct {
		name   string
		sizes  []webcam.FrameSize
		w, h   uint32
		ww, wh uint32
	}{
		{"exact", []webcam.FrameSize{d(320, 240), d(640, 480)}, 640, 480, 640, 480},
		{"closest", []webcam.FrameSize{d(1920, 1080), d(800, 600), d(352, 288)}, 640, 480, 800, 600},
		{"tie goes larger", []webcam.FrameSize{d(600, 480), d(680, 480)}, 640, 480, 680, 480},
		{"none listed", nil, 640, 480, 640, 480},
		{"stepwise snapped", []webcam.FrameSize{{MinWidth: 160, MaxWidth: 1280, StepWidth: 16,
			MinHeight: 120, MaxHeight: 720, StepHeight: 8}}, 650, 481, 656, 480},
		{"stepwise clamped", []webcam.FrameSize{{MinWidth: 160, MaxWidth: 320, StepWidth: 16,
			MinHeight: 120, MaxHeight: 240, StepHeight: 8}}, 640, 480, 320, 240},
		{"continuous", []webcam.FrameSize{{MinWidth: 1, MaxWidth: 4000, StepWidth: 1,
			MinHeight: 1, MaxHeight: 3000, StepHeight: 1}}, 640, 480, 640, 480},
		{"step overshoots max", []webcam.FrameSize{{MinWidth: 100, MaxWidth: 250, StepWidth: 100,
			MinHeight: 100, MaxHeight: 250, StepHeight: 100}}, 260, 260, 200, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h := chooseSize(tt.sizes, tt.w, tt.h)
			if w != tt.ww || h != tt.wh {
				t.Fatalf("got %dx%d, want %dx%d", w, h, tt.ww, tt.wh)
			}
		})
	}
}

// TestDriverReportsWrongSize covers webcam v0.6.1 returning the requested
// size from SetImageFormat: the driver chose 160×120, we asked for 640×480.
func TestDriverReportsWrongSize(t *testing.T) {
	d := recordedYUYV(t)
	d.sizes[FormatYUYV] = append(d.sizes[FormatYUYV],
		webcam.FrameSize{MinWidth: 640, MaxWidth: 640, MinHeight: 480, MaxHeight: 480})
	c := newCam(d, func(c *Config) { c.Width, c.Height = 640, 480 })
	start(t, c)
	img, err := c.Frame(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkCard(t, img, 3)
}

func TestDisconnect(t *testing.T) {
	gone := syscall.ENODEV
	tests := []struct {
		name   string
		setup  func(d *fakeDevice, exists *bool)
		wantDC bool
	}{
		{"wait ENODEV", func(d *fakeDevice, _ *bool) { d.waitErrs = []error{gone} }, true},
		{"wait EIO", func(d *fakeDevice, _ *bool) { d.waitErrs = []error{syscall.EIO} }, true},
		{"dequeue ENODEV", func(d *fakeDevice, _ *bool) { d.getErrs = []error{gone} }, true},
		{"node removed during silence", func(d *fakeDevice, exists *bool) {
			d.waitErrs = []error{&webcam.Timeout{}}
			*exists = false
		}, true},
		{"odd error, node present", func(d *fakeDevice, _ *bool) {
			d.waitErrs = []error{syscall.EINVAL}
		}, false},
		{"odd error, node gone", func(d *fakeDevice, exists *bool) {
			d.getErrs = []error{syscall.EINVAL}
			*exists = false
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := recordedMJPEG(t)
			exists := true
			c := newCam(d, func(c *Config) { c.Exists = func(string) bool { return exists } })
			start(t, c)
			if _, err := c.Frame(context.Background()); err != nil {
				t.Fatalf("first frame: %v", err)
			}
			tt.setup(d, &exists)
			_, err := c.Frame(context.Background())
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, camera.ErrDisconnected) != tt.wantDC {
				t.Fatalf("err = %v, want disconnected %v", err, tt.wantDC)
			}
			if !tt.wantDC {
				if _, err := c.Frame(context.Background()); err != nil {
					t.Fatalf("camera unusable after a transient error: %v", err)
				}
				return
			}
			// Broken stays broken, also for Check, until Stop + Start.
			if _, err := c.Frame(context.Background()); !errors.Is(err, camera.ErrDisconnected) {
				t.Fatalf("second Frame = %v", err)
			}
			if err := c.Check(context.Background()); !errors.Is(err, camera.ErrDisconnected) {
				t.Fatalf("Check = %v", err)
			}
			d.stopErr = gone
			if err := c.Stop(); err != nil {
				t.Fatalf("Stop on a vanished device: %v", err)
			}
			if d.closes != 1 {
				t.Fatalf("closes = %d", d.closes)
			}
			exists, d.stopErr = true, nil
			start(t, c) // plugged back in
			if _, err := c.Frame(context.Background()); err != nil {
				t.Fatalf("after reconnect: %v", err)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	d := recordedMJPEG(t)
	d.waitErrs = []error{&webcam.Timeout{}, &webcam.Timeout{}, &webcam.Timeout{}}
	c := newCam(d, func(c *Config) { c.FrameTimeout = 2 * time.Second })
	start(t, c)
	if _, err := c.Frame(context.Background()); !errors.Is(err, camera.ErrTimeout) {
		t.Fatalf("Frame = %v, want ErrTimeout", err)
	}
	if d.waits != 2 {
		t.Fatalf("%d one-second waits for a 2 s timeout", d.waits)
	}
	if _, err := c.Frame(context.Background()); err != nil {
		t.Fatalf("frames resume after a timeout: %v", err)
	}
}

func TestSpuriousWakeups(t *testing.T) {
	d := recordedMJPEG(t)
	d.getErrs = []error{syscall.EAGAIN, syscall.EAGAIN}
	c := newCam(d)
	start(t, c)
	if _, err := c.Frame(context.Background()); err != nil {
		t.Fatal(err)
	}
	for range maxSpurious {
		d.getErrs = append(d.getErrs, syscall.EAGAIN)
	}
	if _, err := c.Frame(context.Background()); !errors.Is(err, camera.ErrTimeout) {
		t.Fatalf("endless EAGAIN = %v, want ErrTimeout", err)
	}
}

func TestCorruptFrames(t *testing.T) {
	good := readRecorded(t, mjpegFile)
	truncated := good[:len(good)/3]
	d := newFake(FormatMJPEG, recW, recH, truncated, []byte("garbage"), good)
	c := newCam(d)
	start(t, c)
	if _, err := c.Frame(context.Background()); err != nil {
		t.Fatalf("corrupt frames not skipped: %v", err)
	}
	d.frames = [][]byte{truncated}
	if _, err := c.Frame(context.Background()); err == nil {
		t.Fatal("endless corrupt frames gave no error")
	}
}

func TestStartFailures(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(d *fakeDevice, cfg *Config)
		noDev   bool
		closed  bool
		checkOK bool
	}{
		{"missing node", func(_ *fakeDevice, cfg *Config) {
			cfg.Open = func(string) (Device, error) { return nil, syscall.ENOENT }
		}, true, false, false},
		{"no usable format", func(d *fakeDevice, _ *Config) {
			d.formats = map[webcam.PixelFormat]string{fourcc("H264"): "H.264"}
		}, true, true, false},
		{"driver picks another format", func(d *fakeDevice, _ *Config) { d.chosen = fourcc("NV12") }, true, true, true},
		{"set format fails", func(d *fakeDevice, _ *Config) { d.setErr = syscall.EBUSY }, false, true, true},
		{"buffers fail", func(d *fakeDevice, _ *Config) { d.buffersErr = errors.New("busy") }, false, true, true},
		{"streaming fails", func(d *fakeDevice, _ *Config) { d.startErr = syscall.ENOMEM }, false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := recordedMJPEG(t)
			c := newCam(d, func(cfg *Config) { tt.setup(d, cfg) })
			err := c.Start(context.Background())
			if err == nil {
				t.Fatal("Start succeeded")
			}
			if errors.Is(err, camera.ErrNoDevice) != tt.noDev {
				t.Fatalf("Start = %v, want ErrNoDevice %v", err, tt.noDev)
			}
			if tt.closed && d.closes != d.opens {
				t.Fatalf("opened %d, closed %d", d.opens, d.closes)
			}
			if _, err := c.Frame(context.Background()); !errors.Is(err, camera.ErrNotStarted) {
				t.Fatalf("Frame after failed Start = %v", err)
			}
			if err := c.Check(context.Background()); (err == nil) != tt.checkOK {
				t.Fatalf("Check = %v", err)
			}
		})
	}
}

func TestNameAndDefaults(t *testing.T) {
	c := New(Config{})
	if c.Name() != "v4l2:/dev/video0" || c.Simulated() {
		t.Fatalf("Name %q Simulated %v", c.Name(), c.Simulated())
	}
	if c.cfg.Width != 640 || c.cfg.Height != 480 || c.cfg.FrameTimeout != DefaultFrameTimeout || c.cfg.Buffers != 4 {
		t.Fatalf("defaults %+v", c.cfg)
	}
}

func TestOpenMissingRealDevice(t *testing.T) {
	c := New(Config{Device: "/dev/video-does-not-exist"})
	if err := c.Start(context.Background()); !errors.Is(err, camera.ErrNoDevice) {
		t.Fatalf("Start = %v, want ErrNoDevice", err)
	}
	if err := c.Check(context.Background()); !errors.Is(err, camera.ErrNoDevice) {
		t.Fatalf("Check = %v, want ErrNoDevice", err)
	}
}
