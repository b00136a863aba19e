package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/assets"
	"kiosk/model"
	"kiosk/model/pwhash"
	"kiosk/model/registry"
)

// productionDeviceSection is a production device set that answers nowhere:
// the store check must stop start-up before any device is asked.
const productionDeviceSection = `[camera]
adapter = "v4l2"
device = "/dev/video-missing"
[face]
adapter = "counter"
[sms]
adapter = "modem"
port = "/dev/ttyMISSING0"
[audio]
adapter = "silent"
`

// checkDemoRefusal runs the kiosk in production on dir's data and checks
// that it stops with the operator's sentence.
func checkDemoRefusal(t *testing.T, dir string) {
	t.Helper()
	cfg := productionConfig(t, dir, productionDeviceSection)
	var out, errb strings.Builder
	if code := run([]string{"-config", cfg}, &out, &errb); code != 1 {
		t.Fatalf("production start on a demo store: exit %d, %s", code, errb.String())
	}
	msg := errb.String()
	db := filepath.Join(dir, "data", "kiosk.db")
	for _, want := range []string{db, "holds demo data", "production mode refuses it", "data_dir", "new, empty directory", "delete"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "configured device missing") {
		t.Errorf("devices were checked before the store:\n%s", msg)
	}
	// Every command that opens the store refuses it too.
	out.Reset()
	errb.Reset()
	if code := run([]string{"-config", cfg, "staff", "list"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "holds demo data") {
		t.Fatalf("staff list in production on a demo store: exit %d, %s", code, errb.String())
	}
}

// TestProductionRefusesSeededDemoStore seeds data_dir the way a demo start
// does (openStore + registry.SeedDemo, as runKiosk), then starts production
// on the same data_dir.
func TestProductionRefusesSeededDemoStore(t *testing.T) {
	dir := t.TempDir()
	demo, err := LoadConfig(demoConfig(t, dir), true)
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(demo)
	if err != nil {
		t.Fatal(err)
	}
	err = registry.SeedDemo(context.Background(), st, pwhash.New(pwhash.Fast), model.SystemClock{},
		bytes.NewReader(assets.SampleRegistryCSV), bytes.NewReader(assets.DemoSeedJSON))
	_ = st.Close()
	if err != nil {
		t.Fatal(err)
	}
	checkDemoRefusal(t, dir)
}

// TestProductionAcceptsFreshStore: the same production configuration on a
// fresh data_dir gets past the store to the device check.
func TestProductionAcceptsFreshStore(t *testing.T) {
	dir := t.TempDir()
	cfg := productionConfig(t, dir, productionDeviceSection)
	var out, errb strings.Builder
	if code := run([]string{"-config", cfg}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "configured device missing") ||
		strings.Contains(errb.String(), "demo data") {
		t.Fatalf("production start on a fresh store: exit %d, %s", code, errb.String())
	}
}

// TestMakeRunThenProduction is the journey of issue 9: `make run` (the real
// binary in demo mode, until the home screen is up) and then a switch to
// production on the same data_dir.
func TestMakeRunThenProduction(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short (make test runs it)")
	}
	bin, err := buildKiosk()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd, f, sr := startKiosk(t, bin, demoConfig(t, dir), "自然人注册")
	select {
	case <-sr.hit:
	case <-time.After(30 * time.Second):
		stopKiosk(cmd, f)
		t.Fatalf("home screen not shown; output:\n%q", sr.text())
	}
	stopKiosk(cmd, f)
	checkDemoRefusal(t, dir)
}
