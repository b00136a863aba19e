package fleet_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"kiosk/model/clocktest"
	"kiosk/model/fleet"
)

var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// recorder is a fleet.Store that keeps every write.
type recorder struct {
	mu     sync.Mutex
	beats  []fleet.Record
	left   []fleet.Record
	fail   error
	wrote  chan struct{}
	leftOK bool // Leave's context was live when called
}

func newRecorder() *recorder { return &recorder{wrote: make(chan struct{}, 64)} }

func (r *recorder) Beat(_ context.Context, rec fleet.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.beats = append(r.beats, rec)
	r.wrote <- struct{}{}
	return r.fail
}

func (r *recorder) Leave(ctx context.Context, rec fleet.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.left, r.leftOK = append(r.left, rec), ctx.Err() == nil
	return nil
}

func (r *recorder) List(context.Context) ([]fleet.Seen, error) { return nil, nil }

func (r *recorder) setFail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = err
}

func (r *recorder) last() fleet.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.beats[len(r.beats)-1]
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.beats)
}

// wait waits for the next write.
func (r *recorder) wait(t *testing.T) fleet.Record {
	t.Helper()
	select {
	case <-r.wrote:
	case <-time.After(5 * time.Second):
		t.Fatal("no write")
	}
	return r.last()
}

// quiet fails when a write comes within a short while.
func (r *recorder) quiet(t *testing.T) {
	t.Helper()
	select {
	case <-r.wrote:
		t.Fatalf("an unexpected write: %+v", r.last())
	case <-time.After(50 * time.Millisecond):
	}
}

// health is a device check the test sets.
type health struct {
	mu   sync.Mutex
	devs []fleet.Device
}

func (h *health) set(d ...fleet.Device) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.devs = d
}

func (h *health) check(context.Context) []fleet.Device {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]fleet.Device(nil), h.devs...)
}

var (
	camOK  = fleet.Device{Role: fleet.Camera, Adapter: "replay", Simulated: true, OK: true}
	smsOK  = fleet.Device{Role: fleet.SMS, Adapter: "GSM modem on /dev/ttyUSB0", OK: true}
	smsBad = fleet.Device{Role: fleet.SMS, Adapter: "GSM modem on /dev/ttyUSB0", Problem: "modem: no answer to AT"}
)

