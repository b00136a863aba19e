package model

import (
	"context"
	"fmt"
	"time"
)

// HousekeepingJob is one periodic clean-up: Run does its work in bounded
// transactions and reports how many records it removed.
type HousekeepingJob struct {
	// Action is the audit action of a run ("outbox.purge_sent").
	Action string
	Run    func(ctx context.Context) (n int, err error)
}

// Housekeeper runs its jobs at start and then every Every. Each run of a
// job that removed something, or failed, leaves one audit record with the
// count (Actor "system"); runs with nothing to do leave none, so an idle
// kiosk does not fill its audit log with zeros. Adding a job is one entry
// in Jobs.
type Housekeeper struct {
	Store Store
	Clock Clock
	Timer Timer // nil: the wall clock
	Kiosk string
	Every time.Duration
	Jobs  []HousekeepingJob
	// OnError, when set, hears of each failed job (for the log); the
	// runner carries on with the next job and the next run.
	OnError func(action string, err error)
}

// RunOnce runs every job once and returns the counts by action and the
// first error.
func (h *Housekeeper) RunOnce(ctx context.Context) (map[string]int, error) {
	counts := make(map[string]int, len(h.Jobs))
	var first error
	for _, j := range h.Jobs {
		n, err := j.Run(ctx)
		counts[j.Action] += n
		if err == nil && n == 0 {
			continue
		}
		outcome, detail := "ok", fmt.Sprintf("count=%d", n)
		if err != nil {
			outcome = "error"
		}
		aerr := h.Store.Update(ctx, func(tx Tx) error {
			_, err := tx.Audit().Append(AuditRecord{Time: h.Clock.Now(), Kiosk: h.Kiosk, Actor: "system",
				Action: j.Action, Outcome: outcome, Detail: detail})
			return err
		})
		if err == nil {
			err = aerr
		}
		if err != nil {
			if h.OnError != nil {
				h.OnError(j.Action, err)
			}
			if first == nil {
				first = fmt.Errorf("%s: %w", j.Action, err)
			}
		}
	}
	return counts, first
}

// Run is RunOnce at once and then every Every (an hour when unset), until
// ctx ends; it returns ctx's error.
func (h *Housekeeper) Run(ctx context.Context) error {
	every := h.Every
	if every <= 0 {
		every = time.Hour
	}
	var timer Timer = SystemClock{}
	if h.Timer != nil {
		timer = h.Timer
	}
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		_, _ = h.RunOnce(ctx) // failures went to OnError; the next run tries again
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.After(every):
		}
	}
}

// AuditOutboxPurgeSent is the audit action of a purge of sent SMS.
const AuditOutboxPurgeSent = "outbox.purge_sent"

// SentSMSPurge deletes sent outbox messages (the number and the text go
// with them) once they are older than Keep: the outbox is a delivery queue,
// not an archive of who was texted.
type SentSMSPurge struct {
	Store Store
	Clock Clock
	Keep  time.Duration
	Batch int // messages looked at per transaction; 0 means 500 (fewer on a store that bounds a transaction)
}

// Job is the purge as a housekeeping job.
func (p *SentSMSPurge) Job() HousekeepingJob {
	return HousekeepingJob{Action: AuditOutboxPurgeSent, Run: p.Run}
}

// Run purges in transactions of at most Batch messages each and returns
// how many it deleted; a failure keeps what earlier batches deleted.
func (p *SentSMSPurge) Run(ctx context.Context) (int, error) {
	if p.Keep <= 0 {
		return 0, fmt.Errorf("sent SMS purge: keep must be positive, not %v", p.Keep)
	}
	batch := p.Batch
	if batch <= 0 {
		batch = 500
	}
	// A message costs one read and two deletions (its record and its
	// state entry), each two writes on a store that bounds a transaction.
	batch = BatchSize(p.Store, batch, 4, 8)
	before := p.Clock.Now().Add(-p.Keep)
	return InBatches(ctx, p.Store, func(tx Tx, cursor string) (int, string, error) {
		return tx.Outbox().PurgeSent(before, cursor, batch)
	})
}

// InBatches runs batch in one store transaction after another, the first
// from cursor "", each next from the cursor the last returned, until one
// returns no cursor; it returns the sum of their n. Each closure may be
// re-run (it starts from its cursor again); a failure keeps what earlier
// batches did.
func InBatches(ctx context.Context, s Store, batch func(tx Tx, cursor string) (n int, next string, err error)) (int, error) {
	total, cursor := 0, ""
	for {
		var (
			n    int
			next string
		)
		err := s.Update(ctx, func(tx Tx) error {
			var err error
			n, next, err = batch(tx, cursor)
			return err
		})
		if err != nil {
			return total, err
		}
		total += n
		if next == "" {
			return total, nil
		}
		cursor = next
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}
