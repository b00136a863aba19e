// Package modem sends SMS through a GSM modem on a serial port, speaking
// AT commands in PDU mode (3GPP TS 27.005) over go.bug.st/serial.
//
// The port is opened lazily and reopened on the next Send after any I/O
// error, so a modem that resets or is replugged at the same path (use a
// stable /dev/serial/by-id/… name) comes back without a restart.
//
// Delivery guarantee at the modem boundary: a message is reported sent
// only after the modem answers OK to the submitted PDU. Up to the Ctrl-Z
// that ends the PDU nothing can be transmitted, so every failure before it
// is a clean "not sent". After the Ctrl-Z the modem may transmit even if
// its answer is lost (line noise, hang-up, power loss); Send then returns
// ErrUnconfirmed, which is temporary, and the outbox sends the message
// again. That narrow window is at-least-once: the recipient may get the
// message twice, which for codes and notices is better than never. Parts of
// a long message carry a concatenation reference derived from the number
// and text, so a resent part has the same reference and phones drop the
// copy. Once the PDU is submitted, Send waits for the answer even if ctx is
// cancelled (bounded by SubmitTimeout), to keep that window small.
package modem

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"go.bug.st/serial"

	"kiosk/devices/sms"
	"kiosk/devices/sms/at"
	"kiosk/devices/sms/pdu"
)

// Config chooses the port and the timeouts.
type Config struct {
	Port     string        // tty path, e.g. /dev/serial/by-id/usb-…-if02-port0
	Baud     int           // default 115200
	SMSC     string        // service centre number; empty uses the SIM's
	Validity time.Duration // relative validity of messages; 0 means 24 h, <0 leaves it to the network
	CheckPIN bool          // require "+CPIN: READY" when the port is opened and on Check

	CommandTimeout time.Duration // one ordinary command; default 2 s
	PromptTimeout  time.Duration // AT+CMGS until "> "; default 10 s
	SubmitTimeout  time.Duration // PDU until +CMGS/OK; default 60 s (the network can be slow)
	Log            *slog.Logger  // default: discard
}

// Errors of the driver. All are temporary for sms.IsPermanent.
var (
	// ErrTimeout means the modem did not answer in time.
	ErrTimeout = errors.New("modem: no answer in time")
	// ErrUnconfirmed means the PDU was submitted but its outcome is unknown:
	// the modem may have sent it.
	ErrUnconfirmed = errors.New("modem: submitted but not confirmed, may have been sent")
	// ErrSIMNotReady means AT+CPIN? did not answer READY (PIN or no SIM).
	ErrSIMNotReady = errors.New("modem: SIM not ready")
)

const (
	ctrlZ    = "\x1a"
	esc      = "\x1b"
	readTick = 20 * time.Millisecond // granularity of deadlines and cancellation
)

// Modem is a GSM modem. It is safe for concurrent use; commands are
// serialised.
type Modem struct {
	cfg Config
	log *slog.Logger

	mu      sync.Mutex
	port    serial.Port
	parser  at.Parser
	pending []at.Event
	buf     []byte
	closed  bool
}

var _ sms.Sender = (*Modem)(nil)

// New checks cfg; it does not touch the port.
func New(cfg Config) (*Modem, error) {
	if cfg.Port == "" {
		return nil, errors.New("modem: no port configured")
	}
	if cfg.Baud == 0 {
		cfg.Baud = 115200
	}
	if cfg.Validity == 0 {
		cfg.Validity = 24 * time.Hour
	}
	if cfg.Validity < 0 {
		cfg.Validity = 0
	}
	if cfg.SMSC != "" {
		if _, err := pdu.ParseNumber(cfg.SMSC); err != nil {
			return nil, errors.New("modem: invalid SMSC number")
		}
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.CommandTimeout, 2*time.Second)
	def(&cfg.PromptTimeout, 10*time.Second)
	def(&cfg.SubmitTimeout, 60*time.Second)
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Modem{cfg: cfg, log: log.With("device", "modem", "port", cfg.Port), buf: make([]byte, 256)}, nil
}

// Name identifies the modem.
func (m *Modem) Name() string { return "GSM modem on " + m.cfg.Port }

// Simulated is false: messages reach real phones.
func (m *Modem) Simulated() bool { return false }

// Check opens the port if needed and checks that the modem answers (and
// that the SIM is ready when CheckPIN is set).
func (m *Modem) Check(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return sms.ErrClosed
	}
	opened, err := m.readyOpened(ctx)
	if err != nil || opened || !m.cfg.CheckPIN {
		return err // a fresh port has just checked the PIN in its init
	}
	return m.checkPIN(ctx)
}

// Send sends text to the number to, split into as many parts as needed.
// See the package comment for what a nil error and ErrUnconfirmed mean.
// Failures of the modem, its port or its SIM are device faults
// (sms.IsDeviceFault), so that an outbox shared by several kiosks leaves
// the message to another kiosk's modem; a refusal by the network is not.
func (m *Modem) Send(ctx context.Context, to, text string) error {
	pdus, err := pdu.Encode(to, text, pdu.Options{SMSC: m.cfg.SMSC, Validity: m.cfg.Validity, Ref: concatRef(to, text)})
	if err != nil {
		return err // pdu errors are permanent
	}
	return faultOf(ctx, m.send(ctx, pdus))
}

// faultOf marks err as a device fault unless it is the network's refusal
// of the message (+CMS ERROR below 300: an RP cause of 24.011 or a TP
// failure cause of 23.040; 300 and above are the modem's own errors), a
// permanent refusal, or a stop by ctx. A lost confirmation is a fault of
// the line, so it counts as the device's too.
func faultOf(ctx context.Context, err error) error {
	var atErr *at.Error
	switch {
	case err == nil, sms.IsPermanent(err), ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return err
	case errors.As(err, &atErr) && atErr.Status == at.StatusCMS && atErr.Code >= 0 && atErr.Code < 300:
		return err
	}
	return sms.DeviceFault(err)
}

func (m *Modem) send(ctx context.Context, pdus []pdu.PDU) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return sms.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := m.ready(ctx); err != nil {
		return err
	}
	for i, p := range pdus {
		if err := m.submit(ctx, p); err != nil {
			return fmt.Errorf("part %d of %d: %w", i+1, len(pdus), err)
		}
	}
	return nil
}

// Close closes the port; Send and Check fail afterwards. It waits for a
// send in progress, which is bounded by the timeouts.
func (m *Modem) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	if m.port == nil {
		return nil
	}
	err := m.port.Close()
	m.port = nil
	return err
}

// concatRef is the concatenation reference of a message: stable across
// retries (and restarts) so phones recognise a resent part.
func concatRef(to, text string) byte {
	h := fnv.New32a()
	h.Write([]byte(to))
	h.Write([]byte{0})
	h.Write([]byte(text))
	return byte(h.Sum32())
}
