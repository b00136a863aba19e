package storage_test

import (
	"fmt"
	"testing"

	"kiosk/model"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
	"kiosk/storage/storetest"
)

// limited is memkv bounded as etcd is by default: 128 compares and 128
// writes per commit, 1.5 MiB per request.
func limited(opts ...memkv.Option) *memkv.Engine {
	return memkv.New(append(opts, memkv.MaxOps(memkv.EtcdDefaultMaxOps),
		memkv.MaxRequestBytes(memkv.EtcdDefaultMaxRequestBytes))...)
}

// TestConformanceMemLimited runs the suite on memkv bounded as etcd is,
// plain and with a competing write before every commit: every transaction
// the repositories and the model's bulk work make fits one commit.
func TestConformanceMemLimited(t *testing.T) {
	for name, opts := range map[string][]memkv.Option{
		"Plain":      nil,
		"Interleave": {memkv.Interleave(memkv.Touch)},
	} {
		t.Run(name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) model.Store {
				e := limited(opts...)
				s, err := storage.Open(e, storage.NewKeysForTest())
				if err != nil {
					t.Fatal(err)
				}
				if s.MaxOps() != memkv.EtcdDefaultMaxOps {
					t.Fatalf("store's MaxOps %d", s.MaxOps())
				}
				t.Cleanup(func() { _ = s.Close() })
				return s
			})
		})
	}
}

// TestOpenOnLimitedEngine: opening a fresh store, as a production kiosk
// does (RefuseDemo), and opening it again fit one transaction of an engine
// bounded as etcd is, whatever the store holds.
func TestOpenOnLimitedEngine(t *testing.T) {
	e, keys := limited(), storage.NewKeysForTest()
	s, err := storage.Open(e, keys, storage.RefuseDemo())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 { // more agents and admins than one transaction could read
		err := s.Update(t.Context(), func(tx model.Tx) error {
			return tx.Agents().Put(storetest.Agent(fmt.Sprint("a", i), "e1", fmt.Sprintf("1101051949123%05d", i)))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := storage.Open(e, keys, storage.RefuseDemo()); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if p := e.Peak(); p.Compares > 16 || p.Writes > 16 {
		t.Fatalf("largest transaction %+v", p)
	}
}
