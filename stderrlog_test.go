package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestCaptureFD writes raw bytes, as a C library would, to a descriptor under
// capture and finds each line as a JSON record: escape sequences and invalid
// UTF-8 removed, a long line cut, a last line without a newline kept, blank
// lines skipped; afterwards the descriptor is what it was.
func TestCaptureFD(t *testing.T) {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	fd, err := unix.Dup(int(devnull.Fd())) // stands in for fd 2
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	var buf bytes.Buffer
	c, err := captureFD(fd, slog.New(slog.NewJSONHandler(&buf, nil)))
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 3*maxStderrLine)
	for _, s := range []string{
		"jack server is not running or cannot be started\n",
		"\x1b[31mALSA lib\x1b[0m pcm.c: \x07bad\xff\xfe state\r\n",
		"\n   \n",
		long + "\n",
		"after the long line\n",
		"no newline at the end",
	} {
		if _, err := unix.Write(fd, []byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.stop(); err != nil {
		t.Fatal(err)
	}
	recs := parseRecords(t, buf.Bytes())
	want := []string{
		"jack server is not running or cannot be started",
		"ALSA lib pcm.c: bad state",
		strings.Repeat("x", maxStderrLine),
		"after the long line",
		"no newline at the end",
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d:\n%s", len(recs), len(want), buf.String())
	}
	for i, r := range recs {
		if r["level"] != "WARN" || r["source"] != "stderr" || r["text"] != want[i] {
			t.Errorf("record %d: %v, want text %q", i, r, want[i])
		}
		if _, cut := r["truncated"]; cut != (i == 2) {
			t.Errorf("record %d: truncated %v", i, cut)
		}
	}
	if !sameFile(t, fd, int(devnull.Fd())) {
		t.Error("the descriptor was not put back")
	}
}

// TestStderrCapture runs the kiosk's capture of the real fd 2 in a child
// process (this test binary again): what is written on fd 2, by C-style
// writes and by Go's os.Stderr, ends up as JSON records and fd 2 is the
// original stderr after stop; a panic on runKiosk's goroutine is logged and
// then reported on the original stderr; a panic on another goroutine is
// kept in the crash file, which the next start turns into a record.
func TestStderrCapture(t *testing.T) {
	t.Run("lines", func(t *testing.T) {
		dir, code, stderr := runStderrChild(t, "lines")
		if code != 0 {
			t.Fatalf("child exit %d:\n%s", code, stderr)
		}
		recs := readJSONLog(t, filepath.Join(dir, "kiosk.log"))
		for _, want := range []string{"jack server is not running", "written by Go", "a line", "cut short"} {
			if !hasRecord(recs, "stderr", want) {
				t.Errorf("no stderr record with %q: %v", want, recs)
			}
		}
		if strings.Contains(stderr, "jack server") || !strings.Contains(stderr, "after stop") {
			t.Errorf("the child's own stderr: %q (want only what came after stop)", stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "kiosk.log.crash")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("empty crash file left behind: %v", err)
		}
	})
	t.Run("panic on the main goroutine", func(t *testing.T) {
		dir, code, stderr := runStderrChild(t, "panic-main")
		if code != 2 || !strings.Contains(stderr, "panic: boom on the main goroutine") {
			t.Fatalf("child exit %d, want 2 and the panic on its stderr:\n%s", code, stderr)
		}
		recs := readJSONLog(t, filepath.Join(dir, "kiosk.log"))
		found := false
		for _, r := range recs {
			if r["msg"] == "panic" && r["value"] == "boom on the main goroutine" &&
				strings.Contains(fmt.Sprint(r["stack"]), "panicOnMain") {
				found = true
			}
		}
		if !found {
			t.Errorf("no panic record with value and stack: %v", recs)
		}
		if !hasRecord(recs, "stderr", "before the panic") {
			t.Errorf("what came before the panic was not drained into the log: %v", recs)
		}
	})
	t.Run("panic on another goroutine", func(t *testing.T) {
		dir, code, stderr := runStderrChild(t, "panic-goroutine")
		if code != 2 {
			t.Fatalf("child exit %d, want 2:\n%s", code, stderr)
		}
		readJSONLog(t, filepath.Join(dir, "kiosk.log")) // JSON only
		crash := filepath.Join(dir, "kiosk.log.crash")
		b, err := os.ReadFile(crash)
		if err != nil || !bytes.Contains(b, []byte("panic: boom on a goroutine")) {
			t.Fatalf("crash file: %v\n%s", err, b)
		}
		// The next start logs it and removes the file.
		var buf bytes.Buffer
		importCrash(slog.New(slog.NewJSONHandler(&buf, nil)), crash)
		recs := parseRecords(t, buf.Bytes())
		if !hasRecord(recs, "crash", "panic: boom on a goroutine") || recs[0]["level"] != "ERROR" ||
			!strings.Contains(fmt.Sprint(recs[0]["text"]), "goroutine ") {
			t.Errorf("crash record: %v", recs)
		}
		if _, err := os.Stat(crash); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("crash file not removed: %v", err)
		}
	})
}

