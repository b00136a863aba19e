package registry_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/pwhash"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

// TestSeedDemoMarksStore: the demo seed marks the store in its own
// transaction, and a production open refuses it afterwards.
func TestSeedDemoMarksStore(t *testing.T) {
	e, keys := memkv.New(), storage.NewKeysForTest()
	s, err := storage.Open(e, keys)
	if err != nil {
		t.Fatal(err)
	}
	if err := seedDemo(t, s, pwhash.New(pwhash.Fast), time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	var marked bool
	err = s.View(context.Background(), func(tx model.Tx) error {
		var err error
		marked, err = tx.Meta().DemoMarked()
		return err
	})
	if err != nil || !marked {
		t.Fatalf("seeded store not marked as demo: %v %v", marked, err)
	}
	if _, err := storage.Open(e, keys, storage.RefuseDemo()); !errors.Is(err, storage.ErrDemoStore) {
		t.Fatalf("production open of the seeded store: %v, want ErrDemoStore", err)
	}
}