// TestHeartbeat: a write at the start, one every interval, one at once
// when a device's health changes (none when it stays), input noted only
// to the minute and never written by itself, and a stopped record when
// the kiosk stops.
func TestHeartbeat(t *testing.T) {
	st, clk, hl := newRecorder(), clocktest.New(t0), &health{}
	hl.set(camOK, smsOK)
	var (
		mu     sync.Mutex
		states []error
	)
	heard := func() []error { mu.Lock(); defer mu.Unlock(); return append([]error(nil), states...) }
	hb := &fleet.Heartbeat{Store: st, Clock: clk, Timer: clk, Kiosk: "K-1", Hall: "一楼大厅", Version: "1.4.0",
		Check: hl.check, CheckEvery: time.Minute,
		OnState: func(err error) { mu.Lock(); defer mu.Unlock(); states = append(states, err) }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- hb.Run(ctx) }()

	first := st.wait(t)
	if first.Kiosk != "K-1" || first.Hall != "一楼大厅" || first.Version != "1.4.0" || !first.StartedAt.Equal(t0) ||
		!first.LastSeen.Equal(t0) || first.Every != fleet.DefaultEvery || first.Stopped || !first.LastActivity.IsZero() {
		t.Fatalf("first beat %+v", first)
	}
	// The first check's result is news: written at once.
	if r := st.wait(t); len(r.Devices) != 2 || r.Devices[1] != smsOK {
		t.Fatalf("after the first check: %+v", r.Devices)
	}
	// Keys and taps: noted, not written.
	for i := range 50 {
		hb.Touch(t0.Add(time.Duration(i) * time.Second))
	}
	st.quiet(t)
	// step moves the clock once both timers (the heartbeat's and the
	// check's) are armed.
	step := func(d time.Duration) {
		t.Helper()
		if !clk.WaitTimers(2, 5*time.Second) {
			t.Fatal("timers not armed")
		}
		clk.Add(d)
	}
	step(fleet.DefaultEvery)
	r := st.wait(t)
	if !r.LastSeen.Equal(t0.Add(fleet.DefaultEvery)) || !r.LastActivity.Equal(t0) {
		t.Fatalf("second beat: seen %v, activity %v (the minute of the last key is %v)", r.LastSeen, r.LastActivity, t0)
	}
	hb.Touch(t0.Add(75 * time.Second))
	if got := hb.LastActivity(); !got.Equal(t0.Add(time.Minute)) {
		t.Fatalf("activity %v, want the minute %v", got, t0.Add(time.Minute))
	}

	// The modem fails: written at the next check, before the heartbeat.
	hl.set(camOK, smsBad)
	n := st.count()
	step(50 * time.Second) // t0+60s: the check's turn (and the heartbeats')
	st.wait(t)             // the heartbeat's turn
	st.wait(t)             // the check's news
	var sawBad bool
	st.mu.Lock()
	for _, b := range st.beats[n:] {
		sawBad = sawBad || (len(b.Devices) == 2 && b.Devices[1] == smsBad)
	}
	st.mu.Unlock()
	if !sawBad || len(st.last().Failing()) != 1 {
		t.Fatalf("the failed modem was not written: %+v", st.last())
	}

	// The store fails: OnState hears it once, and once when it is back.
	st.setFail(errors.New("store unavailable"))
	for _, fail := range []bool{true, true, false, false} {
		if !fail {
			st.setFail(nil)
		}
		step(fleet.DefaultEvery)
		st.wait(t)
	}
	if got := heard(); len(got) != 2 || got[0] == nil || got[1] != nil {
		t.Fatalf("OnState heard %v", got)
	}

	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	if len(st.left) != 1 || !st.left[0].Stopped || st.left[0].Kiosk != "K-1" || !st.left[0].LastActivity.Equal(t0.Add(time.Minute)) {
		t.Fatalf("left %+v", st.left)
	}
	if !st.leftOK {
		t.Fatal("the last write was given an ended context")
	}
}

// TestOnline: by the leased mark where the store has leases, else by a
// heartbeat within three intervals; a clean stop is offline.
func TestOnline(t *testing.T) {
	now := t0.Add(time.Hour)
	rec := fleet.Record{Kiosk: "K", LastSeen: now.Add(-25 * time.Second), Every: 10 * time.Second}
	for _, c := range []struct {
		name string
		s    fleet.Seen
		want bool
	}{
		{"leased", fleet.Seen{Record: fleet.Record{Kiosk: "K", LastSeen: t0}, Live: fleet.LiveLeased}, true},
		{"lease gone", fleet.Seen{Record: rec, Live: fleet.LiveGone}, false},
		{"recent", fleet.Seen{Record: rec}, true},
		{"three beats", fleet.Seen{Record: fleet.Record{LastSeen: now.Add(-30 * time.Second), Every: 10 * time.Second}}, true},
		{"four beats", fleet.Seen{Record: fleet.Record{LastSeen: now.Add(-31 * time.Second), Every: 10 * time.Second}}, false},
		{"default interval", fleet.Seen{Record: fleet.Record{LastSeen: now.Add(-29 * time.Second)}}, true},
		{"stopped", fleet.Seen{Record: fleet.Record{LastSeen: now, Stopped: true}}, false},
		{"never", fleet.Seen{}, false},
	} {
		if got := fleet.Online(c.s, now); got != c.want {
			t.Errorf("%s: online %v, want %v", c.name, got, c.want)
		}
	}
}

func TestProblemCut(t *testing.T) {
	long := ""
	for len(long) < 300 {
		long += "设备无应答 "
	}
	p := fleet.Problem(long)
	if len(p) > fleet.MaxProblem || len(p) < fleet.MaxProblem-3 || !utf8Valid(p) {
		t.Fatalf("cut to %d bytes: %q", len(p), p)
	}
	if fleet.Problem("short") != "short" {
		t.Fatal("a short problem changed")
	}
}

func utf8Valid(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' {
			return false
		}
	}
	return true
}
