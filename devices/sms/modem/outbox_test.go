package modem_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/devices/sms"
	"kiosk/devices/sms/modem"
	"kiosk/devices/sms/modemsim"
	"kiosk/model"
	"kiosk/storage"
	"kiosk/storage/kv/bboltkv"
)

// The acceptance tests of the outbox: a real bbolt store, the modem driver
// on a real tty, the emulator injecting faults, and a restart of the
// "process" (worker, driver and store) in the middle of each fault.

var outboxTexts = []string{
	model.SMSSignature + "您的验证码是 305127，5分钟内有效，请勿泄露。",
	model.SMSSignature + strings.Repeat("您的账号申诉已受理，审核结果将以短信通知。", 6), // 3 UCS2 parts
	"Your code is 4242 [kiosk]",
	model.SMSSignature + "您的企业账号密码已修改。",
}

type process struct {
	store  *storage.Store
	worker *sms.Worker
	driver *modem.Modem
	cancel context.CancelFunc
	done   chan error
}

// startProcess opens the store and the modem and runs a worker, as main
// does on start-up.
func startProcess(t *testing.T, dbPath string, keys *storage.Keys, port string) *process {
	t.Helper()
	eng, err := bboltkv.Open(dbPath, bboltkv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := storage.Open(eng, keys)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(port)
	cfg.CommandTimeout, cfg.PromptTimeout, cfg.SubmitTimeout = 150*time.Millisecond, 100*time.Millisecond, 300*time.Millisecond
	d, err := modem.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := &process{store: st, driver: d, done: make(chan error, 1),
		worker: &sms.Worker{Store: st, Sender: d, MaxAttempts: 1000, Poll: 10 * time.Millisecond,
			Backoff: func(int) time.Duration { return 5 * time.Millisecond }}}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go func() { p.done <- p.worker.Run(ctx) }()
	return p
}

// stop shuts the process down gracefully: worker, then modem, then store.
func (p *process) stop(t *testing.T) {
	t.Helper()
	p.cancel()
	if err := <-p.done; err != nil {
		t.Fatal(err)
	}
	p.driver.Close()
	if err := p.store.Close(); err != nil {
		t.Fatal(err)
	}
}

func outbox(t *testing.T, st model.Store, state model.OutboxState) []model.OutboundSMS {
	t.Helper()
	var out []model.OutboundSMS
	err := st.View(context.Background(), func(tx model.Tx) error {
		var err error
		out, err = tx.Outbox().List(state, 100)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestOutboxDeliversExactlyOnceThroughFaultsAndRestart(t *testing.T) {
	tests := []struct {
		name    string
		fault   modemsim.Fault
		retries bool // the fault makes sends fail (the driver copes with garbage)
	}{
		// A silent modem fails the worker's check, so it claims nothing
		// (no attempt is spent) until the modem answers again.
		{"no answer", modemsim.NoAnswer, false},
		{"ERROR", modemsim.Error, true},
		{"CMS ERROR 500", modemsim.CMSError, true},
		{"garbage bytes", modemsim.Garbage, false},
		{"port closed mid-send", modemsim.Hangup, true},
		{"slow prompt", modemsim.SlowPrompt, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			dbPath, keys := filepath.Join(dir, "kiosk.db"), storage.NewKeysForTest()
			emu, err := modemsim.Start(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer emu.Close()
			emu.SetFault(tc.fault)

			// First run: the messages are enqueued with the action that
			// causes them, the worker meets the fault.
			p := startProcess(t, dbPath, keys, emu.Path())
			err = p.store.Update(context.Background(), func(tx model.Tx) error {
				for _, text := range outboxTexts {
					m := model.NewOutboundSMS("13800138000", "", model.SMSKindNotice, time.Now())
					m.Text = text // the full text, signature included or (GSM 7-bit case) not
					if err := tx.Outbox().Enqueue(m); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			p.worker.Kick()
			waitFor(t, "the fault to fire", func() bool { return emu.Hits() >= 2 })

			// Restart in the middle of the fault.
			p.stop(t)
			hits := emu.Hits()
			p = startProcess(t, dbPath, keys, emu.Path())
			defer func() {
				if p != nil {
					p.stop(t)
				}
			}()
			if len(outbox(t, p.store, model.OutboxSent)) < len(outboxTexts) {
				waitFor(t, "the fault to fire after the restart", func() bool { return emu.Hits() > hits })
			}

			// The fault clears: everything goes out, once.
			emu.SetFault(0)
			waitFor(t, "all messages sent", func() bool { return len(outbox(t, p.store, model.OutboxSent)) == len(outboxTexts) })
			retried := 0
			for _, m := range outbox(t, p.store, model.OutboxSent) {
				if m.Attempts > 1 {
					retried++
				}
				if m.LastError != "" || m.SentAt.IsZero() {
					t.Errorf("sent message %+v", m)
				}
			}
			if tc.retries && retried == 0 {
				t.Error("no message needed a retry: the fault was not exercised")
			}
			p.stop(t)
			p = nil

			got := emu.Delivered()
			count := map[string]int{}
			for _, m := range got {
				count[m.Text]++
				if m.To != "+8613800138000" {
					t.Errorf("delivered to %s", m.To)
				}
			}
			for _, text := range outboxTexts {
				if count[text] != 1 {
					t.Errorf("%.30q delivered %d times", text, count[text])
				}
			}
			if len(got) != len(outboxTexts) || emu.DuplicateParts() != 0 {
				t.Errorf("%d deliveries, %d duplicate parts", len(got), emu.DuplicateParts())
			}
			if emu.Err() != nil {
				t.Fatal(emu.Err())
			}
		})
	}
}

// A permanent refusal moves the message aside at once, with a technical
// reason and no personal data, while the others go out.
func TestOutboxPermanentRefusal(t *testing.T) {
	dir := t.TempDir()
	emu, err := modemsim.Start(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	emu.SetCMSCode(1) // unassigned number
	emu.SetFault(modemsim.CMSError)
	p := startProcess(t, filepath.Join(dir, "kiosk.db"), storage.NewKeysForTest(), emu.Path())
	defer p.stop(t)
	err = p.store.Update(context.Background(), func(tx model.Tx) error {
		return tx.Outbox().Enqueue(model.NewOutboundSMS("13800138000", "空号", model.SMSKindNotice, time.Now()))
	})
	if err != nil {
		t.Fatal(err)
	}
	p.worker.Kick()
	waitFor(t, "the message to be moved aside", func() bool { return len(outbox(t, p.store, model.OutboxDead)) == 1 })
	m := outbox(t, p.store, model.OutboxDead)[0]
	if m.Attempts != 1 || m.LastError != "part 1 of 1: at: +CMS ERROR: 1" {
		t.Fatalf("%+v", m)
	}
}

// The documented at-least-once window: the modem accepts a message and
// the line dies before it confirms. The sender cannot know the message
// went out, so the outbox sends it again: the phone gets it twice. (For a
// long message the resent parts carry the same concatenation reference, so
// the phone drops them; see DuplicateParts.)
func TestOutboxLostConfirmationIsAtLeastOnce(t *testing.T) {
	dir := t.TempDir()
	emu, err := modemsim.Start(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	p := startProcess(t, filepath.Join(dir, "kiosk.db"), storage.NewKeysForTest(), emu.Path())
	defer p.stop(t)
	if err := p.driver.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	emu.SetFault(modemsim.LostConfirmation)
	err = p.store.Update(context.Background(), func(tx model.Tx) error {
		return tx.Outbox().Enqueue(model.NewOutboundSMS("13800138000", "验证码 777777", model.SMSKindCode, time.Now()))
	})
	if err != nil {
		t.Fatal(err)
	}
	p.worker.Kick()
	waitFor(t, "the lost confirmation", func() bool { return emu.Hits() >= 1 })
	emu.SetFault(0)
	waitFor(t, "the message sent", func() bool { return len(outbox(t, p.store, model.OutboxSent)) == 1 })
	m := outbox(t, p.store, model.OutboxSent)[0]
	if got := emu.Delivered(); len(got) != 2 || m.Attempts != 2 {
		t.Fatalf("delivered %d times, %d attempts; the window is at-least-once", len(got), m.Attempts)
	}
}
