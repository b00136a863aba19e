package modemsim

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"go.bug.st/serial"

	"kiosk/devices/sms/pdu"
)

// talk opens the emulator's tty like a driver would and returns a function
// that writes s and returns what came back within wait.
func talk(t *testing.T, m *Modem) func(s string, wait time.Duration) string {
	t.Helper()
	p, err := serial.Open(m.Path(), &serial.Mode{BaudRate: 115200})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	p.SetReadTimeout(10 * time.Millisecond)
	return func(s string, wait time.Duration) string {
		if _, err := p.Write([]byte(s)); err != nil {
			return "write error: " + err.Error()
		}
		var sb strings.Builder
		buf := make([]byte, 256)
		for end := time.Now().Add(wait); time.Now().Before(end); {
			n, err := p.Read(buf)
			if err != nil {
				return sb.String() + "<closed>"
			}
			sb.Write(buf[:n])
		}
		return sb.String()
	}
}

func start(t *testing.T) *Modem {
	t.Helper()
	m, err := Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

const wait = 40 * time.Millisecond

func TestDialogue(t *testing.T) {
	m := start(t)
	say := talk(t, m)
	if got := say("AT\r", wait); got != "AT\r\r\nOK\r\n" {
		t.Fatalf("echoed AT: %q", got)
	}
	if got := say("ATE0\r", wait); got != "ATE0\r\r\nOK\r\n" {
		t.Fatalf("ATE0: %q", got)
	}
	if got := say("AT+CMGS=19\r", wait); got != "\r\n+CMS ERROR: 302\r\n" {
		t.Fatalf("CMGS in text mode: %q", got)
	}
	say("AT+CMGF=0\r", wait)
	p, _ := pdu.Encode("13800138000", "你好", pdu.Options{})
	if got := say("AT+CMGS=18\r", wait); got != "\r\n> " {
		t.Fatalf("prompt: %q", got)
	}
	if got := say(p[0].Hex+"\x1a", wait); got != "\r\n+CMGS: 1\r\n\r\nOK\r\n" {
		t.Fatalf("submit: %q", got)
	}
	if got := m.Delivered(); len(got) != 1 || got[0] != (Message{To: "+8613800138000", Text: "你好", Parts: 1}) {
		t.Fatalf("delivered %+v", got)
	}
	// Wrong length and junk PDUs are refused.
	say("AT+CMGS=17\r", wait)
	if got := say(p[0].Hex+"\x1a", wait); got != "\r\n+CMS ERROR: 304\r\n" {
		t.Fatalf("wrong length: %q", got)
	}
	// ESC abandons a PDU silently.
	say("AT+CMGS=18\r", wait)
	if got := say("0011\x1b", wait); got != "" {
		t.Fatalf("ESC: %q", got)
	}
	if got := say("AT+CPIN?\r", wait); got != "\r\n+CPIN: READY\r\n\r\nOK\r\n" {
		t.Fatalf("CPIN: %q", got)
	}
	if got := say("hello\r", wait); got != "" {
		t.Fatalf("non-command answered: %q", got)
	}
	if m.Accepted() != 1 || len(m.Commands()) != 8 {
		t.Fatalf("accepted %d, commands %q", m.Accepted(), m.Commands())
	}
}

func TestConcatenationAndDuplicates(t *testing.T) {
	m := start(t)
	say := talk(t, m)
	say("ATE0\r", wait)
	say("AT+CMGF=0\r", wait)
	text := strings.Repeat("长", 100)
	parts, _ := pdu.Encode("13800138000", text, pdu.Options{Ref: 3})
	send := func(p pdu.PDU) {
		say("AT+CMGS="+strconv.Itoa(p.TPDULen)+"\r", wait)
		say(p.Hex+"\x1a", wait)
	}
	send(parts[0])
	send(parts[0]) // resent part: the phone keeps one
	if len(m.Delivered()) != 0 {
		t.Fatal("delivered before the last part")
	}
	send(parts[1])
	got := m.Delivered()
	if len(got) != 1 || got[0].Text != text || got[0].Parts != 2 || m.DuplicateParts() != 1 {
		t.Fatalf("delivered %+v, dup %d", got, m.DuplicateParts())
	}
}

func TestFaults(t *testing.T) {
	p, _ := pdu.Encode("10086", "hi", pdu.Options{})
	cmgs := "AT+CMGS=" + strconv.Itoa(p[0].TPDULen) + "\r"
	tests := []struct {
		name  string
		fault Fault
		run   func(say func(string, time.Duration) string) string
		want  string
	}{
		{"no answer", NoAnswer, func(say func(string, time.Duration) string) string { return say("AT\r", wait) }, ""},
		{"error", Error, func(say func(string, time.Duration) string) string { return say(cmgs, wait) }, "\r\nERROR\r\n"},
		{"cms error", CMSError, func(say func(string, time.Duration) string) string {
			say(cmgs, wait)
			return say(p[0].Hex+"\x1a", wait)
		}, "\r\n+CMS ERROR: 500\r\n"},
		{"garbage", Garbage, func(say func(string, time.Duration) string) string { return say("AT\r", wait) },
			noise + "\r\nOK\r\n\xff\x00"},
		{"echo", Echo, func(say func(string, time.Duration) string) string { return say("ATE0\r", wait) }, "ATE0\r\r\nERROR\r\n"},
		{"urc", URC, func(say func(string, time.Duration) string) string { return say("AT\r", wait) },
			"\r\n+CMTI: \"SM\",1\r\n\r\nRING\r\n\r\nOK\r\n\r\n^RSSI:17\r\n"},
		{"slow prompt", SlowPrompt, func(say func(string, time.Duration) string) string {
			if got := say(cmgs, wait); got != "" {
				return "early: " + got
			}
			return say("", 150*time.Millisecond)
		}, "\r\n> "},
		{"hangup", Hangup, func(say func(string, time.Duration) string) string {
			say(cmgs, wait)
			return say(p[0].Hex+"\x1a", wait)
		}, "<closed>"},
		{"lost confirmation", LostConfirmation, func(say func(string, time.Duration) string) string {
			say(cmgs, wait)
			return say(p[0].Hex+"\x1a", wait)
		}, "<closed>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := start(t)
			m.SetPromptDelay(100 * time.Millisecond)
			say := talk(t, m)
			say("ATE0\r", wait)
			say("AT+CMGF=0\r", wait)
			m.SetFault(tc.fault)
			if got := tc.run(say); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			if m.Hits() == 0 && tc.fault != URC {
				t.Fatal("fault not counted")
			}
			if tc.fault == Hangup || tc.fault == LostConfirmation {
				// The modem is back at the same path with power-up defaults.
				m.SetFault(0)
				again := talk(t, m)
				if got := again("AT\r", wait); got != "AT\r\r\nOK\r\n" {
					t.Fatalf("after hangup: %q", got)
				}
				if wantDelivered := tc.fault == LostConfirmation; (len(m.Delivered()) == 1) != wantDelivered {
					t.Fatalf("delivered %+v", m.Delivered())
				}
			}
			if m.Err() != nil {
				t.Fatal(m.Err())
			}
		})
	}
}
