package modem

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.bug.st/serial"

	"kiosk/devices/sms/at"
	"kiosk/devices/sms/pdu"
)

// ready makes sure an initialised port answers: it opens and initialises
// the port when there is none, otherwise it drops stale input and checks
// the modem with "AT". A dead port (the modem was replugged) is reopened at
// once.
func (m *Modem) ready(ctx context.Context) error {
	_, err := m.readyOpened(ctx)
	return err
}

// readyOpened is ready that also tells whether it had to open the port
// (which ran the whole init sequence).
func (m *Modem) readyOpened(ctx context.Context) (opened bool, err error) {
	if m.port == nil {
		return true, m.open(ctx)
	}
	m.drain()
	err = m.command(ctx, "AT")
	if errors.Is(err, ErrTimeout) {
		m.dropPort() // silent: initialise afresh next time
	}
	if err == nil || m.port != nil || ctx.Err() != nil || errors.Is(err, ErrTimeout) {
		return false, err
	}
	m.log.Info("port lost, reopening", "err", err)
	return true, m.open(ctx)
}

// open opens the port and runs the init sequence.
func (m *Modem) open(ctx context.Context) error {
	mode := &serial.Mode{BaudRate: m.cfg.Baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit}
	// Mode.InitialStatusBits stays nil: setting it makes Open fail on ports
	// without modem-control lines (pseudo-terminals, some USB bridges).
	p, err := serial.Open(m.cfg.Port, mode)
	if err != nil {
		return fmt.Errorf("modem: open: %w", err)
	}
	// DTR/RTS wake some modems; on a pty the ioctls fail with ENOTTY, which
	// is harmless.
	if err := p.SetDTR(true); err != nil {
		m.log.Debug("DTR not set", "err", err)
	}
	if err := p.SetRTS(true); err != nil {
		m.log.Debug("RTS not set", "err", err)
	}
	if err := p.SetReadTimeout(readTick); err != nil {
		p.Close()
		return fmt.Errorf("modem: read timeout: %w", err)
	}
	m.port = p
	if err := m.init(ctx); err != nil {
		m.dropPort()
		return err
	}
	m.log.Info("modem ready")
	return nil
}

// init brings the modem into a known state.
func (m *Modem) init(ctx context.Context) error {
	m.drain()
	// ESC abandons a PDU a previous process may have left half-typed.
	if err := m.write(esc); err != nil {
		return err
	}
	m.drain()
	// "AT" until OK: the first may hit junk left in the modem's line buffer.
	var err error
	for range 3 {
		if err = m.command(ctx, "AT"); err == nil || m.port == nil || errors.Is(err, ErrTimeout) || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		return err
	}
	steps := []struct {
		cmd      string
		required bool
	}{
		{"ATZ", false},       // profile defaults; some modems lack a profile
		{"ATE0", false},      // echo off; if refused, echo is skipped while reading
		{"AT+CMEE=1", false}, // numeric +CME ERROR codes
		{"AT+CMGF=0", true},  // PDU mode
	}
	for _, s := range steps {
		err := m.command(ctx, s.cmd)
		if err == nil {
			continue
		}
		var atErr *at.Error
		if s.required || !errors.As(err, &atErr) {
			return fmt.Errorf("modem: %s: %w", s.cmd, err)
		}
		m.log.Warn("init command refused", "cmd", s.cmd, "err", err)
	}
	if m.cfg.CheckPIN {
		return m.checkPIN(ctx)
	}
	return nil
}

func (m *Modem) checkPIN(ctx context.Context) error {
	x := at.Exchange{Command: "AT+CPIN?"}
	if err := m.exchange(ctx, &x, m.cfg.CommandTimeout, "AT+CPIN?\r"); err != nil {
		return err
	}
	if v, _ := x.Value("+CPIN"); x.Err() != nil || v != "READY" {
		return ErrSIMNotReady
	}
	return nil
}

// submit sends one PDU with AT+CMGS.
func (m *Modem) submit(ctx context.Context, p pdu.PDU) error {
	cmd := "AT+CMGS=" + strconv.Itoa(p.TPDULen)
	x := at.Exchange{Command: cmd, WantPrompt: true}
	if err := m.exchange(ctx, &x, m.cfg.PromptTimeout, cmd+"\r"); err != nil {
		if m.port != nil {
			m.write(esc) // the prompt may still come: abandon the PDU
		}
		if errors.Is(err, ErrTimeout) {
			return fmt.Errorf("modem: waiting for the prompt: %w", err)
		}
		return err
	}
	if !x.Prompted {
		return x.Err()
	}
	// Commit point: once the Ctrl-Z is through, the modem may transmit.
	if err := m.write(p.Hex + ctrlZ); err != nil {
		return err // without the Ctrl-Z nothing was sent
	}
	y := at.Exchange{Echo: []string{p.Hex}}
	wait, cancel := context.WithTimeout(context.WithoutCancel(ctx), m.cfg.SubmitTimeout)
	defer cancel()
	if err := m.exchange(wait, &y, m.cfg.SubmitTimeout, ""); err != nil {
		m.dropPort() // the modem's state is unknown: start afresh next time
		return fmt.Errorf("%w: %w", ErrUnconfirmed, err)
	}
	if err := y.Err(); err != nil {
		return err
	}
	mr, _ := y.Value("+CMGS")
	m.log.Debug("part accepted", "tpdu_len", p.TPDULen, "mr", mr)
	return nil
}

// command runs one command that must end in OK.
func (m *Modem) command(ctx context.Context, cmd string) error {
	x := at.Exchange{Command: cmd}
	if err := m.exchange(ctx, &x, m.cfg.CommandTimeout, cmd+"\r"); err != nil {
		return err
	}
	return x.Err()
}

// exchange writes send (if any) and feeds what the modem says to x until x
// is done, the timeout passes, ctx ends or the port fails.
func (m *Modem) exchange(ctx context.Context, x *at.Exchange, timeout time.Duration, send string) error {
	if send != "" {
		if err := m.write(send); err != nil {
			return err
		}
	}
	deadline := time.Now().Add(timeout)
	for {
		for len(m.pending) > 0 {
			ev := m.pending[0]
			m.pending = m.pending[1:]
			if x.Add(ev) {
				return nil
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return ErrTimeout
		}
		if err := m.read(); err != nil {
			return err
		}
	}
}

// read waits up to one tick for bytes and parses them.
func (m *Modem) read() error {
	n, err := m.port.Read(m.buf)
	if err != nil {
		m.dropPort()
		return fmt.Errorf("modem: read: %w", err)
	}
	m.pending = m.parser.Feed(m.pending, m.buf[:n])
	return nil
}

func (m *Modem) write(s string) error {
	if _, err := m.port.Write([]byte(s)); err != nil {
		m.dropPort()
		return fmt.Errorf("modem: write: %w", err)
	}
	return nil
}

// drain discards whatever the modem has said and not been asked about
// (late answers to an abandoned command, noise), until a tick of silence.
func (m *Modem) drain() {
	for range 50 {
		n, err := m.port.Read(m.buf)
		if err != nil {
			// Leave the port: the next command will fail and reopen it.
			break
		}
		if n == 0 {
			break
		}
	}
	m.parser.Reset()
	m.pending = m.pending[:0]
}

// dropPort closes a port that failed; the next Send reopens it.
func (m *Modem) dropPort() {
	if m.port != nil {
		m.port.Close()
		m.port = nil
	}
	m.parser.Reset()
	m.pending = m.pending[:0]
}
