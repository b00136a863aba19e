package memkv_test

import (
	"testing"

	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
	"kiosk/storage/storetest"
)

func TestConformance(t *testing.T) {
	storetest.RunKV(t, func(t *testing.T) kv.Engine {
		e := memkv.New()
		t.Cleanup(func() { _ = e.Close() })
		return e
	})
}
