package memkv_test

import (
	"errors"
	"fmt"
	"testing"

	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
)

// TestCreateAndGetManyCost: a created key costs one compare and one write,
// as the etcd engine's create compare; GetMany costs what its Gets would.
func TestCreateAndGetManyCost(t *testing.T) {
	opCreate := func(k string) func(kv.Tx) error {
		return func(tx kv.Tx) error { return kv.Create(tx, []byte(k), []byte("v")) }
	}
	opGetMany := func(ks ...string) func(kv.Tx) error {
		return func(tx kv.Tx) error {
			keys := make([][]byte, len(ks))
			for i, k := range ks {
				keys[i] = []byte(k)
			}
			_, err := kv.GetMany(tx, keys...)
			return err
		}
	}
	opPut := func(k string) func(kv.Tx) error {
		return func(tx kv.Tx) error { return tx.Put([]byte(k), []byte("v")) }
	}
	opDel := func(k string) func(kv.Tx) error { return func(tx kv.Tx) error { return tx.Delete([]byte(k)) } }
	type ops = []func(kv.Tx) error
	for _, c := range []struct {
		name             string
		ops              []func(kv.Tx) error
		compares, writes int
	}{
		{"create", ops{opCreate("n")}, 2, 2},
		{"two creates", ops{opCreate("n"), opCreate("m")}, 3, 3},
		{"create after its own delete", ops{opDel("a"), opCreate("a")}, 1, 2},
		{"create after a read", ops{opGetMany("n"), opCreate("n")}, 2, 2},
		{"get many", ops{opGetMany("a", "nope", "a", "b")}, 4, 1},
		{"get many of its own write", ops{opPut("n"), opGetMany("n", "a")}, 2, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := memkv.New(memkv.MaxOps(1000))
			put(t, e, "a", "1")
			put(t, e, "b", "1")
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

// TestInterleaveCreate: a created key and the keys read with GetMany are in
// the run's read set. A competitor that creates the key makes the run run
// again, and Create then answers kv.ErrExists; one that writes a key read
// with GetMany makes it run again on the new value.
func TestInterleaveCreate(t *testing.T) {
	var seen memkv.Reads
	e := memkv.New(memkv.Interleave(competitor(&seen, "k", "theirs")))
	runs := 0
	err := e.Update(bg, func(tx kv.Tx) error {
		runs++
		if _, err := kv.GetMany(tx, []byte("r1"), []byte("r2")); err != nil {
			return err
		}
		return kv.Create(tx, []byte("k"), []byte("ours"))
	})
	if !errors.Is(err, kv.ErrExists) || runs != 2 {
		t.Fatalf("Update after %d runs: %v; want ErrExists on the second", runs, err)
	}
	if fmt.Sprint(seen.Keys) != "[k r1 r2]" {
		t.Fatalf("competitor saw %+v", seen)
	}
	if get(t, e, "k") != "theirs" {
		t.Fatalf("k = %s", get(t, e, "k"))
	}

	e = memkv.New(memkv.Interleave(competitor(&seen, "r2", "new")))
	runs = 0
	err = e.Update(bg, func(tx kv.Tx) error {
		runs++
		vals, err := kv.GetMany(tx, []byte("r1"), []byte("r2"))
		if err != nil {
			return err
		}
		return tx.Put([]byte("out"), fmt.Appendf(nil, "%q", vals))
	})
	if err != nil || runs != 2 || get(t, e, "out") != `["" "new"]` {
		t.Fatalf("Update after %d runs: %v, out = %s", runs, err, get(t, e, "out"))
	}
}
