package memkv

import (
	"fmt"

	"kiosk/storage/kv"
)

// Transaction limits: MaxOps makes memkv refuse, as etcd does, an Update
// whose commit would be too large, so the code that writes in bulk is
// proven to split its work on an engine with a limit (kv.Limiter).
//
// The etcd engine validates at commit every key a run read and every range
// it scanned, and etcd bounds the compares and the write operations of one
// Txn apart (--max-txn-ops: max(compares, writes) ≤ n). One run costs
//
//	compares = 1 + distinct keys read with Get or GetMany, or created with
//	           Create, from the store (not from the run's own earlier Put,
//	           Create or Delete) + 2 × Scan and ScanFrom calls
//	writes   = 1 + distinct keys put or created + 2 × distinct keys deleted
//	           (a key both put and deleted counts once, as its last
//	           operation)
//
// (memkv's Create is a Get and a Put, so it is counted as the read it
// makes; etcd compares a created key's absence instead of reading it, one
// compare all the same.)
//
// and MaxRequestBytes bounds the bytes of the commit: every key compared,
// every key written and every value put.

var _ kv.Limiter = (*Engine)(nil)

// MaxOps makes every Update whose compares or writes (see above) exceed n
// fail with kv.ErrTooLarge, writing nothing; n ≤ 0 is no limit. The engine
// then reports n as its kv.Limiter limit. The competitor of Interleave is
// not limited: it stands for another kiosk, not for the code under test.
func MaxOps(n int) Option { return func(e *Engine) { e.limit.maxOps = max(n, 0) } }

// MaxRequestBytes makes every Update whose commit would carry more than n
// bytes fail with kv.ErrTooLarge (etcd's --max-request-bytes, 1.5 MiB by
// default); n ≤ 0 is no limit.
func MaxRequestBytes(n int) Option { return func(e *Engine) { e.limit.maxBytes = max(n, 0) } }

// EtcdDefaultMaxOps and EtcdDefaultMaxRequestBytes are etcd's defaults.
const (
	EtcdDefaultMaxOps          = 128
	EtcdDefaultMaxRequestBytes = 3 << 19 // 1.5 MiB
)

// MaxOps is the limit set by the MaxOps option, 0 when none (kv.Limiter).
func (e *Engine) MaxOps() int { return e.limit.maxOps }

// Cost is what one run of an Update closure would send at its commit.
type Cost struct {
	Compares int
	Writes   int
	Bytes    int
}

// Peak reports the largest cost of any Update run so far (each field on its
// own), the competitors' aside, counted only when a limit is set.
func (e *Engine) Peak() Cost {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.limit.peak
}

// ResetPeak forgets the costs so far, so that Peak measures what follows.
func (e *Engine) ResetPeak() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.limit.peak = Cost{}
}

// limits is the engine's part: set by the options, peak under e.mu.
type limits struct {
	maxOps, maxBytes int
	peak             Cost
}

func (l *limits) on() bool { return l.maxOps > 0 || l.maxBytes > 0 }

// readCount is a run's part: what it read from the store, for the cost.
type readCount struct {
	keys  map[string]struct{} // read with Get while the run had not written them
	scans int
	bytes int // of the keys in keys
}

// countGet notes a Get of k before the run's own write of k, if any.
func (t *tx) countGet(k string) {
	if t.counted == nil {
		return
	}
	if _, own := t.writes[k]; own {
		return
	}
	if _, seen := t.counted.keys[k]; !seen {
		t.counted.keys[k] = struct{}{}
		t.counted.bytes += len(k)
	}
}

// countScan notes a Scan or ScanFrom of prefix: etcd compares a version key
// per range, and the range's bounds travel with it.
func (t *tx) countScan(prefix []byte) {
	if t.counted != nil {
		t.counted.scans++
		t.counted.bytes += 2 * len(prefix)
	}
}

// cost is what t would send at its commit.
func (t *tx) cost() Cost {
	c := Cost{Compares: 1 + len(t.counted.keys) + 2*t.counted.scans, Writes: 1, Bytes: t.counted.bytes}
	for k, w := range t.writes {
		if w.deleted {
			c.Writes += 2
		} else {
			c.Writes++
		}
		c.Bytes += len(k) + len(w.value)
	}
	return c
}

// checkLimit fails a run that the engine's limits refuse; it is called
// under e.mu once the closure returned nil.
func (e *Engine) checkLimit(t *tx) error {
	if t.counted == nil {
		return nil
	}
	c := t.cost()
	p := &e.limit.peak
	p.Compares, p.Writes, p.Bytes = max(p.Compares, c.Compares), max(p.Writes, c.Writes), max(p.Bytes, c.Bytes)
	if n := e.limit.maxOps; n > 0 && (c.Compares > n || c.Writes > n) {
		return fmt.Errorf("%w: %d compares, %d writes, at most %d each", kv.ErrTooLarge, c.Compares, c.Writes, n)
	}
	if n := e.limit.maxBytes; n > 0 && c.Bytes > n {
		return fmt.Errorf("%w: %d bytes, at most %d", kv.ErrTooLarge, c.Bytes, n)
	}
	return nil
}
