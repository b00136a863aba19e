package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"

	"kiosk/storage/kv"
)

// The optional capabilities of kv (Create, GetMany), through their helpers,
// so that every engine answers as the ones that implement them natively.
var kvCapabilityTests = []struct {
	name string
	fn   func(t *testing.T, e kv.Engine)
}{
	{"Create", kvCreate},
	{"CreateRace", kvCreateRace},
	{"CreateLimit", kvCreateLimit},
	{"GetMany", kvGetMany},
	{"GetManyMany", kvGetManyMany},
}

// kvCreate: Create stores an absent key; a present one is refused with
// kv.ErrExists and the Update writes nothing; the transaction's own writes
// count (a key it put is present, one it deleted absent); a View refuses
// it.
func kvCreate(t *testing.T, e kv.Engine) {
	putAll(t, e, "c/there", "old", "c/gone", "x")
	mustUpdate(t, e, func(tx kv.Tx) error {
		if err := kv.Create(tx, []byte("c/new"), []byte("1")); err != nil {
			return err
		}
		if v, err := tx.Get([]byte("c/new")); err != nil || string(v) != "1" {
			return fmt.Errorf("created key read back in tx: %q, %v", v, err)
		}
		if err := kv.Create(tx, []byte("c/new"), []byte("2")); !errors.Is(err, kv.ErrExists) {
			return fmt.Errorf("second Create of c/new in one tx: %v, want ErrExists", err)
		}
		if err := tx.Put([]byte("c/put"), []byte("p")); err != nil {
			return err
		}
		if err := kv.Create(tx, []byte("c/put"), []byte("2")); !errors.Is(err, kv.ErrExists) {
			return fmt.Errorf("Create of a key put in the tx: %v, want ErrExists", err)
		}
		if err := tx.Delete([]byte("c/gone")); err != nil {
			return err
		}
		return kv.Create(tx, []byte("c/gone"), []byte("again"))
	})
	for k, want := range map[string]string{"c/new": "1", "c/put": "p", "c/gone": "again", "c/there": "old"} {
		if v := get(t, e, k); string(v) != want {
			t.Errorf("%s = %q, want %q", k, v, want)
		}
	}

	runs := 0
	err := e.Update(bg, func(tx kv.Tx) error {
		runs++
		if err := tx.Put([]byte("c/side"), []byte("s")); err != nil {
			return err
		}
		return kv.Create(tx, []byte("c/there"), []byte("new"))
	})
	if !errors.Is(err, kv.ErrExists) {
		t.Fatalf("Create of a present key: %v (after %d runs), want ErrExists", err, runs)
	}
	if v := get(t, e, "c/there"); string(v) != "old" {
		t.Fatalf("refused Create replaced the value: %q", v)
	}
	if v := get(t, e, "c/side"); v != nil {
		t.Fatalf("an Update refused by Create wrote c/side = %q", v)
	}

	err = e.View(bg, func(tx kv.Tx) error { return kv.Create(tx, []byte("c/view"), []byte("v")) })
	if !errors.Is(err, kv.ErrReadOnly) {
		t.Fatalf("Create in a View: %v, want ErrReadOnly", err)
	}
	if v := get(t, e, "c/view"); v != nil {
		t.Fatalf("Create in a View wrote %q", v)
	}
	err = e.Update(bg, func(tx kv.Tx) error { return kv.Create(tx, nil, []byte("v")) })
	if !errors.Is(err, kv.ErrInvalidKey) {
		t.Fatalf("Create of the empty key: %v, want ErrInvalidKey", err)
	}
}

// kvCreateRace: several writers create one key at once, each also writing
// a key of its own; exactly one commits, the others get kv.ErrExists and
// write nothing.
func kvCreateRace(t *testing.T, e kv.Engine) {
	const writers = 6
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = e.Update(bg, func(tx kv.Tx) error {
				if err := tx.Put(fmt.Appendf(nil, "race/own/%d", w), []byte("x")); err != nil {
					return err
				}
				return kv.Create(tx, []byte("race/k"), fmt.Append(nil, w))
			})
		}()
	}
	wg.Wait()
	winner := -1
	for w, err := range errs {
		switch {
		case err == nil && winner < 0:
			winner = w
		case err == nil:
			t.Fatalf("writers %d and %d both created race/k", winner, w)
		case !errors.Is(err, kv.ErrExists):
			t.Fatalf("writer %d: %v, want ErrExists", w, err)
		}
	}
	if winner < 0 {
		t.Fatal("nobody created race/k")
	}
	if v := get(t, e, "race/k"); string(v) != fmt.Sprint(winner) {
		t.Fatalf("race/k = %q, the winner was %d", v, winner)
	}
	for w := range writers {
		if v := get(t, e, fmt.Sprintf("race/own/%d", w)); (v != nil) != (w == winner) {
			t.Errorf("race/own/%d = %q; only the winner's is written", w, v)
		}
	}
}