// stderrChildEnv selects what the child process does (TestStderrChild).
const stderrChildEnv = "KIOSK_STDERR_CHILD"

// runStderrChild runs TestStderrChild in a child process with its log in a
// new directory, and returns the directory, its exit status and what reached
// its real stderr.
func runStderrChild(t *testing.T, mode string) (dir string, code int, stderr string) {
	t.Helper()
	dir = t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStderrChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), stderrChildEnv+"="+mode, "KIOSK_STDERR_DIR="+dir)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return dir, cmd.ProcessState.ExitCode(), errb.String()
}

// TestStderrChild is the child half of TestStderrCapture.
func TestStderrChild(t *testing.T) {
	mode := os.Getenv(stderrChildEnv)
	if mode == "" {
		t.Skip("runs only as TestStderrCapture's child process")
	}
	cfg := DefaultConfig()
	cfg.DataDir = os.Getenv("KIOSK_STDERR_DIR")
	log, logFile, err := openLog(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	switch mode {
	case "lines":
		s, noise := startStderrLog(cfg, log)
		if noise != os.Stderr {
			t.Fatalf("noise sink %v, want os.Stderr (fd 2 captured)", noise)
		}
		unix.Write(2, []byte("jack server is not running or cannot be started\na line\n"))
		fmt.Fprintln(os.Stderr, "written by Go")
		unix.Write(2, []byte("cut short")) // no newline: still logged at stop
		s.stop()
		unix.Write(2, []byte("after stop\n"))
	case "panic-main":
		s, _ := startStderrLog(cfg, log)
		panicOnMain(s, log)
	case "panic-goroutine":
		startStderrLog(cfg, log)
		unix.Write(2, []byte("before the panic\n"))
		done := make(chan struct{})
		go func() { panic("boom on a goroutine") }()
		<-done
	}
	os.Exit(0) // the testing package would print on stdout
}

// panicOnMain panics as runKiosk's own code would, with runKiosk's defer.
func panicOnMain(s *stderrLog, log *slog.Logger) {
	defer s.recoverPanic(log)
	unix.Write(2, []byte("before the panic\n"))
	panic("boom on the main goroutine")
}

func parseRecords(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var recs []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var r map[string]any
		if err := json.Unmarshal(l, &r); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		recs = append(recs, r)
	}
	return recs
}

func hasRecord(recs []map[string]any, source, text string) bool {
	for _, r := range recs {
		if r["source"] == source && strings.Contains(fmt.Sprint(r["text"]), text) {
			return true
		}
	}
	return false
}

func sameFile(t *testing.T, a, b int) bool {
	t.Helper()
	var sa, sb unix.Stat_t
	if err := unix.Fstat(a, &sa); err != nil {
		t.Fatal(err)
	}
	if err := unix.Fstat(b, &sb); err != nil {
		t.Fatal(err)
	}
	return sa.Dev == sb.Dev && sa.Ino == sb.Ino
}
