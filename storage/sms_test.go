package storage

import (
	"context"
	"fmt"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
)

// countingTx counts record reads and index entries visited, to show that
// Due and List touch what they return and not the whole outbox.
type countingTx struct {
	kv.Tx
	gets, visits int
}

func (c *countingTx) Get(k []byte) ([]byte, error) { c.gets++; return c.Tx.Get(k) }

func (c *countingTx) Scan(prefix []byte, fn func(k, v []byte) (bool, error)) error {
	return c.Tx.Scan(prefix, func(k, v []byte) (bool, error) { c.visits++; return fn(k, v) })
}

func (c *countingTx) ScanFrom(prefix, from []byte, fn func(k, v []byte) (bool, error)) error {
	return c.Tx.ScanFrom(prefix, from, func(k, v []byte) (bool, error) { c.visits++; return fn(k, v) })
}

func fillOutbox(t testing.TB, e kv.Engine, keys *Keys, now time.Time, due, future, sent int) {
	t.Helper()
	err := e.Update(context.Background(), func(k kv.Tx) error {
		r := outbox{&tx{kv: k, keys: keys, writable: true}}
		for i := range due + future + sent {
			m := model.OutboundSMS{ID: fmt.Sprintf("m%06d", i), To: "13800138000", Text: "x", State: model.OutboxPending,
				CreatedAt: now.Add(time.Duration(i) * time.Millisecond), NextAttempt: now.Add(-time.Minute)}
			if i >= due {
				m.NextAttempt = now.Add(time.Duration(i) * time.Second)
			}
			if i >= due+future {
				m.State = model.OutboxSent
			}
			if err := r.Enqueue(model.OutboundSMS{ID: m.ID, To: m.To, NextAttempt: m.NextAttempt, CreatedAt: m.CreatedAt}); err != nil {
				return err
			}
			if err := r.Put(m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOutboxScansStopEarly(t *testing.T) {
	e, keys := memkv.New(), NewKeysForTest()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	fillOutbox(t, e, keys, now, 3, 200, 300)
	err := e.View(context.Background(), func(k kv.Tx) error {
		c := &countingTx{Tx: k}
		r := outbox{&tx{kv: c, keys: keys}}
		due, err := r.Due(now, 100)
		if err != nil {
			return err
		}
		// Each due message costs a read of its claim (none here) and one of
		// its record.
		if len(due) != 3 || c.gets != 6 || c.visits != 4 {
			t.Errorf("Due: %d messages with %d reads and %d index entries visited, want 3, 6, 4", len(due), c.gets, c.visits)
		}
		*c = countingTx{Tx: k}
		sent, err := r.List(model.OutboxSent, 10)
		if err != nil {
			return err
		}
		if len(sent) != 10 || c.gets != 10 || c.visits != 10 || sent[0].ID != "m000502" {
			t.Errorf("List: %d messages (first %s) with %d reads and %d visits, want 10 from m000502, 10, 10",
				len(sent), sent[0].ID, c.gets, c.visits)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func BenchmarkOutboxDue(b *testing.B) {
	e, keys := memkv.New(), NewKeysForTest()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	fillOutbox(b, e, keys, now, 10, 2000, 5000)
	for b.Loop() {
		err := e.View(context.Background(), func(k kv.Tx) error {
			_, err := outbox{&tx{kv: k, keys: keys}}.Due(now, 50)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
