package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"kiosk/model"
)

func TestAppealsPurgeAfterConfig(t *testing.T) {
	if got := DefaultConfig().Appeals.PurgeAfter.Duration; got != 90*24*time.Hour {
		t.Fatalf("default purge_after %v, want 2160h", got)
	}
	_, err := LoadConfig(writeFile(t, "k.toml", "[appeals]\npurge_after = \"12h\"\n"), true)
	if err == nil || !strings.Contains(err.Error(), "purge_after") {
		t.Fatalf("purge_after 12h: %v", err)
	}
	c, err := LoadConfig(writeFile(t, "k.toml", "[appeals]\npurge_after = \"720h\"\n"), true)
	if err != nil || c.Appeals.PurgeAfter.Duration != 720*time.Hour {
		t.Fatalf("purge_after 720h: %v, %v", c.Appeals.PurgeAfter, err)
	}
}

// TestHousekeepingPurgesAppealMaterials: the kiosk's housekeeper, as wired,
// purges the materials of an appeal decided longer than purge_after ago
// and audits it; a recent decision keeps its materials.
func TestHousekeepingPurgesAppealMaterials(t *testing.T) {
	c, err := LoadConfig(demoConfig(t, t.TempDir()), true)
	if err != nil {
		t.Fatal(err)
	}
	for name, st := range storesFor(t, c) {
		t.Run(name, func(t *testing.T) {
			testHousekeepingPurgesAppealMaterials(t, c, st)
		})
	}
}

func testHousekeepingPurgesAppealMaterials(t *testing.T, c Config, st model.Store) {
	ctx := context.Background()
	now := time.Now()
	var chunk string
	err := st.Update(ctx, func(tx model.Tx) (err error) {
		if chunk, err = tx.Blobs().PutChunk([]byte("licence scan"), now.AddDate(0, -6, 0)); err != nil {
			return err
		}
		for id, decided := range map[string]time.Time{"old": now.Add(-c.Appeals.PurgeAfter.Duration - time.Hour), "new": now} {
			a := model.Appeal{ID: id, Ref: "REF-" + id, Kind: model.AppealKindRegister, State: model.AppealRejected,
				Reason: "x", DecidedAt: decided, CreatedAt: decided, UpdatedAt: decided,
				Materials: []model.Material{{Kind: model.MaterialLicense, MIME: "application/pdf", Size: 12, Chunks: []string{chunk}}}}
			if err := tx.Appeals().Put(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	stop := startHousekeeping(ctx, c, st, model.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer stop()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var old, recent model.Appeal
		var audited bool
		err := st.View(ctx, func(tx model.Tx) error {
			var err error
			if old, err = tx.Appeals().Get("old"); err != nil {
				return err
			}
			if recent, err = tx.Appeals().Get("new"); err != nil {
				return err
			}
			recs, err := tx.Audit().List(0, 100)
			for _, r := range recs {
				audited = audited || (r.Action == model.AuditAppealMaterialsPurge && r.Subject == "appeal:old")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if old.MaterialsPurged && audited {
			if recent.MaterialsPurged || len(recent.ChunkIDs()) != 1 {
				t.Fatal("the recent appeal's materials were purged")
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not purged: %+v", old)
		}
	}
}
