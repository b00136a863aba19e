package storage_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"kiosk/model/fleet"
	"kiosk/storage"
	"kiosk/storage/kv"
	"kiosk/storage/kv/bboltkv"
	"kiosk/storage/kv/memkv"
)

var fleetT0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func fleetRecord(kiosk, hall string, at time.Time, devs ...fleet.Device) fleet.Record {
	return fleet.Record{Kiosk: kiosk, Hall: hall, Version: "1.4.0", Devices: devs, StartedAt: at.Add(-time.Hour),
		LastActivity: at.Add(-3 * time.Minute).Truncate(time.Minute), LastSeen: at, Every: fleet.DefaultEvery}
}

// byKiosk lists the fleet at now as a map.
func byKiosk(t *testing.T, l fleet.Lister, now time.Time) map[string]fleet.Kiosk {
	t.Helper()
	ks, err := fleet.List(context.Background(), l, now)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]fleet.Kiosk{}
	for _, k := range ks {
		out[k.Kiosk] = k
	}
	return out
}

// TestFleetLeases: three kiosks on one store with leases (memkv as etcd),
// each with a Fleet of its own as each process has. All three are online;
// one's lease ends as a crashed kiosk's does (Expire): it is listed
// offline with its last heartbeat, and comes back with a fresh lease at
// its next beat; one leaves cleanly (stopped, mark gone at once). Each run
// in every conflict mode of memkv: the writes are safe to re-run.
func TestFleetLeases(t *testing.T) {
	for _, m := range memModes {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			eng := memkv.New(m.opts...)
			st, err := storage.Open(eng, storage.NewKeysForTest())
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			cam := fleet.Device{Role: fleet.Camera, Adapter: "v4l2:/dev/video0", OK: true}
			sms := fleet.Device{Role: fleet.SMS, Adapter: "GSM modem on /dev/ttyUSB0", Problem: "modem: no answer"}
			kiosks := map[string]*storage.Fleet{"CC-01": st.Fleet(0), "CC-02": st.Fleet(0), "JL-01": st.Fleet(0)}
			for id, f := range kiosks {
				hall := "长春市政务服务中心"
				if id == "JL-01" {
					hall = "吉林市政务服务中心"
				}
				if err := f.Beat(ctx, fleetRecord(id, hall, fleetT0, cam, sms)); err != nil {
					t.Fatal(id, err)
				}
			}
			// An hour on, clocks mean nothing: the marks say who is there.
			later := fleetT0.Add(time.Hour)
			got := byKiosk(t, kiosks["CC-01"], later)
			for id := range kiosks {
				if !got[id].Online {
					t.Fatalf("%s offline: %+v", id, got[id])
				}
			}
			if k := got["CC-02"]; k.Hall != "长春市政务服务中心" || len(k.Devices) != 2 || k.Devices[1] != sms ||
				len(k.Failing()) != 1 || !k.LastSeen.Equal(fleetT0) || !k.StartedAt.Equal(fleetT0.Add(-time.Hour)) {
				t.Fatalf("CC-02 read back as %+v", k)
			}
			ks, _ := fleet.List(ctx, kiosks["CC-01"], later)
			var order []string
			for _, k := range ks {
				order = append(order, k.Kiosk)
			}
			if fmt.Sprint(order) != "[JL-01 CC-01 CC-02]" { // by hall (吉林 < 长春 in code order), then id
				t.Fatalf("order: %v", order)
			}

			// CC-02 dies: its lease runs out.
			l := kiosks["CC-02"].Lease()
			if l == nil {
				t.Fatal("CC-02 holds no lease")
			}
			eng.Expire(l)
			got = byKiosk(t, kiosks["CC-01"], fleetT0)
			if k := got["CC-02"]; k.Online || k.Stopped || !k.LastSeen.Equal(fleetT0) {
				t.Fatalf("CC-02 after its lease ended: %+v", k)
			}
			if !got["CC-01"].Online || !got["JL-01"].Online {
				t.Fatal("the others went offline with CC-02")
			}
			// It comes back (the store answered again): a new lease.
			if err := kiosks["CC-02"].Beat(ctx, fleetRecord("CC-02", "长春市政务服务中心", fleetT0.Add(time.Minute))); err != nil {
				t.Fatal(err)
			}
			if kiosks["CC-02"].Lease() == l || !byKiosk(t, kiosks["CC-01"], later)["CC-02"].Online {
				t.Fatal("CC-02 not back online with a new lease")
			}

			// JL-01 stops cleanly.
			rec := fleetRecord("JL-01", "吉林市政务服务中心", fleetT0.Add(2*time.Minute))
			jl := kiosks["JL-01"].Lease()
			if err := kiosks["JL-01"].Leave(ctx, rec); err != nil {
				t.Fatal(err)
			}
			select {
			case <-jl.Done():
			default:
				t.Fatal("JL-01's lease outlived Leave")
			}
			if k := byKiosk(t, kiosks["CC-01"], fleetT0)["JL-01"]; k.Online || !k.Stopped || !k.LastSeen.Equal(rec.LastSeen) {
				t.Fatalf("JL-01 after Leave: %+v", k)
			}
			if kiosks["JL-01"].Lease() != nil {
				t.Fatal("JL-01 still holds a lease")
			}
		})
	}
}

// TestFleetWithoutLeases: on bbolt (one kiosk, no leases) the heartbeat's
// age decides: online within three intervals, then offline with its last
// heartbeat; stopped at once after Leave. The record is sealed.
func TestFleetWithoutLeases(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kiosk.db")
	st, err := openBolt(t, path, storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	f := st.Fleet(0)
	if err := f.Beat(ctx, fleetRecord("DEMO-0001", "演示大厅", fleetT0)); err != nil {
		t.Fatal(err)
	}
	if f.Lease() != nil {
		t.Fatal("a lease on bbolt")
	}
	if k := byKiosk(t, f, fleetT0.Add(30*time.Second))["DEMO-0001"]; !k.Online {
		t.Fatalf("30 s after its heartbeat: %+v", k)
	}
	if k := byKiosk(t, f, fleetT0.Add(31*time.Second))["DEMO-0001"]; k.Online || !k.LastSeen.Equal(fleetT0) {
		t.Fatalf("31 s after its heartbeat: %+v", k)
	}
	if err := f.Leave(ctx, fleetRecord("DEMO-0001", "演示大厅", fleetT0.Add(time.Second))); err != nil {
		t.Fatal(err)
	}
	if k := byKiosk(t, f, fleetT0.Add(time.Second))["DEMO-0001"]; k.Online || !k.Stopped {
		t.Fatalf("after Leave: %+v", k)
	}
	if err := f.Beat(ctx, fleet.Record{}); !errors.Is(err, storage.ErrInvalidRecord) {
		t.Fatalf("a record without a kiosk: %v", err)
	}
	st.Close()
	raw := readRaw(t, path)
	if bytes.Contains(raw, []byte("演示大厅")) || bytes.Contains(raw, []byte("1.4.0")) {
		t.Fatal("the fleet record is stored in clear")
	}
}

// readRaw is the bbolt file's bytes.
func readRaw(t *testing.T, path string) []byte {
	t.Helper()
	e, err := bboltkv.Open(path, bboltkv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	err = e.View(context.Background(), func(tx kv.Tx) error {
		return tx.Scan([]byte("fleet/"), func(k, v []byte) (bool, error) {
			out = append(append(out, k...), v...)
			return true, nil
		})
	})
	_ = e.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("nothing under fleet/")
	}
	return out
}
