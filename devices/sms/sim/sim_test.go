package sim_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"kiosk/devices/sms"
	"kiosk/devices/sms/sim"
	"kiosk/devices/sms/smstest"
	"kiosk/model/clocktest"
)

func TestConformance(t *testing.T) {
	smstest.Run(t, func(t *testing.T) smstest.Target {
		s := sim.New(sim.Options{})
		t.Cleanup(func() { s.Close() })
		return smstest.Target{Sender: s, Delivered: func() []smstest.Delivered {
			var out []smstest.Delivered
			for _, m := range s.Messages() {
				out = append(out, smstest.Delivered{To: m.To, Text: m.Text})
			}
			return out
		}}
	})
}

func TestRingAndSubscription(t *testing.T) {
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	s := sim.New(sim.Options{Capacity: 3, Clock: clocktest.New(now)})
	if !s.Simulated() {
		t.Fatal("sim must say it is simulated")
	}
	ch, stop := s.Subscribe(1)
	ctx := context.Background()
	for _, text := range []string{"一", "二", "三", "四"} {
		if err := s.Send(ctx, "13800138000", text); err != nil {
			t.Fatal(err)
		}
	}
	got := s.Messages()
	if len(got) != 3 || got[0].Text != "二" || got[2].Text != "四" || got[2].Seq != 4 || !got[0].At.Equal(now) {
		t.Fatalf("ring kept %+v", got)
	}
	// The buffer of 1 held the first push; later ones were dropped, not blocked on.
	if m := <-ch; m.Text != "一" || m.To != "+8613800138000" || m.Parts != 1 {
		t.Fatalf("pushed %+v", m)
	}
	stop()
	if _, ok := <-ch; ok {
		t.Fatal("channel open after unsubscribe")
	}
	stop() // idempotent
}

func TestFailNext(t *testing.T) {
	s := sim.New(sim.Options{})
	boom := errors.New("network busy")
	s.FailNext(boom, 2)
	ctx := context.Background()
	for i := range 2 {
		if err := s.Send(ctx, "13800138000", "x"); !errors.Is(err, boom) {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if err := s.Send(ctx, "13800138000", "x"); err != nil {
		t.Fatal(err)
	}
	s.FailNext(sms.Permanent(boom), -1)
	for range 3 {
		if err := s.Send(ctx, "13800138000", "x"); !sms.IsPermanent(err) {
			t.Fatalf("want permanent, got %v", err)
		}
	}
	s.FailNext(nil, 0)
	if err := s.Send(ctx, "13800138000", "x"); err != nil || len(s.Messages()) != 2 {
		t.Fatalf("%v, %d messages", err, len(s.Messages()))
	}
}

func TestCloseEndsSubscriptions(t *testing.T) {
	s := sim.New(sim.Options{})
	ch, _ := s.Subscribe(4)
	s.Close()
	if _, ok := <-ch; ok {
		t.Fatal("channel open after Close")
	}
	if late, _ := s.Subscribe(1); late == nil {
		t.Fatal("nil channel")
	} else if _, ok := <-late; ok {
		t.Fatal("subscription after Close is open")
	}
}
