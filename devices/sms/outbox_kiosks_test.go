package sms_test

import (
	"sync"
	"testing"

	"kiosk/devices/sms/outboxtest"
	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
)

// The outbox shared by several kiosks (issue 13), on memkv as it is and in
// its conflict modes: a competing commit before each transaction's own
// (Touch), and every closure run twice. etcd runs the same suite.
func TestOutboxKiosks(t *testing.T) {
	modes := []struct {
		name  string
		opts  []memkv.Option
		check func(memkv.Stats) bool // the mode was exercised
	}{
		{"memkv", nil, func(memkv.Stats) bool { return true }},
		{"memkv interleaved", []memkv.Option{memkv.Interleave(memkv.Touch)}, func(s memkv.Stats) bool { return s.Conflicts > 0 }},
		{"memkv run twice", []memkv.Option{memkv.RunTwice()}, func(s memkv.Stats) bool { return s.Discarded > 0 }},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			var (
				mu      sync.Mutex
				engines []*memkv.Engine
			)
			outboxtest.Run(t, func(t *testing.T) kv.Engine {
				e := memkv.New(m.opts...)
				t.Cleanup(func() { e.Close() })
				mu.Lock()
				engines = append(engines, e)
				mu.Unlock()
				return e
			})
			for _, e := range engines {
				if s := e.Stats(); !m.check(s) {
					t.Errorf("the conflict mode was not exercised: %+v", s)
				}
			}
		})
	}
}
