package memkv_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
	"kiosk/storage/storetest"
)

// modes are the engine's conflict modes; every conformance test runs in
// each.
var modes = []struct {
	name string
	opts []memkv.Option
}{
	{"Plain", nil},
	{"RunTwice", []memkv.Option{memkv.RunTwice()}},
	{"Interleave", []memkv.Option{memkv.Interleave(memkv.Touch)}},
	{"RunTwiceInterleave", []memkv.Option{memkv.RunTwice(), memkv.Interleave(memkv.Touch)}},
}

func TestConformance(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			storetest.RunKV(t, func(t *testing.T) kv.Engine {
				e := memkv.New(m.opts...)
				t.Cleanup(func() { _ = e.Close() })
				return e
			})
		})
	}
}

var bg = context.Background()

func put(t *testing.T, e kv.Engine, k, v string) {
	t.Helper()
	if err := e.Update(bg, func(tx kv.Tx) error { return tx.Put([]byte(k), []byte(v)) }); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, e kv.Engine, k string) string {
	t.Helper()
	var v []byte
	if err := e.View(bg, func(tx kv.Tx) (err error) { v, err = tx.Get([]byte(k)); return }); err != nil {
		t.Fatal(err)
	}
	if v == nil {
		return "<absent>"
	}
	return string(v)
}

// TestRunTwice: the first run of an Update is rolled back, the second
// commits; a View runs twice; a failing first run is not repeated.
func TestRunTwice(t *testing.T) {
	e := memkv.New(memkv.RunTwice())
	runs := 0
	err := e.Update(bg, func(tx kv.Tx) error {
		runs++
		return tx.Put([]byte(fmt.Sprint("run", runs)), []byte("x"))
	})
	if err != nil || runs != 2 {
		t.Fatalf("%d runs, %v", runs, err)
	}
	if get(t, e, "run1") != "<absent>" || get(t, e, "run2") != "x" {
		t.Fatal("the first run's write was kept, or the second's lost")
	}
	views := 0
	if err := e.View(bg, func(kv.Tx) error { views++; return nil }); err != nil || views != 2 {
		t.Fatalf("View: %d runs, %v", views, err)
	}
	boom := errors.New("boom")
	runs = 0
	if err := e.Update(bg, func(kv.Tx) error { runs++; return boom }); !errors.Is(err, boom) || runs != 1 {
		t.Fatalf("failing closure: %d runs, %v", runs, err)
	}
	if s := e.Stats(); s.Updates != 2 || s.Runs != 3 || s.Discarded != 1 || s.Conflicts != 0 {
		t.Fatalf("stats %+v", s)
	}
}

