package smscode_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/model/smscode"
)

// No code leaves the kiosk without a picture-captcha pass: a zero pass, a
// pass of another captcha service and an expired pass are refused, store
// nothing but the refusal's audit record, and say so on the screen.
func TestSendNeedsCaptchaPass(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	other := captcha.New(f.clock, nil)
	ch := other.Issue()
	foreign, _ := other.Answer(ch.ID, ch.Text)
	stale := f.pass()
	f.at(captcha.PassTTL + time.Second)
	for name, p := range map[string]captcha.Pass{"zero": {}, "foreign": foreign, "expired": stale} {
		f.codes.push("111111")
		_, err := f.svc.Send(ctx, p, smscode.PurposeRegister, phoneA)
		if msg := checkErr(err, smscode.ErrCaptchaRequired, "请先正确输入图片验证码，再获取短信验证码"); msg != "" {
			t.Errorf("%s pass: %s", name, msg)
		}
		f.codes = &codeQueue{}
		f.svc.Rand = f.codes
	}
	f.view(func(tx model.Tx) error {
		if _, err := tx.SMSCodes().Get(smscode.PurposeRegister, phoneA); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("a code was stored without a captcha: %v", err)
		}
		if w, _ := tx.Rates().Get("sms-kiosk:K01"); len(w.Events) != 0 {
			t.Errorf("refused sends counted: %d", len(w.Events))
		}
		msgs, err := tx.Outbox().List(model.OutboxPending, 100)
		if err != nil || len(msgs) != 0 {
			t.Errorf("outbox: %d messages, %v", len(msgs), err)
		}
		recs, err := tx.Audit().List(0, 100)
		if err != nil {
			return err
		}
		n := 0
		for _, r := range recs {
			if r.Action == smscode.AuditSend && r.Outcome == "no_captcha" && r.Subject == smscode.PurposeRegister {
				n++
			}
		}
		if n != 3 {
			t.Errorf("%d no_captcha audit records, want 3: %+v", n, recs)
		}
		return nil
	})
	// A fresh pass sends, and may be presented again for a resend.
	p := f.pass()
	f.codes.push("222222")
	if _, err := f.svc.Send(ctx, p, smscode.PurposeRegister, phoneA); err != nil {
		t.Fatalf("Send with a pass: %v", err)
	}
	f.at(captcha.PassTTL + 2*time.Minute)
	f.codes.push("333333")
	if _, err := f.svc.Send(ctx, p, smscode.PurposeRegister, phoneA); err != nil {
		t.Fatalf("resend with the same live pass: %v", err)
	}
}

// A Service without a captcha gate is a wiring mistake, never an open door.
func TestSendWithoutGate(t *testing.T) {
	f := newFixture(t)
	f.svc.Captcha = nil
	f.codes.push("111111")
	_, err := f.svc.Send(context.Background(), f.pass(), smscode.PurposeRegister, phoneA)
	if err == nil || errors.Is(err, smscode.ErrCaptchaRequired) {
		t.Fatalf("Send without a gate: %v, want a programming error", err)
	}
}

// The kiosk's daily cap holds beside the hourly one: sends spread so the
// hourly cap never bites stop at the daily cap, for every number, and come
// back once the oldest send is a day old.
func TestKioskDayCap(t *testing.T) {
	f := newFixture(t)
	f.svc.Limits = smscode.Limits{PerKioskHour: 100, PerKioskDay: 3}
	phones := []string{"13700000001", "13700000002", "13700000003", "13700000004"}
	for i, p := range phones[:3] {
		f.at(time.Duration(i) * 2 * time.Hour)
		f.mustSend(smscode.PurposeRegister, p, "111111")
	}
	f.at(7 * time.Hour)
	_, err := f.send(smscode.PurposeRegister, phones[3], "222222")
	if msg := checkErr(err, smscode.ErrKioskDayLimit, "本终端今日短信发送次数已达上限，请咨询窗口工作人员"); msg != "" {
		t.Fatal(msg)
	}
	// Another kiosk is not affected.
	other := f.service("K02")
	f.codes.push("333333")
	if _, err := other.Send(context.Background(), f.pass(), smscode.PurposeRegister, phones[3]); err != nil {
		t.Fatalf("another kiosk: %v", err)
	}
	f.at(24*time.Hour + time.Second)
	f.mustSend(smscode.PurposeRegister, "13700000005", "444444")
	if got := smscode.DefaultLimits().PerKioskDay; got != smscode.DefaultPerKioskDay || got <= smscode.DefaultLimits().PerKioskHour {
		t.Errorf("default daily cap %d", got)
	}
}
