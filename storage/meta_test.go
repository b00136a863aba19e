package storage

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
)

// openDemoTest opens a store on e with keys, refusing demo data when refuse.
func openDemoTest(t *testing.T, e kv.Engine, keys *Keys, refuse bool) (*Store, error) {
	t.Helper()
	var opts []Option
	if refuse {
		opts = append(opts, RefuseDemo())
	}
	return Open(e, keys, opts...)
}

func TestRefuseDemoFreshStoreAccepted(t *testing.T) {
	e, keys := memkv.New(), NewKeysForTest()
	st, err := openDemoTest(t, e, keys, true)
	if err != nil {
		t.Fatalf("fresh store refused: %v", err)
	}
	err = st.Update(context.Background(), func(tx model.Tx) error {
		_, err := tx.Audit().Append(model.AuditRecord{Time: time.Now(), Actor: "system", Action: "login.staff", Outcome: "ok"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openDemoTest(t, e, keys, true); err != nil {
		t.Fatalf("clean store refused on reopen: %v", err)
	}
}

func TestRefuseDemoMarkedStore(t *testing.T) {
	e, keys := memkv.New(), NewKeysForTest()
	st, err := openDemoTest(t, e, keys, false)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(tx model.Tx) error {
		return tx.Meta().MarkDemo(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	})
	if err != nil {
		t.Fatal(err)
	}
	var marked bool
	_ = st.View(context.Background(), func(tx model.Tx) error {
		marked, err = tx.Meta().DemoMarked()
		return err
	})
	if !marked || err != nil {
		t.Fatalf("DemoMarked = %v, %v", marked, err)
	}
	if _, err := openDemoTest(t, e, keys, false); err != nil {
		t.Fatalf("demo mode refused its own store: %v", err)
	}
	if _, err := openDemoTest(t, e, keys, true); !errors.Is(err, ErrDemoStore) {
		t.Fatalf("production open of a demo-marked store: %v, want ErrDemoStore", err)
	}
	// Another key file (the operator pointed key_file elsewhere) still gets
	// the demo refusal, not a key mismatch.
	if _, err := openDemoTest(t, e, KeysFromSeed("another key file"), true); !errors.Is(err, ErrDemoStore) {
		t.Fatalf("production open with other keys: %v, want ErrDemoStore", err)
	}
}

// TestRefuseDemoSeedAuditOnly: a store seeded before the mark existed has
// only the seed's audit record, somewhere after others.
func TestRefuseDemoSeedAuditOnly(t *testing.T) {
	e, keys := memkv.New(), NewKeysForTest()
	st, err := openDemoTest(t, e, keys, false)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(tx model.Tx) error {
		for i := range 5 {
			if _, err := tx.Audit().Append(model.AuditRecord{Time: time.Now(), Actor: "anonymous",
				Action: fmt.Sprintf("login.%d", i), Outcome: "fail"}); err != nil {
				return err
			}
		}
		_, err := tx.Audit().Append(model.AuditRecord{Time: time.Now(), Actor: "system", Action: model.AuditSeedDemo, Outcome: "ok"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openDemoTest(t, e, keys, true); !errors.Is(err, ErrDemoStore) {
		t.Fatalf("production open of a store with a seed.demo record: %v, want ErrDemoStore", err)
	}
	// The refusal wrote nothing: the store is not stamped clean.
	if _, err := openDemoTest(t, e, keys, true); !errors.Is(err, ErrDemoStore) {
		t.Fatalf("second production open: %v, want ErrDemoStore", err)
	}
}

// TestPurgeSent: sent messages older than the cut-off go with their index
// entries; pending, dead and recently sent ones stay; batches resume.
func TestPurgeSent(t *testing.T) {
	st, err := Open(memkv.New(), NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	cut := now.Add(-30 * 24 * time.Hour)
	msg := func(id string, state model.OutboxState, created, sent time.Time) model.OutboundSMS {
		return model.OutboundSMS{ID: id, To: "13100000000", Text: "x", Kind: model.SMSKindCode, State: state,
			CreatedAt: created, NextAttempt: created, SentAt: sent}
	}
	old := cut.Add(-time.Hour)
	msgs := []model.OutboundSMS{
		msg("pending-old", model.OutboxPending, old.Add(-time.Hour), time.Time{}),
		msg("dead-old", model.OutboxDead, old.Add(-time.Hour), time.Time{}),
		msg("sent-recent", model.OutboxSent, now.Add(-time.Hour), now.Add(-time.Hour)),
		// Created before the cut-off, sent after it: kept.
		msg("sent-late", model.OutboxSent, old.Add(-time.Hour), cut.Add(time.Hour)),
	}
	for i := range 7 {
		msgs = append(msgs, msg(fmt.Sprintf("sent-old-%d", i), model.OutboxSent,
			old.Add(-time.Duration(i)*time.Minute), old.Add(-time.Duration(i)*time.Minute+time.Second)))
	}
	err = st.Update(ctx, func(tx model.Tx) error {
		for _, m := range msgs {
			state := m.State
			m.State = model.OutboxPending
			if err := tx.Outbox().Enqueue(m); err != nil {
				return err
			}
			m.State = state
			if err := tx.Outbox().Put(m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	total, cursor, batches := 0, "", 0
	for {
		var n int
		var next string
		err := st.Update(ctx, func(tx model.Tx) error {
			var err error
			n, next, err = tx.Outbox().PurgeSent(cut, cursor, 3)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		total, batches = total+n, batches+1
		if next == "" {
			break
		}
		cursor = next
	}
	if total != 7 || batches != 3 {
		t.Fatalf("purged %d in %d batches, want 7 in 3", total, batches)
	}
	err = st.View(ctx, func(tx model.Tx) error {
		for _, m := range msgs {
			_, err := tx.Outbox().Get(m.ID)
			gone := errors.Is(err, model.ErrNotFound)
			if want := len(m.ID) > 8 && m.ID[:8] == "sent-old"; gone != want {
				t.Errorf("%s: gone=%v (%v)", m.ID, gone, err)
			}
		}
		sent, err := tx.Outbox().List(model.OutboxSent, 100)
		if len(sent) != 2 {
			t.Errorf("sent list after purge: %d messages, want 2", len(sent))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
