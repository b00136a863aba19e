package memkv_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
	"kiosk/storage/storetest"
)

// TestMaxOpsCost: the cost of one Update as the etcd engine counts it:
// compares = 1 + keys read from the store + 2 per scan, writes = 1 + keys
// put + 2 per key deleted, each key once as its last operation.
func TestMaxOpsCost(t *testing.T) {
	opGet := func(k string) func(kv.Tx) error {
		return func(tx kv.Tx) error { _, err := tx.Get([]byte(k)); return err }
	}
	opPut := func(k string) func(kv.Tx) error {
		return func(tx kv.Tx) error { return tx.Put([]byte(k), []byte("v")) }
	}
	opDel := func(k string) func(kv.Tx) error { return func(tx kv.Tx) error { return tx.Delete([]byte(k)) } }
	opScan := func(p string) func(kv.Tx) error {
		return func(tx kv.Tx) error {
			return tx.Scan([]byte(p), func(_, _ []byte) (bool, error) { return true, nil })
		}
	}
	opScanFrom := func(p, from string) func(kv.Tx) error {
		return func(tx kv.Tx) error {
			return tx.ScanFrom([]byte(p), []byte(from), func(_, _ []byte) (bool, error) { return false, nil })
		}
	}
	type ops = []func(kv.Tx) error
	for _, c := range []struct {
		name             string
		ops              []func(kv.Tx) error
		compares, writes int
	}{
		{"nothing", nil, 1, 1},
		{"get of a stored key", ops{opGet("a")}, 2, 1},
		{"get of an absent key", ops{opGet("nope")}, 2, 1},
		{"repeated get counted once", ops{opGet("a"), opGet("a"), opGet("b")}, 3, 1},
		{"read of its own put not counted", ops{opPut("n"), opGet("n")}, 1, 2},
		{"read of its own delete not counted", ops{opDel("a"), opGet("a")}, 1, 3},
		{"read, write, read again: once", ops{opGet("a"), opPut("a"), opGet("a")}, 2, 2},
		{"put", ops{opPut("a"), opPut("n")}, 1, 3},
		{"repeated put counted once", ops{opPut("n"), opPut("n")}, 1, 2},
		{"delete counts two", ops{opDel("a")}, 1, 3},
		{"delete of an absent key counts two", ops{opDel("nope")}, 1, 3},
		{"put then delete: one delete", ops{opPut("n"), opDel("n")}, 1, 3},
		{"delete then put: one put", ops{opDel("a"), opPut("a")}, 1, 2},
		{"scan counts two", ops{opScan("p/")}, 3, 1},
		{"scanFrom counts two", ops{opScanFrom("p/", "p/b")}, 3, 1},
		{"each scan counts", ops{opScan("p/"), opScan("p/"), opGet("p/a")}, 6, 1},
		{"mixed", ops{opGet("a"), opScan("p/"), opPut("x"), opDel("b"), opGet("x"), opGet("c")}, 5, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := memkv.New(memkv.MaxOps(1000))
			for _, k := range []string{"a", "b", "c", "p/a", "p/b"} {
				put(t, e, k, "1")
			}
			e.ResetPeak()
			err := e.Update(bg, func(tx kv.Tx) error {
				for _, op := range c.ops {
					if err := op(tx); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if p := e.Peak(); p.Compares != c.compares || p.Writes != c.writes {
				t.Fatalf("cost %+v, want %d compares, %d writes", p, c.compares, c.writes)
			}
		})
	}
}

// TestMaxOpsLimit: an Update at the limit commits; one past it, in writes
// or in compares, fails with kv.ErrTooLarge and writes nothing. Views and
// engines without the option are not limited.
func TestMaxOpsLimit(t *testing.T) {
	const n = 8
	e := memkv.New(memkv.MaxOps(n))
	if kv.MaxOps(e) != n || kv.MaxOps(memkv.New()) != 0 {
		t.Fatalf("kv.MaxOps %d and %d, want %d and 0", kv.MaxOps(e), kv.MaxOps(memkv.New()), n)
	}
	writeKeys := func(prefix string, puts, dels, gets int) error {
		return e.Update(bg, func(tx kv.Tx) error {
			for i := range gets {
				if _, err := tx.Get(fmt.Appendf(nil, "g%d", i)); err != nil {
					return err
				}
			}
			for i := range puts {
				if err := tx.Put(fmt.Appendf(nil, "%sp%d", prefix, i), []byte("v")); err != nil {
					return err
				}
			}
			for i := range dels {
				if err := tx.Delete(fmt.Appendf(nil, "%sd%d", prefix, i)); err != nil {
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
		{"writes at the limit", n - 1, 0, 0, true},
		{"one write past", n, 0, 0, false},
		{"deletes at the limit", 1, (n - 2) / 2, 0, true},
		{"a delete past", 0, n / 2, 0, false},
		{"compares at the limit", 1, 0, n - 1, true},
		{"one compare past", 1, 0, n, false},
	} {
		err := writeKeys(c.name+"/", c.puts, c.dels, c.gets)
		if c.ok != (err == nil) || (err != nil && !errors.Is(err, kv.ErrTooLarge)) {
			t.Errorf("%s: %v", c.name, err)
		}
		if got := get(t, e, c.name+"/p0"); !c.ok && got != "<absent>" {
			t.Errorf("%s: a refused Update wrote", c.name)
		}
	}
	if err := e.View(bg, func(tx kv.Tx) error {
		for i := range 10 * n {
			if _, err := tx.Get(fmt.Appendf(nil, "v%d", i)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("a View reading %d keys: %v", 10*n, err)
	}
}

// TestMaxOpsModes: a run over the limit fails in RunTwice mode too (its
// first run already), and the competitor of Interleave, another kiosk, is
// not limited.
func TestMaxOpsModes(t *testing.T) {
	e := memkv.New(memkv.MaxOps(4), memkv.RunTwice())
	runs := 0
	err := e.Update(bg, func(tx kv.Tx) error {
		runs++
		for i := range 4 {
			if err := tx.Put(fmt.Appendf(nil, "k%d", i), nil); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, kv.ErrTooLarge) || runs != 1 || get(t, e, "k0") != "<absent>" {
		t.Fatalf("RunTwice: %v after %d runs", err, runs)
	}
	// The closure costs 3 compares and 2 writes; Touch writes its three
	// reads back, absent ones as deletions (5 writes).
	e = memkv.New(memkv.MaxOps(4), memkv.Interleave(memkv.Touch))
	runs = 0
	err = e.Update(bg, func(tx kv.Tx) error {
		runs++
		if _, err := tx.Get([]byte("x")); err != nil {
			return err
		}
		if _, err := tx.Get([]byte("y")); err != nil {
			return err
		}
		return tx.Put([]byte("z"), []byte("1"))
	})
	if err != nil || runs != 2 || get(t, e, "z") != "1" {
		t.Fatalf("Interleave: %v after %d runs", err, runs)
	}
}

// TestMaxRequestBytes: the bytes of the keys compared, the keys written and
// the values put are bounded together.
func TestMaxRequestBytes(t *testing.T) {
	e := memkv.New(memkv.MaxRequestBytes(100))
	if kv.MaxOps(e) != 0 {
		t.Fatal("a byte limit is not an operation limit")
	}
	big := bytes.Repeat([]byte("x"), 99)
	if err := e.Update(bg, func(tx kv.Tx) error { return tx.Put([]byte("k"), big) }); err != nil {
		t.Fatalf("100 bytes: %v", err)
	}
	err := e.Update(bg, func(tx kv.Tx) error {
		if _, err := tx.Get([]byte("k")); err != nil {
			return err
		}
		return tx.Put([]byte("k"), big)
	})
	if !errors.Is(err, kv.ErrTooLarge) {
		t.Fatalf("101 bytes: %v", err)
	}
	if p := e.Peak(); p.Bytes != 101 {
		t.Fatalf("peak %+v, want 101 bytes", p)
	}
}

// TestConformanceLimited runs the kv conformance suite on engines bounded
// as etcd is by default, plain and re-running their closures.
func TestConformanceLimited(t *testing.T) {
	for name, opts := range map[string][]memkv.Option{
		"Plain":      nil,
		"Interleave": {memkv.Interleave(memkv.Touch)},
	} {
		t.Run(name, func(t *testing.T) {
			storetest.RunKV(t, func(t *testing.T) kv.Engine {
				e := memkv.New(append(opts, memkv.MaxOps(memkv.EtcdDefaultMaxOps),
					memkv.MaxRequestBytes(memkv.EtcdDefaultMaxRequestBytes))...)
				t.Cleanup(func() { _ = e.Close() })
				return e
			})
		})
	}
}
