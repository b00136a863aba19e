package outboxtest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/storage/kv"
)

// exactlyOnce: three kiosks enqueue 60 messages, half before their three
// workers start (so all three race for the same due messages) and half
// while they run; each worker has its own modem, which takes a moment per
// message. Every message reaches its recipient once, is marked sent after
// one attempt, and no claim is left.
func exactlyOnce(t *testing.T, e kv.Engine) {
	const perKiosk, before = 20, 10
	sts := kiosks(t, e, 3)
	p := newPhones()
	ids := make([][]string, len(sts))
	for i, st := range sts {
		ids[i] = enqueue(t, st, i*perKiosk, before)
	}
	var workers []*running
	for i, st := range sts {
		s := &sender{name: fmt.Sprintf("K-%d", i+1), phones: p, send: func(context.Context, string) error {
			time.Sleep(time.Millisecond)
			return nil
		}}
		workers = append(workers, run(worker(st, s)))
	}
	var wg sync.WaitGroup
	for i, st := range sts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i] = append(ids[i], enqueue(t, st, i*perKiosk+before, perKiosk-before)...)
		}()
	}
	wg.Wait()
	var all []string // message i is all[i]
	for _, k := range ids {
		all = append(all, k...)
	}
	if len(all) != len(sts)*perKiosk {
		t.Fatalf("%d messages enqueued", len(all))
	}
	waitFor(t, "every message sent", func() bool { return allSent(t, sts[0], all) })
	for _, w := range workers {
		w.stop(t)
	}
	checkSentOnce(t, e, sts[1], p, 0, all)
	for i, id := range all {
		if m := get(t, sts[2], id); m.Attempts != 1 {
			t.Errorf("message %d claimed %d times", i, m.Attempts)
		}
	}
	t.Logf("delivered by kiosk: %v", p.by)
}

// modemDown: kiosk 1's modem is dead — it fails its check (checkFails),
// or it answers the check but every send fails on the device. Kiosk 1's
// worker meets it alone first, then the other two kiosks' workers start:
// every message goes out through them, once, and the attempts kiosk 1
// spent are the only extra ones.
func modemDown(t *testing.T, e kv.Engine, checkFails bool) {
	const n = 30
	sts := kiosks(t, e, 3)
	p := newPhones()
	bad := &sender{name: "K-1", phones: p, send: func(context.Context, string) error { return errModemDown }}
	if checkFails {
		bad.check = func() error { return errModemDown }
	}
	ids := enqueue(t, sts[0], 0, n)
	wBad := worker(sts[0], bad)
	wBad.Poll = 5 * poll // its hold after a fault starts there
	workers := []*running{run(wBad)}
	waitFor(t, "kiosk 1 to meet its dead modem", func() bool {
		attempts, checks := bad.stats()
		return checkFails && checks >= 2 || !checkFails && attempts >= 1
	})
	for i, st := range sts[1:] {
		workers = append(workers, run(worker(st, &sender{name: fmt.Sprintf("K-%d", i+2), phones: p})))
	}
	waitFor(t, "every message sent", func() bool { return allSent(t, sts[0], ids) })
	for _, w := range workers {
		w.stop(t)
	}
	checkSentOnce(t, e, sts[2], p, 0, ids)
	attempts, _ := bad.stats()
	switch {
	case checkFails && attempts != 0:
		t.Errorf("kiosk 1 tried %d sends with a modem that fails its check", attempts)
	case !checkFails && attempts == 0:
		t.Error("kiosk 1 never tried its modem")
	}
	total := 0
	for _, id := range ids {
		total += get(t, sts[1], id).Attempts
	}
	if total != n+attempts {
		t.Errorf("%d attempts recorded for %d messages and kiosk 1's %d failed sends", total, n, attempts)
	}
	t.Logf("kiosk 1: %d failed sends; delivered by kiosk: %v", attempts, p.by)
}

