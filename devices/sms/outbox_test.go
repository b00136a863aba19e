package sms_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"kiosk/devices/sms"
	"kiosk/devices/sms/sim"
	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/storage"
	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
)

const phone = "13800138000"

// newStore is a store with leases (memkv): workers claim under a lease.
func newStore(t *testing.T) *storage.Store {
	t.Helper()
	return openOn(t, memkv.New())
}

// noLeases hides the engine's leases, as bbolt has none: workers claim by
// time.
type noLeases struct{ kv.Engine }

func newTimeStore(t *testing.T) *storage.Store {
	t.Helper()
	return openOn(t, noLeases{memkv.New()})
}

func openOn(t *testing.T, e kv.Engine) *storage.Store {
	t.Helper()
	st, err := storage.Open(e, storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// bothClaims runs fn on a store with leases and on one without.
func bothClaims(t *testing.T, fn func(t *testing.T, st *storage.Store, leased bool)) {
	t.Run("lease", func(t *testing.T) { fn(t, newStore(t), true) })
	t.Run("time", func(t *testing.T) { fn(t, newTimeStore(t), false) })
}

func enqueue(t *testing.T, st model.Store, texts ...string) []string {
	t.Helper()
	var ids []string
	err := st.Update(context.Background(), func(tx model.Tx) error {
		ids = ids[:0] // the closure may run again
		for _, text := range texts {
			m := model.NewOutboundSMS(phone, text, model.SMSKindNotice, time.Now())
			ids = append(ids, m.ID)
			if err := tx.Outbox().Enqueue(m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func get(t *testing.T, st model.Store, id string) model.OutboundSMS {
	t.Helper()
	var m model.OutboundSMS
	if err := st.View(context.Background(), func(tx model.Tx) error {
		var err error
		m, err = tx.Outbox().Get(id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return m
}

func noBackoff(int) time.Duration { return 0 }

func TestWorkerSends(t *testing.T) {
	st := newStore(t)
	phoneSim := sim.New(sim.Options{})
	ids := enqueue(t, st, "一", "二", "三")
	w := &sms.Worker{Store: st, Sender: phoneSim, Batch: 2}
	for range 2 {
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		m := get(t, st, id)
		if m.State != model.OutboxSent || m.Attempts != 1 || m.SentAt.IsZero() || m.LastError != "" {
			t.Fatalf("after sending: %+v", m)
		}
	}
	if n, _ := w.RunOnce(context.Background()); n != 0 || len(phoneSim.Messages()) != 3 {
		t.Fatalf("second pass tried %d, phone has %d", n, len(phoneSim.Messages()))
	}
}

func TestWorkerRetriesThenSends(t *testing.T) {
	bothClaims(t, func(t *testing.T, st *storage.Store, leased bool) {
		phoneSim := sim.New(sim.Options{})
		phoneSim.FailNext(errors.New("modem: no answer in time"), 2)
		var mu sync.Mutex
		var asked []int
		w := &sms.Worker{Store: st, Sender: phoneSim, Backoff: func(n int) time.Duration {
			mu.Lock()
			defer mu.Unlock()
			asked = append(asked, n)
			return 0
		}}
		id := enqueue(t, st, "验证码 123456")[0]
		ctx := context.Background()
		w.RunOnce(ctx)
		if m := get(t, st, id); m.State != model.OutboxPending || m.Attempts != 1 || m.LastError != "modem: no answer in time" {
			t.Fatalf("after one failure: %+v", m)
		}
		w.RunOnce(ctx)
		w.RunOnce(ctx)
		if m := get(t, st, id); m.State != model.OutboxSent || m.Attempts != 3 {
			t.Fatalf("after recovery: %+v", m)
		}
		// Each failure asks for the backoff of the attempt number; a claim
		// by time asks for it too, a claim under a lease does not.
		want := "[1 1 2 2 3]"
		if leased {
			want = "[1 2]"
		}
		if fmt.Sprint(asked) != want {
			t.Fatalf("backoff asked for %v, want %s", asked, want)
		}
	})
}

func TestWorkerBackoffDelaysRetry(t *testing.T) {
	st := newStore(t)
	phoneSim := sim.New(sim.Options{})
	phoneSim.FailNext(errors.New("busy"), 1)
	id := enqueue(t, st, "x")[0]
	w := &sms.Worker{Store: st, Sender: phoneSim, Backoff: func(int) time.Duration { return time.Hour }}
	w.RunOnce(context.Background())
	if n, _ := w.RunOnce(context.Background()); n != 0 {
		t.Fatal("retried before the backoff passed")
	}
	if m := get(t, st, id); time.Until(m.NextAttempt) < 59*time.Minute {
		t.Fatalf("next attempt %v", m.NextAttempt)
	}
}

func TestWorkerPermanentFailureMovesAside(t *testing.T) {
	st := newStore(t)
	phoneSim := sim.New(sim.Options{})
	ids := enqueue(t, st, "ok")
	err := st.Update(context.Background(), func(tx model.Tx) error {
		m := model.NewOutboundSMS("not-a-number", "secret 654321", model.SMSKindCode, time.Now())
		ids = append(ids, m.ID)
		return tx.Outbox().Enqueue(m)
	})
	if err != nil {
		t.Fatal(err)
	}
	w := &sms.Worker{Store: st, Sender: phoneSim, Backoff: noBackoff}
	w.RunOnce(context.Background())
	bad := get(t, st, ids[1])
	if bad.State != model.OutboxDead || bad.Attempts != 1 || bad.LastError != "pdu: invalid destination number" {
		t.Fatalf("bad number: %+v", bad)
	}
	if get(t, st, ids[0]).State != model.OutboxSent {
		t.Fatal("the good message was not sent")
	}
	var dead []model.OutboundSMS
	st.View(context.Background(), func(tx model.Tx) error {
		dead, err = tx.Outbox().List(model.OutboxDead, 10)
		return err
	})
	if len(dead) != 1 {
		t.Fatalf("staff see %d dead messages", len(dead))
	}
}

func TestWorkerGivesUpAfterMaxAttempts(t *testing.T) {
	st := newStore(t)
	phoneSim := sim.New(sim.Options{})
	phoneSim.FailNext(errors.New("network busy"), -1)
	id := enqueue(t, st, "x")[0]
	w := &sms.Worker{Store: st, Sender: phoneSim, Backoff: noBackoff, MaxAttempts: 3}
	for range 5 {
		w.RunOnce(context.Background())
	}
	m := get(t, st, id)
	if m.State != model.OutboxDead || m.Attempts != 3 || m.LastError != "gave up after 3 attempts: network busy" {
		t.Fatalf("%+v", m)
	}
}

// leaky is a sender whose errors quote the number and the text.
type leaky struct{ *sim.Sender }

func (leaky) Send(_ context.Context, to, text string) error {
	return fmt.Errorf("could not send %q to %s (+86%s, ref 13912345678)", text, to, to)
}

func TestWorkerScrubsLastError(t *testing.T) {
	st := newStore(t)
	id := enqueue(t, st, "您的验证码是 123456")[0]
	w := &sms.Worker{Store: st, Sender: leaky{sim.New(sim.Options{})}, Backoff: noBackoff}
	w.RunOnce(context.Background())
	m := get(t, st, id)
	for _, secret := range []string{"123456", phone, "验证码", "13912345678"} {
		if strings.Contains(m.LastError, secret) {
			t.Fatalf("LastError %q leaks %q", m.LastError, secret)
		}
	}
}

// blocking waits for ctx like a modem stuck before the hand-over.
type blocking struct {
	*sim.Sender
	started chan struct{}
}

func (b blocking) Send(ctx context.Context, _, _ string) error {
	close(b.started)
	<-ctx.Done()
	return ctx.Err()
}

func TestWorkerShutdownMidSendIsNotAnAttempt(t *testing.T) {
	bothClaims(t, func(t *testing.T, st *storage.Store, _ bool) {
		id := enqueue(t, st, "x")[0]
		b := blocking{Sender: sim.New(sim.Options{}), started: make(chan struct{})}
		w := &sms.Worker{Store: st, Sender: b, Backoff: func(int) time.Duration { return time.Hour }}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- w.Run(ctx) }()
		<-b.started
		if m := get(t, st, id); m.Attempts != 1 || !strings.Contains(m.LastError, "outcome unknown") {
			t.Fatalf("claim not recorded before sending: %+v", m)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if m := get(t, st, id); m.State != model.OutboxPending || m.Attempts != 0 || m.NextAttempt.After(time.Now()) {
			t.Fatalf("after shutdown: %+v", m)
		}
		// Due again at once, for any worker: no claim is left.
		var due []model.OutboundSMS
		if err := st.View(context.Background(), func(tx model.Tx) (err error) {
			due, err = tx.Outbox().Due(time.Now(), 10)
			return err
		}); err != nil || len(due) != 1 {
			t.Fatalf("due after shutdown: %d, %v", len(due), err)
		}
	})
}

func TestWorkerKick(t *testing.T) {
	st := newStore(t)
	phoneSim := sim.New(sim.Options{})
	ch, stop := phoneSim.Subscribe(1)
	defer stop()
	// The test clock never moves, so no poll timer ever fires: only Kick
	// can wake the worker. It stands ahead of the wall clock so that the
	// message enqueued below is due.
	clock := clocktest.New(time.Now().Add(time.Minute))
	w := &sms.Worker{Store: st, Sender: phoneSim, Clock: clock, Poll: time.Hour}
	w.Kick() // before Run: harmless; it only ends Run's first wait at once
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	// Run is idle once it waits on its second poll timer: the first pass
	// found nothing and the first wait ended on the kick from before Run.
	if !clock.WaitTimers(2, 5*time.Second) {
		t.Fatalf("Run never went idle (%d timers)", clock.Waiting())
	}
	enqueue(t, st, "叫醒")
	select {
	case m := <-ch:
		t.Fatalf("sent %q before the kick", m.Text)
	default:
	}
	w.Kick()
	select {
	case m := <-ch:
		if m.Text != model.SMSSignature+"叫醒" {
			t.Fatalf("got %q", m.Text)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Kick did not wake the worker")
	}
	cancel()
	<-done
}

func TestExpBackoff(t *testing.T) {
	b := sms.ExpBackoff(time.Second, 10*time.Second)
	for _, c := range []struct {
		attempt int
		lo, hi  time.Duration
	}{{1, 500 * time.Millisecond, time.Second}, {2, time.Second, 2 * time.Second}, {4, 4 * time.Second, 8 * time.Second},
		{5, 5 * time.Second, 10 * time.Second}, {50, 5 * time.Second, 10 * time.Second}} {
		for range 50 {
			if d := b(c.attempt); d < c.lo || d > c.hi {
				t.Fatalf("attempt %d: %v outside [%v, %v]", c.attempt, d, c.lo, c.hi)
			}
		}
	}
}

func TestIsPermanent(t *testing.T) {
	base := errors.New("x")
	if sms.IsPermanent(nil) || sms.IsPermanent(base) || sms.IsPermanent(context.Canceled) || sms.IsPermanent(sms.ErrClosed) {
		t.Fatal("temporary errors reported permanent")
	}
	p := sms.Permanent(base)
	if !sms.IsPermanent(p) || !sms.IsPermanent(fmt.Errorf("wrapped: %w", p)) || !errors.Is(p, base) {
		t.Fatal("Permanent lost")
	}
	if sms.Permanent(nil) != nil {
		t.Fatal("Permanent(nil) != nil")
	}
}
