// Package facetest is the conformance test of face.Verifier for adapters
// that give a verdict on their own (demo, httpface). The counter adapter
// needs a staff member and has its own tests.
package facetest

import (
	"context"
	"errors"
	"image"
	_ "image/jpeg" // sample frames
	"reflect"
	"sync"
	"testing"
	"time"

	"kiosk/assets"
	"kiosk/devices/face"
	"kiosk/model/i18n"
)

// The person Run verifies; newVerifier must make this person match. The ID
// number is the public GB 11643 example, not a real person's.
const (
	MatchingName = "张三"
	MatchingID   = "11010519491231002X"
)

// Frames returns the sample face frames of assets/camera.
func Frames(t testing.TB) []image.Image {
	t.Helper()
	var out []image.Image
	for _, n := range []string{"face-1.jpg", "face-2.jpg"} {
		f, err := assets.CameraFrames.Open("camera/" + n)
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, img)
	}
	return out
}

// Request returns a verification request for the matching person.
func Request(t testing.TB) face.Request {
	return face.Request{Name: MatchingName, IDNumber: MatchingID, Frames: Frames(t)}
}

// Run checks the face.Verifier contract on fresh verifiers from newVerifier.
func Run(t *testing.T, newVerifier func(t *testing.T) face.Verifier) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(*testing.T, face.Verifier)
	}{
		{"Identity", testIdentity},
		{"Match", testMatch},
		{"NoFrames", testNoFrames},
		{"Cancelled", testCancelled},
		{"DeadlinePassed", testDeadline},
		{"Concurrent", testConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newVerifier(t)) })
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func testIdentity(t *testing.T, v face.Verifier) {
	if v.Name() == "" {
		t.Error("Name is empty")
	}
	if err := v.Check(ctx(t)); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func testMatch(t *testing.T, v face.Verifier) {
	res, err := v.Verify(ctx(t), Request(t))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !res.Match || res.Outcome != face.Match {
		t.Fatalf("result %+v, want a match", res)
	}
	if res.Score < 0 || res.Score > 1 {
		t.Errorf("score %v outside [0, 1]", res.Score)
	}
	if res.Reason.IsZero() || !i18n.Default().Has(i18n.Chinese, res.Reason.ID) {
		t.Errorf("reason %+v: not a sentence of the catalog", res.Reason)
	}
}

func testNoFrames(t *testing.T, v face.Verifier) {
	req := Request(t)
	req.Frames = nil
	_, err := v.Verify(ctx(t), req)
	if !errors.Is(err, face.ErrNoFrames) {
		t.Fatalf("Verify without frames = %v, want ErrNoFrames", err)
	}
	if m := face.Message(err); m.IsZero() || !i18n.Default().Has(i18n.Chinese, m.ID) {
		t.Errorf("message %+v: not a sentence of the catalog", m)
	}
}

func testCancelled(t *testing.T, v face.Verifier) {
	c, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := v.Verify(c, Request(t))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Verify(cancelled) = %v, want context.Canceled", err)
	}
}

func testDeadline(t *testing.T, v face.Verifier) {
	c, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := v.Verify(c, Request(t))
	if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, face.ErrTimeout) {
		t.Fatalf("Verify(past deadline) = %v, want a timeout", err)
	}
	if got := face.Message(err); !reflect.DeepEqual(got, face.ErrTimeout.Msg) {
		t.Errorf("message %+v, want %+v", got, face.ErrTimeout.Msg)
	}
}

func testConcurrent(t *testing.T, v face.Verifier) {
	req := Request(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			if _, err := v.Verify(ctx(t), req); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent Verify: %v", err)
	}
}
