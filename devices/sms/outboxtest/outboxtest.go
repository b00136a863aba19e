// Package outboxtest is the suite of the SMS outbox shared by several
// kiosks (issue 13): workers of three kiosks on one store with leases send
// each message exactly once; a kiosk whose modem fails leaves its messages
// to the others; a worker that dies holding a claim leaves the message to
// another once its lease ends. Each engine with leases runs it (memkv in
// its conflict modes, etcd).
package outboxtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"kiosk/devices/sms"
	"kiosk/model"
	"kiosk/storage"
	"kiosk/storage/kv"
)

// Run runs the suite. newEngine returns a fresh, empty engine with leases
// (kv.Leaser) and registers its own cleanup; every kiosk of a test opens
// its store on it. An engine that can end a lease at once as a crash would
// (Expirer, memkv) is used for that; others revoke it.
func Run(t *testing.T, newEngine func(t *testing.T) kv.Engine) {
	tests := []struct {
		name string
		fn   func(t *testing.T, e kv.Engine)
	}{
		{"ExactlyOnceAcrossKiosks", exactlyOnce},
		{"ModemDownLeavesMessagesToOthers/check fails", func(t *testing.T, e kv.Engine) { modemDown(t, e, true) }},
		{"ModemDownLeavesMessagesToOthers/sends fail", func(t *testing.T, e kv.Engine) { modemDown(t, e, false) }},
		{"DeadClaimer/sent before dying", func(t *testing.T, e kv.Engine) { deadClaimer(t, e, true) }},
		{"DeadClaimer/died before the hand-over", func(t *testing.T, e kv.Engine) { deadClaimer(t, e, false) }},
		{"StalledWorker/its send failed", func(t *testing.T, e kv.Engine) { stalledWorker(t, e, false) }},
		{"StalledWorker/its send went out", func(t *testing.T, e kv.Engine) { stalledWorker(t, e, true) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t)
			if _, ok := e.(kv.Leaser); !ok {
				t.Fatalf("%T has no leases", e)
			}
			tc.fn(t, e)
		})
	}
}

// Expirer ends a lease at once, as when its holder died and its TTL ran
// out (memkv.Engine.Expire).
type Expirer interface {
	Expire(l kv.Lease)
}

// Timeouts: generous, for a cluster on a busy machine.
const (
	waitLimit = 30 * time.Second
	poll      = 10 * time.Millisecond
	leaseTTL  = 300 * time.Millisecond // an engine may round it up (etcd's minimum TTL)
)

// kiosks opens n stores on e with one key file, as kiosks sharing one
// database do. The stores are not closed: closing one closes e, which
// newEngine's cleanup does.
func kiosks(t *testing.T, e kv.Engine, n int) []*storage.Store {
	t.Helper()
	keys := storage.NewKeysForTest()
	out := make([]*storage.Store, n)
	for i := range out {
		st, err := storage.Open(e, keys)
		if err != nil {
			t.Fatalf("kiosk %d: %v", i, err)
		}
		out[i] = st
	}
	return out
}

// recipient is the distinct number of message i, so deliveries count per
// message.
func recipient(i int) string { return fmt.Sprintf("1390000%04d", i) }

