package main

import (
	"testing"

	"kiosk/model"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

// storesFor are the stores a test of the wiring runs on: the configured
// one (bbolt in c's data_dir), and memkv bounded as etcd bounds one
// transaction (128 compares, 128 writes, 1.5 MiB), so the kiosk's own bulk
// work (housekeeping, seeding) is shown to fit a shared store.
func storesFor(t *testing.T, c Config) map[string]model.Store {
	t.Helper()
	bolt, err := openStore(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bolt.Close() })
	e := memkv.New(memkv.MaxOps(memkv.EtcdDefaultMaxOps), memkv.MaxRequestBytes(memkv.EtcdDefaultMaxRequestBytes))
	limited, err := storage.Open(e, storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = limited.Close() })
	return map[string]model.Store{"bolt": bolt, "limited": limited}
}
