package etcdkv_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	clientv3 "go.etcd.io/etcd/client/v3"

	"kiosk/storage/kv"
	"kiosk/storage/kv/etcdkv"
	"kiosk/storage/kv/etcdkv/etcdtest"
)

// TestCreateAndGetMany: the engine's native kv.Create (no read, a create
// compare at commit) and kv.GetMany (one round trip), on their own cluster.
func TestCreateAndGetMany(t *testing.T) {
	c := etcdtest.Start(t, 3)
	t.Run("CreateReadsNothing", func(t *testing.T) { createReadsNothing(t, c) })
	t.Run("CreateLosesToACreation", func(t *testing.T) { createLosesToACreation(t, c) })
	t.Run("CreateBlindAgainAfterOtherConflict", func(t *testing.T) { createBlindAgain(t, c) })
	t.Run("GetManyOneRoundTrip", func(t *testing.T) { getManyOneRoundTrip(t, c) })
	t.Run("GetManyReadsConflict", func(t *testing.T) { getManyReadsConflict(t, c) })
}

// requests counts what an engine asks the cluster: Gets, read-only Txns
// (GetMany) and the keys they read, commits.
type requests struct {
	mu      sync.Mutex
	gets    []string // keys read with Get
	batches [][]string
	commits int
}

func (r *requests) reads() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.gets) + len(r.batches)
}

func (r *requests) keysRead() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := map[string]int{}
	for _, k := range r.gets {
		m[k]++
	}
	for _, b := range r.batches {
		for _, k := range b {
			m[k]++
		}
	}
	return m
}

func (r *requests) reset() {
	r.mu.Lock()
	r.gets, r.batches, r.commits = nil, nil, 0
	r.mu.Unlock()
}

// counted returns an engine on prefix whose requests r counts (keys
// without the engine's prefix and data segment).
func counted(t *testing.T, c *etcdtest.Cluster, prefix string) (*etcdkv.Engine, *requests) {
	e := c.EngineAt(t, prefix, c.Endpoints())
	r := &requests{}
	e.Client().KV = countingKV{KV: e.Client().KV, r: r, strip: prefix + "d/"}
	return e, r
}

type countingKV struct {
	clientv3.KV
	r     *requests
	strip string
}

func (k countingKV) Get(ctx context.Context, key string, opts ...clientv3.OpOption) (*clientv3.GetResponse, error) {
	k.r.mu.Lock()
	k.r.gets = append(k.r.gets, key[min(len(k.strip), len(key)):])
	k.r.mu.Unlock()
	return k.KV.Get(ctx, key, opts...)
}

func (k countingKV) Txn(ctx context.Context) clientv3.Txn {
	return &countingTxn{Txn: k.KV.Txn(ctx), k: k}
}

type countingTxn struct {
	clientv3.Txn
	k       countingKV
	guarded bool
	keys    []string
}

func (t *countingTxn) If(cs ...clientv3.Cmp) clientv3.Txn {
	t.guarded = t.guarded || len(cs) > 0
	t.Txn = t.Txn.If(cs...)
	return t
}

func (t *countingTxn) Then(ops ...clientv3.Op) clientv3.Txn {
	for _, op := range ops {
		if op.IsGet() {
			k := string(op.KeyBytes())
			t.keys = append(t.keys, k[min(len(t.k.strip), len(k)):])
		}
	}
	t.Txn = t.Txn.Then(ops...)
	return t
}

func (t *countingTxn) Else(ops ...clientv3.Op) clientv3.Txn {
	t.Txn = t.Txn.Else(ops...)
	return t
}

func (t *countingTxn) Commit() (*clientv3.TxnResponse, error) {
	t.k.r.mu.Lock()
	if t.guarded {
		t.k.r.commits++
	} else {
		t.k.r.batches = append(t.k.r.batches, t.keys)
	}
	t.k.r.mu.Unlock()
	return t.Txn.Commit()
}

