package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"kiosk/model"
)

// TestHousekeepingPurgesLocks: the kiosk's housekeeper, as wired, removes
// a lock record that says nothing any more (an unknown identifier's, its
// failure long past) and audits the count; a lock in force stays.
func TestHousekeepingPurgesLocks(t *testing.T) {
	c, err := LoadConfig(demoConfig(t, t.TempDir()), true)
	if err != nil {
		t.Fatal(err)
	}
	for name, st := range storesFor(t, c) {
		t.Run(name, func(t *testing.T) {
			testHousekeepingPurgesLocks(t, c, st)
		})
	}
}

func testHousekeepingPurgesLocks(t *testing.T, c Config, st model.Store) {
	ctx := context.Background()
	now := time.Now()
	err := st.Update(ctx, func(tx model.Tx) error {
		if err := tx.Lockouts().Put(model.Lockout{Key: "e:stale", Failures: 2, LastFailure: now.Add(-3 * model.DecayWindow)}); err != nil {
			return err
		}
		return tx.Lockouts().Put(model.Lockout{Key: "e:locked", Failures: 5, Locks: 1, LastFailure: now, LockedUntil: now.Add(time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	stop := startHousekeeping(ctx, c, st, model.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer stop()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var stale, locked model.Lockout
		var recs []model.AuditRecord
		err := st.View(ctx, func(tx model.Tx) error {
			var err error
			if stale, err = tx.Lockouts().Get("e:stale"); err != nil {
				return err
			}
			if locked, err = tx.Lockouts().Get("e:locked"); err != nil {
				return err
			}
			recs, err = tx.Audit().List(0, 100)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		purged := false
		for _, r := range recs {
			purged = purged || r.Action == "lockout.purge"
		}
		if stale == (model.Lockout{Key: "e:stale"}) && purged { // Get of no record: the key alone
			if locked.LockedUntil.IsZero() {
				t.Fatal("the lock in force was purged")
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not purged: stale %+v, audit %+v", stale, recs)
		}
	}
}
