package storage_test

import (
	"context"
	"testing"
	"time"

	"kiosk/model/fleet"
	"kiosk/storage"
	"kiosk/storage/kv/etcdkv/etcdtest"
)

// TestFleetOnEtcd: three kiosks, each with its own client, on a 3-member
// cluster. All online; one process dies (its client closes, nobody renews
// its lease): the cluster deletes its mark within the lease's TTL and the
// others list it offline with its last heartbeat; one stops cleanly and is
// offline at once.
func TestFleetOnEtcd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a 3-member etcd cluster")
	}
	c := etcdtest.Start(t, 3)
	prefix, keys := c.Prefix(), storage.NewKeysForTest()
	ctx, now := context.Background(), time.Now()
	stores, fleets := map[string]*storage.Store{}, map[string]*storage.Fleet{}
	for _, id := range []string{"CC-01", "CC-02", "CC-03"} {
		st, err := storage.Open(c.EngineAt(t, prefix, c.Endpoints()), keys)
		if err != nil {
			t.Fatal(err)
		}
		stores[id], fleets[id] = st, st.Fleet(2*time.Second)
		if err := fleets[id].Beat(ctx, fleetRecord(id, "长春市政务服务中心", now)); err != nil {
			t.Fatal(id, err)
		}
	}
	list := func() map[string]fleet.Kiosk { return byKiosk(t, fleets["CC-01"], time.Now()) }
	for id, k := range list() {
		if !k.Online {
			t.Fatalf("%s offline: %+v", id, k)
		}
	}
	died := time.Now()
	_ = stores["CC-02"].Close() // the process is gone: nobody renews its lease
	for list()["CC-02"].Online {
		if time.Since(died) > 15*time.Second {
			t.Fatal("CC-02 still online 15 s after it died")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if k := list()["CC-02"]; k.Stopped || !k.LastSeen.Equal(now) {
		t.Fatalf("CC-02 after its death: %+v", k)
	}
	t.Logf("CC-02 offline %v after it died (lease TTL 2 s)", time.Since(died).Round(100*time.Millisecond))
	if err := fleets["CC-03"].Leave(ctx, fleetRecord("CC-03", "长春市政务服务中心", time.Now())); err != nil {
		t.Fatal(err)
	}
	got := list()
	if k := got["CC-03"]; k.Online || !k.Stopped {
		t.Fatalf("CC-03 after Leave: %+v", k)
	}
	if !got["CC-01"].Online {
		t.Fatal("CC-01 went offline with the others")
	}
}
