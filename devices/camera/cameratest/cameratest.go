// Package cameratest is the conformance test of camera.Camera: every
// adapter runs it, the simulated one on its files and the real one over
// whatever the machine can host (here: V4L2 over recorded frames).
package cameratest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"kiosk/devices/camera"
)

// Run checks the camera.Camera contract. newCamera returns a fresh, stopped
// camera that can deliver at least a few frames per second; Run stops it.
func Run(t *testing.T, newCamera func(t *testing.T) camera.Camera) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(*testing.T, camera.Camera)
	}{
		{"Identity", testIdentity},
		{"FrameBeforeStart", testFrameBeforeStart},
		{"Frames", testFrames},
		{"StartIsIdempotent", testStartTwice},
		{"StartCancelled", testStartCancelled},
		{"FrameCancelled", testFrameCancelled},
		{"StopAndRestart", testStopRestart},
		{"Concurrent", testConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCamera(t)
			t.Cleanup(func() { _ = c.Stop() })
			tt.fn(t, c)
		})
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func start(t *testing.T, c camera.Camera) {
	t.Helper()
	if err := c.Start(ctx(t)); err != nil {
		t.Fatalf("Start: %v", err)
	}
}

func frame(t *testing.T, c camera.Camera) {
	t.Helper()
	img, err := c.Frame(ctx(t))
	if err != nil {
		t.Fatalf("Frame: %v", err)
	}
	if img == nil || img.Bounds().Empty() {
		t.Fatalf("Frame returned an empty image")
	}
}

func testIdentity(t *testing.T, c camera.Camera) {
	if c.Name() == "" {
		t.Error("Name is empty")
	}
	if err := c.Check(ctx(t)); err != nil {
		t.Errorf("Check on a stopped camera: %v", err)
	}
	start(t, c)
	if err := c.Check(ctx(t)); err != nil {
		t.Errorf("Check on a started camera: %v", err)
	}
}

func testFrameBeforeStart(t *testing.T, c camera.Camera) {
	if _, err := c.Frame(ctx(t)); !errors.Is(err, camera.ErrNotStarted) {
		t.Fatalf("Frame before Start = %v, want ErrNotStarted", err)
	}
}

func testFrames(t *testing.T, c camera.Camera) {
	start(t, c)
	for range 3 {
		frame(t, c)
	}
}

func testStartTwice(t *testing.T, c camera.Camera) {
	start(t, c)
	start(t, c)
	frame(t, c)
}

func testStartCancelled(t *testing.T, c camera.Camera) {
	cx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Start(cx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Start(cancelled) = %v, want context.Canceled", err)
	}
}

func testFrameCancelled(t *testing.T, c camera.Camera) {
	start(t, c)
	cx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Frame(cx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Frame(cancelled) = %v, want context.Canceled", err)
	}
	frame(t, c) // the camera is still usable
}

func testStopRestart(t *testing.T, c camera.Camera) {
	start(t, c)
	frame(t, c)
	if err := c.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := c.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if _, err := c.Frame(ctx(t)); !errors.Is(err, camera.ErrNotStarted) {
		t.Fatalf("Frame after Stop = %v, want ErrNotStarted", err)
	}
	start(t, c)
	frame(t, c)
}

func testConcurrent(t *testing.T, c camera.Camera) {
	start(t, c)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 4 {
		wg.Go(func() {
			for range 2 {
				if _, err := c.Frame(ctx(t)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent Frame: %v", err)
	}
}
