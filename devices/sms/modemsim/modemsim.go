// Package modemsim is a GSM modem emulator for tests and bench demos. It
// serves the AT dialogue on the master side of a real pseudo-terminal, so
// the driver under test opens an actual tty by path. It decodes the PDUs it
// accepts into delivered messages (reassembling concatenated parts) and can
// inject the faults real modems show.
package modemsim

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is a set of misbehaviours; combine them with |.
type Fault uint

const (
	// NoAnswer ignores all input: no echo, no result.
	NoAnswer Fault = 1 << iota
	// Error answers AT+CMGS with ERROR.
	Error
	// CMSError answers a submitted PDU with +CMS ERROR: <code> (500 unless
	// SetCMSCode chose another) and does not deliver it.
	CMSError
	// Garbage surrounds every response with line noise.
	Garbage
	// Hangup hangs the line up halfway through receiving a PDU (the message
	// is not delivered) and comes back on a fresh tty at the same Path, like
	// a USB modem that resets.
	Hangup
	// LostConfirmation delivers the PDU, then hangs up before answering:
	// the classic window in which the sender cannot know the outcome.
	LostConfirmation
	// SlowPrompt waits PromptDelay before the "> " prompt.
	SlowPrompt
	// Echo keeps echo on and refuses ATE0 with ERROR.
	Echo
	// URC interleaves unsolicited result codes with responses.
	URC
)

// Message is what a phone would show.
type Message struct {
	To    string // "+8613800138000" for international numbers
	Text  string
	Parts int
}

var errClosed = errors.New("modemsim: closed")

// Modem is a running emulator. Its methods are safe for concurrent use.
type Modem struct {
	path string // stable symlink to the current slave tty

	mu          sync.Mutex
	line        *line
	fault       Fault
	cmsCode     int
	promptDelay time.Duration
	hits        int
	echo        bool
	pduMode     bool
	mr          byte
	accepted    int
	dupParts    int
	delivered   []Message
	partial     map[partKey]*assembly
	commands    []string
	closed      bool
	err         error
	stop        chan struct{}
	wg          sync.WaitGroup
}

type partKey struct {
	to         string
	ref, total int
}

type assembly struct {
	parts []string
	have  []bool
	n     int
}

// Start creates the emulator with its tty link at dir/modem. Echo starts
// on, as on a real modem after power-up.
func Start(dir string) (*Modem, error) {
	m := &Modem{path: filepath.Join(dir, "modem"), cmsCode: 500, promptDelay: 300 * time.Millisecond,
		echo: true, pduMode: false, partial: map[partKey]*assembly{}, stop: make(chan struct{})}
	if err := m.plugIn(); err != nil {
		return nil, err
	}
	return m, nil
}

// Path is the tty path the driver should open. It stays the same when the
// emulator hangs up and comes back.
func (m *Modem) Path() string { return m.path }

// SetFault replaces the active faults; SetFault(0) clears them.
func (m *Modem) SetFault(f Fault) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fault = f
}

// SetCMSCode sets the <err> of the CMSError fault.
func (m *Modem) SetCMSCode(code int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cmsCode = code
}

// SetPromptDelay sets how long SlowPrompt waits.
func (m *Modem) SetPromptDelay(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.promptDelay = d
}

// Hits counts how many times a fault changed the emulator's behaviour.
func (m *Modem) Hits() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hits
}

// Delivered returns the messages delivered so far, in order of completion.
func (m *Modem) Delivered() []Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Message(nil), m.delivered...)
}

// Accepted counts PDUs accepted from the driver.
func (m *Modem) Accepted() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.accepted
}

// DuplicateParts counts parts of a concatenated message received twice
// (a phone keeps the first and drops the copy).
func (m *Modem) DuplicateParts() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.dupParts
}

// Err reports a failure of the emulator itself (it could not open a new
// tty after hanging up).
func (m *Modem) Err() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}

// Commands returns the command lines received, for tests of the dialogue.
func (m *Modem) Commands() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.commands...)
}

// Close hangs up for good and removes the link.
func (m *Modem) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	close(m.stop)
	l := m.line
	m.mu.Unlock()
	l.close()
	m.wg.Wait()
	os.Remove(m.path)
	return nil
}

// plugIn opens a fresh tty, points the link at it and serves it.
func (m *Modem) plugIn() error {
	l, err := openLine()
	if err != nil {
		return err
	}
	tmp := m.path + ".new"
	os.Remove(tmp)
	if err := os.Symlink(l.slaveName(), tmp); err != nil {
		l.close()
		return err
	}
	if err := os.Rename(tmp, m.path); err != nil {
		l.close()
		return err
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		l.close()
		return errClosed
	}
	m.line = l
	m.wg.Add(1)
	m.mu.Unlock()
	go m.serve(l)
	return nil
}

// hangup replaces the line: the driver's descriptor on the old tty goes
// dead (reads fail) and the link points at a new tty. The modem restarts
// with its power-up defaults.
func (m *Modem) hangup(old *line) {
	err := m.plugIn()
	m.mu.Lock()
	if err != nil && !errors.Is(err, errClosed) {
		m.err = fmt.Errorf("modemsim: cannot come back after hanging up: %w", err)
	}
	m.echo, m.pduMode = true, false
	m.mu.Unlock()
	old.close()
}

func (m *Modem) has(f Fault) bool { return m.fault&f != 0 }

func (m *Modem) hit() { m.hits++ }

func (m *Modem) nextMR() string {
	m.mr++
	return strconv.Itoa(int(m.mr))
}

// sleep waits d unless the emulator closes; it reports whether to go on.
func (m *Modem) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-m.stop:
		return false
	}
}

// noise is what a modem line carries at the wrong moment: high bytes,
// NULs, stray XON/XOFF, and a line of printable junk.
const noise = "\x00\xff\xfe\x80\x13\x11\x9c\r\n#~%j!?\r\n\xfa"

// frame adds the active noise around a response.
func (m *Modem) frame(resp string) string {
	var sb strings.Builder
	if m.has(Garbage) {
		m.hit()
		sb.WriteString(noise)
	}
	if m.has(URC) {
		sb.WriteString("\r\n+CMTI: \"SM\",1\r\n\r\nRING\r\n")
	}
	sb.WriteString(resp)
	if m.has(Garbage) {
		sb.WriteString("\xff\x00")
	}
	if m.has(URC) {
		sb.WriteString("\r\n^RSSI:17\r\n")
	}
	return sb.String()
}
