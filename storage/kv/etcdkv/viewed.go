package etcdkv

import (
	"sync"
	"time"
)

// viewReads remembers what this engine's Views read lately with Get and
// GetMany, so that an Update of the same key takes it as the View read it,
// without a request. A kiosk acts on what it checked a step before: the
// registration's last step writes the enterprise from the registry record
// that step 2 looked up, a login's Update counts a failure on the account
// its View found. The commit compares such a key by the mod revision the
// View saw, as it compares any read (and an Update that commits nothing
// has it checked, validate): a key changed since costs a conflict and a
// run that reads linearizable, never a wrong write.
//
// A key this engine writes is forgotten here (ownWrites answers it), and
// so is one whose Update conflicted. Only the last viewMax reads of the
// last viewKeep are kept, at most viewBytes of values, none above
// ownValue (and at most twice viewMax marks of reads, a key read again
// leaving its older mark behind).
type viewReads struct {
	mu    sync.Mutex
	keys  map[string]viewRead
	log   []viewMark // the reads in order, for pruning
	head  int        // log[:head] is pruned
	bytes int
	next  uint64 // the next read's seq
}

type viewRead struct {
	value []byte // nil: absent
	rev   int64  // mod revision; 0: absent
	at    time.Time
	seq   uint64 // which mark of log
}

type viewMark struct {
	key string
	seq uint64
	at  time.Time
}

const (
	// viewKeep covers a visit: from a look-up at one step to the Update
	// of the last, a kiosk's idle timeouts allowing.
	viewKeep  = 15 * time.Minute
	viewMax   = 1024
	viewBytes = 4 << 20
)

// put notes that a View read k at mod revision rev (0: absent) with
// value v.
func (r *viewReads) put(k string, rev int64, v []byte) {
	if len(v) > ownValue {
		r.drop([]string{k})
		return
	}
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.keys == nil {
		r.keys = make(map[string]viewRead)
	}
	seq := r.next
	r.next++
	r.bytes += len(v) - len(r.keys[k].value)
	r.keys[k] = viewRead{value: v, rev: rev, at: now, seq: seq}
	r.log = append(r.log, viewMark{key: k, seq: seq, at: now})
	for r.head < len(r.log) && (len(r.keys) > viewMax || len(r.log)-r.head > 2*viewMax ||
		r.bytes > viewBytes || now.Sub(r.log[r.head].at) > viewKeep) {
		m := r.log[r.head]
		if v, ok := r.keys[m.key]; ok && v.seq == m.seq {
			r.bytes -= len(v.value)
			delete(r.keys, m.key)
		}
		r.log[r.head] = viewMark{}
		r.head++
	}
	if r.head > len(r.log)/2 {
		r.log = append(r.log[:0], r.log[r.head:]...)
		r.head = 0
	}
}

// get returns what a View read of k lately, if it is remembered and not
// older than viewKeep.
func (r *viewReads) get(k string) (viewRead, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.keys[k]
	return v, ok && time.Since(v.at) <= viewKeep
}

// drop forgets keys: written by this engine, or changed by another kiosk.
func (r *viewReads) drop(keys []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range keys {
		if v, ok := r.keys[k]; ok {
			r.bytes -= len(v.value)
			delete(r.keys, k)
		}
	}
}
