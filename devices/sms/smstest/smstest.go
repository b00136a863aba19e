// Package smstest is the conformance suite every sms.Sender passes: the
// simulated phone and the modem driver over the pty emulator run the same
// tests.
package smstest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"kiosk/devices/sms"
)

// Delivered is a message as the receiving phone saw it.
type Delivered struct {
	To   string // "+8613800138000" for international numbers
	Text string
}

// Target is a sender under test and a view of what reached the phones.
// Delivered must include every message for which Send returned nil.
type Target struct {
	Sender    sms.Sender
	Delivered func() []Delivered
}

// Run runs the suite. newTarget returns a fresh, working sender and
// registers its own cleanup; the suite may Close the sender early.
func Run(t *testing.T, newTarget func(t *testing.T) Target) {
	tests := []struct {
		name string
		fn   func(t *testing.T, tg Target)
	}{
		{"Identity", identity},
		{"Texts", texts},
		{"PermanentErrors", permanentErrors},
		{"CancelledContext", cancelled},
		{"Concurrent", concurrent},
		{"Closed", closed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newTarget(t)) })
	}
}

func identity(t *testing.T, tg Target) {
	if tg.Sender.Name() == "" {
		t.Error("Name is empty")
	}
	if err := tg.Sender.Check(context.Background()); err != nil {
		t.Errorf("Check: %v", err)
	}
}

// Sample texts: what the kiosk sends, and the edges of the encoder.
var samples = []struct {
	name, to, text, wantTo string
}{
	{"ascii", "13800138000", "Your code is 123456", "+8613800138000"},
	{"code", "+8613800138000", "【统一身份认证平台】您的验证码是482913，5分钟内有效，请勿泄露。", "+8613800138000"},
	{"long chinese", "8613912345678", strings.Repeat("您的账号申诉已受理，请留意短信通知。", 12), "+8613912345678"},
	{"long gsm with extension", "0046708251358", strings.Repeat("[ok] {x} €5 ~ ", 25), "+46708251358"},
	{"emoji at a part boundary", "13800138000", strings.Repeat("汉", 66) + "😀" + strings.Repeat("字", 20), "+8613800138000"},
	{"national short code", "10086", "CXYE", "10086"},
}

func texts(t *testing.T, tg Target) {
	var want []Delivered
	for _, s := range samples {
		if err := tg.Sender.Send(context.Background(), s.to, s.text); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		want = append(want, Delivered{To: s.wantTo, Text: s.text})
	}
	got := tg.Delivered()
	if !slices.Equal(got, want) {
		t.Fatalf("delivered:\n%s\nwant:\n%s", show(got), show(want))
	}
}

func permanentErrors(t *testing.T, tg Target) {
	for _, c := range []struct{ to, text string }{
		{"", "hi"}, {"12", "hi"}, {"138-0013-8000", "hi"}, {"+", "hi"}, {"abc", "hi"},
		{"13800138000", ""}, {"13800138000", "bad \xff utf-8"},
	} {
		err := tg.Sender.Send(context.Background(), c.to, c.text)
		if err == nil || !sms.IsPermanent(err) {
			t.Errorf("Send(%q, %q) = %v, want a permanent error", c.to, c.text, err)
		}
		if err != nil && strings.Contains(err.Error(), "0013") {
			t.Errorf("error %q leaks the number", err)
		}
	}
	if got := tg.Delivered(); len(got) != 0 {
		t.Fatalf("delivered %v", got)
	}
}

func cancelled(t *testing.T, tg Target) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := tg.Sender.Send(ctx, "13800138000", "never")
	if err == nil || sms.IsPermanent(err) {
		t.Fatalf("Send on a cancelled context = %v, want a temporary error", err)
	}
	if got := tg.Delivered(); len(got) != 0 {
		t.Fatalf("delivered %v", got)
	}
	// The sender still works afterwards.
	if err := tg.Sender.Send(context.Background(), "13800138000", "after"); err != nil {
		t.Fatal(err)
	}
}

func concurrent(t *testing.T, tg Target) {
	const workers, each = 4, 2
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				errs <- tg.Sender.Send(context.Background(), "13800138000", fmt.Sprintf("消息 %d-%d", w, i))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got := tg.Delivered()
	seen := map[string]int{}
	for _, d := range got {
		seen[d.Text]++
	}
	if len(got) != workers*each || len(seen) != workers*each {
		t.Fatalf("delivered %d messages, %d distinct: %v", len(got), len(seen), show(got))
	}
}

func closed(t *testing.T, tg Target) {
	if err := tg.Sender.Close(); err != nil {
		t.Fatal(err)
	}
	if err := tg.Sender.Send(context.Background(), "13800138000", "late"); err == nil || sms.IsPermanent(err) {
		t.Fatalf("Send after Close = %v, want a temporary error", err)
	}
	if err := tg.Sender.Check(context.Background()); err == nil {
		t.Fatal("Check after Close succeeded")
	}
	if err := tg.Sender.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func show(ds []Delivered) string {
	var sb strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&sb, "  %s %q\n", d.To, d.Text)
	}
	return sb.String()
}
