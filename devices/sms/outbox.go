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
// Exactly once, and where it is only at-least-once: each attempt first
// claims the message in its own transaction (Attempts+1, NextAttempt pushed
// out by the backoff, LastError "outcome unknown"), then sends outside any
// transaction, then records the outcome. The message is marked sent only
// after the Sender reports the network accepted it, so a fault or a restart
// before that never loses it, and a claimed message is never picked up
// twice at the same time (another worker on the same store sees the pushed
// NextAttempt). The one window left is a crash after the modem accepted the
// message and before the "sent" mark is committed (or a lost modem
// confirmation, see package modem): the message is then sent again after
// its backoff, so the recipient may get it twice. A graceful stop does not
// open that window: the outcome of a send in progress is still recorded.
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

	once sync.Once
	kick chan struct{}
}

const (
	defaultMaxAttempts = 10
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
	poll := w.Poll
	if poll <= 0 {
		poll = 5 * time.Second
	}
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
// tried.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	n, _, err := w.pass(ctx)
	return n, err
}

// pass handles one batch; next is the earliest retry it scheduled.
func (w *Worker) pass(ctx context.Context) (n int, next time.Time, err error) {
	var due []model.OutboundSMS
	err = w.Store.View(ctx, func(tx model.Tx) error {
		var err error
		due, err = tx.Outbox().Due(w.now(), w.batch())
		return err
	})
	if err != nil {
		return 0, time.Time{}, err
	}
	for _, m := range due {
		if ctx.Err() != nil {
			break
		}
		retry, err := w.process(ctx, m.ID)
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
func (w *Worker) process(ctx context.Context, id string) (retry time.Time, err error) {
	var m, before model.OutboundSMS
	claimed := false
	err = w.Store.Update(ctx, func(tx model.Tx) error {
		claimed = false // the closure may run again: another worker may have claimed it meanwhile
		cur, err := tx.Outbox().Get(id)
		if err != nil {
			return err
		}
		now := w.now()
		if cur.State != model.OutboxPending || cur.NextAttempt.After(now) {
			return nil // sent, moved aside or claimed meanwhile
		}
		before, m = cur, cur
		m.Attempts++
		m.NextAttempt = now.Add(w.backoff(m.Attempts))
		m.LastError = lastErrorClaimed
		claimed = true
		return tx.Outbox().Put(m)
	})
	if err != nil || !claimed {
		return time.Time{}, err
	}

	sendErr := w.Sender.Send(ctx, m.To, m.Text)

	now := w.now()
	log := w.log().With("id", m.ID, "kind", m.Kind, "attempt", m.Attempts)
	switch {
	case sendErr == nil:
		m.State, m.SentAt, m.LastError = model.OutboxSent, now, ""
		log.Info("sms sent")
	case ctx.Err() != nil && errors.Is(sendErr, ctx.Err()):
		// Stopped before the hand-over: not an attempt, due again at once.
		m = before
		log.Info("sms send stopped by shutdown")
	case IsPermanent(sendErr):
		m.State, m.LastError = model.OutboxDead, w.scrub(sendErr, m)
		log.Warn("sms refused, moved aside", "err", m.LastError)
	case m.Attempts >= w.maxAttempts():
		m.State = model.OutboxDead
		m.LastError = "gave up after " + strconv.Itoa(m.Attempts) + " attempts: " + w.scrub(sendErr, m)
		log.Warn("sms failed too often, moved aside", "err", m.LastError)
	default:
		m.NextAttempt, m.LastError = now.Add(w.backoff(m.Attempts)), w.scrub(sendErr, m)
		retry = m.NextAttempt
		log.Info("sms send failed, will retry", "err", m.LastError, "next", m.NextAttempt)
	}
	return retry, w.record(ctx, m)
}

// record stores the outcome even when ctx has ended (a stopping worker
// must not forget that a message went out), retrying briefly: a "sent"
// lost here is a duplicate later.
func (w *Worker) record(ctx context.Context, m model.OutboundSMS) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	var err error
	for i := range 3 {
		if i > 0 {
			time.Sleep(time.Duration(i) * 50 * time.Millisecond)
		}
		err = w.Store.Update(rctx, func(tx model.Tx) error { return tx.Outbox().Put(m) })
		if err == nil {
			return nil
		}
	}
	w.log().Error("cannot record sms outcome", "id", m.ID, "state", string(m.State), "err", err)
	return err
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
