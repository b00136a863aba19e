package bboltkv_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"kiosk/storage/kv"
	"kiosk/storage/kv/bboltkv"
	"kiosk/storage/storetest"
)

func TestConformance(t *testing.T) {
	storetest.RunKV(t, func(t *testing.T) kv.Engine {
		e, err := bboltkv.Open(filepath.Join(t.TempDir(), "kv.db"), bboltkv.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = e.Close() })
		return e
	})
}

func TestFileMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kv.db")
	e, err := bboltkv.Open(path, bboltkv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Fatalf("mode = %o, want 600", m)
	}
	if e.Path() != path {
		t.Fatalf("Path = %q", e.Path())
	}
}

// A second opener (another kiosk process) must fail fast with ErrLocked;
// flock conflicts between two open file descriptions even in one process.
func TestLockedByAnother(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kv.db")
	first, err := bboltkv.Open(path, bboltkv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bboltkv.Open(path, bboltkv.Options{LockTimeout: 50 * time.Millisecond})
	if !errors.Is(err, bboltkv.ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second, err := bboltkv.Open(path, bboltkv.Options{LockTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open after release: %v", err)
	}
	_ = second.Close()
}

func TestPersistsAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kv.db")
	e, err := bboltkv.Open(path, bboltkv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Update(t.Context(), func(tx kv.Tx) error { return tx.Put([]byte("k"), []byte("v")) }); err != nil {
		t.Fatal(err)
	}
	_ = e.Close()
	e, err = bboltkv.Open(path, bboltkv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var v []byte
	_ = e.View(t.Context(), func(tx kv.Tx) (err error) { v, err = tx.Get([]byte("k")); return })
	if string(v) != "v" {
		t.Fatalf("after reopen: %q", v)
	}
}
