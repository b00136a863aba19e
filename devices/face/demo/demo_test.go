package demo

import (
	"context"
	"errors"
	"testing"
	"time"

	"kiosk/devices/face"
	"kiosk/devices/face/facetest"
)

func TestConformance(t *testing.T) {
	facetest.Run(t, func(t *testing.T) face.Verifier {
		v, err := New(true)
		if err != nil {
			t.Fatal(err)
		}
		v.Delay = 5 * time.Millisecond
		return v
	})
}

func TestRefusedOutsideDemoMode(t *testing.T) {
	v, err := New(false)
	if v != nil || !errors.Is(err, face.ErrDemoOnly) {
		t.Fatalf("New(false) = %v, %v; want nil, ErrDemoOnly", v, err)
	}
}

func TestSimulatedAndDefaults(t *testing.T) {
	v, err := New(true)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Simulated() || v.Delay != DefaultDelay || v.Name() != "demo" {
		t.Fatalf("%+v simulated=%v", v, v.Simulated())
	}
}

func TestCancelWhileWaiting(t *testing.T) {
	v, _ := New(true)
	v.Delay = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	req := facetest.Request(t)
	done := make(chan error, 1)
	go func() {
		_, err := v.Verify(ctx, req)
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Verify = %v, want context.Canceled", err)
	}
}
