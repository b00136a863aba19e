// Package memkv is an in-memory kv engine: a second engine that proves the
// conformance suite is engine-neutral, and a fast one for tests. Writers are
// serialised by a lock and buffer their writes in an overlay that is applied
// only on commit, so a failed transaction leaves nothing behind.
//
// # Conflict modes
//
// bbolt runs every closure once; an optimistic engine (etcd, kiosks sharing
// one database) re-runs a closure whose reads another writer changed before
// it committed. Two options make memkv behave like the latter, so that the
// tests of every layer prove their closures safe to re-run (kv.Engine):
//
//   - RunTwice runs every closure twice: the first run of an Update is
//     rolled back (its writes discarded) and the closure runs again, which
//     commits; a View's closure simply runs again. A closure that keeps
//     state across runs (a captured variable it does not reset, a slice it
//     appends to, an effect outside the transaction) shows it.
//   - Interleave runs a competing writer between an Update closure's run
//     and its commit, outside the engine's lock, as another kiosk would.
//     The run then commits only if nothing it read changed meanwhile: the
//     engine tracks the keys each run reads and the ranges it scans, and
//     compares them with the keys written by every commit since the run
//     started, as an optimistic engine compares revisions. On a conflict
//     the run is rolled back and the closure runs again (kv.ErrConflict
//     after maxRetries). Touch is a competitor that forces the conflict
//     without changing any value.
//
// The two combine: the first run is discarded, the second interleaved.
package memkv

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"kiosk/storage/kv"
)

// maxRetries bounds the re-runs of a conflicting Update, as an optimistic
// engine's retry budget does.
const maxRetries = 8

// Engine is a kv.Engine held in memory.
type Engine struct {
	mu     sync.RWMutex
	data   map[string][]byte
	keys   []string // sorted keys of data, for scans
	closed bool

	// Conflict modes (see the package comment); fixed by New.
	runTwice bool
	compete  Competitor

	// competing counts competitors running: Updates meanwhile (theirs)
	// run once and commit at once, so they neither recurse nor re-run.
	competing atomic.Int32
	rev       uint64      // commits so far
	waiting   int         // runs between their end and their validation
	log       []commitRec // what commits wrote while a run was waiting
	stats     Stats

	leases   map[int64]*lease // live leases (lease.go)
	leaseSeq int64

	limit limits // MaxOps, MaxRequestBytes (limit.go)
}

var _ kv.Engine = (*Engine)(nil)

// commitRec is one commit as a waiting run checks it: its revision and
// every key it put or deleted.
type commitRec struct {
	rev  uint64
	keys []string
}

// Option selects a conflict mode.
type Option func(*Engine)

// RunTwice makes every closure run twice; the first run of an Update is
// rolled back.
func RunTwice() Option { return func(e *Engine) { e.runTwice = true } }

// Interleave makes every Update call c once, after the first run of its
// closure that would commit and before that run commits (see the package
// comment). c may run transactions on the engine; they commit at once.
func Interleave(c Competitor) Option { return func(e *Engine) { e.compete = c } }

// Competitor is the other writer of Interleave. It runs outside the
// engine's lock and is told what the waiting run read; an error it returns
// fails the Update.
type Competitor func(e *Engine, read Reads) error

// Reads is what one run of a closure read.
type Reads struct {
	Keys   []string // read with Get, sorted
	Ranges []Range  // walked by Scan or ScanFrom
}

// Range is the part of the keyspace a scan walked: keys >= Start and, when
// End is not "", < End.
type Range struct{ Start, End string }

func (r Range) has(k string) bool { return k >= r.Start && (r.End == "" || k < r.End) }

