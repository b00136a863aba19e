package replay

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"kiosk/assets"
	"kiosk/devices/camera"
	"kiosk/devices/camera/cameratest"
)

func TestConformanceEmbedded(t *testing.T) {
	cameratest.Run(t, func(t *testing.T) camera.Camera {
		return New(assets.CameraFrames, Options{FPS: 200, Dir: "camera"})
	})
}

func TestConformanceDir(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "a.png"), 8)
	writePNG(t, filepath.Join(dir, "b.png"), 16)
	cameratest.Run(t, func(t *testing.T) camera.Camera {
		return NewDir(dir, Options{FPS: 200})
	})
}

func writePNG(t *testing.T, path string, w int) {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, w))
	img.SetGray(0, 0, color.Gray{Y: 200})
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestLoopsInNameOrder(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "2.png"), 12)
	writePNG(t, filepath.Join(dir, "1.png"), 10)
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("skip me"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := NewDir(dir, Options{FPS: 1000})
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	var got []int
	for range 5 {
		img, err := c.Frame(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, img.Bounds().Dx())
	}
	want := []int{10, 12, 10, 12, 10}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("frame widths %v, want %v", got, want)
		}
	}
}

func TestPattern(t *testing.T) {
	c := New(assets.CameraFrames, Options{FPS: 1000, Pattern: "camera/face-*.jpg", Label: "demo-face"})
	if c.Name() != "demo-face" || !c.Simulated() {
		t.Fatalf("Name %q Simulated %v", c.Name(), c.Simulated())
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	if n := len(c.frames); n != 3 {
		t.Fatalf("%d face frames, want 3", n)
	}
}

func TestNoFrames(t *testing.T) {
	tests := []struct {
		name string
		cam  *Camera
	}{
		{"empty dir", NewDir(t.TempDir(), Options{})},
		{"missing dir", NewDir(filepath.Join(t.TempDir(), "nope"), Options{})},
		{"pattern matches nothing", New(assets.CameraFrames, Options{Pattern: "camera/*.gif"})},
		{"bad pattern", New(assets.CameraFrames, Options{Pattern: "camera/[.jpg"})},
		{"undecodable", New(fstest.MapFS{"x.jpg": {Data: []byte("not a jpeg")}}, Options{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cam.Check(context.Background()); !errors.Is(err, camera.ErrNoDevice) {
				t.Errorf("Check = %v, want ErrNoDevice", err)
			}
			if err := tt.cam.Start(context.Background()); !errors.Is(err, camera.ErrNoDevice) {
				t.Errorf("Start = %v, want ErrNoDevice", err)
			}
		})
	}
}

func TestPacing(t *testing.T) {
	// Frame must wait for the next tick rather than spin: with a context
	// that ends long before the next tick it reports the context error.
	c := New(assets.CameraFrames, Options{FPS: 0.01, Dir: "camera"})
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	if _, err := c.Frame(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.Frame(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second Frame = %v, want DeadlineExceeded", err)
	}
}
