package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kiosk/devices/sms/modemsim"
)

// productionConfig writes a production configuration whose devices are
// given by extra, with the store under dir and the key file beside it (a
// key file inside data_dir is refused in production).
func productionConfig(t *testing.T, dir, extra string) string {
	t.Helper()
	body := fmt.Sprintf("mode = \"production\"\nkiosk_id = \"JL-TEST-01\"\ndata_dir = %q\n[store]\nkey_file = %q\n%s",
		filepath.Join(dir, "data"), filepath.Join(dir, "kiosk.key"), extra)
	p := filepath.Join(dir, "kiosk.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestProductionStopsOnMissingDevice runs the real start-up path in
// production mode with a camera and a modem that are not there: it must
// stop with a clear message before taking the terminal, not fall back.
func TestProductionStopsOnMissingDevice(t *testing.T) {
	dir := t.TempDir()
	cfg := productionConfig(t, dir, `[camera]
adapter = "v4l2"
device = "/dev/video-missing"
[face]
adapter = "counter"
[sms]
adapter = "modem"
port = "/dev/ttyMISSING0"
[audio]
adapter = "silent"
`)
	var out, errb strings.Builder
	code := run([]string{"-config", cfg}, &out, &errb)
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	msg := errb.String()
	for _, want := range []string{"configured device missing", "设备未就绪", "camera", "sms"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "audio (") || strings.Contains(msg, "face (") {
		t.Errorf("devices that answer are reported as missing:\n%s", msg)
	}
	if strings.Contains(out.String(), "\x1b[?1049h") {
		t.Error("the UI took the terminal although start-up failed")
	}
}

// TestProductionStopsOnMissingAudio: a configured speaker that is not
// there stops start-up before the UI takes the terminal, although the demo
// starts its best-effort audio only after the first frame.
func TestProductionStopsOnMissingAudio(t *testing.T) {
	dir := t.TempDir()
	cfg := productionConfig(t, dir, `[camera]
adapter = "v4l2"
[face]
adapter = "counter"
[sms]
adapter = "modem"
[audio]
adapter = "portaudio"
device = "kiosk-no-such-speaker"
`)
	var out, errb strings.Builder
	if code := run([]string{"-config", cfg}, &out, &errb); code != 1 {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	if msg := errb.String(); !strings.Contains(msg, "audio") || !strings.Contains(msg, "kiosk-no-such-speaker") {
		t.Errorf("message does not name the missing speaker:\n%s", msg)
	}
}

// TestDevicesCheck lists each configured device: a GSM modem emulated on a
// real pseudo-terminal answers, a missing camera does not.
func TestDevicesCheck(t *testing.T) {
	m, err := modemsim.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	dir := t.TempDir()
	cfg := productionConfig(t, dir, fmt.Sprintf(`[camera]
adapter = "v4l2"
device = "/dev/video-missing"
[face]
adapter = "counter"
[sms]
adapter = "modem"
port = %q
[audio]
adapter = "silent"
`, m.Path()))
	var out, errb strings.Builder
	code := run([]string{"-config", cfg, "devices", "check"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "1 device(s) did not answer") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := map[string]string{}
	for _, l := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			lines[f[0]] = l
		}
	}
	for role, want := range map[string]string{"camera": "FAIL", "face": "ok", "sms": "ok", "audio": "ok"} {
		if !strings.Contains(lines[role], want) {
			t.Errorf("%s: %q, want %s\n%s", role, lines[role], want, out.String())
		}
	}
	if !strings.Contains(lines["sms"], "real") {
		t.Errorf("modem not reported as a real device: %q", lines["sms"])
	}
}

// TestDemoDevicesAreLabelledSimulated: in demo mode every simulated
// adapter says so.
func TestDemoDevicesAreLabelledSimulated(t *testing.T) {
	dir := t.TempDir()
	cfg := demoConfig(t, dir)
	var out, errb strings.Builder
	if code := run([]string{"-config", cfg, "devices", "check"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s %s", code, out.String(), errb.String())
	}
	for _, role := range []string{"camera", "face", "sms"} {
		found := false
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.HasPrefix(l, role) && strings.Contains(l, "simulated") && strings.Contains(l, "ok") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s not listed as simulated and ok:\n%s", role, out.String())
		}
	}
}
