package modem_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kiosk/devices/sms"
	"kiosk/devices/sms/at"
	"kiosk/devices/sms/modem"
	"kiosk/devices/sms/modemsim"
	"kiosk/devices/sms/smstest"
)

// Short timeouts keep the fault tests fast; the emulator answers at once.
func testConfig(path string) modem.Config {
	return modem.Config{Port: path, CheckPIN: true, CommandTimeout: 300 * time.Millisecond,
		PromptTimeout: 200 * time.Millisecond, SubmitTimeout: 400 * time.Millisecond}
}

func newPair(t *testing.T) (*modem.Modem, *modemsim.Modem) {
	t.Helper()
	emu, err := modemsim.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := emu.Err(); err != nil {
			t.Error(err)
		}
		emu.Close()
	})
	d, err := modem.New(testConfig(emu.Path()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d, emu
}

func delivered(emu *modemsim.Modem) []smstest.Delivered {
	var out []smstest.Delivered
	for _, m := range emu.Delivered() {
		out = append(out, smstest.Delivered{To: m.To, Text: m.Text})
	}
	return out
}

func TestConformance(t *testing.T) {
	smstest.Run(t, func(t *testing.T) smstest.Target {
		d, emu := newPair(t)
		return smstest.Target{Sender: d, Delivered: func() []smstest.Delivered { return delivered(emu) }}
	})
}

func TestInitSequence(t *testing.T) {
	d, emu := newPair(t)
	if d.Simulated() || !strings.Contains(d.Name(), emu.Path()) {
		t.Fatalf("Name %q Simulated %v", d.Name(), d.Simulated())
	}
	if err := d.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{"AT", "ATZ", "ATE0", "AT+CMEE=1", "AT+CMGF=0", "AT+CPIN?"}
	if got := emu.Commands(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("commands %q, want %q", got, want)
	}
	// On an open port, Check is "AT" plus the PIN check.
	if err := d.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := emu.Commands()[len(want):]; strings.Join(got, " ") != "AT AT+CPIN?" {
		t.Fatalf("second check sent %q", got)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	if _, err := modem.New(modem.Config{}); err == nil {
		t.Error("no port accepted")
	}
	if _, err := modem.New(modem.Config{Port: "/dev/null", SMSC: "x"}); err == nil {
		t.Error("bad SMSC accepted")
	}
}

func TestOpenFailureIsTemporary(t *testing.T) {
	d, err := modem.New(modem.Config{Port: t.TempDir() + "/absent"})
	if err != nil {
		t.Fatal(err)
	}
	err = d.Send(context.Background(), "13800138000", "x")
	if err == nil || sms.IsPermanent(err) || !sms.IsDeviceFault(err) {
		t.Fatalf("send to a missing port = %v", err)
	}
	if d.Check(context.Background()) == nil {
		t.Fatal("Check of a missing port succeeded")
	}
}

// TestFaults drives one Send into each fault, checks how the error is
// classified (permanent; a fault of the device, which the outbox leaves to
// other kiosks' modems, or the network's refusal of the message), then
// clears the fault and checks the next Send delivers.
func TestFaults(t *testing.T) {
	tests := []struct {
		name        string
		fault       modemsim.Fault
		cms         int
		failsWith   error // nil: the driver copes and delivers during the fault
		permanent   bool
		device      bool // sms.IsDeviceFault
		deliveredIn int  // messages delivered by the end (fault send + clean send)
	}{
		{"no answer", modemsim.NoAnswer, 0, modem.ErrTimeout, false, true, 1},
		{"ERROR", modemsim.Error, 0, &at.Error{}, false, true, 1},
		{"CMS 500", modemsim.CMSError, 500, &at.Error{}, false, true, 1},
		{"CMS network congestion", modemsim.CMSError, 42, &at.Error{}, false, false, 1},
		{"CMS unassigned number", modemsim.CMSError, 1, &at.Error{}, true, false, 1},
		{"garbage", modemsim.Garbage, 0, nil, false, false, 2},
		{"hangup mid-send", modemsim.Hangup, 0, errAny, false, true, 1},
		{"slow prompt", modemsim.SlowPrompt, 0, modem.ErrTimeout, false, true, 1},
		{"echo on", modemsim.Echo, 0, nil, false, false, 2},
		{"urcs", modemsim.URC, 0, nil, false, false, 2},
		{"garbage, echo and urcs", modemsim.Garbage | modemsim.Echo | modemsim.URC, 0, nil, false, false, 2},
		// Accepted but unconfirmed: at-least-once, the retry duplicates it.
		{"lost confirmation", modemsim.LostConfirmation, 0, modem.ErrUnconfirmed, false, true, 2},
	}
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, emu := newPair(t)
			if err := d.Check(ctx); err != nil { // the port is open and initialised before the fault
				t.Fatal(err)
			}
			emu.SetCMSCode(tc.cms)
			emu.SetFault(tc.fault)
			err := d.Send(ctx, "13800138000", "故障中的消息")
			switch {
			case tc.failsWith == nil && err != nil:
				t.Fatalf("send during fault: %v", err)
			case tc.failsWith != nil && err == nil:
				t.Fatal("send during fault succeeded")
			case tc.failsWith == errAny:
			case tc.failsWith != nil:
				var atErr *at.Error
				if _, wantAT := tc.failsWith.(*at.Error); wantAT && !errors.As(err, &atErr) || !wantAT && !errors.Is(err, tc.failsWith) {
					t.Fatalf("error %v, want %v", err, tc.failsWith)
				}
			}
			if err != nil && sms.IsPermanent(err) != tc.permanent {
				t.Fatalf("IsPermanent(%v) = %v", err, sms.IsPermanent(err))
			}
			if err != nil && sms.IsDeviceFault(err) != tc.device {
				t.Fatalf("IsDeviceFault(%v) = %v", err, sms.IsDeviceFault(err))
			}
			if emu.Hits() == 0 && tc.fault != modemsim.URC {
				t.Fatal("the fault never fired")
			}
			emu.SetFault(0)
			if err := d.Send(ctx, "13800138000", "恢复后的消息"); err != nil {
				t.Fatalf("send after the fault cleared: %v", err)
			}
			if got := emu.Delivered(); len(got) != tc.deliveredIn || got[len(got)-1].Text != "恢复后的消息" {
				t.Fatalf("delivered %+v", got)
			}
		})
	}
}

