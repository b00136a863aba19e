package model_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

// putOutbox stores m in its state (Enqueue, then Put).
func putOutbox(tx model.Tx, m model.OutboundSMS) error {
	state := m.State
	m.State = model.OutboxPending
	if err := tx.Outbox().Enqueue(m); err != nil {
		return err
	}
	m.State = state
	return tx.Outbox().Put(m)
}

func auditByAction(t *testing.T, st model.Store, action string) []model.AuditRecord {
	t.Helper()
	var out []model.AuditRecord
	err := st.View(context.Background(), func(tx model.Tx) error {
		out = nil // the closure may run again
		all, err := tx.Audit().List(0, 10000)
		for _, r := range all {
			if r.Action == action {
				out = append(out, r)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSentSMSPurge: sent messages older than keep_sent go (in several
// batches); pending, dead and recently sent ones stay; the run leaves one
// audit record with the count, and a run with nothing to do leaves none.
func TestSentSMSPurge(t *testing.T) {
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	clk := clocktest.New(now)
	keep := 30 * 24 * time.Hour
	msg := func(id string, state model.OutboxState, age time.Duration) model.OutboundSMS {
		at := now.Add(-age)
		m := model.OutboundSMS{ID: id, To: "13100000000", Text: "【统一身份认证平台】123456", Kind: model.SMSKindCode, // i18n:data
			State: state, CreatedAt: at, NextAttempt: at}
		if state == model.OutboxSent {
			m.SentAt = at.Add(time.Second)
		}
		return m
	}
	var kept []string
	err = st.Update(ctx, func(tx model.Tx) error {
		for i := range 12 {
			if err := putOutbox(tx, msg(fmt.Sprintf("old%02d", i), model.OutboxSent, keep+time.Duration(i+1)*time.Hour)); err != nil {
				return err
			}
		}
		kept = []string{"recent", "pending", "dead"}
		for _, m := range []model.OutboundSMS{msg("recent", model.OutboxSent, keep-time.Hour),
			msg("pending", model.OutboxPending, keep+time.Hour), msg("dead", model.OutboxDead, keep+time.Hour)} {
			if err := putOutbox(tx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	purge := &model.SentSMSPurge{Store: st, Clock: clk, Keep: keep, Batch: 5}
	h := &model.Housekeeper{Store: st, Clock: clk, Kiosk: "K1", Jobs: []model.HousekeepingJob{purge.Job()}}
	counts, err := h.RunOnce(ctx)
	if err != nil || counts[model.AuditOutboxPurgeSent] != 12 {
		t.Fatalf("purged %v, %v; want 12", counts, err)
	}
	err = st.View(ctx, func(tx model.Tx) error {
		for i := range 12 {
			if _, err := tx.Outbox().Get(fmt.Sprintf("old%02d", i)); !errors.Is(err, model.ErrNotFound) {
				t.Errorf("old%02d not purged: %v", i, err)
			}
		}
		for _, id := range kept {
			if _, err := tx.Outbox().Get(id); err != nil {
				t.Errorf("%s purged: %v", id, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	recs := auditByAction(t, st, model.AuditOutboxPurgeSent)
	if len(recs) != 1 || recs[0].Detail != "count=12" || recs[0].Actor != "system" || recs[0].Kiosk != "K1" {
		t.Fatalf("audit: %+v, want one record with count=12", recs)
	}
	for _, r := range recs {
		if strings.Contains(r.Detail, "131") {
			t.Errorf("audit record carries a number: %+v", r)
		}
	}
	// Nothing left to purge: no record.
	if counts, err := h.RunOnce(ctx); err != nil || counts[model.AuditOutboxPurgeSent] != 0 {
		t.Fatalf("second run: %v %v", counts, err)
	}
	if recs := auditByAction(t, st, model.AuditOutboxPurgeSent); len(recs) != 1 {
		t.Fatalf("%d audit records after an empty run, want 1", len(recs))
	}
	// The recent message ages past keep_sent.
	clk.Add(2 * time.Hour)
	if counts, _ := h.RunOnce(ctx); counts[model.AuditOutboxPurgeSent] != 1 {
		t.Fatalf("aged message: %v", counts)
	}
}

// TestHousekeeperRunsAtStartAndPeriodically drives Run with the fake clock;
// a failing job is reported and audited, and does not stop the others.
func TestHousekeeperRunsAtStartAndPeriodically(t *testing.T) {
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	clk := clocktest.New(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	runs := make(chan int, 10)
	n := 0
	var failed []string
	h := &model.Housekeeper{Store: st, Clock: clk, Timer: clk, Kiosk: "K1", Every: time.Hour,
		Jobs: []model.HousekeepingJob{
			{Action: "test.broken", Run: func(context.Context) (int, error) { return 0, errors.New("boom") }},
			{Action: "test.count", Run: func(context.Context) (int, error) { n++; runs <- n; return 1, nil }},
		},
		OnError: func(action string, err error) { failed = append(failed, action) },
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- h.Run(ctx) }()
	wait := func(want int) {
		t.Helper()
		select {
		case got := <-runs:
			if got != want {
				t.Fatalf("run %d, want %d", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("run %d did not happen", want)
		}
	}
	wait(1) // at start
	if !clk.WaitTimers(1, 5*time.Second) {
		t.Fatal("housekeeper does not wait for its next run")
	}
	clk.Add(time.Hour)
	wait(2)
	if !clk.WaitTimers(1, 5*time.Second) {
		t.Fatal("housekeeper does not wait after its second run")
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	if len(failed) != 2 || failed[0] != "test.broken" {
		t.Fatalf("OnError heard %v", failed)
	}
	if recs := auditByAction(t, st, "test.broken"); len(recs) != 2 || recs[0].Outcome != "error" {
		t.Fatalf("failed runs audited as %+v", recs)
	}
	if recs := auditByAction(t, st, "test.count"); len(recs) != 2 || recs[1].Detail != "count=1" {
		t.Fatalf("count runs audited as %+v", recs)
	}
}