// enqueue adds messages first..first+n-1, a few per transaction, as the use
// cases of a kiosk do; it returns their ids.
func enqueue(t testing.TB, st model.Store, first, n int) []string {
	var ids []string
	for i := first; i < first+n; i += 4 {
		var batch []string
		err := st.Update(context.Background(), func(tx model.Tx) error {
			batch = batch[:0] // the closure may run again
			for j := i; j < min(i+4, first+n); j++ {
				m := model.NewOutboundSMS(recipient(j), fmt.Sprintf("通知 %d", j), model.SMSKindNotice, time.Now())
				batch = append(batch, m.ID)
				if err := tx.Outbox().Enqueue(m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Errorf("enqueue: %v", err)
			return ids
		}
		ids = append(ids, batch...)
	}
	return ids
}

// phones counts what reached each recipient, whoever sent it.
type phones struct {
	mu   sync.Mutex
	got  map[string]int
	by   map[string]int // sender → messages delivered
	sent chan struct{}  // a token per delivery
}

func newPhones() *phones {
	return &phones{got: map[string]int{}, by: map[string]int{}, sent: make(chan struct{}, 1000)}
}

func (p *phones) deliver(sender, to string) {
	p.mu.Lock()
	p.got[to]++
	p.by[sender]++
	p.mu.Unlock()
	select {
	case p.sent <- struct{}{}:
	default:
	}
}

func (p *phones) count(to string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.got[to]
}

// sender is one kiosk's modem. send, when set, decides a Send's fate
// (nil: delivered); check, when set, answers Check.
type sender struct {
	name     string
	phones   *phones
	send     func(ctx context.Context, to string) error
	check    func() error
	mu       sync.Mutex
	attempts int // Send calls
	checks   int // Check calls
}

func (s *sender) Send(ctx context.Context, to, _ string) error {
	s.mu.Lock()
	s.attempts++
	s.mu.Unlock()
	if s.send != nil {
		if err := s.send(ctx, to); err != nil {
			return err
		}
	}
	s.phones.deliver(s.name, to)
	return nil
}

func (s *sender) Check(context.Context) error {
	s.mu.Lock()
	s.checks++
	s.mu.Unlock()
	if s.check != nil {
		return s.check()
	}
	return nil
}

func (s *sender) stats() (attempts, checks int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts, s.checks
}

func (s *sender) Name() string    { return s.name }
func (s *sender) Simulated() bool { return true }
func (s *sender) Close() error    { return nil }

// errModemDown is what a dead modem says: a device fault.
var errModemDown = sms.DeviceFault(errors.New("modem: no answer in time"))

// worker returns kiosk st's worker sending through s.
func worker(st model.Store, s sms.Sender) *sms.Worker {
	return &sms.Worker{Store: st, Sender: s, Poll: poll, LeaseTTL: leaseTTL,
		Backoff: func(int) time.Duration { return poll }}
}

// running is a worker started with run.
type running struct {
	cancel context.CancelFunc
	done   chan error
}

func run(w *sms.Worker) *running {
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- w.Run(ctx) }()
	return r
}

func (r *running) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("worker: %v", err)
		}
	case <-time.After(waitLimit):
		t.Error("worker did not stop")
	}
}

// waitFor polls cond until it holds or the limit passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(waitLimit); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func get(t *testing.T, st model.Store, id string) model.OutboundSMS {
	t.Helper()
	var m model.OutboundSMS
	if err := st.View(context.Background(), func(tx model.Tx) (err error) {
		m, err = tx.Outbox().Get(id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return m
}

func allSent(t *testing.T, st model.Store, ids []string) bool {
	t.Helper()
	for _, id := range ids {
		if get(t, st, id).State != model.OutboxSent {
			return false
		}
	}
	return true
}

// checkSentOnce asserts that every message of ids (message i of first+i)
// reached its recipient exactly once and is marked sent, and that no
// claim is left.
func checkSentOnce(t *testing.T, e kv.Engine, st model.Store, p *phones, first int, ids []string) {
	t.Helper()
	for i, id := range ids {
		m := get(t, st, id)
		if m.State != model.OutboxSent || m.SentAt.IsZero() || m.LastError != "" {
			t.Errorf("message %d: %+v", first+i, m)
		}
		if n := p.count(recipient(first + i)); n != 1 {
			t.Errorf("message %d delivered %d times", first+i, n)
		}
	}
	noClaims(t, e)
}

// noClaims asserts that no claim is left in the store (storage/doc.go:
// sms/claim/<id>).
func noClaims(t *testing.T, e kv.Engine) {
	t.Helper()
	var left []string
	err := e.View(context.Background(), func(tx kv.Tx) error {
		left = left[:0]
		return tx.Scan([]byte("sms/claim/"), func(k, _ []byte) (bool, error) {
			left = append(left, string(k))
			return true, nil
		})
	})
	if err != nil || len(left) > 0 {
		t.Errorf("claims left: %q (%v)", left, err)
	}
}