var errAny = errors.New("any error")

func TestSlowPromptWithinTimeout(t *testing.T) {
	d, emu := newPair(t)
	emu.SetPromptDelay(80 * time.Millisecond) // under the 200 ms prompt timeout
	emu.SetFault(modemsim.SlowPrompt)
	if err := d.Send(context.Background(), "13800138000", strings.Repeat("慢", 100)); err != nil {
		t.Fatal(err)
	}
	if got := emu.Delivered(); len(got) != 1 || got[0].Parts != 2 {
		t.Fatalf("delivered %+v", got)
	}
}

func TestCancelWhileWaitingForPrompt(t *testing.T) {
	d, emu := newPair(t)
	emu.SetPromptDelay(150 * time.Millisecond)
	emu.SetFault(modemsim.SlowPrompt)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := d.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := d.Send(ctx, "13800138000", "取消"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	emu.SetFault(0)
	if err := d.Send(context.Background(), "13800138000", "之后"); err != nil {
		t.Fatal(err)
	}
	if got := emu.Delivered(); len(got) != 1 || got[0].Text != "之后" {
		t.Fatalf("delivered %+v", got)
	}
}

func TestPortClosedByModemReopens(t *testing.T) {
	d, emu := newPair(t)
	ctx := context.Background()
	if err := d.Send(ctx, "13800138000", "一"); err != nil {
		t.Fatal(err)
	}
	emu.SetFault(modemsim.Hangup)
	if err := d.Send(ctx, "13800138000", "二"); err == nil {
		t.Fatal("send through a hang-up succeeded")
	}
	emu.SetFault(0)
	for _, text := range []string{"三", "四"} {
		if err := d.Send(ctx, "13800138000", text); err != nil {
			t.Fatal(err)
		}
	}
	var texts []string
	for _, m := range emu.Delivered() {
		texts = append(texts, m.Text)
	}
	if strings.Join(texts, "") != "一三四" {
		t.Fatalf("delivered %q", texts)
	}
}
