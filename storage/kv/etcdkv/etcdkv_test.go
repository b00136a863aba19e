package etcdkv_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"kiosk/model"
	"kiosk/storage"
	"kiosk/storage/kv"
	"kiosk/storage/kv/etcdkv"
	"kiosk/storage/kv/etcdkv/etcdtest"
	"kiosk/storage/storetest"
)

var bg = context.Background()

// TestEngine runs the engine's tests against one 3-member cluster started
// in-process; each subtest gets its own key prefix.
func TestEngine(t *testing.T) {
	c := etcdtest.Start(t, 3)
	t.Run("ConformanceKV", func(t *testing.T) {
		storetest.RunKV(t, func(t *testing.T) kv.Engine { return c.Engine(t) })
	})
	t.Run("ConformanceStore", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) model.Store {
			s, err := storage.Open(c.Engine(t), storage.NewKeysForTest())
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
	t.Run("WriteInReadKeyConflicts", func(t *testing.T) { writeInReadKey(t, c) })
	t.Run("DeletionInScannedRangeConflicts", func(t *testing.T) { deletionInRange(t, c) })
	t.Run("InsertionInScannedRangeConflicts", func(t *testing.T) { insertionInRange(t, c) })
	t.Run("TooLarge", func(t *testing.T) { tooLarge(t, c) })
	t.Run("Leases", func(t *testing.T) { leases(t, c) })
	t.Run("LostAnswers", func(t *testing.T) { lostAnswers(t, c) })
	t.Run("ReadsFromBehind", func(t *testing.T) { readsFromBehind(t, c) })
	t.Run("ReadsWhatAViewRead", func(t *testing.T) { readsWhatAViewRead(t, c) })
	t.Run("MarkerLeasesHoldFewKeys", func(t *testing.T) { markerLeases(t, c) })
	t.Run("Partition", func(t *testing.T) { partition(t, c) })
}

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

// writeInReadKey: two kiosks increment one counter 20 times each; every
// increment is counted once although their closures overlap.
func writeInReadKey(t *testing.T, c *etcdtest.Cluster) {
	p := c.Prefix()
	a, b := c.EngineAt(t, p, c.Endpoints()), c.EngineAt(t, p, c.Endpoints())
	put(t, a, "n", "0")
	errs := make(chan error, 2)
	for _, e := range []*etcdkv.Engine{a, b} {
		go func() {
			for range 20 {
				if err := e.Update(bg, increment); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := get(t, a, "n"); got != "40" {
		t.Fatalf("counter = %s after 40 increments", got)
	}
}

// increment adds one to the counter under "n".
func increment(tx kv.Tx) error { return incrementKey(tx, "n") }

// incrementKey adds one to the counter under k.
func incrementKey(tx kv.Tx, k string) error {
	v, err := tx.Get([]byte(k))
	if err != nil {
		return err
	}
	var n int
	fmt.Sscan(string(v), &n)
	return tx.Put([]byte(k), fmt.Append(nil, n+1))
}

// deletionInRange: a closure that counts the keys under a prefix and
// writes the count must see a deletion that another kiosk commits between
// its scan and its commit: it runs again and writes the new count.
func deletionInRange(t *testing.T, c *etcdtest.Cluster) {
	p := c.Prefix()
	a, b := c.EngineAt(t, p, c.Endpoints()), c.EngineAt(t, p, c.Endpoints())
	for _, k := range []string{"s/1", "s/2", "s/3"} {
		put(t, a, k, "x")
	}
	countRange(t, a, func(run int) error {
		if run != 1 {
			return nil
		}
		// the other kiosk deletes a key of the range meanwhile
		return b.Update(bg, func(tx kv.Tx) error { return tx.Delete([]byte("s/2")) })
	})
	if got := a.Stats().Conflicts; got < 1 {
		t.Fatalf("conflicts = %d", got)
	}
}

// insertionInRange: the same with a key inserted into the scanned range,
// and a write outside it that must not conflict.
func insertionInRange(t *testing.T, c *etcdtest.Cluster) {
	p := c.Prefix()
	a, b := c.EngineAt(t, p, c.Endpoints()), c.EngineAt(t, p, c.Endpoints())
	put(t, a, "s/1", "x")
	countRange(t, a, func(run int) error {
		var k string
		switch run {
		case 1:
			k = "s/0"
		case 2: // a write next to the range, not in it
			k = "t/0"
		default:
			return nil
		}
		return b.Update(bg, func(tx kv.Tx) error { return tx.Put([]byte(k), []byte("y")) })
	})
}

// countRange runs on e a closure that counts the keys under "s/" and
// writes the count to "count"; meanwhile(run) is what another kiosk
// commits between each run's scan and its commit. The closure must have
// scanned twice and written a count of 2. (A run whose scan came from a
// member that had not applied the kiosk's own puts yet is run again
// before it gets that far: not counted.)
func countRange(t *testing.T, e kv.Engine, meanwhile func(run int) error) {
	t.Helper()
	runs := 0
	err := e.Update(bg, func(tx kv.Tx) error {
		n := 0
		if err := tx.Scan([]byte("s/"), func(k, v []byte) (bool, error) { n++; return true, nil }); err != nil {
			return err
		}
		runs++
		if err := meanwhile(runs); err != nil {
			return err
		}
		return tx.Put([]byte("count"), fmt.Append(nil, n))
	})
	if err != nil {
		t.Fatal(err)
	}
	if runs != 2 || get(t, e, "count") != "2" {
		t.Fatalf("runs = %d, count = %s; want 2 runs and a count of 2", runs, get(t, e, "count"))
	}
}

func tooLarge(t *testing.T, c *etcdtest.Cluster) {
	e := c.Engine(t)
	err := e.Update(bg, func(tx kv.Tx) error {
		for i := range e.MaxOps() { // with the marker, one too many
			if err := tx.Put(fmt.Appendf(nil, "k/%03d", i), []byte("v")); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, kv.ErrTooLarge) {
		t.Fatalf("Update of %d puts: %v, want ErrTooLarge", e.MaxOps(), err)
	}
	if got := get(t, e, "k/000"); got != "<absent>" {
		t.Fatalf("a refused transaction wrote k/000 = %s", got)
	}
	err = e.Update(bg, func(tx kv.Tx) error {
		return tx.Put([]byte("big"), make([]byte, 2<<20))
	})
	if !errors.Is(err, kv.ErrTooLarge) {
		t.Fatalf("Update of a 2 MiB value: %v, want ErrTooLarge", err)
	}
	err = e.Update(bg, func(tx kv.Tx) error {
		for i := range e.MaxOps() - 1 {
			if err := tx.Put(fmt.Appendf(nil, "k/%03d", i), []byte("v")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Update at the limit: %v", err)
	}
}

func leases(t *testing.T, c *etcdtest.Cluster) {
	e := c.Engine(t)
	l, err := e.Grant(bg, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Update(bg, func(tx kv.Tx) error {
		return tx.(kv.LeaseTx).PutLeased([]byte("claim/1"), []byte("kiosk-a"), l)
	}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second) // past the TTL: kept alive
	if got := get(t, e, "claim/1"); got != "kiosk-a" {
		t.Fatalf("kept-alive leased key = %s", got)
	}
	if err := l.Revoke(bg); err != nil {
		t.Fatal(err)
	}
	if got := get(t, e, "claim/1"); got != "<absent>" {
		t.Fatalf("leased key after Revoke = %s", got)
	}
	select {
	case <-l.Done():
	case <-time.After(time.Second):
		t.Fatal("Done not closed after Revoke")
	}
	err = e.Update(bg, func(tx kv.Tx) error {
		return tx.(kv.LeaseTx).PutLeased([]byte("claim/2"), []byte("kiosk-a"), l)
	})
	if !errors.Is(err, kv.ErrLeaseExpired) {
		t.Fatalf("put under a revoked lease: %v", err)
	}
}

// errLost stands for a commit whose answer never came back.
var errLost = errors.New("connection reset while waiting for the answer")

// lostAnswers: a commit applied whose answer is lost is found applied by
// the fence (Update succeeds, the closure is not run again, the write is
// there once); a commit lost before it applied is fenced, so it can never
// apply later, and the closure runs again and commits once.
func lostAnswers(t *testing.T, c *etcdtest.Cluster) {
	e := c.Engine(t)
	put(t, e, "n", "0")
	incr := func(runs *int) func(kv.Tx) error {
		return func(tx kv.Tx) error {
			*runs++
			return increment(tx)
		}
	}
	// Applied, answer lost.
	lost := 0
	e.LoseAnswers(func(send func() (*clientv3.TxnResponse, error)) (*clientv3.TxnResponse, error) {
		lost++
		if _, err := send(); err != nil {
			return nil, err
		}
		return nil, errLost
	})
	runs := 0
	if err := e.Update(bg, incr(&runs)); err != nil {
		t.Fatalf("applied commit with a lost answer: %v", err)
	}
	if runs != 1 || lost != 1 || get(t, e, "n") != "1" {
		t.Fatalf("runs=%d lost=%d n=%s; want 1 run, 1 commit, n=1", runs, lost, get(t, e, "n"))
	}
	// Lost before it applied; the first attempt is kept aside and sent
	// after the fence, as a delayed packet would arrive: it must fail.
	var late func() (*clientv3.TxnResponse, error)
	e.LoseAnswers(func(send func() (*clientv3.TxnResponse, error)) (*clientv3.TxnResponse, error) {
		if late == nil {
			late = send
			return nil, errLost
		}
		return send()
	})
	runs = 0
	if err := e.Update(bg, incr(&runs)); err != nil {
		t.Fatalf("commit lost before applying: %v", err)
	}
	if runs != 2 || get(t, e, "n") != "2" {
		t.Fatalf("runs=%d n=%s; want 2 runs and n=2", runs, get(t, e, "n"))
	}
	resp, err := late()
	if err != nil || resp.Succeeded {
		t.Fatalf("the fenced attempt applied late: %+v, %v", resp, err)
	}
	if got := get(t, e, "n"); got != "2" {
		t.Fatalf("n=%s after the late attempt", got)
	}
	st := e.Stats()
	if st.Fences != 2 || st.Applied != 1 {
		t.Fatalf("stats %+v", st)
	}
	e.LoseAnswers(nil)
}

// readsFromBehind: an Update reads serializably, from whichever member
// it reaches, which may be behind. The kiosk still reads its own writes:
// a key it wrote lately is read as it wrote it, without a request (the
// commit compares it as written); a leased key of its own the member had
// not applied, or a range holding its own newer writes, makes the closure
// run again reading linearizable. An
// Update that commits nothing has its reads checked against the cluster.
// Nothing is counted as a conflict. A View never reads serializably.
func readsFromBehind(t *testing.T, c *etcdtest.Cluster) {
	p := c.Prefix()
	e, r := counted(t, c, p)
	put(t, e, "n", "1")
	put(t, e, "m", "1")
	put(t, e, "m", "2")
	e.Lag(2) // as of the first put: m absent
	r.reset()
	runs := 0
	err := e.Update(bg, func(tx kv.Tx) error {
		runs++
		v, err := tx.Get([]byte("m"))
		if err != nil {
			return err
		}
		if string(v) != "2" {
			return fmt.Errorf("m = %q, want the kiosk's own last write", v)
		}
		return increment(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	if st := e.Stats(); runs != 1 || st.Rereads != 0 || st.Conflicts != 0 {
		t.Fatalf("runs=%d stats %+v; want one run from the member behind", runs, st)
	}
	if got := r.keysRead(); len(got) != 0 {
		t.Fatalf("keys read %v: the kiosk's own last writes cost a request", got)
	}
	if got := get(t, e, "n"); got != "2" {
		t.Fatalf("n = %s after the increment", got)
	}

	// A range with the engine's own newer writes: run again, linearizable.
	put(t, e, "s/1", "x")
	put(t, e, "s/2", "x")
	runs = 0
	err = e.Update(bg, func(tx kv.Tx) error {
		runs++
		count := 0
		if err := tx.Scan([]byte("s/"), func(k, v []byte) (bool, error) { count++; return true, nil }); err != nil {
			return err
		}
		if count != 2 {
			return fmt.Errorf("scanned %d keys, want the kiosk's own 2", count)
		}
		return tx.Put([]byte("count"), fmt.Append(nil, count))
	})
	if st := e.Stats(); err != nil || runs != 2 || st.Rereads != 1 || st.Conflicts != 0 {
		t.Fatalf("scan behind own writes: %v, runs=%d stats %+v; want 2 runs, 1 reread", err, runs, st)
	}

	// A key of its own under a lease may have gone with the lease.
	l, err := e.Grant(bg, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Update(bg, func(tx kv.Tx) error { return tx.(kv.LeaseTx).PutLeased([]byte("l"), []byte("on"), l) }); err != nil {
		t.Fatal(err)
	}
	put(t, e, "z", "1") // so that a read 2 behind misses "l"
	runs = 0
	err = e.Update(bg, func(tx kv.Tx) error {
		runs++
		v, err := tx.Get([]byte("l"))
		if err == nil && string(v) != "on" {
			err = fmt.Errorf("l = %q", v)
		}
		return err
	})
	if st := e.Stats(); err != nil || runs != 2 || st.Rereads != 2 {
		t.Fatalf("leased own key behind: %v, runs=%d stats %+v; want 2 runs", err, runs, st)
	}
	// A key of its own that another kiosk wrote since: the commit finds it
	// changed, and the closure runs again on what the cluster holds.
	e.Lag(0)
	f := c.EngineAt(t, p, c.Endpoints())
	put(t, e, "q", "1")
	put(t, f, "q", "5")
	conflicts := e.Stats().Conflicts
	runs = 0
	if err := e.Update(bg, func(tx kv.Tx) error { runs++; return incrementKey(tx, "q") }); err != nil {
		t.Fatal(err)
	}
	if got := get(t, e, "q"); got != "6" || runs != 2 || e.Stats().Conflicts != conflicts+1 {
		t.Fatalf("q = %s after %d runs, %d conflicts; want 6 after 2 runs, one conflict", got, runs, e.Stats().Conflicts-conflicts)
	}
	e.Lag(2)

	// A View reads linearizable: the lag does not touch it.
	if got := get(t, e, "z"); got != "1" {
		t.Fatalf("z = %s in a View", got)
	}

	// Another kiosk's write the member had not applied: an Update that
	// commits nothing is checked against the cluster before its answer
	// counts, and runs again reading linearizable.
	put(t, f, "v", "1")
	if got := get(t, e, "v"); got != "1" { // e has seen it
		t.Fatalf("v = %s", got)
	}
	put(t, f, "v", "2")
	e.Lag(1) // just before f's first write
	var v []byte
	runs = 0
	err = e.Update(bg, func(tx kv.Tx) (err error) { runs++; v, err = tx.Get([]byte("v")); return err })
	if st := e.Stats(); err != nil || string(v) != "2" || runs != 2 || st.Rereads != 3 {
		t.Fatalf("read-only Update behind another kiosk: v=%q %v, runs=%d stats %+v; want v=2 on the second run", v, err, runs, st)
	}
	e.Lag(0)
}

// readsWhatAViewRead: an Update takes a key a View of the same engine
// read lately as the View read it, present or absent, without a request;
// the commit compares it, so a key another kiosk changed since costs one
// conflict and a run that reads it from the cluster, and is not taken from
// memory again. A read-only Update has it checked before its answer
// counts. A key the engine wrote since is read as written.
func readsWhatAViewRead(t *testing.T, c *etcdtest.Cluster) {
	p := c.Prefix()
	e, r := counted(t, c, p)
	f := c.EngineAt(t, p, c.Endpoints())
	put(t, f, "rec", "1")
	if get(t, e, "rec") != "1" || get(t, e, "free") != "<absent>" {
		t.Fatal("the View reads")
	}
	copyRec := func(runs *int) func(tx kv.Tx) error {
		return func(tx kv.Tx) error {
			*runs++
			v, err := tx.Get([]byte("rec"))
			if err != nil {
				return err
			}
			if free, err := tx.Get([]byte("free")); err != nil || free != nil {
				return fmt.Errorf("free = %q, %v", free, err)
			}
			return tx.Put([]byte("copy"), v)
		}
	}
	r.reset()
	runs := 0
	if err := e.Update(bg, copyRec(&runs)); err != nil {
		t.Fatal(err)
	}
	if runs != 1 || r.reads() != 0 || r.commits != 1 {
		t.Fatalf("runs=%d, %d reads, %d commits; want what the View read taken without a request", runs, r.reads(), r.commits)
	}

	// Changed by another kiosk since the View: one conflict, then read.
	put(t, f, "rec", "2")
	if got := get(t, e, "free"); got != "<absent>" {
		t.Fatal(got)
	}
	conflicts := e.Stats().Conflicts
	r.reset()
	runs = 0
	if err := e.Update(bg, copyRec(&runs)); err != nil {
		t.Fatal(err)
	}
	if got := get(t, f, "copy"); got != "2" || runs != 2 || e.Stats().Conflicts != conflicts+1 {
		t.Fatalf("copy = %s after %d runs, %d conflicts; want 2 after 2 runs, one conflict", got, runs, e.Stats().Conflicts-conflicts)
	}
	if got := r.keysRead(); got["rec"] != 1 {
		t.Fatalf("keys read %v; want rec read once, after the conflict", got)
	}
	r.reset()
	if err := e.Update(bg, func(tx kv.Tx) error { return incrementKey(tx, "rec") }); err != nil {
		t.Fatal(err)
	}
	if got := r.keysRead(); got["rec"] != 1 {
		t.Fatalf("keys read %v; a key found changed is taken from memory again", got)
	}

	// A read-only Update on a value changed since the View: checked, and
	// run again on what the cluster holds.
	if got := get(t, e, "ro"); got != "<absent>" {
		t.Fatal(got)
	}
	put(t, f, "ro", "x")
	var v []byte
	runs = 0
	err := e.Update(bg, func(tx kv.Tx) (err error) { runs++; v, err = tx.Get([]byte("ro")); return err })
	if err != nil || string(v) != "x" || runs != 2 {
		t.Fatalf("read-only Update: ro=%q %v after %d runs; want x on the second run", v, err, runs)
	}

	// Written by this engine after the View: read as written.
	if got := get(t, e, "mine"); got != "<absent>" {
		t.Fatal(got)
	}
	put(t, e, "mine", "7")
	r.reset()
	if err := e.Update(bg, func(tx kv.Tx) error {
		v, err := tx.Get([]byte("mine"))
		if err == nil && string(v) != "7" {
			err = fmt.Errorf("mine = %q, want the engine's own write", v)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// markerLeases: the markers and tombstones of many commits are spread
// over leases of at most LeaseKeys keys each, so that the end of one
// deletes few keys at once.
func markerLeases(t *testing.T, c *etcdtest.Cluster) {
	p := c.Prefix()
	e := c.EngineAt(t, p, c.Endpoints())
	const commits = etcdkv.LeaseKeys + 60
	for i := range commits {
		err := e.Update(bg, func(tx kv.Tx) error {
			return errors.Join(tx.Put(fmt.Append(nil, "k", i), []byte("v")), tx.Delete(fmt.Append(nil, "gone", i)))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	resp, err := e.Client().Get(bg, p+"x/", clientv3.WithPrefix())
	if err != nil {
		t.Fatal(err)
	}
	tombs, err := e.Client().Get(bg, p+"t/", clientv3.WithPrefix())
	if err != nil {
		t.Fatal(err)
	}
	per := map[int64]int{}
	for _, kv := range append(resp.Kvs, tombs.Kvs...) {
		if kv.Lease == 0 {
			t.Fatalf("%s is under no lease", kv.Key)
		}
		per[kv.Lease]++
	}
	if len(resp.Kvs) != commits || len(tombs.Kvs) != commits {
		t.Fatalf("%d markers, %d tombstones after %d commits", len(resp.Kvs), len(tombs.Kvs), commits)
	}
	if len(per) < 3 {
		t.Errorf("%d keys under %d leases; want at least 3 of at most %d keys", 2*commits, len(per), etcdkv.LeaseKeys)
	}
	for id, n := range per {
		if n > etcdkv.LeaseKeys {
			t.Errorf("lease %x holds %d keys, the bound is %d", id, n, etcdkv.LeaseKeys)
		}
	}
}

// partition: a kiosk cut off from every member gets kv.ErrUnavailable
// from a read and from a write in good time, writes nothing, answers Ping
// again once the network heals, and commits again.
func partition(t *testing.T, c *etcdtest.Cluster) {
	var proxies []*etcdtest.Proxy
	var eps []string
	for _, m := range c.Members() {
		p := etcdtest.NewProxy(t, m.ClientURL)
		proxies = append(proxies, p)
		eps = append(eps, p.URL)
	}
	e := c.EngineAt(t, c.Prefix(), eps)
	put(t, e, "a", "1")
	for _, p := range proxies {
		p.Cut()
	}
	ctx, cancel := context.WithTimeout(bg, 30*time.Second)
	defer cancel()
	start := time.Now()
	err := e.Update(ctx, func(tx kv.Tx) error {
		if _, err := tx.Get([]byte("a")); err != nil {
			return err
		}
		return tx.Put([]byte("b"), []byte("half"))
	})
	if !errors.Is(err, kv.ErrUnavailable) {
		t.Fatalf("Update while cut off: %v, want kv.ErrUnavailable", err)
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Fatalf("Update while cut off took %s", took)
	}
	if err := e.Ping(bg); !errors.Is(err, kv.ErrUnavailable) {
		t.Fatalf("Ping while cut off: %v", err)
	}
	for _, p := range proxies {
		p.Heal()
	}
	etcdtest.Ping(t, e, 20*time.Second)
	if got := get(t, e, "b"); got != "<absent>" {
		t.Fatalf("b = %s: the refused write was applied", got)
	}
	put(t, e, "b", "whole")
	if got := get(t, e, "b"); got != "whole" {
		t.Fatalf("b = %s after healing", got)
	}
}
