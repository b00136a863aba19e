package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"kiosk/model"
)

// TestOutboxCommands: a message moved aside after repeated failure is
// visible to staff (masked, without its text) and can be queued again.
func TestOutboxCommands(t *testing.T) {
	dir := t.TempDir()
	path := demoConfig(t, dir)
	cfg, err := LoadConfig(path, true)
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Now()
	dead := model.NewOutboundSMS("13812345678", "您的验证码为 482915", model.SMSKindCode, now)
	ok := model.NewOutboundSMS("13900001111", "通知", model.SMSKindNotice, now)
	err = st.Update(ctx, func(tx model.Tx) error {
		for _, m := range []model.OutboundSMS{dead, ok} {
			if err := tx.Outbox().Enqueue(m); err != nil {
				return err
			}
		}
		dead.State, dead.Attempts, dead.LastError = model.OutboxDead, 10, "at: +CMS ERROR: 500"
		return tx.Outbox().Put(dead)
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	var out, errb strings.Builder
	if code := run([]string{"-config", path, "outbox", "list", "dead"}, &out, &errb); code != 0 {
		t.Fatalf("list: %d %s", code, errb.String())
	}
	o := out.String()
	if !strings.Contains(o, dead.ID) || !strings.Contains(o, "138****5678") || !strings.Contains(o, "+CMS ERROR: 500") ||
		!strings.Contains(o, "1 message(s)") {
		t.Fatalf("dead list:\n%s", o)
	}
	if strings.Contains(o, "13812345678") || strings.Contains(o, "482915") || strings.Contains(o, ok.ID) {
		t.Fatalf("list leaks a number, a code or the wrong state:\n%s", o)
	}
	out.Reset()
	if code := run([]string{"-config", path, "outbox", "retry", ok.ID}, &out, &errb); code == 0 {
		t.Fatal("a pending message was 'retried'")
	}
	if code := run([]string{"-config", path, "outbox", "retry", dead.ID}, &out, &errb); code != 0 {
		t.Fatalf("retry: %s", errb.String())
	}
	st, err = openStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.View(ctx, func(tx model.Tx) error {
		m, err := tx.Outbox().Get(dead.ID)
		if err != nil {
			return err
		}
		if m.State != model.OutboxPending || m.Attempts != 0 {
			t.Errorf("after retry: %+v", m)
		}
		recs, err := tx.Audit().List(0, 100)
		if err != nil {
			return err
		}
		if len(recs) == 0 || recs[len(recs)-1].Action != "outbox.retry" || recs[len(recs)-1].Subject != dead.ID {
			t.Errorf("no audit record for the retry: %+v", recs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
