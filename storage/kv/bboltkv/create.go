package bboltkv

import "kiosk/storage/kv"

var (
	_ kv.Creator = (*tx)(nil)
	_ kv.Batcher = (*tx)(nil)
)

// Create implements kv.Creator: bbolt holds the write lock for the whole
// transaction and reads locally, so a Get and a Put (kv.CreateByGet).
func (t *tx) Create(key, value []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	return kv.CreateByGet(t, key, value)
}

// GetMany implements kv.Batcher with local Gets.
func (t *tx) GetMany(keys [][]byte) ([][]byte, error) {
	if t.done.Load() {
		return nil, kv.ErrTxDone
	}
	return kv.GetEach(t, keys)
}
