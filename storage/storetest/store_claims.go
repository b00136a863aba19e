package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"kiosk/model"
)

// outboxClaims: a claim is taken only when none exists, hides the message
// from Due, is released only by its holder, and ends with its lease; a
// write under an ended lease commits nothing. A store without leases says
// so (model.ErrNoLeases) and Due is unchanged.
func outboxClaims(t *testing.T, s model.Store) {
	ctx := context.Background()
	now := t0.Add(time.Hour)
	due := func(id string) model.OutboundSMS {
		m := SMS(id, t0)
		m.NextAttempt = now.Add(-time.Duration(len(id)) * time.Second) // order: c, bb, aaa…
		return m
	}
	update(t, s, func(tx model.Tx) error {
		return firstErr(tx.Outbox().Enqueue(due("a")), tx.Outbox().Enqueue(due("bb")), tx.Outbox().Enqueue(due("ccc")))
	})
	dueIDs := func(what string, limit int, want ...string) {
		t.Helper()
		view(t, s, func(tx model.Tx) error {
			got, err := tx.Outbox().Due(now, limit)
			return firstErr(err, same(what, ids(got), want))
		})
	}
	l1, err := s.Grant(ctx, time.Minute)
	if errors.Is(err, model.ErrNoLeases) {
		update(t, s, func(tx model.Tx) error {
			_, err := tx.Outbox().Claim("a", nil)
			if !errors.Is(err, model.ErrNoLeases) {
				return errors.New("Claim without leases: " + errString(err))
			}
			return nil
		})
		dueIDs("Due without leases", 10, "ccc", "bb", "a")
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer l1.Revoke(ctx)
	l2, err := s.Grant(ctx, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Revoke(ctx)
	claim := func(id string, l model.Lease) (ok bool) {
		t.Helper()
		update(t, s, func(tx model.Tx) (err error) { ok, err = tx.Outbox().Claim(id, l); return err })
		return ok
	}
	release := func(id string, l model.Lease) (ok bool) {
		t.Helper()
		update(t, s, func(tx model.Tx) (err error) { ok, err = tx.Outbox().Release(id, l); return err })
		return ok
	}
	if !claim("ccc", l1) || claim("ccc", l2) || claim("ccc", l1) {
		t.Fatal("a claim was taken twice")
	}
	dueIDs("Due steps over the claim", 10, "bb", "a")
	dueIDs("Due fills its limit past the claim", 1, "bb")
	if !claim("bb", l2) {
		t.Fatal("second message not claimed")
	}
	dueIDs("Due with two claims", 10, "a")
	if release("ccc", l2) || release("a", l1) {
		t.Fatal("released a claim the lease does not hold")
	}
	if !release("ccc", l1) || release("ccc", l1) {
		t.Fatal("release by the holder")
	}
	dueIDs("Due after the release", 10, "ccc", "a")
	// The lease ends: its claims go with it, and nothing more is written
	// under it.
	if err := l2.Revoke(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-l2.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("Done not closed after Revoke")
	}
	dueIDs("Due after the lease ended", 10, "ccc", "bb", "a")
	err = s.Update(ctx, func(tx model.Tx) error {
		m, err := tx.Outbox().Get("a")
		if err != nil {
			return err
		}
		m.LastError = "written under an ended lease"
		if _, err := tx.Outbox().Claim("a", l2); err != nil {
			return err
		}
		return tx.Outbox().Put(m)
	})
	if !errors.Is(err, model.ErrLeaseEnded) {
		t.Fatalf("claim under an ended lease: %v, want model.ErrLeaseEnded", err)
	}
	view(t, s, func(tx model.Tx) error {
		m, err := tx.Outbox().Get("a")
		return firstErr(err, same("nothing written with the refused claim", m.LastError, due("a").LastError))
	})
	if !claim("a", l1) {
		t.Fatal("claim after a refused one")
	}
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}
