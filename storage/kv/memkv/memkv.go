// Package memkv is an in-memory kv engine: a second engine that proves the
// conformance suite is engine-neutral, and a fast one for tests. Writers are
// serialised by a lock and buffer their writes in an overlay that is applied
// only on commit, so a failed transaction leaves nothing behind.
package memkv

import (
	"bytes"
	"context"
	"slices"
	"sort"
	"strings"
	"sync"

	"kiosk/storage/kv"
)

// Engine is a kv.Engine held in memory.
type Engine struct {
	mu     sync.RWMutex
	data   map[string][]byte
	keys   []string // sorted keys of data, for scans
	closed bool
}

var _ kv.Engine = (*Engine)(nil)

// New returns an empty engine.
func New() *Engine {
	return &Engine{data: make(map[string][]byte)}
}

// View runs fn under a read lock.
func (e *Engine) View(ctx context.Context, fn func(kv.Tx) error) error {
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
// returns nil. A panic in fn releases the lock and discards the writes.
func (e *Engine) Update(ctx context.Context, fn func(kv.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return kv.ErrClosed
	}
	t := &tx{e: e, writes: make(map[string]write)}
	defer func() { t.done = true }()
	if err := fn(t); err != nil {
		return err
	}
	e.commit(t.writes)
	return nil
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
// in, rather than re-sorting everything.
func (e *Engine) commit(writes map[string]write) {
	var added []string
	removed := make(map[string]bool)
	for k, w := range writes {
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
}

type tx struct {
	e      *Engine
	writes map[string]write // nil in read-only transactions
	done   bool
}

func (t *tx) Get(key []byte) ([]byte, error) {
	if t.done {
		return nil, kv.ErrTxDone
	}
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
	for _, k := range keys {
		v, ok := t.lookup(k)
		if !ok {
			continue
		}
		more, err := fn([]byte(k), kv.Clone(v))
		if err != nil || !more {
			return err
		}
	}
	return nil
}
