package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"kiosk/model"
	"kiosk/model/rules"
)

// outboxList is `kiosk outbox list [pending|sent|dead]`: what the SMS outbox
// holds, for staff and operators. Numbers are masked and texts are never
// printed (they may hold one-time codes).
func outboxList(ctx context.Context, cfg Config, state string, out io.Writer) error {
	st := model.OutboxState(state)
	switch st {
	case model.OutboxPending, model.OutboxSent, model.OutboxDead:
	default:
		return fmt.Errorf("outbox state must be pending, sent or dead, not %q", state)
	}
	store, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	var msgs []model.OutboundSMS
	err = store.View(ctx, func(tx model.Tx) error {
		var err error
		msgs, err = tx.Outbox().List(st, 200)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%-32s %-8s %-7s %-11s %8s  %-16s  %s\n", "id", "state", "kind", "to", "attempts", "created", "last error")
	for _, m := range msgs {
		fmt.Fprintf(out, "%-32s %-8s %-7s %-11s %8d  %-16s  %s\n", m.ID, m.State, m.Kind, rules.MaskMobile(m.To),
			m.Attempts, m.CreatedAt.Local().Format("2006-01-02 15:04"), rules.Sanitize(m.LastError))
	}
	fmt.Fprintf(out, "%d message(s)\n", len(msgs))
	return nil
}

// outboxRetry is `kiosk outbox retry ID`: puts a message that was moved
// aside back in the queue (after the modem or SIM was fixed), with an audit
// record. The running kiosk's worker sends it on its next pass.
func outboxRetry(ctx context.Context, cfg Config, id string, out io.Writer) error {
	store, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	now := time.Now()
	err = store.Update(ctx, func(tx model.Tx) error {
		m, err := tx.Outbox().Get(id)
		if err != nil {
			return err
		}
		if m.State != model.OutboxDead {
			return fmt.Errorf("message %s is %s, only dead messages can be retried", id, m.State)
		}
		m.State, m.Attempts, m.NextAttempt, m.LastError = model.OutboxPending, 0, now, ""
		if err := tx.Outbox().Put(m); err != nil {
			return err
		}
		_, err = tx.Audit().Append(model.AuditRecord{Time: now, Kiosk: cfg.KioskID, Actor: "operator",
			Action: "outbox.retry", Subject: id, Outcome: "ok"})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "message %s queued again\n", id)
	return nil
}
