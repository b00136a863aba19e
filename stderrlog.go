package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"kiosk/model/rules"
)

// What the process writes on stderr while the kiosk runs becomes log records,
// so that kiosk.log holds JSON lines only. C libraries (PortAudio, and ALSA
// and JACK under it) write to file descriptor 2 directly, so os.Stderr cannot
// simply be swapped: fd 2 itself is pointed at a pipe, and a goroutine turns
// each line read from it into a warn record with source "stderr".
//
// Go panics: a panic that Bubble Tea recovers (in Update, View or a command)
// has its stack printed on os.Stderr, so it arrives through the pipe, and the
// pipe is drained before runKiosk returns. A panic on runKiosk's own goroutine
// is recovered there, logged with its stack, and raised again once fd 2 is
// back (the runtime then prints it on the original stderr and exits with
// status 2). A panic no one recovers, on any other goroutine, or a fatal
// runtime error, ends the process at once while the pipe's reader has no time
// left; for those the runtime also writes its report to the crash file beside
// the log (debug.SetCrashOutput), and the next start turns that file into one
// error record with source "crash" and removes it.

const (
	// maxStderrLine caps one stderr record; the rest of a longer line is
	// dropped and the record says truncated.
	maxStderrLine = 2048
	// maxCrashText caps the crash record: the panic and the first
	// goroutines' stacks are what matters.
	maxCrashText = 64 << 10
	// stderrDrainWait is how long stop waits for the pipe to be read to its
	// end; a write end still open elsewhere (a child process, a C library's
	// dup of fd 2) would otherwise keep the reader waiting for ever.
	stderrDrainWait = 2 * time.Second
)

// fdCapture points one file descriptor at a pipe whose lines are logged.
type fdCapture struct {
	fd    int
	saved int // a copy of what fd was, put back by stop
	r     *os.File
	done  chan struct{}
}

// captureFD points fd at a pipe and logs every line written to it; stop
// puts fd back and waits for the lines already written.
func captureFD(fd int, log *slog.Logger) (*fdCapture, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	saved, err := redirectFD(fd, w)
	w.Close() // fd holds the write end now
	if err != nil {
		r.Close()
		return nil, err
	}
	c := &fdCapture{fd: fd, saved: saved, r: r, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		logLines(r, log)
	}()
	return c, nil
}

// stop puts the descriptor back, which closes the pipe's write end, and waits
// (at most stderrDrainWait) until every line written before has been logged.
func (c *fdCapture) stop() error {
	err := restoreFD(c.fd, c.saved)
	select {
	case <-c.done:
	case <-time.After(stderrDrainWait):
		_ = c.r.SetReadDeadline(time.Now()) // ends the reader's wait
		<-c.done
	}
	c.r.Close()
	return err
}

// logLines logs each line read from r until r ends.
func logLines(r io.Reader, log *slog.Logger) {
	br := bufio.NewReaderSize(r, maxStderrLine)
	for {
		line, err := br.ReadSlice('\n')
		truncated := errors.Is(err, bufio.ErrBufferFull)
		logStderrLine(log, line, truncated)
		for errors.Is(err, bufio.ErrBufferFull) { // drop the rest of a long line
			_, err = br.ReadSlice('\n')
		}
		if err != nil {
			return
		}
	}
}

// logStderrLine logs one line, made safe to show (escape sequences, control
// characters and invalid UTF-8 removed); blank lines are skipped.
func logStderrLine(log *slog.Logger, line []byte, truncated bool) {
	text := strings.TrimSpace(rules.Sanitize(string(line)))
	if text == "" {
		return
	}
	if truncated {
		log.Warn("stderr", "source", "stderr", "text", text, "truncated", true)
		return
	}
	log.Warn("stderr", "source", "stderr", "text", text)
}

// stderrLog is the kiosk's capture of fd 2 for one run.
type stderrLog struct {
	capture   *fdCapture
	crashPath string
	crash     *os.File
	owner     bool // holds stderrCaptured
}

