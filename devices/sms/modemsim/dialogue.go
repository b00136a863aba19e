package modemsim

import (
	"strconv"
	"strings"

	"kiosk/devices/sms/pdu"
)

const (
	ctrlZ = 0x1A // ends a PDU
	esc   = 0x1B // abandons a PDU
)

// serve speaks the AT dialogue on one line until it is closed or hung up.
func (m *Modem) serve(l *line) {
	defer m.wg.Done()
	var cmd, body []byte
	inPDU, expect := false, 0
	buf := make([]byte, 512)
	write := func(s string) bool {
		_, err := l.master.Write([]byte(s))
		return err == nil
	}
	for {
		n, err := l.master.Read(buf)
		if err != nil {
			return
		}
		for _, c := range buf[:n] {
			m.mu.Lock()
			mute, echo := m.has(NoAnswer), m.echo || m.has(Echo)
			if c == '\r' && (mute || m.has(Echo) && !m.echo) {
				m.hit()
			}
			m.mu.Unlock()
			if mute {
				continue
			}
			if echo && !write(string(c)) {
				return
			}
			if !inPDU {
				switch c {
				case '\r':
					resp, prompt := m.command(strings.TrimSpace(string(cmd)))
					cmd = cmd[:0]
					if prompt > 0 {
						m.mu.Lock()
						slow, delay := m.has(SlowPrompt), m.promptDelay
						if slow {
							m.hit()
						}
						m.mu.Unlock()
						if slow && !m.sleep(delay) {
							return
						}
						inPDU, expect, body = true, prompt, body[:0]
					}
					if resp != "" && !write(resp) {
						return
					}
				case '\n':
				case esc:
					cmd = cmd[:0]
				default:
					if len(cmd) < 256 {
						cmd = append(cmd, c)
					}
				}
				continue
			}
			switch c {
			case esc:
				inPDU = false // abandoned silently, as most modems do
			case ctrlZ:
				inPDU = false
				m.mu.Lock()
				cut := m.has(Hangup)
				m.mu.Unlock()
				if cut {
					m.cut(l)
					return
				}
				resp, lost := m.submit(string(body), expect)
				if lost {
					m.hangup(l)
					return
				}
				if !write(resp) {
					return
				}
			default:
				body = append(body, c)
				m.mu.Lock()
				cut := m.has(Hangup) && len(body) >= expect
				m.mu.Unlock()
				if cut {
					m.cut(l)
					return
				}
			}
		}
	}
}

// cut hangs up in the middle of a PDU.
func (m *Modem) cut(l *line) {
	m.mu.Lock()
	m.hit()
	m.mu.Unlock()
	m.hangup(l)
}

func final(info ...string) string {
	var sb strings.Builder
	for _, s := range info {
		sb.WriteString("\r\n" + s + "\r\n")
	}
	return sb.String()
}

// command answers one command line. prompt > 0 means AT+CMGS=<prompt> was
// accepted and the caller must send the "> " prompt (returned in resp).
func (m *Modem) command(line string) (resp string, prompt int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	up := strings.ToUpper(line)
	if !strings.HasPrefix(up, "AT") {
		return "", 0 // modems ignore input that is not a command
	}
	m.commands = append(m.commands, line)
	ok := final("OK")
	switch {
	case up == "AT":
		return m.frame(ok), 0
	case up == "ATZ":
		m.echo, m.pduMode = true, false
		return m.frame(ok), 0
	case up == "ATE0":
		if m.has(Echo) {
			m.hit()
			return m.frame(final("ERROR")), 0
		}
		m.echo = false
		return m.frame(ok), 0
	case up == "ATE1" || up == "ATE":
		m.echo = true
		return m.frame(ok), 0
	case up == "ATI":
		return m.frame(final("Emulated GSM modem", "OK")), 0
	case strings.HasPrefix(up, "AT+CMEE="):
		return m.frame(ok), 0
	case up == "AT+CMGF=0" || up == "AT+CMGF=1":
		m.pduMode = up == "AT+CMGF=0"
		return m.frame(ok), 0
	case up == "AT+CPIN?":
		return m.frame(final("+CPIN: READY", "OK")), 0
	case up == "AT+CSQ":
		return m.frame(final("+CSQ: 23,99", "OK")), 0
	case up == "AT+CREG?":
		return m.frame(final("+CREG: 0,1", "OK")), 0
	case strings.HasPrefix(up, "AT+CMGS="):
		n, err := strconv.Atoi(up[len("AT+CMGS="):])
		switch {
		case m.has(Error):
			m.hit()
			return m.frame(final("ERROR")), 0
		case !m.pduMode:
			return m.frame(final("+CMS ERROR: 302")), 0 // operation not allowed: text mode
		case err != nil || n < 8 || n > 164:
			return m.frame(final("+CMS ERROR: 304")), 0
		}
		return m.frame("\r\n> "), n
	}
	return m.frame(final("ERROR")), 0
}

// submit takes a PDU. lost means: delivered, but hang up without answering.
func (m *Modem) submit(hexPDU string, expect int) (resp string, lost bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, err := pdu.Decode(strings.TrimSpace(hexPDU))
	if err != nil || s.TPDULen != expect {
		return m.frame(final("+CMS ERROR: 304")), false
	}
	if m.has(CMSError) {
		m.hit()
		return m.frame(final("+CMS ERROR: " + strconv.Itoa(m.cmsCode))), false
	}
	m.accepted++
	m.deliver(s)
	if m.has(LostConfirmation) {
		m.hit()
		return "", true
	}
	return m.frame(final("+CMGS: "+m.nextMR(), "OK")), false
}

// deliver hands a part to the "phone", which reassembles concatenated
// messages and keeps the first copy of a part it receives twice.
func (m *Modem) deliver(s pdu.Submit) {
	if s.Concat == nil || s.Concat.Total == 1 {
		m.delivered = append(m.delivered, Message{To: s.To, Text: s.Text, Parts: 1})
		return
	}
	k := partKey{to: s.To, ref: int(s.Concat.Ref), total: int(s.Concat.Total)}
	a := m.partial[k]
	if a == nil {
		a = &assembly{parts: make([]string, k.total), have: make([]bool, k.total)}
		m.partial[k] = a
	}
	i := int(s.Concat.Seq) - 1
	if a.have[i] {
		m.dupParts++
		return
	}
	a.parts[i], a.have[i] = s.Text, true
	a.n++
	if a.n == k.total {
		delete(m.partial, k)
		m.delivered = append(m.delivered, Message{To: s.To, Text: strings.Join(a.parts, ""), Parts: k.total})
	}
}
