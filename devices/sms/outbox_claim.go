package sms

import (
	"context"
	"errors"
	"time"

	"kiosk/model"
)

// The claim of a message and the record of its outcome (see Worker).

// claimed is a message this worker holds: as the claim wrote it (m) and
// as it was before (before), and the lease of the claim (nil: by time).
type claimed struct {
	m, before model.OutboundSMS
	lease     model.Lease
	ok        bool
}

// outcome is what to record of an attempt: the message as it should now
// be, the Attempts its claim wrote, and the lease of the claim.
type outcome struct {
	m       model.OutboundSMS
	attempt int
	lease   model.Lease
}

// claim takes message id if it is still pending and due and nobody holds
// it: under lease when there is one, by pushing NextAttempt otherwise.
func (w *Worker) claim(ctx context.Context, id string, lease model.Lease) (claimed, error) {
	var c claimed
	err := w.Store.Update(ctx, func(tx model.Tx) error {
		c = claimed{} // the closure may run again: another worker may have claimed it meanwhile
		cur, err := tx.Outbox().Get(id)
		if err != nil {
			return err
		}
		now := w.now()
		if cur.State != model.OutboxPending || cur.NextAttempt.After(now) {
			return nil // sent, moved aside or claimed by time meanwhile
		}
		m := cur
		m.Attempts++
		m.LastError = lastErrorClaimed
		if lease != nil {
			if ok, err := tx.Outbox().Claim(id, lease); err != nil || !ok {
				return err // !ok: another worker holds it
			}
		} else {
			m.NextAttempt = now.Add(w.backoff(m.Attempts))
		}
		c = claimed{m: m, before: cur, lease: lease, ok: true}
		return tx.Outbox().Put(m)
	})
	switch {
	case lease != nil && errors.Is(err, model.ErrLeaseEnded):
		w.dropLease(ctx) // a new one at the next pass
		return claimed{}, nil
	case lease != nil && errors.Is(err, model.ErrNoLeases):
		w.dropLease(ctx)
		w.noLeases = true
		return claimed{}, nil
	}
	return c, err
}

// record stores o even when ctx has ended (a stopping worker must not
// forget that a message went out), retrying briefly. What it cannot store
// is kept for flush: a "sent" lost here is a duplicate later.
func (w *Worker) record(ctx context.Context, o outcome) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	var err error
	for i := range 3 {
		if i > 0 {
			time.Sleep(time.Duration(i) * 50 * time.Millisecond)
		}
		if err = w.store(rctx, o); err == nil {
			return nil
		}
	}
	w.unrecorded = append(w.unrecorded, o)
	w.log().Error("cannot record sms outcome, kept to retry", "id", o.m.ID, "state", string(o.m.State), "err", err)
	return err
}

// flush records the outcomes record could not, oldest first, before the
// worker claims anything else.
func (w *Worker) flush(ctx context.Context) error {
	for len(w.unrecorded) > 0 {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
		err := w.store(rctx, w.unrecorded[0])
		cancel()
		if err != nil {
			return err
		}
		w.unrecorded = w.unrecorded[1:]
	}
	return nil
}

// store writes o if its attempt still holds the message, and releases the
// claim; a "sent" is written in any case, unless the message was marked
// sent already (by another worker, in the window the Worker doc names).
func (w *Worker) store(ctx context.Context, o outcome) error {
	return w.Store.Update(ctx, func(tx model.Tx) error {
		cur, err := tx.Outbox().Get(o.m.ID)
		if err != nil {
			return err
		}
		held := cur.State == model.OutboxPending && cur.Attempts == o.attempt
		if o.lease != nil {
			mine, err := tx.Outbox().Release(o.m.ID, o.lease)
			if err != nil {
				return err
			}
			held = held && mine
		}
		switch {
		case o.m.State == model.OutboxSent && cur.State == model.OutboxSent:
			return nil
		case o.m.State == model.OutboxSent, held:
			return tx.Outbox().Put(o.m)
		}
		return nil // the claim ended and another attempt owns the message
	})
}

// holdLease returns the worker's live lease, granting one if needed, or
// nil on a store without leases.
func (w *Worker) holdLease(ctx context.Context) (model.Lease, error) {
	if w.noLeases {
		return nil, nil
	}
	if w.lease != nil {
		if !ended(w.lease) {
			return w.lease, nil
		}
		w.dropLease(ctx)
	}
	lctx, stop := context.WithCancel(ctx)
	l, err := w.Store.Grant(lctx, w.leaseTTL())
	if err != nil {
		stop()
		if errors.Is(err, model.ErrNoLeases) {
			w.noLeases = true
			return nil, nil
		}
		return nil, err
	}
	w.lease, w.stopLease = l, stop
	return l, nil
}

// dropLease ends the worker's lease: its renewal stops and it is revoked,
// so claims it still holds (none after a pass) end at once.
func (w *Worker) dropLease(ctx context.Context) {
	if w.lease == nil {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := w.lease.Revoke(rctx); err != nil {
		w.log().Info("outbox lease not revoked, it will expire", "err", err)
	}
	w.stopLease()
	w.lease, w.stopLease = nil, nil
}

// stop records what is left and ends the lease, when Run or RunOnce ends.
func (w *Worker) stop(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.flush(ctx); err != nil {
		w.log().Error("sms outcomes lost at stop", "n", len(w.unrecorded), "err", err)
		w.unrecorded = nil
	}
	w.dropLease(ctx)
}

func ended(l model.Lease) bool {
	select {
	case <-l.Done():
		return true
	default:
		return false
	}
}
