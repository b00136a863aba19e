package etcdkv

import (
	"fmt"
	"testing"
	"time"
)

// TestOwnWrites: the last write to each key is answered after an older
// revision; what was pruned (beyond ownMax writes) makes older answers
// unknown, never wrong.
func TestOwnWrites(t *testing.T) {
	var o ownWrites
	commit := func(rev int64, kvs ...string) {
		tx := &tx{writes: map[string]write{}}
		for i := 0; i < len(kvs); i += 2 {
			tx.writes[kvs[i]] = write{value: []byte(kvs[i+1]), deleted: kvs[i+1] == ""}
		}
		o.record(tx, rev)
	}
	commit(10, "a", "1", "b", "1")
	commit(12, "a", "2")
	commit(13, "b", "")
	for _, c := range []struct {
		key          string
		rev          int64
		newer, known bool
		value        string
		deleted      bool
	}{
		{"a", 9, true, true, "2", false},
		{"a", 11, true, true, "2", false},
		{"a", 12, false, true, "", false},
		{"b", 12, true, true, "", true},
		{"c", 1, false, true, "", false},
	} {
		newer, ok := o.after(c.key, c.rev)
		w := o.keys[c.key]
		if ok != c.known || newer != c.newer || newer && (string(w.value) != c.value || w.deleted != c.deleted) {
			t.Errorf("after(%s, %d) = %+v, newer %v, known %v", c.key, c.rev, w, newer, ok)
		}
	}
	if !o.anyIn("a", "b", 11) || o.anyIn("a", "b", 12) || !o.anyIn("", "", 12) {
		t.Error("anyIn does not see the writes in its range")
	}
	for i := range ownMax {
		commit(int64(100+i), fmt.Sprint("k", i), "v")
	}
	if o.covers(12) || !o.covers(100) {
		t.Errorf("from = %d after pruning beyond %d writes", o.from, ownMax)
	}
	if _, ok := o.after("a", 11); ok {
		t.Error("a pruned write is answered as known")
	}
	if len(o.keys) > ownMax {
		t.Errorf("%d keys kept", len(o.keys))
	}

	// A big value is not kept, only that it was written; values are kept
	// up to ownBytes.
	big := string(make([]byte, ownValue+1))
	commit(100000, "chunk", big)
	if newer, ok := o.after("chunk", 99999); !ok || !newer || !o.keys["chunk"].unknown() || o.keys["chunk"].value != nil {
		t.Errorf("big write: %+v newer %v known %v", o.keys["chunk"], newer, ok)
	}
	if _, ok := o.last("chunk"); ok {
		t.Error("a big write is answered from memory")
	}
	mid := string(make([]byte, ownValue))
	for i := range 2 * ownBytes / ownValue {
		commit(int64(200000+i), fmt.Sprint("m", i), mid)
	}
	if o.bytes > ownBytes || o.bytes < ownBytes-ownValue {
		t.Errorf("%d bytes kept, the bound is %d", o.bytes, ownBytes)
	}
}

// TestViewReads: what Views read is kept up to viewMax keys and viewBytes
// of values, none above ownValue, for viewKeep; dropped keys are gone.
func TestViewReads(t *testing.T) {
	var r viewReads
	r.put("a", 5, []byte("1"))
	r.put("b", 0, nil)
	if v, ok := r.get("a"); !ok || v.rev != 5 || string(v.value) != "1" {
		t.Errorf("a = %+v, %v", v, ok)
	}
	if v, ok := r.get("b"); !ok || v.rev != 0 || v.value != nil {
		t.Errorf("absent b = %+v, %v", v, ok)
	}
	r.put("a", 6, []byte("2"))
	if v, _ := r.get("a"); v.rev != 6 || r.bytes != 1 {
		t.Errorf("a read again = %+v, %d bytes", v, r.bytes)
	}
	r.drop([]string{"a", "none"})
	if _, ok := r.get("a"); ok || r.bytes != 0 {
		t.Errorf("dropped a is answered (%d bytes)", r.bytes)
	}
	r.put("big", 7, make([]byte, ownValue+1))
	if _, ok := r.get("big"); ok {
		t.Error("a value above ownValue is kept")
	}
	for i := range 2 * viewMax {
		r.put(fmt.Sprint("k", i), int64(i+1), []byte("v"))
	}
	if len(r.keys) > viewMax || len(r.log)-r.head > 2*viewMax {
		t.Errorf("%d keys, %d marks kept; the bound is %d", len(r.keys), len(r.log)-r.head, viewMax)
	}
	if _, ok := r.get(fmt.Sprint("k", 2*viewMax-1)); !ok {
		t.Error("the last read is not kept")
	}
	if _, ok := r.get("k0"); ok {
		t.Error("the oldest read is kept beyond viewMax")
	}
	mid := make([]byte, ownValue)
	for i := range 2 * viewBytes / ownValue {
		r.put(fmt.Sprint("m", i), 1, mid)
	}
	if r.bytes > viewBytes || r.bytes < viewBytes-ownValue {
		t.Errorf("%d bytes kept, the bound is %d", r.bytes, viewBytes)
	}
	// Older than viewKeep: not answered, and pruned by the next read.
	k := fmt.Sprint("m", 2*viewBytes/ownValue-1)
	v := r.keys[k]
	v.at = v.at.Add(-viewKeep - time.Second)
	r.keys[k] = v
	if _, ok := r.get(k); ok {
		t.Error("a read older than viewKeep is answered")
	}
	for i := range r.log[r.head:] {
		r.log[r.head+i].at = r.log[r.head+i].at.Add(-viewKeep - time.Second)
	}
	r.put("new", 1, []byte("x"))
	if len(r.keys) != 1 || r.bytes != 1 {
		t.Errorf("%d keys, %d bytes after every other read aged out", len(r.keys), r.bytes)
	}
}

// TestViewReadsOneKeyAgain: a key read again and again keeps its marks
// bounded.
func TestViewReadsOneKeyAgain(t *testing.T) {
	var r viewReads
	for i := range 10 * viewMax {
		r.put("k", int64(i+1), []byte("v"))
	}
	if n := len(r.log) - r.head; n > 2*viewMax || cap(r.log) > 8*viewMax {
		t.Errorf("%d marks kept (capacity %d) for one key", n, cap(r.log))
	}
	if v, ok := r.get("k"); !ok || v.rev != 10*viewMax {
		t.Errorf("k = %+v, %v", v, ok)
	}
}