// createReadsNothing: an Update that only creates keys makes one request,
// its commit.
func createReadsNothing(t *testing.T, c *etcdtest.Cluster) {
	e, r := counted(t, c, c.Prefix())
	put(t, e, "warm", "up") // the marker lease
	r.reset()
	err := e.Update(bg, func(tx kv.Tx) error {
		for _, k := range []string{"new/1", "new/2", "new/3"} {
			if err := kv.Create(tx, []byte(k), []byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.reads() != 0 || r.commits != 1 {
		t.Fatalf("%d reads and %d commits for three creates; want none and one", r.reads(), r.commits)
	}
	if got := get(t, e, "new/2"); got != "new/2" {
		t.Fatalf("new/2 = %s", got)
	}
}

// createLosesToACreation: another kiosk creates the key between the run
// and its commit. The commit fails, the closure runs again, reads that key
// (and only that one) and gets kv.ErrExists; nothing of the first run is
// written.
func createLosesToACreation(t *testing.T, c *etcdtest.Cluster) {
	p := c.Prefix()
	a, r := counted(t, c, p)
	b := c.EngineAt(t, p, c.Endpoints())
	put(t, a, "warm", "up")
	r.reset()
	runs := 0
	err := a.Update(bg, func(tx kv.Tx) error {
		runs++
		if runs == 1 {
			put(t, b, "k/taken", "theirs")
		}
		return errors.Join(kv.Create(tx, []byte("k/free"), []byte("ours")), kv.Create(tx, []byte("k/taken"), []byte("ours")))
	})
	if !errors.Is(err, kv.ErrExists) || runs != 2 {
		t.Fatalf("Update after %d runs: %v; want ErrExists on the second run", runs, err)
	}
	if got := r.keysRead(); len(got) != 1 || got["k/taken"] != 1 {
		t.Fatalf("keys read: %v; want k/taken once", got)
	}
	if got := get(t, a, "k/taken"); got != "theirs" {
		t.Fatalf("k/taken = %s", got)
	}
	if got := get(t, a, "k/free"); got != "<absent>" {
		t.Fatalf("k/free = %s, written by a refused Update", got)
	}
}

// createBlindAgain: a commit that fails on a key read, not on a create,
// runs the closure again without reading the created key.
func createBlindAgain(t *testing.T, c *etcdtest.Cluster) {
	p := c.Prefix()
	a, r := counted(t, c, p)
	b := c.EngineAt(t, p, c.Endpoints())
	put(t, a, "n", "0")
	r.reset()
	runs := 0
	err := a.Update(bg, func(tx kv.Tx) error {
		runs++
		if err := increment(tx); err != nil {
			return err
		}
		if runs == 1 {
			if err := b.Update(bg, increment); err != nil {
				return err
			}
		}
		return kv.Create(tx, []byte("blind/1"), fmt.Append(nil, runs))
	})
	if err != nil || runs != 2 {
		t.Fatalf("Update after %d runs: %v; want success on the second", runs, err)
	}
	// The first run takes n as the kiosk itself last wrote it (no
	// request), the second reads it.
	if got := r.keysRead(); got["blind/1"] != 0 || got["n"] != 1 {
		t.Fatalf("keys read: %v; want n once and blind/1 never", got)
	}
	if got := get(t, a, "blind/1"); got != "2" || get(t, a, "n") != "2" {
		t.Fatalf("blind/1 = %s, n = %s; want 2 and 2", got, get(t, a, "n"))
	}
}

// getManyOneRoundTrip: GetMany reads what the transaction does not know
// yet in one request, and the Gets after it make none.
func getManyOneRoundTrip(t *testing.T, c *etcdtest.Cluster) {
	e, r := counted(t, c, c.Prefix())
	put(t, e, "g/a", "1")
	put(t, e, "g/b", "2")
	r.reset()
	err := e.View(bg, func(tx kv.Tx) error {
		if _, err := tx.Get([]byte("g/a")); err != nil {
			return err
		}
		if _, err := kv.GetMany(tx, []byte("g/a"), []byte("g/b"), []byte("g/c"), []byte("g/b")); err != nil {
			return err
		}
		for _, k := range []string{"g/a", "g/b", "g/c"} {
			if _, err := tx.Get([]byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.gets) != 1 || len(r.batches) != 1 || fmt.Sprint(r.batches[0]) != "[g/b g/c]" {
		t.Fatalf("gets %v, batches %v; want g/a, then g/b and g/c in one", r.gets, r.batches)
	}
}

// getManyReadsConflict: keys read with GetMany are compared at commit like
// keys read with Get: a change, or a creation of one that was absent, by
// another kiosk re-runs the closure.
func getManyReadsConflict(t *testing.T, c *etcdtest.Cluster) {
	p := c.Prefix()
	a, b := c.EngineAt(t, p, c.Endpoints()), c.EngineAt(t, p, c.Endpoints())
	put(t, a, "x/1", "1")
	for _, meddle := range []string{"x/1", "x/absent"} {
		runs := 0
		err := a.Update(bg, func(tx kv.Tx) error {
			runs++
			vals, err := kv.GetMany(tx, []byte("x/1"), []byte("x/absent"))
			if err != nil {
				return err
			}
			if runs == 1 {
				put(t, b, meddle, "theirs")
			}
			return tx.Put([]byte("x/seen"), fmt.Appendf(nil, "%s|%s", vals[0], vals[1]))
		})
		if err != nil || runs != 2 {
			t.Fatalf("%s changed: Update after %d runs: %v; want 2 runs", meddle, runs, err)
		}
	}
	if got := get(t, a, "x/seen"); got != "theirs|theirs" {
		t.Fatalf("x/seen = %s", got)
	}
}
