package etcdkv

import (
	"fmt"
	"testing"
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
