package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kiosk/model"
	"kiosk/model/fleet"
	"kiosk/model/pwhash"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

// TestFleetCommand: `kiosk fleet` lists the kiosks a store knows (bbolt:
// no leases, so the heartbeat's age decides), online, offline and stopped,
// with the failed devices named and every stored string inert; --json
// gives the same as JSON.
func TestFleetCommand(t *testing.T) {
	dir := t.TempDir()
	cfgPath := demoConfig(t, dir)
	cfg, err := LoadConfig(cfgPath, true)
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, now := context.Background(), time.Now()
	fl := st.Fleet(0)
	rec := func(id, hall string, seen time.Time, devs ...fleet.Device) fleet.Record {
		return fleet.Record{Kiosk: id, Hall: hall, Version: "1.4.0", Devices: devs, StartedAt: seen.Add(-time.Hour),
			LastActivity: seen.Add(-2 * time.Minute).Truncate(time.Minute), LastSeen: seen, Every: fleet.DefaultEvery}
	}
	ok := fleet.Device{Role: fleet.Camera, Adapter: "v4l2:/dev/video0", OK: true}
	bad := fleet.Device{Role: fleet.SMS, Adapter: "GSM modem on /dev/ttyUSB0", Problem: "modem: no answer\x1b[2J"}
	for _, r := range []fleet.Record{
		rec("CC-01", "长春市政务服务中心", now, ok),
		rec("CC-02", "长春市政务服务中心\x1b]0;pwned\x07", now.Add(-5*time.Minute), ok, bad),
	} {
		if err := fl.Beat(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := fl.Leave(ctx, rec("JL-01", "吉林市政务服务中心", now.Add(-time.Minute))); err != nil {
		t.Fatal(err)
	}
	st.Close()

	kiosk := func(args ...string) (int, string, string) {
		var out, errb strings.Builder
		code := run(append([]string{"-config", cfgPath, "fleet"}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}
	code, out, errs := kiosk()
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "kiosk ") || !strings.Contains(lines[0], "last seen") {
		t.Fatalf("output:\n%s", out)
	}
	// By hall (吉林 sorts before 长春 in code order), then id.
	for i, want := range [][]string{
		{"JL-01", "吉林市政务服务中心", "stopped", "unchecked"},
		{"CC-01", "长春市政务服务中心", "online", "1.4.0", " ok ", now.Local().Format("2006-01-02 15:04:05")},
		{"CC-02", "offline", "sms FAIL", now.Add(-5 * time.Minute).Local().Format("2006-01-02 15:04:05")},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i+1], w) {
				t.Errorf("line %d lacks %q: %q", i+1, w, lines[i+1])
			}
		}
	}
	if !strings.Contains(lines[4], "CC-02 sms (GSM modem on /dev/ttyUSB0): modem: no answer") ||
		!strings.HasPrefix(lines[5], "3 kiosk(s): 1 online, 2 offline") {
		t.Errorf("output:\n%s", out)
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("an escape sequence reached the terminal: %q", out)
	}
	// The columns line up, the Chinese halls counted two cells a character.
	i, j := strings.Index(lines[1], "stopped"), strings.Index(lines[2], "online")
	if i < 0 || j < 0 || ansi.StringWidth(lines[1][:i]) != ansi.StringWidth(lines[2][:j]) {
		t.Errorf("columns: %q %q", lines[1], lines[2])
	}

	code, out, errs = kiosk("--json")
	if code != 0 {
		t.Fatalf("--json: exit %d\n%s%s", code, out, errs)
	}
	var got []struct {
		Kiosk    string     `json:"kiosk"`
		Online   bool       `json:"online"`
		Stopped  bool       `json:"stopped"`
		LastSeen *time.Time `json:"last_seen"`
		Devices  []struct {
			Role    string `json:"role"`
			OK      bool   `json:"ok"`
			Problem string `json:"problem"`
		} `json:"devices"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if len(got) != 3 || got[0].Kiosk != "JL-01" || !got[0].Stopped || got[0].Devices != nil ||
		!got[1].Online || got[2].Online || len(got[2].Devices) != 2 || got[2].Devices[1].OK ||
		got[2].LastSeen == nil || !got[2].LastSeen.Equal(now.Add(-5*time.Minute)) {
		t.Fatalf("--json: %+v", got)
	}
	if code, _, _ = kiosk("list"); code == 0 {
		t.Fatal("kiosk fleet list was accepted")
	}
}

// TestPresenceWiring: the kiosk's heartbeat as runKiosk starts it, on a
// store with leases: online at once, with the demo hall, the version and
// every device of the demo set (and the USB folder) checked; a key or tap
// reaches the record only with the next heartbeat; stopped on shutdown.
func TestPresenceWiring(t *testing.T) {
	cfg := DefaultConfig()
	cfg.KioskID, cfg.Audio.Adapter, cfg.USB.Mount = "TEST-07", "silent", t.TempDir()
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	devs, err := buildDevices(cfg, st, pwhash.New(pwhash.Fast), log, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	defer devs.Close()
	fl := st.Fleet(0)
	hb, stop := startPresence(context.Background(), cfg, fl, devs, model.SystemClock{}, log)
	var k fleet.Kiosk
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		ks, err := fleet.List(context.Background(), fl, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(ks) == 1 && ks[0].Devices != nil {
			k = ks[0]
			break
		}
	}
	if k.Kiosk != "TEST-07" || k.Hall != "DEMO-HALL" || k.Version != version || !k.Online || k.Stopped {
		t.Fatalf("presence %+v", k)
	}
	var roles []string
	for _, d := range k.Devices {
		roles = append(roles, d.Role)
		if !d.OK || d.Adapter == "" || (d.Role != fleet.Audio && d.Role != fleet.USB && !d.Simulated) {
			t.Errorf("device %+v", d)
		}
	}
	if strings.Join(roles, " ") != "camera face sms audio usb" {
		t.Errorf("devices %v", roles)
	}
	hb.Touch(time.Now())
	stop()
	ks, err := fleet.List(context.Background(), fl, time.Now())
	if err != nil || len(ks) != 1 || ks[0].Online || !ks[0].Stopped || ks[0].LastActivity.IsZero() {
		t.Fatalf("after the stop: %+v, %v", ks, err)
	}
	if fl.Lease() != nil {
		t.Fatal("the lease outlived the stop")
	}
}