// Touch is a Competitor that makes every run that read something conflict
// without changing the data: in one transaction it writes back every key
// the run read and the first key of every range it walked, unchanged (an
// absent key is deleted, so it stays absent; memkv counts that as a write,
// as a conservative optimistic engine may).
func Touch(e *Engine, read Reads) error {
	keys := slices.Clone(read.Keys)
	for _, r := range read.Ranges {
		keys = append(keys, r.Start)
	}
	return e.Update(context.Background(), func(tx kv.Tx) error {
		for _, k := range keys {
			if k == "" {
				continue
			}
			v, err := tx.Get([]byte(k))
			if err == nil {
				switch l := e.leaseOf(k); {
				case v == nil:
					err = tx.Delete([]byte(k))
				case l != nil: // stays under its lease, as it was
					err = tx.(kv.LeaseTx).PutLeased([]byte(k), v, l)
				default:
					err = tx.Put([]byte(k), v)
				}
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// Stats counts what the conflict modes did, so a test can check it
// exercised them.
type Stats struct {
	Updates   int // Update calls that ran their closure, the competitors' own aside
	Runs      int // their closure runs
	Discarded int // first runs rolled back by RunTwice
	Conflicts int // runs rolled back because a competing commit changed what they read
}

// New returns an empty engine; with options, one in a conflict mode.
func New(opts ...Option) *Engine {
	e := &Engine{data: make(map[string][]byte)}
	for _, o := range opts {
		o(e)
	}
	return e
}

// Stats reports what the engine's Updates did so far.
func (e *Engine) Stats() Stats {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.stats
}

// View runs fn under a read lock; in RunTwice mode it runs fn again after
// a first run that returned nil.
func (e *Engine) View(ctx context.Context, fn func(kv.Tx) error) error {
	if e.runTwice && e.competing.Load() == 0 {
		if err := e.view(ctx, fn); err != nil {
			return err
		}
	}
	return e.view(ctx, fn)
}

func (e *Engine) view(ctx context.Context, fn func(kv.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return kv.ErrClosed
	}
	t := &tx{e: e}
	defer func() { t.done = true }()
	return fn(t)
}

// Update runs fn under the write lock and applies its writes only when fn
// returns nil. A panic in fn releases the lock and discards the writes. In
// a conflict mode fn may run several times (see the package comment).
func (e *Engine) Update(ctx context.Context, fn func(kv.Tx) error) error {
	twice, compete := e.runTwice, e.compete
	own := e.competing.Load() > 0 // a competitor's own transaction
	if own {
		twice, compete = false, nil
	}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		discard := twice && attempt == 1
		res, err := e.try(fn, discard, compete, !own, attempt == 1)
		if res.interleaved {
			compete = nil // once per Update
		}
		if !res.again {
			return err
		}
		if attempt > maxRetries {
			return kv.ErrConflict
		}
	}
}

type tryResult struct {
	again       bool // the run was rolled back and fn must run again
	interleaved bool // the competitor ran
}

// try runs fn once, then commits its writes, discards them (discard), or
// lets compete commit first and commits only if that left the run's reads
// alone. count says whether Stats counts the run (not a competitor's), first
// whether it is its Update's first.
func (e *Engine) try(fn func(kv.Tx) error, discard bool, compete Competitor, count, first bool) (res tryResult, err error) {
	e.mu.Lock()
	locked := true
	defer func() {
		if locked {
			e.mu.Unlock()
		}
	}()
	if e.closed {
		return res, kv.ErrClosed
	}
	if count {
		if first {
			e.stats.Updates++
		}
		e.stats.Runs++
	}
	t := &tx{e: e, writes: make(map[string]write)}
	if count && e.limit.on() {
		t.counted = &readCount{keys: make(map[string]struct{})}
	}
	if compete != nil && !discard {
		t.reads = make(map[string]struct{})
	}
	err = func() error {
		defer func() { t.done = true }()
		return fn(t)
	}()
	if err != nil {
		return res, err
	}
	if err := e.checkLimit(t); err != nil {
		return res, err
	}
	if discard {
		e.stats.Discarded++
		return tryResult{again: true}, nil
	}
	if t.reads != nil {
		res.interleaved = true
		start := e.rev
		e.waiting++
		e.mu.Unlock()
		locked = false
		var conflict bool
		cerr := func() error {
			defer func() { // also when the competitor panics
				e.mu.Lock()
				locked = true
				e.waiting--
				conflict = e.changedSince(start, t)
				if e.waiting == 0 {
					e.log = nil
				}
			}()
			return e.runCompetitor(compete, t.readSet())
		}()
		switch {
		case cerr != nil:
			return res, fmt.Errorf("memkv: competing writer: %w", cerr)
		case e.closed:
			return res, kv.ErrClosed
		case conflict:
			e.stats.Conflicts++
			res.again = true
			return res, nil
		}
	}
	for _, w := range t.writes {
		if w.lease != nil && e.leases[w.lease.id] == nil {
			return res, kv.ErrLeaseExpired
		}
	}
	e.commit(t.writes)
	return res, nil
}

func (e *Engine) runCompetitor(c Competitor, r Reads) error {
	e.competing.Add(1)
	defer e.competing.Add(-1)
	return c(e, r)
}

// changedSince reports whether a commit after revision start wrote a key
// that t read or one inside a range t scanned.
func (e *Engine) changedSince(start uint64, t *tx) bool {
	for _, c := range e.log {
		if c.rev <= start {
			continue
		}
		for _, k := range c.keys {
			if _, ok := t.reads[k]; ok {
				return true
			}
			for _, r := range t.ranges {
				if r.has(k) {
					return true
				}
			}
		}
	}
	return false
}

// Close drops the data; later transactions return kv.ErrClosed.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closed = true
	e.data, e.keys = nil, nil
	return nil
}

// commit applies the overlay and keeps keys sorted by merging the new keys
// in, rather than re-sorting everything. While a run waits for its
// validation, the written keys are logged for it.
func (e *Engine) commit(writes map[string]write) {
	e.rev++
	if e.waiting > 0 && len(writes) > 0 {
		c := commitRec{rev: e.rev}
		for k := range writes {
			c.keys = append(c.keys, k)
		}
		e.log = append(e.log, c)
	}
	var added []string
	removed := make(map[string]bool)
	for k, w := range writes {
		for _, l := range e.leases { // a later Put or Delete takes the key out of its lease
			delete(l.keys, k)
		}
		if w.lease != nil {
			w.lease.keys[k] = struct{}{}
		}
		_, existed := e.data[k]
		switch {
		case w.deleted && existed:
			delete(e.data, k)
			removed[k] = true
		case !w.deleted:
			if !existed {
				added = append(added, k)
			}
			e.data[k] = w.value
		}
	}
	if len(added) == 0 && len(removed) == 0 {
		return
	}
	sort.Strings(added)
	merged := make([]string, 0, len(e.keys)+len(added))
	i := 0
	for _, k := range e.keys {
		if removed[k] {
			continue
		}
		for i < len(added) && added[i] < k {
			merged = append(merged, added[i])
			i++
		}
		merged = append(merged, k)
	}
	e.keys = append(merged, added[i:]...)
}

type write struct {
	value   []byte
	deleted bool
	lease   *lease // PutLeased
}

type tx struct {
	e      *Engine
	writes map[string]write // nil in read-only transactions
	done   bool
	// What the run read, tracked only when it will be validated
	// (Interleave): reads is nil otherwise.
	reads  map[string]struct{}
	ranges []Range
	// What the run read, for its cost (limit.go); nil without a limit.
	counted *readCount
}

func (t *tx) readSet() Reads {
	r := Reads{Ranges: slices.Clone(t.ranges)}
	for k := range t.reads {
		r.Keys = append(r.Keys, k)
	}
	sort.Strings(r.Keys)
	return r
}

func (t *tx) Get(key []byte) ([]byte, error) {
	if t.done {
		return nil, kv.ErrTxDone
	}
	if t.reads != nil {
		t.reads[string(key)] = struct{}{}
	}
	t.countGet(string(key))
	v, ok := t.lookup(string(key))
	if !ok {
		return nil, nil
	}
	return kv.Clone(v), nil
}

func (t *tx) lookup(k string) ([]byte, bool) {
	if w, ok := t.writes[k]; ok {
		return w.value, !w.deleted
	}
	v, ok := t.e.data[k]
	return v, ok
}

func (t *tx) Put(key, value []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	t.writes[string(key)] = write{value: kv.Clone(value)}
	return nil
}

func (t *tx) Delete(key []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	t.writes[string(key)] = write{deleted: true}
	return nil
}

func (t *tx) checkWrite(key []byte) error {
	switch {
	case t.done:
		return kv.ErrTxDone
	case t.writes == nil:
		return kv.ErrReadOnly
	case len(key) == 0:
		return kv.ErrInvalidKey
	}
	return nil
}

func (t *tx) Scan(prefix []byte, fn func(k, v []byte) (bool, error)) error {
	return t.ScanFrom(prefix, nil, fn)
}

func (t *tx) ScanFrom(prefix, from []byte, fn func(k, v []byte) (bool, error)) error {
	if t.done {
		return kv.ErrTxDone
	}
	t.countScan(prefix)
	start := prefix
	if bytes.Compare(from, prefix) > 0 {
		start = from
	}
	p, s := string(prefix), string(start)
	// Snapshot the matching keys (committed plus this tx's own) first, so
	// the walk is ordered and unaffected by the overlay changing under it.
	var keys []string
	i, _ := slices.BinarySearch(t.e.keys, s)
	for ; i < len(t.e.keys) && strings.HasPrefix(t.e.keys[i], p); i++ {
		keys = append(keys, t.e.keys[i])
	}
	if len(t.writes) > 0 {
		for k := range t.writes {
			if k >= s && strings.HasPrefix(k, p) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		keys = slices.Compact(keys)
	}
	// The walked range ends after the last key fn saw when fn stops the
	// walk, at the end of the prefix otherwise.
	walked := Range{Start: s, End: string(kv.PrefixEnd(prefix))}
	if t.reads != nil {
		defer func() { t.ranges = append(t.ranges, walked) }()
	}
	for _, k := range keys {
		v, ok := t.lookup(k)
		if !ok {
			continue
		}
		more, err := fn([]byte(k), kv.Clone(v))
		if err != nil || !more {
			walked.End = k + "\x00"
			return err
		}
	}
	return nil
}