// competitor returns a Competitor that commits the given pairs (value ""
// deletes) and records what the run read.
func competitor(seen *memkv.Reads, kvs ...string) memkv.Competitor {
	return func(e *memkv.Engine, r memkv.Reads) error {
		*seen = r
		return e.Update(bg, func(tx kv.Tx) error {
			for i := 0; i+1 < len(kvs); i += 2 {
				var err error
				if kvs[i+1] == "" {
					err = tx.Delete([]byte(kvs[i]))
				} else {
					err = tx.Put([]byte(kvs[i]), []byte(kvs[i+1]))
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
	}
}

// bump is an Update that reads key and appends "+" to it, and the number of
// runs it took.
func bump(t *testing.T, e kv.Engine, key string) int {
	t.Helper()
	runs := 0
	err := e.Update(bg, func(tx kv.Tx) error {
		runs++
		v, err := tx.Get([]byte(key))
		if err != nil {
			return err
		}
		return tx.Put([]byte(key), append(v, '+'))
	})
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// TestInterleaveConflict: a competitor that writes a key the run read makes
// it run again on the competitor's value, once; one that writes elsewhere
// does not.
func TestInterleaveConflict(t *testing.T) {
	var seen memkv.Reads
	e := memkv.New(memkv.Interleave(competitor(&seen, "n", "c")))
	if runs := bump(t, e, "n"); runs != 2 || get(t, e, "n") != "c+" {
		t.Fatalf("%d runs, n = %q; want 2, c+", runs, get(t, e, "n"))
	}
	if fmt.Sprint(seen.Keys) != "[n]" || len(seen.Ranges) != 0 {
		t.Fatalf("competitor saw %+v", seen)
	}
	e = memkv.New(memkv.Interleave(competitor(&seen, "other", "c")))
	if runs := bump(t, e, "n"); runs != 1 || get(t, e, "n") != "+" || get(t, e, "other") != "c" {
		t.Fatalf("unrelated competitor: %d runs", runs)
	}
	// A deleted key is a change too.
	e = memkv.New(memkv.Interleave(competitor(&seen, "n", "")))
	put(t, e, "n", "x") // this Update is interleaved (the competitor deletes n) and read nothing
	put(t, e, "n", "x")
	if runs := bump(t, e, "n"); runs != 2 || get(t, e, "n") != "+" {
		t.Fatalf("deleting competitor: %d runs, n = %q", runs, get(t, e, "n"))
	}
	if s := e.Stats(); s.Conflicts != 1 {
		t.Fatalf("stats %+v", s)
	}
}

// scanRuns runs an Update that scans prefix "p/" (stopping after stop keys
// when stop > 0) and writes what it saw; it returns the runs it took.
func scanRuns(t *testing.T, e kv.Engine, stop int) int {
	t.Helper()
	runs := 0
	err := e.Update(bg, func(tx kv.Tx) error {
		runs++
		n := 0
		err := tx.Scan([]byte("p/"), func(k, _ []byte) (bool, error) { n++; return stop == 0 || n < stop, nil })
		if err != nil {
			return err
		}
		return tx.Put([]byte("seen"), []byte(fmt.Sprint(n)))
	})
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// TestInterleaveRanges: a key inserted into a scanned range conflicts (a
// phantom), one past where the scan stopped does not.
func TestInterleaveRanges(t *testing.T) {
	for _, c := range []struct {
		name      string
		insert    string
		stop      int
		runs      int
		wantSeen  string
		wantRange memkv.Range
	}{
		{"phantom in the prefix", "p/b2", 0, 2, "4", memkv.Range{Start: "p/", End: "p0"}},
		{"after the stop", "p/c2", 2, 1, "2", memkv.Range{Start: "p/", End: "p/b\x00"}},
		{"before the stop", "p/a2", 2, 2, "2", memkv.Range{Start: "p/", End: "p/b\x00"}},
		{"outside the prefix", "q/a", 0, 1, "3", memkv.Range{Start: "p/", End: "p0"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var (
				seen  memkv.Reads
				armed bool
			)
			insert := competitor(&seen, c.insert, "1")
			e := memkv.New(memkv.Interleave(func(e *memkv.Engine, r memkv.Reads) error {
				if !armed {
					return nil
				}
				return insert(e, r)
			}))
			for _, k := range []string{"p/a", "p/b", "p/c"} {
				put(t, e, k, "1")
			}
			armed = true
			if runs := scanRuns(t, e, c.stop); runs != c.runs || get(t, e, "seen") != c.wantSeen {
				t.Fatalf("%d runs, seen %s; want %d, %s", runs, get(t, e, "seen"), c.runs, c.wantSeen)
			}
			if len(seen.Ranges) != 1 || seen.Ranges[0] != c.wantRange {
				t.Fatalf("ranges %q, want %q", seen.Ranges, c.wantRange)
			}
		})
	}
}

// TestTouch: the Touch competitor makes a run that read something conflict
// once and changes no value, including keys read while absent.
func TestTouch(t *testing.T) {
	e := memkv.New(memkv.Interleave(memkv.Touch))
	put(t, e, "a", "1")
	runs := 0
	err := e.Update(bg, func(tx kv.Tx) error {
		runs++
		a, err1 := tx.Get([]byte("a"))
		b, err2 := tx.Get([]byte("b"))
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		return tx.Put([]byte("c"), append(a, b...))
	})
	if err != nil || runs != 2 {
		t.Fatalf("%d runs, %v", runs, err)
	}
	if get(t, e, "a") != "1" || get(t, e, "b") != "<absent>" || get(t, e, "c") != "1" {
		t.Fatal("Touch changed the data")
	}
}

// TestCompetitorFails: a competitor's error fails the Update, which writes
// nothing.
func TestCompetitorFails(t *testing.T) {
	boom := errors.New("boom")
	e := memkv.New(memkv.Interleave(func(*memkv.Engine, memkv.Reads) error { return boom }))
	err := e.Update(bg, func(tx kv.Tx) error { return tx.Put([]byte("k"), []byte("v")) })
	if !errors.Is(err, boom) || get(t, e, "k") != "<absent>" {
		t.Fatalf("Update = %v, k = %s", err, get(t, e, "k"))
	}
}

// TestCompetitorCloses: an engine closed by the competitor fails the
// waiting run with ErrClosed.
func TestCompetitorCloses(t *testing.T) {
	e := memkv.New(memkv.Interleave(func(e *memkv.Engine, _ memkv.Reads) error { return e.Close() }))
	if err := e.Update(bg, func(tx kv.Tx) error { return tx.Put([]byte("k"), nil) }); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("Update = %v, want ErrClosed", err)
	}
}

// TestCompetitorPanics: a panicking competitor leaves the engine usable.
func TestCompetitorPanics(t *testing.T) {
	armed := true
	e := memkv.New(memkv.Interleave(func(*memkv.Engine, memkv.Reads) error {
		if armed {
			armed = false
			panic("boom")
		}
		return nil
	}))
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic swallowed")
			}
		}()
		_ = e.Update(bg, func(tx kv.Tx) error { return tx.Put([]byte("k"), nil) })
	}()
	put(t, e, "k", "v")
	if get(t, e, "k") != "v" {
		t.Fatal("engine unusable after a competitor's panic")
	}
}
