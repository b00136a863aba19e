package sms

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"kiosk/model"
)

// Worker drains the durable outbox: it sends due messages through Sender,
// retries temporary failures with exponential backoff, and moves messages
// aside (OutboxDead) after a permanent failure or MaxAttempts tries.
//
// Each attempt claims the message in a transaction of its own (Attempts+1,
// LastError "outcome unknown"), sends it outside any transaction, then
// records the outcome. The message is marked sent only after the Sender
// reports the network accepted it, so a fault or a restart before that
// never loses it. How a claim keeps other workers off depends on the store:
//
//   - A store shared by several kiosks has leases (model.Lease). The worker
//     holds one (LeaseTTL, renewed while it runs), and a claim is a record
//     under it, written only if no claim exists (OutboxRepo.Claim), in the
//     transaction that reads the message as pending and due; the store
//     commits it only if neither changed meanwhile, so one worker at a time
//     holds a message, and Due hides it from the others. The "sent" mark
//     and the release of the claim are one transaction. A worker that dies
//     leaves its claim to end with its lease (LeaseTTL after its last
//     renewal), and the message goes out through another worker. No
//     kiosk's clock is trusted for this.
//   - A store without leases (bbolt, one kiosk) claims by time: the claim
//     also pushes NextAttempt out by the backoff, and another worker skips
//     a message that is not due.
//
// An outcome is recorded only by the attempt that still holds the message
// (its claim, and Attempts as it claimed them): a failure seen by a worker
// whose claim ended meanwhile is dropped, and a message already marked
// sent stays as it is. An outcome that cannot be recorded now is kept, its
// claim held, and recorded before the worker claims anything else.
//
// Exactly once, and where it is only at-least-once: a message goes out a
// second time only if the "sent" mark of a send the network accepted was
// never committed — the worker died, or stopped with its store out of
// reach, after the hand-over; its lease ended (it lost the store for
// LeaseTTL) while it was sending; or the modem lost the confirmation
// (package modem, ErrUnconfirmed). In that window the recipient may get
// the message twice, and it is never lost. A graceful stop does not open
// it: the outcome of a send in progress is still recorded.
//
// A kiosk whose modem is down leaves its messages to the others: the
// worker asks Sender.Check before it claims (every HealthEvery while the
// device is well, on every pass while it is not) and claims nothing while
// the check fails. A send that fails with a device fault (IsDeviceFault:
// the modem, its port or SIM, not the network's refusal of the message)
// releases the message due at once, not pushed out by the backoff, and
// the worker claims nothing more for a hold that doubles with each fault
// in a row (Poll, up to 5 minutes) and until the check passes again.
//
// LastError and logs never hold the number or the text.
type Worker struct {
	Store       model.Store
	Sender      Sender
	Clock       model.Clock                     // default: the system clock; Run waits on it too when it is a model.Timer
	Log         *slog.Logger                    // default: discard
	MaxAttempts int                             // default 10
	Backoff     func(attempt int) time.Duration // delay after the n-th failed attempt; default ExpBackoff(10s, 30m)
	Batch       int                             // messages per pass; default 10
	Poll        time.Duration                   // idle re-check (other kiosks may enqueue); default 5s
	LeaseTTL    time.Duration                   // of the worker's lease on a shared store; default 15s
	HealthEvery time.Duration                   // Sender.Check interval while the device is well; default 30s

	once sync.Once
	kick chan struct{}

	mu         sync.Mutex // one pass at a time; guards what follows
	lease      model.Lease
	stopLease  context.CancelFunc // ends the lease's renewal
	noLeases   bool               // the store has none: claims by time
	health     health
	unrecorded []outcome // to record before the next claim
}

const (
	defaultMaxAttempts = 10
	defaultLeaseTTL    = 15 * time.Second
	defaultHealthEvery = 30 * time.Second
	maxFaultHold       = 5 * time.Minute
	recordTimeout      = 5 * time.Second
	maxErrorLen        = 200
)

// lastErrorClaimed is what a message shows if the process dies mid-send.
const lastErrorClaimed = "send in progress or interrupted: outcome unknown"

// ExpBackoff doubles base for each attempt up to limit, with jitter: the
// delay is drawn from [d/2, d], so kiosks that failed together do not
// retry in step.
func ExpBackoff(base, limit time.Duration) func(attempt int) time.Duration {
	return func(attempt int) time.Duration {
		d := base
		for i := 1; i < attempt && d < limit; i++ {
			d *= 2
		}
		d = min(d, limit)
		half := d / 2
		return half + rand.N(d-half+1)
	}
}

// Kick wakes the worker now, e.g. right after a message was enqueued. It
// never blocks and may be called before Run.
func (w *Worker) Kick() {
	select {
	case w.kickChan() <- struct{}{}:
	default:
	}
}

func (w *Worker) kickChan() chan struct{} {
	w.once.Do(func() { w.kick = make(chan struct{}, 1) })
	return w.kick
}

// Run sends due messages until ctx ends. Store errors are logged and
// retried at the next poll; Run returns nil when ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	defer w.stop(ctx)
	poll := w.poll()
	var soonest time.Time // earliest retry this worker scheduled
	for {
		n, next, err := w.pass(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			w.log().Error("outbox pass failed", "err", err)
		}
		if !next.IsZero() && (soonest.IsZero() || next.Before(soonest)) {
			soonest = next
		}
		if err == nil && n == w.batch() {
			continue // more may be due
		}
		wait := poll
		if now := w.now(); !soonest.IsZero() {
			if d := soonest.Sub(now); d < wait {
				wait = max(d, 0)
				soonest = time.Time{}
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-w.kickChan():
		case <-w.after(wait):
		}
	}
}