// kvCreateLimit: on an engine with a bound, a created key costs one
// compare (as a key read) and one write: MaxOps-1 creates fit (with the
// engine's marker), MaxOps do not.
func kvCreateLimit(t *testing.T, e kv.Engine) {
	n := kv.MaxOps(e)
	if n == 0 {
		t.Skip("the engine has no transaction limit")
	}
	create := func(count int) error {
		return e.Update(bg, func(tx kv.Tx) error {
			for i := range count {
				if err := kv.Create(tx, fmt.Appendf(nil, "cl/%d/%04d", count, i), []byte("v")); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := create(n); !errors.Is(err, kv.ErrTooLarge) {
		t.Fatalf("%d creates: %v, want ErrTooLarge", n, err)
	}
	if err := create(n - 1); err != nil {
		t.Fatalf("%d creates: %v", n-1, err)
	}
	// Reads and creates add up: half the bound of each is one too many.
	err := e.Update(bg, func(tx kv.Tx) error {
		for i := range n / 2 {
			if _, err := tx.Get(fmt.Appendf(nil, "cl/%d/%04d", n-1, i)); err != nil {
				return err
			}
			if err := kv.Create(tx, fmt.Appendf(nil, "cl/mix/%04d", i), []byte("v")); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, kv.ErrTooLarge) {
		t.Fatalf("%d reads and %d creates: %v, want ErrTooLarge", n/2, n/2, err)
	}
}

// kvGetMany: GetMany answers as Gets would, in order, repeated and absent
// keys included, sees the transaction's own writes, keeps empty values
// non-nil, returns copies, and works in a View.
func kvGetMany(t *testing.T, e kv.Engine) {
	putAll(t, e, "m/a", "1", "m/b", "2", "m/del", "d")
	mustUpdate(t, e, func(tx kv.Tx) error { return tx.Put([]byte("m/empty"), nil) })
	want := func(vals [][]byte, exp ...string) error {
		if len(vals) != len(exp) {
			return fmt.Errorf("%d values, want %d", len(vals), len(exp))
		}
		for i, x := range exp {
			switch {
			case x == "<nil>" && vals[i] != nil:
				return fmt.Errorf("value %d = %q, want absent", i, vals[i])
			case x != "<nil>" && (vals[i] == nil || string(vals[i]) != x):
				return fmt.Errorf("value %d = %#v, want %q", i, vals[i], x)
			}
		}
		return nil
	}
	err := e.View(bg, func(tx kv.Tx) error {
		vals, err := kv.GetMany(tx, []byte("m/b"), []byte("m/none"), []byte("m/a"), []byte("m/b"), []byte("m/empty"))
		if err != nil {
			return err
		}
		if err := want(vals, "2", "<nil>", "1", "2", ""); err != nil {
			return err
		}
		vals[0][0] = 'X' // copies: the next answer is not changed
		again, err := kv.GetMany(tx, []byte("m/b"))
		if err == nil && string(again[0]) != "2" {
			err = fmt.Errorf("a changed answer changed the next: %q", again[0])
		}
		if err != nil {
			return err
		}
		if v, err := tx.Get([]byte("m/a")); err != nil || string(v) != "1" {
			return fmt.Errorf("Get after GetMany: %q, %v", v, err)
		}
		empty, err := kv.GetMany(tx)
		if err == nil && len(empty) != 0 {
			err = fmt.Errorf("GetMany of no key: %q", empty)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, e, func(tx kv.Tx) error {
		if err := tx.Put([]byte("m/a"), []byte("own")); err != nil {
			return err
		}
		if err := tx.Delete([]byte("m/del")); err != nil {
			return err
		}
		vals, err := kv.GetMany(tx, []byte("m/a"), []byte("m/del"), []byte("m/b"))
		if err != nil {
			return err
		}
		return want(vals, "own", "<nil>", "2")
	})
	var kept kv.Tx
	mustUpdate(t, e, func(tx kv.Tx) error { kept = tx; return nil })
	if _, err := kv.GetMany(kept, []byte("m/a")); !errors.Is(err, kv.ErrTxDone) {
		t.Fatalf("GetMany after the tx: %v, want ErrTxDone", err)
	}
}

// kvGetManyMany: more keys than one request of the engine takes (etcd's
// --max-txn-ops) are all answered.
func kvGetManyMany(t *testing.T, e kv.Engine) {
	const n = 300
	for start := 0; start < n; start += 50 {
		mustUpdate(t, e, func(tx kv.Tx) error {
			for i := start; i < start+50; i += 2 { // every other key
				if err := tx.Put(fmt.Appendf(nil, "mm/%04d", i), fmt.Append(nil, i)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	err := e.View(bg, func(tx kv.Tx) error {
		keys := make([][]byte, n)
		for i := range keys {
			keys[i] = fmt.Appendf(nil, "mm/%04d", i)
		}
		vals, err := kv.GetMany(tx, keys...)
		if err != nil {
			return err
		}
		for i, v := range vals {
			if i%2 == 0 && !bytes.Equal(v, fmt.Append(nil, i)) || i%2 == 1 && v != nil {
				return fmt.Errorf("mm/%04d = %q", i, v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
