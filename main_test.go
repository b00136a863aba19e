package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// buildKiosk builds the binary once per test process.
var buildKiosk = sync.OnceValues(func() (string, error) { return buildBinary(".", "kiosk") })

// buildFloor builds the bare Bubble Tea program, the floor of the start-up
// benchmark, once per test process.
var buildFloor = sync.OnceValues(func() (string, error) {
	return buildBinary("./internal/benchfloor/bare", "bare")
})

// floorLine is the one line the bare program draws (its Line constant).
const floorLine = "bare floor ready"

// buildBinary builds the main package pkg into a temporary directory.
func buildBinary(pkg, name string) (string, error) {
	dir, err := os.MkdirTemp("", "kiosk-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, name)
	out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin, nil
}

// demoConfig writes a config whose data dir is dir.
func demoConfig(t testing.TB, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "kiosk.toml")
	cfg := fmt.Sprintf("mode = \"demo\"\nkiosk_id = \"TEST-01\"\ndata_dir = %q\n[ui]\nallow_quit = true\n", filepath.Join(dir, "data"))
	if err := os.WriteFile(p, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// screenReader collects a pty's output and waits for a string in it.
type screenReader struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	hit  chan struct{}
	want []byte
	once sync.Once
}

func startKiosk(t testing.TB, bin, cfg string, want string) (*exec.Cmd, *os.File, *screenReader) {
	t.Helper()
	return startBinary(t, want, bin, "-config", cfg)
}

// startBinary starts bin with args in a 120×40 pseudo-terminal that answers
// terminal queries, and watches its output for want.
func startBinary(t testing.TB, want, bin string, args ...string) (*exec.Cmd, *os.File, *screenReader) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "LANG=C.UTF-8")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 120, Rows: 40})
	if err != nil {
		t.Fatal(err)
	}
	sr := &screenReader{hit: make(chan struct{}), want: []byte(want)}
	go func() {
		b := make([]byte, 32<<10)
		for {
			n, err := f.Read(b)
			if n > 0 {
				answerQueries(f, b[:n])
				sr.mu.Lock()
				sr.buf.Write(b[:n])
				if bytes.Contains(sr.buf.Bytes(), sr.want) {
					sr.once.Do(func() { close(sr.hit) })
				}
				sr.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	return cmd, f, sr
}

// answerQueries replies to the terminal queries Bubble Tea's termenv sends
// at start-up (background colour, cursor position) the way xterm does; a
// pty nobody answers would make it wait out its 5 s timeout, which no real
// kiosk terminal does.
func answerQueries(f *os.File, out []byte) {
	if bytes.Contains(out, []byte("\x1b]11;?")) {
		_, _ = f.WriteString("\x1b]11;rgb:0000/0000/0000\x1b\\")
	}
	if bytes.Contains(out, []byte("\x1b[6n")) {
		_, _ = f.WriteString("\x1b[1;1R")
	}
}

// stopKiosk asks the program to quit (SIGTERM: Bubble Tea quits, the
// kiosk's deferred clean-up runs) and kills it only if it has not gone
// after a few seconds. A kill in the middle of PortAudio's initialisation,
// which in demo mode runs beside the first frame, would leave JACK's shared
// database (/dev/shm/jack_db-UID) locked and every later PortAudio start on
// the machine hanging.
func stopKiosk(cmd *exec.Cmd, f *os.File) {
	done := make(chan struct{})
	go func() { _, _ = cmd.Process.Wait(); close(done) }()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
	_ = f.Close()
}

func (sr *screenReader) text() string {
	sr.mu.Lock()
	defer sr.mu.Unlock()
	return sr.buf.String()
}

// TestBinaryShowsHome runs the real binary in a 120×40 pseudo-terminal, as
// `make run` does, and checks the home screen and the demo banner appear.
func TestBinaryShowsHome(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short (make test runs it)")
	}
	bin, err := buildKiosk()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd, f, sr := startKiosk(t, bin, demoConfig(t, dir), "自然人注册")
	defer stopKiosk(cmd, f)
	select {
	case <-sr.hit:
	case <-time.After(30 * time.Second):
		t.Fatalf("home screen not shown; output:\n%q", sr.text())
	}
	out := sr.text()
	for _, s := range []string{"统一身份认证平台", "演示模式", "企业登录", "经办人登录", "立即注册", "忘记密码", "账号激活", "账号申诉"} {
		if !strings.Contains(out, s) {
			t.Errorf("home screen lacks %q", s)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "kiosk.db")); err != nil {
		t.Errorf("store not created: %v", err)
	}
	st, err := os.Stat(filepath.Join(dir, "data", "kiosk.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v mode %v", err, st)
	}
}

// TestDemoAudioAfterFirstFrame: in demo mode PortAudio starts in the
// background once the UI runs. With an output device there (ALSA's file plugin over the null
// sink), the device check finds it, the home prompt is played, and the
// noise PortAudio prints while it starts goes to the log, not the screen.
func TestDemoAudioAfterFirstFrame(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short (make test runs it)")
	}
	bin, err := buildKiosk()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	wav := filepath.Join(dir, "out.wav")
	conf := filepath.Join(dir, "asound.conf")
	alsa := fmt.Sprintf("pcm.!default {\n\ttype file\n\tslave.pcm { type null }\n\tfile %q\n\tformat \"wav\"\n\ttruncate false\n}\n", wav)
	if err := os.WriteFile(conf, []byte(alsa), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ALSA_CONFIG_PATH", conf)
	cmd, f, sr := startKiosk(t, bin, demoConfig(t, dir), "自然人注册")
	defer stopKiosk(cmd, f)
	select {
	case <-sr.hit:
	case <-time.After(30 * time.Second):
		t.Fatalf("home screen not shown; output:\n%q", sr.text())
	}
	logFile := filepath.Join(dir, "data", "kiosk.log")
	var log []byte
	played := func() bool {
		ents, _ := filepath.Glob(wav + "*")
		for _, e := range ents {
			if st, err := os.Stat(e); err == nil && st.Size() > 1000 {
				return true
			}
		}
		return false
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		log, _ = os.ReadFile(logFile)
		if bytes.Contains(log, []byte(`"role":"audio","adapter":"portaudio: default output","simulated":false,"err":null`)) && played() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("audio not checked or home prompt not played; log:\n%s", log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	out := sr.text()
	for _, noise := range []string{"ALSA lib", "jack server", "Cannot connect"} {
		if strings.Contains(out, noise) {
			t.Errorf("PortAudio noise %q reached the screen", noise)
		}
	}
}

// BenchmarkStartToFirstFrame measures process start to the first frame of
// the home screen in a 120×40 pseudo-terminal, on an already-seeded store.
// Its target is a ratio to its floor, the bare program of
// BenchmarkStartToFirstFrameFloor, started before each start of the kiosk
// and reported as floor-ns/op: this machine's speed drifts within a
// minute, and a floor measured in its own benchmark, after this one,
// moved the ratio between 1.40 and 1.62 from one make bench to the next.
func BenchmarkStartToFirstFrame(b *testing.B) {
	bin, err := buildKiosk()
	if err != nil {
		b.Fatal(err)
	}
	floorBin, err := buildFloor()
	if err != nil {
		b.Fatal(err)
	}
	cfg := demoConfig(b, b.TempDir())
	// First start seeds the demo store; it is not what we measure.
	cmd, f, sr := startKiosk(b, bin, cfg, "自然人注册")
	select {
	case <-sr.hit:
	case <-time.After(60 * time.Second):
		b.Fatalf("seeding start did not show home: %q", sr.text())
	}
	stopKiosk(cmd, f)
	var kiosk, floor time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		floor += firstFrame(b, floorLine, floorBin)
		kiosk += firstFrame(b, "自然人注册", bin, "-config", cfg)
	}
	b.StopTimer()
	b.ReportMetric(float64(kiosk)/float64(b.N), "ns/op")
	b.ReportMetric(float64(floor)/float64(b.N), "floor-ns/op")
}

// BenchmarkStartToFirstFrameFloor is the floor of the one above: a bare
// Bubble Tea v1 program (internal/benchfloor/bare) that draws one line,
// built and started through the same harness on the same machine and run.
func BenchmarkStartToFirstFrameFloor(b *testing.B) {
	bin, err := buildFloor()
	if err != nil {
		b.Fatal(err)
	}
	benchFirstFrame(b, floorLine, bin)
}

// benchFirstFrame times starting bin until want appears, b.N times; stopping
// the process is not timed.
func benchFirstFrame(b *testing.B, want, bin string, args ...string) {
	b.Helper()
	var took time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		took += firstFrame(b, want, bin, args...)
	}
	b.StopTimer()
	b.ReportMetric(float64(took)/float64(b.N), "ns/op")
}

// firstFrame starts bin, waits until want appears, stops it and returns
// the time from start to want (stopping is not counted).
func firstFrame(b *testing.B, want, bin string, args ...string) time.Duration {
	b.Helper()
	t0 := time.Now()
	cmd, f, sr := startBinary(b, want, bin, args...)
	select {
	case <-sr.hit:
	case <-time.After(30 * time.Second):
		b.Fatalf("no first frame: %q", sr.text())
	}
	took := time.Since(t0)
	stopKiosk(cmd, f)
	return took
}
