package sms_test

import (
	"testing"

	"kiosk/devices/sms/outboxtest"
	"kiosk/storage/kv"
	"kiosk/storage/kv/etcdkv/etcdtest"
)

// TestOutboxKiosksOnCluster: three kiosks' workers on a 3-member etcd
// cluster send every message exactly once, claims held under etcd leases;
// a kiosk whose modem fails leaves its messages to the others.
func TestOutboxKiosksOnCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a 3-member etcd cluster")
	}
	c := etcdtest.Start(t, 3)
	outboxtest.Run(t, func(t *testing.T) kv.Engine { return c.Engine(t) })
}
