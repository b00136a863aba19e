package storage_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/model"
	"kiosk/storage"
	"kiosk/storage/kv"
	"kiosk/storage/kv/bboltkv"
	"kiosk/storage/kv/memkv"
	"kiosk/storage/storetest"
)

func openBolt(t testing.TB, path string, keys *storage.Keys, opts ...storage.Option) (*storage.Store, error) {
	t.Helper()
	e, err := bboltkv.Open(path, bboltkv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	s, err := storage.Open(e, keys, opts...)
	if err != nil {
		_ = e.Close()
		return nil, err
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, nil
}

func TestConformanceBolt(t *testing.T) {
	storetest.Run(t, func(t *testing.T) model.Store {
		s, err := openBolt(t, filepath.Join(t.TempDir(), "kiosk.db"), storage.NewKeysForTest())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// memModes are memkv's modes: as it is, and as an optimistic engine
// (every closure run twice; a competing write between each closure's run
// and its commit, which then re-runs). opts is nil for the plain one.
var memModes = []struct {
	name string
	opts []memkv.Option
}{
	{"Plain", nil},
	{"RunTwice", []memkv.Option{memkv.RunTwice()}},
	{"Interleave", []memkv.Option{memkv.Interleave(memkv.Touch)}},
}

// TestConformanceMem runs the suite on memkv in each of its modes
// (memModes).
func TestConformanceMem(t *testing.T) {
	for _, m := range memModes {
		t.Run(m.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) model.Store {
				e := memkv.New(m.opts...)
				s, err := storage.Open(e, storage.NewKeysForTest())
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() {
					if st := e.Stats(); m.opts != nil && st.Discarded+st.Conflicts == 0 {
						t.Errorf("%s: no closure was re-run: %+v", m.name, st)
					}
					_ = s.Close()
				})
				return s
			})
		})
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kiosk.db")
	keys := storage.KeysFromSeed("reopen")
	s, err := openBolt(t, path, keys)
	if err != nil {
		t.Fatal(err)
	}
	e := storetest.Enterprise("e1", "USCC1", "acct")
	if err := s.Update(t.Context(), func(tx model.Tx) error { return tx.Enterprises().Put(e) }); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	s, err = openBolt(t, path, storage.KeysFromSeed("reopen"))
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(t.Context(), func(tx model.Tx) error {
		got, err := tx.Enterprises().ByAccount("ACCT")
		if err == nil && got.ID != "e1" {
			t.Errorf("got %q", got.ID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestWrongKeysRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kiosk.db")
	s, err := openBolt(t, path, storage.KeysFromSeed("right"))
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	_, err = openBolt(t, path, storage.KeysFromSeed("wrong"))
	if !errors.Is(err, storage.ErrWrongKeys) || !strings.Contains(err.Error(), storage.KeysFromSeed("right").ID()) {
		t.Fatalf("Open with other keys: %v, want ErrWrongKeys naming the store's key id", err)
	}
}

// A sealed value copied under another record's key must not open: the
// record key is the AEAD's additional data.
func TestSealedValueBoundToKey(t *testing.T) {
	e := memkv.New()
	s, err := storage.Open(e, storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	err = s.Update(ctx, func(tx model.Tx) error {
		return errors.Join(tx.Enterprises().Put(storetest.Enterprise("e1", "U1", "a1")),
			tx.Enterprises().Put(storetest.Enterprise("e2", "U2", "a2")))
	})
	if err != nil {
		t.Fatal(err)
	}
	err = e.Update(ctx, func(tx kv.Tx) error {
		v, err := tx.Get([]byte("ent/e1"))
		if err != nil {
			return err
		}
		return tx.Put([]byte("ent/e2"), v)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, func(tx model.Tx) error { _, err := tx.Enterprises().Get("e2"); return err })
	if !errors.Is(err, storage.ErrCorrupt) {
		t.Fatalf("Get of moved value: %v, want ErrCorrupt", err)
	}
}

func TestSchemaAndMigrations(t *testing.T) {
	ctx := context.Background()
	e := memkv.New()
	s, err := storage.Open(e, storage.KeysFromSeed("m"))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != storage.BaseSchemaVersion {
		t.Fatalf("fresh store schema = %d, %v", v, err)
	}
	// Registered migrations come after the layout the code knows.
	b := storage.BaseSchemaVersion
	var ran []int
	mig := func(v int) storage.Migration {
		return storage.Migration{Version: v, Up: func(tx kv.Tx) error {
			ran = append(ran, v)
			return tx.Put([]byte("meta/test-mig"), []byte{byte(v)})
		}}
	}
	// Registered out of order; they run in order, in one transaction.
	if s, err = storage.Open(e, storage.KeysFromSeed("m"), storage.WithMigrations(mig(b+2), mig(b+1))); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.SchemaVersion(ctx); v != b+2 || len(ran) != 2 || ran[0] != b+1 || ran[1] != b+2 {
		t.Fatalf("after migrating: schema %d, ran %v", v, ran)
	}
	// Already applied migrations do not run again.
	ran = nil
	if _, err = storage.Open(e, storage.KeysFromSeed("m"), storage.WithMigrations(mig(b+1), mig(b+2))); err != nil || len(ran) != 0 {
		t.Fatalf("reopen: %v, ran %v", err, ran)
	}
	// A failing migration rolls back the ones before it.
	fail := storage.Migration{Version: b + 4, Up: func(kv.Tx) error { return errors.New("nope") }}
	if _, err = storage.Open(e, storage.KeysFromSeed("m"), storage.WithMigrations(mig(b+1), mig(b+2), mig(b+3), fail)); err == nil {
		t.Fatal("failing migration: Open succeeded")
	}
	if v, _ := s.SchemaVersion(ctx); v != b+2 {
		t.Fatalf("schema after failed migration = %d, want %d", v, b+2)
	}
	// Code that knows less than the store refuses to open it.
	if _, err = storage.Open(e, storage.KeysFromSeed("m")); !errors.Is(err, storage.ErrSchemaTooNew) {
		t.Fatalf("older code: %v, want ErrSchemaTooNew", err)
	}
	// A fresh store is stamped with the newest version without running
	// migrations: there is nothing to migrate.
	ran = nil
	fresh, err := storage.Open(memkv.New(), storage.KeysFromSeed("m"), storage.WithMigrations(mig(b+1)))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := fresh.SchemaVersion(ctx); v != b+1 || len(ran) != 0 {
		t.Fatalf("fresh with migrations: schema %d, ran %v", v, ran)
	}
	for _, bad := range [][]storage.Migration{{{Version: b, Up: mig(b).Up}}, {{Version: b + 1}}, {mig(b + 1), mig(b + 1)}} {
		if _, err := storage.Open(memkv.New(), storage.NewKeysForTest(), storage.WithMigrations(bad...)); err == nil {
			t.Errorf("invalid migrations %v accepted", bad)
		}
	}
}
