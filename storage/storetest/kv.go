// Package storetest holds conformance suites that every storage engine must
// pass: RunKV for kv.Engine implementations and Run for model.Store
// implementations. Each engine's tests call them with a constructor.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"kiosk/storage/kv"
)

// RunKV runs the kv.Engine conformance suite. newEngine must return a fresh,
// empty engine and register its own cleanup; the suite may close it early.
func RunKV(t *testing.T, newEngine func(t *testing.T) kv.Engine) {
	tests := []struct {
		name string
		fn   func(t *testing.T, e kv.Engine)
	}{
		{"GetPutDelete", kvGetPutDelete},
		{"EmptyValue", kvEmptyValue},
		{"InvalidKey", kvInvalidKey},
		{"CopiesAreOwned", kvCopies},
		{"ScanOrderAndPrefix", kvScan},
		{"ScanFrom", kvScanFrom},
		{"ScanStopAndError", kvScanStop},
		{"ScanSeesOwnWrites", kvScanOwnWrites},
		{"RollbackOnError", kvRollback},
		{"RollbackOnPanic", kvPanic},
		{"ViewIsReadOnly", kvReadOnly},
		{"TxDoneAfterReturn", kvTxDone},
		{"ContextCancelled", kvContext},
		{"Closed", kvClosed},
		{"ConcurrentUpdates", kvConcurrent},
		{"Limit", kvLimit},
	}
	tests = append(tests, kvCapabilityTests...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newEngine(t)) })
	}
}

var bg = context.Background()