// deadClaimer: kiosk 1's worker claims a message under its lease and dies
// before recording the outcome, after the hand-over (sentBeforeDying) or
// before it. While the lease lives, kiosk 2 leaves the message alone;
// once it ends (the TTL ran out), kiosk 2 sends it. The Worker doc's
// window: the recipient gets it at most twice, and it is marked sent.
func deadClaimer(t *testing.T, e kv.Engine, sentBeforeDying bool) {
	ctx := context.Background()
	sts := kiosks(t, e, 2)
	p := newPhones()
	id := enqueue(t, sts[0], 0, 1)[0]
	lease, err := sts[0].Grant(ctx, leaseTTL)
	if err != nil {
		t.Fatal(err)
	}
	// What Worker's claim writes.
	err = sts[0].Update(ctx, func(tx model.Tx) error {
		m, err := tx.Outbox().Get(id)
		if err != nil {
			return err
		}
		if ok, err := tx.Outbox().Claim(id, lease); err != nil || !ok {
			return fmt.Errorf("claim: %v, %v", ok, err)
		}
		m.Attempts++
		m.LastError = "send in progress or interrupted: outcome unknown"
		return tx.Outbox().Put(m)
	})
	if err != nil {
		t.Fatal(err)
	}
	if sentBeforeDying {
		p.deliver("K-1", recipient(0))
	}

	w2 := worker(sts[1], &sender{name: "K-2", phones: p})
	if n, err := w2.RunOnce(ctx); n != 0 || err != nil {
		t.Fatalf("kiosk 2 tried %d messages under kiosk 1's claim (%v)", n, err)
	}
	if m := get(t, sts[1], id); m.State != model.OutboxPending || m.Attempts != 1 {
		t.Fatalf("under the claim: %+v", m)
	}

	expire(t, e, lease)
	waitFor(t, "kiosk 2 to send the message", func() bool {
		if _, err := w2.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		return get(t, sts[1], id).State == model.OutboxSent
	})
	want := 1
	if sentBeforeDying {
		want = 2
	}
	if got := p.count(recipient(0)); got != want {
		t.Errorf("delivered %d times, want %d (at most twice)", got, want)
	}
	if m := get(t, sts[0], id); m.Attempts != 2 || m.SentAt.IsZero() || m.LastError != "" {
		t.Errorf("after kiosk 2's send: %+v", m)
	}
	noClaims(t, e)
}

// expire ends l as a crash would: at once where the engine can, by
// revoking it otherwise (its keys go the same way).
func expire(t *testing.T, e kv.Engine, l model.Lease) {
	t.Helper()
	if x, ok := e.(Expirer); ok {
		if kl, ok := l.(kv.Lease); ok {
			x.Expire(kl)
			return
		}
	}
	if err := l.Revoke(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// stalledWorker: kiosk 1's worker hands a message to its modem, which
// hangs past the hand-over (it ignores ctx), and kiosk 1 stops renewing
// its lease (it lost the store). Once the lease ends, kiosk 2 sends the
// message. When kiosk 1's send returns at last, its outcome does not undo
// the "sent": a failure is dropped (its claim is gone), a success finds
// the message sent (the window: delivered twice).
func stalledWorker(t *testing.T, e kv.Engine, wentOut bool) {
	sts := kiosks(t, e, 2)
	p := newPhones()
	id := enqueue(t, sts[0], 0, 1)[0]
	started, release := make(chan struct{}), make(chan error, 1)
	var once sync.Once
	stalled := &sender{name: "K-1", phones: p, send: func(context.Context, string) error {
		once.Do(func() { close(started) })
		return <-release
	}}
	a := run(worker(sts[0], stalled))
	select {
	case <-started:
	case <-time.After(waitLimit):
		t.Fatal("kiosk 1 never sent")
	}
	a.cancel() // its lease is no longer renewed
	b := run(worker(sts[1], &sender{name: "K-2", phones: p}))
	waitFor(t, "kiosk 2 to send the message", func() bool { return get(t, sts[1], id).State == model.OutboxSent })
	if wentOut {
		release <- nil
	} else {
		release <- errModemDown
	}
	select {
	case err := <-a.done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(waitLimit):
		t.Fatal("kiosk 1's worker did not stop")
	}
	b.stop(t)
	want := 1
	if wentOut {
		want = 2
	}
	if got := p.count(recipient(0)); got != want {
		t.Errorf("delivered %d times, want %d", got, want)
	}
	if m := get(t, sts[0], id); m.State != model.OutboxSent || m.Attempts != 2 || m.SentAt.IsZero() || m.LastError != "" {
		t.Errorf("after both sends: %+v", m)
	}
	noClaims(t, e)
}
