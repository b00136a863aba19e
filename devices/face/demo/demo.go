// Package demo is the face verifier of demo mode: after a short pause that
// feels like a real check, everyone matches. Its constructor refuses to
// build one outside demo mode, so a misconfigured production kiosk cannot
// wave people through.
package demo

import (
	"context"
	"fmt"
	"time"

	"kiosk/devices/face"
)

// DefaultDelay is how long a demo verification takes.
const DefaultDelay = 1500 * time.Millisecond

// Verifier always matches after Delay.
type Verifier struct {
	Delay time.Duration
}

var _ face.Verifier = (*Verifier)(nil)

// New returns a demo verifier, or face.ErrDemoOnly when demoMode is off.
func New(demoMode bool) (*Verifier, error) {
	if !demoMode {
		return nil, fmt.Errorf("%w: the demo face verifier needs demo mode", face.ErrDemoOnly)
	}
	return &Verifier{Delay: DefaultDelay}, nil
}

// Name implements face.Verifier.
func (v *Verifier) Name() string { return "demo" }

// Simulated implements face.Verifier: true.
func (v *Verifier) Simulated() bool { return true }

// Check implements face.Verifier: always ready.
func (v *Verifier) Check(ctx context.Context) error { return ctx.Err() }

// Verify implements face.Verifier: a match with score 0.99 after Delay.
func (v *Verifier) Verify(ctx context.Context, req face.Request) (face.Result, error) {
	if len(req.Frames) == 0 {
		return face.Result{}, face.ErrNoFrames
	}
	if err := ctx.Err(); err != nil {
		return face.Result{}, err
	}
	t := time.NewTimer(v.Delay)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return face.Result{}, ctx.Err()
	case <-t.C:
	}
	return face.ResultFor(face.Match, 0.99), nil
}