func mustUpdate(t *testing.T, e kv.Engine, fn func(kv.Tx) error) {
	t.Helper()
	if err := e.Update(bg, fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func get(t *testing.T, e kv.Engine, key string) []byte {
	t.Helper()
	var v []byte
	if err := e.View(bg, func(tx kv.Tx) (err error) { v, err = tx.Get([]byte(key)); return }); err != nil {
		t.Fatalf("View Get %q: %v", key, err)
	}
	return v
}

func putAll(t *testing.T, e kv.Engine, kvs ...string) {
	t.Helper()
	mustUpdate(t, e, func(tx kv.Tx) error {
		for i := 0; i+1 < len(kvs); i += 2 {
			if err := tx.Put([]byte(kvs[i]), []byte(kvs[i+1])); err != nil {
				return err
			}
		}
		return nil
	})
}

type pair struct{ k, v string }

func scan(t *testing.T, e kv.Engine, prefix, from string) []pair {
	t.Helper()
	var got []pair
	err := e.View(bg, func(tx kv.Tx) error {
		got = nil
		f := func(k, v []byte) (bool, error) { got = append(got, pair{string(k), string(v)}); return true, nil }
		if from == "" {
			return tx.Scan([]byte(prefix), f)
		}
		return tx.ScanFrom([]byte(prefix), []byte(from), f)
	})
	if err != nil {
		t.Fatalf("scan %q from %q: %v", prefix, from, err)
	}
	return got
}

func kvGetPutDelete(t *testing.T, e kv.Engine) {
	if v := get(t, e, "a"); v != nil {
		t.Fatalf("absent key: got %q, want nil", v)
	}
	putAll(t, e, "a", "1", "b", "2")
	putAll(t, e, "a", "3")
	if v := get(t, e, "a"); string(v) != "3" {
		t.Fatalf("a = %q, want 3", v)
	}
	mustUpdate(t, e, func(tx kv.Tx) error {
		if err := tx.Delete([]byte("b")); err != nil {
			return err
		}
		if v, err := tx.Get([]byte("b")); err != nil || v != nil {
			return fmt.Errorf("deleted key read back in tx: %q, %v", v, err)
		}
		return tx.Delete([]byte("never-there"))
	})
	if v := get(t, e, "b"); v != nil {
		t.Fatalf("deleted key: got %q", v)
	}
}

func kvEmptyValue(t *testing.T, e kv.Engine) {
	mustUpdate(t, e, func(tx kv.Tx) error {
		if err := tx.Put([]byte("e1"), nil); err != nil {
			return err
		}
		return tx.Put([]byte("e2"), []byte{})
	})
	for _, k := range []string{"e1", "e2"} {
		if v := get(t, e, k); v == nil || len(v) != 0 {
			t.Errorf("%s: got %#v, want non-nil empty", k, v)
		}
	}
}

func kvInvalidKey(t *testing.T, e kv.Engine) {
	err := e.Update(bg, func(tx kv.Tx) error { return tx.Put(nil, []byte("x")) })
	if !errors.Is(err, kv.ErrInvalidKey) {
		t.Fatalf("Put empty key: %v, want ErrInvalidKey", err)
	}
}

func kvCopies(t *testing.T, e kv.Engine) {
	mustUpdate(t, e, func(tx kv.Tx) error {
		buf, key := []byte("value"), []byte("key") // per run: a re-run must not see them reused
		err := tx.Put(key, buf)
		copy(buf, "XXXXX") // caller reuses its buffers at once
		copy(key, "zzz")
		return err
	})
	var fromGet, scanK, scanV []byte
	err := e.View(bg, func(tx kv.Tx) (err error) {
		if fromGet, err = tx.Get([]byte("key")); err != nil {
			return err
		}
		return tx.Scan([]byte("k"), func(k, v []byte) (bool, error) { scanK, scanV = k, v; return false, nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	putAll(t, e, "key", "other", "filler", "to reuse pages")
	if string(fromGet) != "value" || string(scanK) != "key" || string(scanV) != "value" {
		t.Fatalf("after tx: get=%q scan=%q/%q, want value key/value", fromGet, scanK, scanV)
	}
	fromGet[0] = 'V'
	if v := get(t, e, "key"); string(v) != "other" {
		t.Fatalf("stored value changed through returned slice: %q", v)
	}
}

func kvScan(t *testing.T, e kv.Engine) {
	putAll(t, e, "p/b", "2", "p/a", "1", "p", "0", "p/c/x", "3", "q", "9", "o", "8", "p\xff", "ff", "p/\xff", "f")
	want := []pair{{"p/a", "1"}, {"p/b", "2"}, {"p/c/x", "3"}, {"p/\xff", "f"}} // byte order
	got := scan(t, e, "p/", "")
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Scan p/ = %q, want %q", got, want)
	}
	if got := scan(t, e, "", ""); len(got) != 8 || got[0].k != "o" || got[7].k != "q" {
		t.Fatalf("Scan all = %q", got)
	}
	if got := scan(t, e, "zz", ""); len(got) != 0 {
		t.Fatalf("Scan zz = %q, want none", got)
	}
}

func kvScanFrom(t *testing.T, e kv.Engine) {
	putAll(t, e, "s/1", "a", "s/2", "b", "s/3", "c", "t/0", "x")
	cases := []struct {
		from string
		want string
	}{
		{"s/2", "[{s/2 b} {s/3 c}]"},
		{"s/25", "[{s/3 c}]"},
		{"a", "[{s/1 a} {s/2 b} {s/3 c}]"}, // before the prefix: whole prefix
		{"s/4", "[]"},
		{"u", "[]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(scan(t, e, "s/", c.from)); got != c.want {
			t.Errorf("ScanFrom(s/, %q) = %s, want %s", c.from, got, c.want)
		}
	}
}

func kvScanStop(t *testing.T, e kv.Engine) {
	putAll(t, e, "x/1", "", "x/2", "", "x/3", "")
	n := 0
	err := e.View(bg, func(tx kv.Tx) error {
		n = 0 // the closure may run again
		return tx.Scan([]byte("x/"), func(k, v []byte) (bool, error) { n++; return n < 2, nil })
	})
	if err != nil || n != 2 {
		t.Fatalf("stop after 2: n=%d err=%v", n, err)
	}
	boom := errors.New("boom")
	err = e.View(bg, func(tx kv.Tx) error {
		return tx.Scan([]byte("x/"), func(k, v []byte) (bool, error) { return true, boom })
	})
	if !errors.Is(err, boom) {
		t.Fatalf("callback error: got %v", err)
	}
}

func kvScanOwnWrites(t *testing.T, e kv.Engine) {
	putAll(t, e, "w/1", "old", "w/2", "gone", "w/4", "4")
	mustUpdate(t, e, func(tx kv.Tx) error {
		for _, op := range []error{tx.Put([]byte("w/1"), []byte("new")), tx.Delete([]byte("w/2")), tx.Put([]byte("w/3"), []byte("3"))} {
			if op != nil {
				return op
			}
		}
		var got []pair
		err := tx.Scan([]byte("w/"), func(k, v []byte) (bool, error) { got = append(got, pair{string(k), string(v)}); return true, nil })
		if want := "[{w/1 new} {w/3 3} {w/4 4}]"; err == nil && fmt.Sprint(got) != want {
			return fmt.Errorf("scan in tx = %v, want %s", got, want)
		}
		return err
	})
	if got := fmt.Sprint(scan(t, e, "w/", "")); got != "[{w/1 new} {w/3 3} {w/4 4}]" {
		t.Fatalf("after commit: %s", got)
	}
}

func kvRollback(t *testing.T, e kv.Engine) {
	putAll(t, e, "r/keep", "1", "r/del", "2")
	boom := errors.New("boom")
	err := e.Update(bg, func(tx kv.Tx) error {
		_ = tx.Put([]byte("r/new"), []byte("x"))
		_ = tx.Put([]byte("r/keep"), []byte("changed"))
		_ = tx.Delete([]byte("r/del"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update error = %v, want boom", err)
	}
	if got := fmt.Sprint(scan(t, e, "r/", "")); got != "[{r/del 2} {r/keep 1}]" {
		t.Fatalf("after rollback: %s", got)
	}
}

func kvPanic(t *testing.T, e kv.Engine) {
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic was swallowed")
			}
		}()
		_ = e.Update(bg, func(tx kv.Tx) error {
			_ = tx.Put([]byte("panic"), []byte("x"))
			panic("boom")
		})
	}()
	if v := get(t, e, "panic"); v != nil {
		t.Fatalf("write of panicking tx survived: %q", v)
	}
	putAll(t, e, "after", "ok") // the engine is still usable (no lock left held)
}

func kvReadOnly(t *testing.T, e kv.Engine) {
	putAll(t, e, "ro", "1")
	err := e.View(bg, func(tx kv.Tx) error {
		if err := tx.Put([]byte("ro"), []byte("2")); !errors.Is(err, kv.ErrReadOnly) {
			return fmt.Errorf("Put in View: %v, want ErrReadOnly", err)
		}
		if err := tx.Delete([]byte("ro")); !errors.Is(err, kv.ErrReadOnly) {
			return fmt.Errorf("Delete in View: %v, want ErrReadOnly", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if v := get(t, e, "ro"); string(v) != "1" {
		t.Fatalf("ro = %q", v)
	}
}

func kvTxDone(t *testing.T, e kv.Engine) {
	var kept kv.Tx
	mustUpdate(t, e, func(tx kv.Tx) error { kept = tx; return nil })
	if _, err := kept.Get([]byte("a")); !errors.Is(err, kv.ErrTxDone) {
		t.Errorf("Get after tx: %v", err)
	}
	if err := kept.Put([]byte("a"), nil); !errors.Is(err, kv.ErrTxDone) {
		t.Errorf("Put after tx: %v", err)
	}
}

func kvContext(t *testing.T, e kv.Engine) {
	ctx, cancel := context.WithCancel(bg)
	cancel()
	ran := false
	fn := func(kv.Tx) error { ran = true; return nil }
	if err := e.View(ctx, fn); !errors.Is(err, context.Canceled) {
		t.Errorf("View: %v", err)
	}
	if err := e.Update(ctx, fn); !errors.Is(err, context.Canceled) {
		t.Errorf("Update: %v", err)
	}
	if ran {
		t.Error("fn ran under a cancelled context")
	}
}

func kvClosed(t *testing.T, e kv.Engine) {
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	fn := func(kv.Tx) error { return nil }
	if err := e.View(bg, fn); !errors.Is(err, kv.ErrClosed) {
		t.Errorf("View after Close: %v", err)
	}
	if err := e.Update(bg, fn); !errors.Is(err, kv.ErrClosed) {
		t.Errorf("Update after Close: %v", err)
	}
}

// kvConcurrent increments one counter from several goroutines; a lost
// update means transactions were not serializable.
func kvConcurrent(t *testing.T, e kv.Engine) {
	const workers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				err := e.Update(bg, func(tx kv.Tx) error {
					v, err := tx.Get([]byte("n"))
					if err != nil {
						return err
					}
					return tx.Put([]byte("n"), append(v, 'x'))
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if v := get(t, e, "n"); len(v) != workers*each || !bytes.Equal(v, bytes.Repeat([]byte("x"), workers*each)) {
		t.Fatalf("counter = %d, want %d", len(v), workers*each)
	}
}

// kvLimit: on an engine that bounds a transaction (kv.Limiter), an Update
// within the bound commits and one past it, in writes (a deletion counts
// two) or in compares (each key read), fails with kv.ErrTooLarge and
// writes nothing. Engines without a bound skip it.
func kvLimit(t *testing.T, e kv.Engine) {
	n := kv.MaxOps(e)
	if n == 0 {
		t.Skip("the engine has no transaction limit")
	}
	for start := 0; start < n; start += n / 2 { // keys to read, in Updates within the bound
		mustUpdate(t, e, func(tx kv.Tx) error {
			for i := start; i < min(start+n/2, n); i++ {
				if err := tx.Put(fmt.Appendf(nil, "lim/r/%04d", i), []byte("v")); err != nil {
					return err
				}
			}
			return nil
		})
	}
	run := func(puts, dels, gets int) error {
		return e.Update(bg, func(tx kv.Tx) error {
			for i := range gets {
				if _, err := tx.Get(fmt.Appendf(nil, "lim/r/%04d", i)); err != nil {
					return err
				}
			}
			for i := range puts {
				if err := tx.Put(fmt.Appendf(nil, "lim/p/%04d", i), []byte("v")); err != nil {
					return err
				}
			}
			for i := range dels {
				if err := tx.Delete(fmt.Appendf(nil, "lim/r/%04d", i)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for _, c := range []struct {
		name             string
		puts, dels, gets int
		ok               bool
	}{
		{"compares past the bound", 1, 0, n, false},
		{"writes past the bound", n, 0, 0, false},
		{"deletions past the bound", 0, n / 2, 0, false},
		{"compares within the bound", 1, 0, n - 1, true},
		{"writes within the bound", n - 1, 0, 0, true},
	} {
		err := run(c.puts, c.dels, c.gets)
		if c.ok != (err == nil) || (err != nil && !errors.Is(err, kv.ErrTooLarge)) {
			t.Errorf("%s: %v", c.name, err)
		}
		if !c.ok && (get(t, e, "lim/p/0000") != nil || get(t, e, "lim/r/0000") == nil) {
			t.Fatalf("%s: the refused Update wrote", c.name)
		}
	}
}
