package memkv

import "kiosk/storage/kv"

var (
	_ kv.Creator = (*tx)(nil)
	_ kv.Batcher = (*tx)(nil)
)

// Create implements kv.Creator. memkv reads under its lock, so it answers
// at once, with a Get and a Put (kv.CreateByGet): the Get puts the key in
// the run's read set, so that a competitor of Interleave that creates (or
// touches) it meanwhile re-runs the closure, and in the run's cost
// (limit.go), one compare, as the create compare on etcd.
func (t *tx) Create(key, value []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	return kv.CreateByGet(t, key, value)
}

// GetMany implements kv.Batcher with Gets: the keys enter the read set and
// the cost as Get's do.
func (t *tx) GetMany(keys [][]byte) ([][]byte, error) {
	if t.done {
		return nil, kv.ErrTxDone
	}
	return kv.GetEach(t, keys)
}
