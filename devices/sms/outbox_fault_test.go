package sms_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kiosk/devices/sms"
	"kiosk/devices/sms/sim"
	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/storage"
)

func TestIsDeviceFault(t *testing.T) {
	base := errors.New("modem: no answer in time")
	d := sms.DeviceFault(base)
	for _, c := range []struct {
		err  error
		want bool
	}{
		{nil, false}, {base, false}, {context.Canceled, false},
		{d, true}, {fmt.Errorf("part 1 of 2: %w", d), true}, {sms.ErrClosed, true},
		{sms.Permanent(d), false}, // a permanent refusal is the message's, whatever else it is
	} {
		if got := sms.IsDeviceFault(c.err); got != c.want {
			t.Errorf("IsDeviceFault(%v) = %v", c.err, got)
		}
	}
	if !errors.Is(d, base) || d.Error() != base.Error() || sms.DeviceFault(nil) != nil {
		t.Fatal("DeviceFault does not wrap")
	}
}

// modem is a sender whose Send and Check fail as the test says.
type modem struct {
	*sim.Sender
	mu              sync.Mutex
	sendErr, chkErr error
	sends, checks   int
}

func (m *modem) set(sendErr, chkErr error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sendErr, m.chkErr = sendErr, chkErr
}

func (m *modem) Send(ctx context.Context, to, text string) error {
	m.mu.Lock()
	m.sends++
	err := m.sendErr
	m.mu.Unlock()
	if err != nil {
		return err
	}
	return m.Sender.Send(ctx, to, text)
}

func (m *modem) Check(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.checks++
	return m.chkErr
}

func (m *modem) counts() (sends, checks int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sends, m.checks
}

var errDown = sms.DeviceFault(errors.New("modem: no answer in time"))

// A send that fails on the device leaves the message due as it was (for
// another kiosk's modem), and the worker claims nothing until its hold
// has passed and its modem answers the check.
func TestWorkerDeviceFaultLeavesMessageDue(t *testing.T) {
	bothClaims(t, func(t *testing.T, st *storage.Store, _ bool) {
		clock := clocktest.New(time.Now().Add(time.Minute))
		id := enqueue(t, st, "设备故障")[0]
		due := get(t, st, id).NextAttempt
		m := &modem{Sender: sim.New(sim.Options{})}
		m.set(errDown, nil)
		w := &sms.Worker{Store: st, Sender: m, Clock: clock, Poll: time.Second, Backoff: func(int) time.Duration { return time.Hour }}
		ctx := context.Background()
		w.RunOnce(ctx)
		if got := get(t, st, id); got.State != model.OutboxPending || got.Attempts != 1 || !got.NextAttempt.Equal(due) ||
			got.LastError != "modem: no answer in time" {
			t.Fatalf("after the device fault: %+v (due %v)", got, due)
		}
		// Held: no check, no send.
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Fatalf("claimed %d messages during the hold", n)
		}
		// After the hold the check fails: still nothing.
		clock.Add(time.Second)
		m.set(nil, errDown)
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Fatalf("claimed %d messages while the check fails", n)
		}
		if sends, checks := m.counts(); sends != 1 || checks != 2 {
			t.Fatalf("%d sends and %d checks, want 1 and 2", sends, checks)
		}
		// The modem answers again: sent.
		m.set(nil, nil)
		if n, _ := w.RunOnce(ctx); n != 1 {
			t.Fatalf("tried %d messages once the modem answered", n)
		}
		if got := get(t, st, id); got.State != model.OutboxSent || got.Attempts != 2 || got.LastError != "" {
			t.Fatalf("after recovery: %+v", got)
		}
	})
}

// A modem that fails its check is never asked to send.
func TestWorkerCheckFailsClaimsNothing(t *testing.T) {
	bothClaims(t, func(t *testing.T, st *storage.Store, _ bool) {
		id := enqueue(t, st, "x")[0]
		m := &modem{Sender: sim.New(sim.Options{})}
		m.set(nil, errDown)
		w := &sms.Worker{Store: st, Sender: m}
		for range 3 {
			if n, err := w.RunOnce(context.Background()); n != 0 || err != nil {
				t.Fatalf("tried %d (%v)", n, err)
			}
		}
		if sends, checks := m.counts(); sends != 0 || checks != 3 {
			t.Fatalf("%d sends and %d checks", sends, checks)
		}
		if got := get(t, st, id); got.Attempts != 0 || got.LastError != "" {
			t.Fatalf("untouched message touched: %+v", got)
		}
	})
}

// flakyStore fails the next n Updates, as a store out of reach does.
type flakyStore struct {
	model.Store
	fail atomic.Int32
}

func (s *flakyStore) Update(ctx context.Context, fn func(model.Tx) error) error {
	if s.fail.Add(-1) >= 0 {
		return errors.New("store unreachable")
	}
	return s.Store.Update(ctx, fn)
}

// recordFails is a sender that cuts the store off once the message is
// handed over.
type recordFails struct {
	*sim.Sender
	st *flakyStore
}

func (r recordFails) Send(ctx context.Context, to, text string) error {
	err := r.Sender.Send(ctx, to, text)
	r.st.fail.Store(3) // every try of the record
	return err
}

// An outcome the store refused is kept and recorded before anything else
// is claimed: the message sent is marked sent, not sent again.
func TestWorkerKeepsUnrecordedOutcome(t *testing.T) {
	bothClaims(t, func(t *testing.T, st *storage.Store, _ bool) {
		flaky := &flakyStore{Store: st}
		ids := enqueue(t, st, "一", "二")
		phoneSim := sim.New(sim.Options{})
		w := &sms.Worker{Store: flaky, Sender: recordFails{phoneSim, flaky}, Backoff: noBackoff, Batch: 1}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- w.Run(ctx) }()
		for end := time.Now().Add(5 * time.Second); get(t, st, ids[1]).State != model.OutboxSent; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatal("not all sent")
			}
			w.Kick()
		}
		cancel()
		<-done
		for _, id := range ids {
			if m := get(t, st, id); m.State != model.OutboxSent || m.Attempts != 1 {
				t.Fatalf("%+v", m)
			}
		}
		if n := len(phoneSim.Messages()); n != 2 {
			t.Fatalf("%d messages delivered, want 2", n)
		}
	})
}

// A worker whose modem is down asks it again at each poll, not in a loop,
// also once the hold after a failed send has passed.
func TestWorkerDownChecksAtThePoll(t *testing.T) {
	st := newStore(t)
	enqueue(t, st, "x")
	m := &modem{Sender: sim.New(sim.Options{})}
	m.set(errDown, nil)
	w := &sms.Worker{Store: st, Sender: m, Poll: 20 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	for sends, _ := m.counts(); sends == 0; sends, _ = m.counts() {
		time.Sleep(time.Millisecond)
	}
	m.set(errDown, errDown)
	_, before := m.counts()
	time.Sleep(200 * time.Millisecond)
	cancel()
	<-done
	sends, checks := m.counts()
	if checks -= before; sends != 1 || checks < 3 || checks > 15 {
		t.Fatalf("%d sends and %d checks in 10 polls", sends, checks)
	}
}