// stderrCaptured is set while a stderrLog owns fd 2 and the crash output.
var stderrCaptured atomic.Bool

// crashPath is the file the runtime writes a fatal crash report to while
// stderr is captured: the log file's name with ".crash" added.
func crashPath(cfg Config) string { return cfg.path(cfg.Log.File) + ".crash" }

// startStderrLog logs the report of a previous crash, if any, then captures
// fd 2 into log until stop. noise is where PortAudio should send its stderr:
// os.Stderr (leave fd 2 alone, it is captured already) or, when the capture
// could not be set up, nil (/dev/null), so that nothing raw reaches the log
// or the screen.
func startStderrLog(cfg Config, log *slog.Logger) (s *stderrLog, noise *os.File) {
	s = &stderrLog{crashPath: crashPath(cfg)}
	importCrash(log, s.crashPath)
	if !stderrCaptured.CompareAndSwap(false, true) {
		// Two overlapping captures (runKiosk run twice in one process, as
		// tests may) would put back each other's descriptors.
		log.Warn("stderr is captured already; PortAudio's messages are discarded")
		return s, nil
	}
	s.owner = true
	// The crash file first: from the moment fd 2 is a pipe, a fatal report
	// written only there would be lost with the process.
	f, err := os.OpenFile(s.crashPath, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err == nil {
		if err = debug.SetCrashOutput(f, debug.CrashOptions{}); err == nil {
			s.crash = f
		} else {
			f.Close()
			os.Remove(s.crashPath)
		}
	}
	if err != nil {
		log.Warn("no crash file; a fatal crash is reported on the original stderr only", "err", err)
	}
	c, err := captureFD(2, log)
	if err != nil {
		log.Warn("stderr not captured; PortAudio's messages are discarded", "err", err)
		s.stop()
		return s, nil
	}
	s.capture = c
	return s, os.Stderr
}

// stop puts fd 2 back, logs what was still in the pipe, and stops the crash
// file (removed when empty). It is safe on a nil or stopped stderrLog.
func (s *stderrLog) stop() {
	if s == nil {
		return
	}
	if s.capture != nil {
		_ = s.capture.stop()
		s.capture = nil
	}
	s.stopCrashOutput()
	if s.owner {
		s.owner = false
		stderrCaptured.Store(false)
	}
}

func (s *stderrLog) stopCrashOutput() {
	if s.crash == nil {
		return
	}
	_ = debug.SetCrashOutput(nil, debug.CrashOptions{})
	if st, err := s.crash.Stat(); err == nil && st.Size() == 0 {
		os.Remove(s.crashPath)
	}
	s.crash.Close()
	s.crash = nil
}

// importCrash logs the crash report a previous run left at path as one error
// record (source "crash") and removes the file.
func importCrash(log *slog.Logger, path string) {
	f, err := os.Open(path)
	if err != nil {
		return // no crash (or nothing we can read)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxCrashText+1))
	f.Close()
	if err != nil {
		log.Warn("reading the previous run's crash file", "file", path, "err", err)
		return
	}
	text := strings.TrimSpace(rules.SanitizeMultiline(string(b[:min(len(b), maxCrashText)])))
	if text != "" {
		log.Error("the previous run crashed", "source", "crash", "text", text, "truncated", len(b) > maxCrashText)
	}
	if err := os.Remove(path); err != nil {
		log.Warn("removing the crash file", "file", path, "err", err)
	}
}

// recoverPanic is deferred by runKiosk: it logs a panic on runKiosk's
// goroutine with its stack, stops the capture so that fd 2 is the original
// stderr again, and panics again for the runtime to report and exit.
func (s *stderrLog) recoverPanic(log *slog.Logger) {
	r := recover()
	if r == nil {
		s.stop()
		return
	}
	log.Error("panic", "source", "panic", "value", fmt.Sprint(r), "stack", string(debug.Stack()))
	s.stop()
	panic(r)
}
