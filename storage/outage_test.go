package storage_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/storage"
	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
	"kiosk/storage/storetest"
)

// A store that cannot be reached reaches the model as model.ErrServiceDown
// (the 服务暂不可用 page), the engine's error kept beside it; a refused
// Update writes nothing; Ping answers for engines that can lose their store.
func TestStoreOutageIsServiceDown(t *testing.T) {
	cut := storetest.NewCut(memkv.New())
	st, err := storage.Open(cut, storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if !st.Pings() {
		t.Fatal("a store on a Pinger engine does not ping")
	}
	if err := st.Ping(ctx); err != nil {
		t.Fatalf("Ping of a reachable store: %v", err)
	}
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	mark := func(tx model.Tx) error { return tx.Meta().MarkDemo(at) }
	read := func(tx model.Tx) error {
		ok, err := tx.Meta().DemoMarked()
		if err == nil && ok {
			err = errors.New("marked")
		}
		return err
	}

	cut.SetDown(true)
	for what, err := range map[string]error{
		"View": st.View(ctx, read), "Update": st.Update(ctx, mark), "Ping": st.Ping(ctx),
	} {
		if !errors.Is(err, model.ErrServiceDown) || !errors.Is(err, kv.ErrUnavailable) {
			t.Errorf("%s while cut off = %v, want both model.ErrServiceDown and kv.ErrUnavailable", what, err)
		}
		if model.Code(err) != model.ErrServiceDown.Code {
			t.Errorf("%s while cut off has code %q", what, model.Code(err))
		}
		if m := model.UserMessage(err); m.ID != "error.service_down" {
			t.Errorf("%s while cut off says %q", what, m.ID)
		}
	}

	cut.SetDown(false)
	if err := st.Ping(ctx); err != nil {
		t.Fatalf("Ping once the store is back: %v", err)
	}
	if err := st.View(ctx, read); err != nil {
		t.Fatalf("the refused Update wrote something (or the store is not back): %v", err)
	}
	// Errors of fn, and of a reachable engine, pass as they were.
	refusal := fmt.Errorf("use case: %w", model.ErrAccountTaken)
	if err := st.Update(ctx, func(model.Tx) error { return refusal }); err != refusal {
		t.Errorf("fn's error came back as %v", err)
	}
	// An error fn builds from an unreachable read matches too, and is not
	// wrapped twice.
	inner := fmt.Errorf("read: %w", fmt.Errorf("%w: %w", model.ErrServiceDown, kv.ErrUnavailable))
	if err := st.View(ctx, func(model.Tx) error { return inner }); err != inner {
		t.Errorf("an error that already matches ErrServiceDown came back as %v", err)
	}
}

// An engine that cannot lose its store (bbolt) is never down.
func TestStorePingWithoutPinger(t *testing.T) {
	st, err := openBolt(t, filepath.Join(t.TempDir(), "kiosk.db"), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if st.Pings() {
		t.Error("bbolt pings")
	}
	if err := st.Ping(context.Background()); err != nil {
		t.Errorf("Ping = %v", err)
	}
}