// RunOnce makes one pass over the due messages and returns how many it
// tried. It ends the lease the pass took, so it must not run beside Run on
// the same Worker.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	n, _, err := w.pass(ctx)
	w.stop(ctx)
	return n, err
}

// pass handles one batch; next is the earliest retry it scheduled, or the
// end of a device fault's hold.
func (w *Worker) pass(ctx context.Context) (n int, next time.Time, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.flush(ctx); err != nil {
		return 0, time.Time{}, err
	}
	var due []model.OutboundSMS
	err = w.Store.View(ctx, func(tx model.Tx) error {
		var err error
		due, err = tx.Outbox().Due(w.now(), w.batch())
		return err
	})
	if err != nil || len(due) == 0 {
		return 0, time.Time{}, err
	}
	if !w.healthy(ctx) { // left to other kiosks; checked again at the next poll or the hold's end
		if hold := w.health.holdUntil; hold.After(w.now()) {
			return 0, hold, nil
		}
		return 0, time.Time{}, nil
	}
	lease, err := w.holdLease(ctx)
	if err != nil {
		return 0, time.Time{}, err
	}
	for _, m := range due {
		if ctx.Err() != nil || w.health.down || lease != nil && (w.lease != lease || ended(lease)) {
			break // stopping, the device failed, or the lease ended
		}
		retry, err := w.process(ctx, m.ID, lease)
		if err != nil {
			return n, next, err
		}
		n++
		if !retry.IsZero() && (next.IsZero() || retry.Before(next)) {
			next = retry
		}
	}
	return n, next, nil
}

// process claims, sends and records one message. retry is its new
// NextAttempt when it stays pending.
func (w *Worker) process(ctx context.Context, id string, lease model.Lease) (retry time.Time, err error) {
	c, err := w.claim(ctx, id, lease)
	if err != nil || !c.ok {
		return time.Time{}, err
	}
	if c.lease != nil && ended(c.lease) {
		// The claim may be gone and the message another worker's: leave
		// it, as a worker that stopped here would.
		return time.Time{}, nil
	}

	sendErr := w.Sender.Send(ctx, c.m.To, c.m.Text)

	m, now := c.m, w.now()
	log := w.log().With("id", m.ID, "kind", m.Kind, "attempt", m.Attempts)
	switch {
	case sendErr == nil:
		m.State, m.SentAt, m.LastError = model.OutboxSent, now, ""
		w.health.faults = 0
		log.Info("sms sent")
	case ctx.Err() != nil && errors.Is(sendErr, ctx.Err()):
		// Stopped before the hand-over: not an attempt, due again at once.
		m = c.before
		log.Info("sms send stopped by shutdown")
	case IsPermanent(sendErr):
		m.State, m.LastError = model.OutboxDead, w.scrub(sendErr, m)
		log.Warn("sms refused, moved aside", "err", m.LastError)
	case m.Attempts >= w.maxAttempts():
		m.State = model.OutboxDead
		m.LastError = "gave up after " + strconv.Itoa(m.Attempts) + " attempts: " + w.scrub(sendErr, m)
		log.Warn("sms failed too often, moved aside", "err", m.LastError)
	case IsDeviceFault(sendErr):
		// Due as it was, at once: another kiosk's modem may send it.
		m.NextAttempt, m.LastError = c.before.NextAttempt, w.scrub(sendErr, m)
		w.fault(now)
		log.Warn("sms device fault, leaving messages to other kiosks", "err", m.LastError,
			"hold", w.health.holdUntil.Sub(now).String())
	default:
		m.NextAttempt, m.LastError = now.Add(w.backoff(m.Attempts)), w.scrub(sendErr, m)
		retry = m.NextAttempt
		log.Info("sms send failed, will retry", "err", m.LastError, "next", m.NextAttempt)
	}
	return retry, w.record(ctx, outcome{m: m, attempt: c.m.Attempts, lease: c.lease})
}

var longDigits = regexp.MustCompile(`[0-9]{7,}`)

// scrub makes an error fit for LastError and logs: no number, no text.
func (w *Worker) scrub(err error, m model.OutboundSMS) string {
	s := err.Error()
	for _, secret := range []string{m.Text, m.To, strings.TrimPrefix(m.To, "+")} {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	s = longDigits.ReplaceAllString(s, "[redacted]")
	if r := []rune(s); len(r) > maxErrorLen {
		s = string(r[:maxErrorLen])
	}
	return s
}

func (w *Worker) now() time.Time {
	if w.Clock == nil {
		return time.Now()
	}
	return w.Clock.Now()
}

// after waits on the Clock when it can (a test clock that the test moves),
// on the wall clock otherwise.
func (w *Worker) after(d time.Duration) <-chan time.Time {
	if t, ok := w.Clock.(model.Timer); ok {
		return t.After(d)
	}
	return time.After(d)
}

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Log
}

func (w *Worker) batch() int {
	if w.Batch <= 0 {
		return 10
	}
	return w.Batch
}

func (w *Worker) maxAttempts() int {
	if w.MaxAttempts <= 0 {
		return defaultMaxAttempts
	}
	return w.MaxAttempts
}

func (w *Worker) backoff(attempt int) time.Duration {
	if w.Backoff == nil {
		return defaultBackoff(attempt)
	}
	return w.Backoff(attempt)
}

var defaultBackoff = ExpBackoff(10*time.Second, 30*time.Minute)

func (w *Worker) poll() time.Duration {
	if w.Poll <= 0 {
		return 5 * time.Second
	}
	return w.Poll
}

func (w *Worker) leaseTTL() time.Duration {
	if w.LeaseTTL <= 0 {
		return defaultLeaseTTL
	}
	return w.LeaseTTL
}

func (w *Worker) healthEvery() time.Duration {
	if w.HealthEvery <= 0 {
		return defaultHealthEvery
	}
	return w.HealthEvery
}
