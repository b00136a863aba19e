package etcdkv

import (
	"sync"
	"time"
)

// ownWrites remembers what this engine committed lately, so that an
// Update whose serializable read came from a member a little behind can
// still read the kiosk's own writes: each key the member answered from
// before this engine's last write to it is taken from here instead (the
// value the commit wrote, at the commit's revision, which the next commit
// then compares as it compares any read). Without it, such a read would
// have to be made again, linearizable: on a kiosk that commits one
// registration after another, every few reads.
//
// Only the last ownKeep are kept, at most ownMax writes and ownBytes of
// values: every own write after revision from is here, so an answer from
// before from is made again. A value above ownValue (an appeal's chunk)
// is not kept, only that it was written: it is read from the cluster.
type ownWrites struct {
	mu    sync.Mutex
	keys  map[string]ownWrite
	log   []ownMark // the writes in commit order, for pruning
	head  int       // log[:head] is pruned
	from  int64
	bytes int // of the values in keys
}

type ownWrite struct {
	value   []byte
	deleted bool
	// leased: a key put under a lease may have gone with its lease, so
	// what this engine wrote says nothing certain about it. big: the
	// value is above ownValue, not kept.
	leased, big bool
	rev         int64
}

// unknown reports whether w does not say what its key holds.
func (w ownWrite) unknown() bool { return w.leased || w.big }

type ownMark struct {
	key string
	rev int64
	at  time.Time
}

const (
	ownKeep  = 5 * time.Second
	ownMax   = 4096
	ownBytes = 4 << 20
	ownValue = 16 << 10
)

// record notes t's writes, committed at rev.
func (o *ownWrites) record(t *tx, rev int64) {
	now := time.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.keys == nil {
		o.keys = make(map[string]ownWrite)
	}
	for k, w := range t.writes {
		nw := ownWrite{value: w.value, deleted: w.deleted, leased: w.lease != 0, rev: rev}
		if len(w.value) > ownValue {
			nw.value, nw.big = nil, true
		}
		o.bytes += len(nw.value) - len(o.keys[k].value)
		o.keys[k] = nw
		o.log = append(o.log, ownMark{key: k, rev: rev, at: now})
	}
	for o.head < len(o.log) && (len(o.log)-o.head > ownMax || o.bytes > ownBytes || now.Sub(o.log[o.head].at) > ownKeep) {
		m := o.log[o.head]
		if w := o.keys[m.key]; w.rev == m.rev {
			o.bytes -= len(w.value)
			delete(o.keys, m.key)
		}
		o.from = max(o.from, m.rev)
		o.log[o.head] = ownMark{}
		o.head++
	}
	if o.head > len(o.log)/2 {
		o.log = append(o.log[:0], o.log[o.head:]...)
		o.head = 0
	}
}

// forget gives up what is known of the writes up to rev: an answer from
// before rev is read again.
func (o *ownWrites) forget(rev int64) {
	o.mu.Lock()
	o.from = max(o.from, rev)
	o.mu.Unlock()
}

// last returns this engine's last write to k, if it is remembered, known
// to be the last (after from: a commit found applied only by its fence,
// at a revision not known, may have written k later) and says what k
// holds (not under a lease).
func (o *ownWrites) last(k string) (ownWrite, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	w, ok := o.keys[k]
	return w, ok && !w.unknown() && w.rev > o.from
}

// drop forgets keys: another kiosk may have written them since.
func (o *ownWrites) drop(keys []string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, k := range keys {
		if w, ok := o.keys[k]; ok {
			o.bytes -= len(w.value)
			delete(o.keys, k)
			o.from = max(o.from, w.rev)
		}
	}
}

// covers reports whether every own write after rev is known here.
func (o *ownWrites) covers(rev int64) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return rev >= o.from
}

// after reports whether this engine wrote k after rev; ok is false when
// that is not known.
func (o *ownWrites) after(k string, rev int64) (newer, ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if rev < o.from {
		return false, false
	}
	w, found := o.keys[k]
	return found && w.rev > rev, true
}

// anyIn reports whether this engine wrote a key in [start, end) (end ""
// = unbounded) after rev, or cannot tell.
func (o *ownWrites) anyIn(start, end string, rev int64) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if rev < o.from {
		return true
	}
	for k, w := range o.keys {
		if w.rev > rev && k >= start && (end == "" || k < end) {
			return true
		}
	}
	return false
}
