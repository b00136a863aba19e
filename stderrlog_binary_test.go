package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBinaryLogIsJSONLines runs the real binary in demo mode and checks that
// every line of kiosk.log is a JSON record, although the process's fd 2
// carries raw text while the UI runs: the Go runtime's GC trace
// (GODEBUG=gctrace=1, written straight to fd 2) and whatever PortAudio, ALSA
// and JACK print while the demo's audio adapter starts (here ALSA reads a
// configuration it cannot parse, so it complains on stderr whether or not a
// sound server or card is there).
func TestBinaryLogIsJSONLines(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short (make test runs it)")
	}
	bin, err := buildKiosk()
	if err != nil {
		t.Fatal(err)
	}
	// With an output device (ALSA's file plugin over the null sink)
	// PortAudio starts and the kiosk plays its home prompt; with a
	// configuration ALSA cannot parse there is none, and ALSA and PortAudio
	// complain on fd 2.
	t.Run("audio output", func(t *testing.T) {
		dir := t.TempDir()
		alsa := fmt.Sprintf("pcm.!default {\n\ttype file\n\tslave.pcm { type null }\n\tfile %q\n\tformat \"wav\"\n}\n",
			filepath.Join(dir, "out.wav"))
		checkBinaryLog(t, bin, dir, alsa)
	})
	t.Run("no audio output", func(t *testing.T) {
		// An unterminated block: ALSA's parser reports it through its
		// error handler, which prints "ALSA lib …" on fd 2.
		checkBinaryLog(t, bin, t.TempDir(), "pcm.!default {\n\ttype file\n")
	})
}

// checkBinaryLog runs the kiosk in demo mode in dir with ALSA configured by
// alsaConf, quits it once the audio adapter was checked, and checks its log.
func checkBinaryLog(t *testing.T, bin, dir, alsaConf string) {
	conf := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(conf, []byte(alsaConf), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ALSA_CONFIG_PATH", conf)
	t.Setenv("GODEBUG", "gctrace=1")
	cmd, f, sr := startKiosk(t, bin, demoConfig(t, dir), "自然人注册")
	stopped := false
	defer func() {
		if !stopped {
			stopKiosk(cmd, f)
		}
	}()
	select {
	case <-sr.hit:
	case <-time.After(30 * time.Second):
		t.Fatalf("home screen not shown; output:\n%q", sr.text())
	}
	// Quit only once the audio adapter has started (or given up), so that
	// PortAudio's initialisation ran under the capture.
	logFile := filepath.Join(dir, "data", "kiosk.log")
	deadline := time.Now().Add(15 * time.Second)
	for {
		b, _ := os.ReadFile(logFile)
		if bytes.Contains(b, []byte(`"role":"audio"`)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the audio adapter was never checked; log:\n%s", b)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopKiosk(cmd, f)
	stopped = true

	recs := readJSONLog(t, logFile)
	var gc, clib, stderrRecs int
	stoppedRec := false
	for _, r := range recs {
		if r["msg"] == "kiosk stopped" {
			stoppedRec = true
		}
		if r["source"] != "stderr" {
			continue
		}
		stderrRecs++
		if r["level"] != "WARN" {
			t.Errorf("stderr record not at level warn: %v", r)
		}
		s, _ := r["text"].(string)
		switch {
		case strings.HasPrefix(s, "gc "):
			gc++
		case strings.Contains(s, "ALSA lib") || strings.Contains(s, "jack") || strings.Contains(s, "pa_linux_alsa"):
			clib++
			t.Logf("from C: %s", s)
		}
	}
	if !stoppedRec {
		t.Error(`no "kiosk stopped" record: the kiosk did not shut down cleanly`)
	}
	if gc == 0 {
		t.Errorf("the runtime's GC trace, written to fd 2 while the kiosk ran, is not in the log (%d stderr records)", stderrRecs)
	}
	// The C libraries' lines are not required: what they print depends on
	// the machine (a sound server, the ALSA version); on a Debian machine
	// without a sound server they are there.
	t.Logf("%d records, %d from stderr (%d GC trace lines, %d from ALSA/JACK/PortAudio)", len(recs), stderrRecs, gc, clib)
}

// readJSONLog reads a JSON-lines log and fails the test on any line that is
// not a JSON object.
func readJSONLog(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	bad := 0
	for n := 1; sc.Scan(); n++ {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			if bad++; bad <= 10 {
				t.Errorf("%s line %d is not JSON: %q", filepath.Base(path), n, sc.Text())
			}
			continue
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if bad > 10 {
		t.Errorf("… %d lines in all are not JSON", bad)
	}
	return recs
}
