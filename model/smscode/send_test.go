package smscode_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/smscode"
)

func TestSendStoresCodeRatesAndSMS(t *testing.T) {
	f := newFixture(t)
	next, err := f.send(smscode.PurposeRegister, " "+phoneA+" ", "123456")
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(60 * time.Second); !next.Equal(want) {
		t.Errorf("nextResend = %v, want %v", next, want)
	}
	f.view(func(tx model.Tx) error {
		c, err := tx.SMSCodes().Get(smscode.PurposeRegister, phoneA)
		if err != nil {
			return err
		}
		if c.Hash == "" || c.Hash == "123456" || len(c.Hash) != 64 || !c.SentAt.Equal(start) ||
			!c.Expires.Equal(start.Add(5*time.Minute)) || c.Tries != 0 || c.Used {
			t.Errorf("stored code = %+v", c)
		}
		pw, _ := tx.Rates().Get("sms-phone:" + phoneA)
		kw, _ := tx.Rates().Get("sms-kiosk:K01")
		if len(pw.Events) != 1 || len(kw.Events) != 1 || !pw.Events[0].Equal(start) {
			t.Errorf("rate windows: phone %v, kiosk %v", pw.Events, kw.Events)
		}
		due, err := tx.Outbox().Due(start, 10)
		if err != nil {
			return err
		}
		if len(due) != 1 {
			t.Fatalf("outbox due = %d messages, want 1", len(due))
		}
		m := due[0]
		const text = "【统一身份认证平台】您的验证码为123456，5分钟内有效。如非本人操作，请忽略本短信。"
		if m.To != phoneA || m.Text != text || m.Kind != model.SMSKindCode || m.State != model.OutboxPending ||
			!m.CreatedAt.Equal(start) || len(m.ID) != 32 {
			t.Errorf("outbox message = %+v", m)
		}
		return nil
	})
}

// A send step at an offset from the start; want is matched with errors.Is
// and msg, when set, against the screen sentence.
type sendStep struct {
	at      time.Duration
	kiosk   string // "" → K01
	purpose string // "" → register
	phone   string // "" → phoneA
	want    error
	msg     string
}

func ok(at time.Duration) sendStep { return sendStep{at: at} }

func refused(at time.Duration, want error, msg string) sendStep {
	return sendStep{at: at, want: want, msg: msg}
}

func TestSendRateRules(t *testing.T) {
	const s, m, h = time.Second, time.Minute, time.Hour
	perKiosk := []sendStep{}
	for i := range 60 { // 60 numbers from one kiosk within the hour
		perKiosk = append(perKiosk, sendStep{at: time.Duration(i) * s, phone: fmt.Sprintf("1370000%04d", i)})
	}
	perKiosk = append(perKiosk,
		sendStep{at: 60 * s, phone: phoneB, want: smscode.ErrKioskLimit, msg: "本终端短信发送过于频繁，请稍后再试或咨询窗口工作人员"},
		sendStep{at: 61 * s, phone: phoneB, kiosk: "K02"}, // another kiosk has its own cap
		sendStep{at: h - s, phone: phoneA, want: smscode.ErrKioskLimit},
		sendStep{at: h, phone: phoneA}, // the first send has left the hour
	)
	tests := []struct {
		name  string
		steps []sendStep
	}{
		{"resend after 60 s", []sendStep{
			ok(0),
			refused(30*s, smscode.ErrTooSoon, "发送过于频繁，请30秒后再试"),
			refused(59*s+500*time.Millisecond, smscode.ErrTooSoon, "发送过于频繁，请1秒后再试"),
			ok(60 * s),
		}},
		{"one a minute across purposes", []sendStep{
			ok(0),
			{at: 10 * s, purpose: smscode.PurposeReset, want: smscode.ErrTooSoon, msg: "发送过于频繁，请50秒后再试"},
			{at: 60 * s, purpose: smscode.PurposeReset},
		}},
		{"numbers are counted apart", []sendStep{
			ok(0), {at: s, phone: phoneB}, {at: 2 * s, phone: phoneB, want: smscode.ErrTooSoon},
		}},
		{"five an hour", []sendStep{
			ok(0), ok(m), ok(2 * m), ok(3 * m), ok(4 * m),
			refused(5*m, smscode.ErrHourLimit, "该号码本小时获取验证码次数已达上限，请稍后再试"),
			refused(59*m+59*s, smscode.ErrHourLimit, ""),
			ok(h), // the send at 0 has left the hour; refusals did not count
			refused(h+30*s, smscode.ErrTooSoon, ""),
			ok(h + m), ok(h + 2*m), ok(h + 3*m), ok(h + 4*m), // ten in 24 h
			refused(h+5*m, smscode.ErrDayLimit, ""), // the day limit is named first
		}},
		{"ten a day", []sendStep{
			ok(0), ok(h), ok(2 * h), ok(3 * h), ok(4 * h), ok(5 * h), ok(6 * h), ok(7 * h), ok(8 * h), ok(9 * h),
			refused(10*h, smscode.ErrDayLimit, "该号码今日获取验证码次数已达上限"),
			refused(23*h+59*m, smscode.ErrDayLimit, ""),
			ok(24 * h),
			refused(24*h+5*m, smscode.ErrDayLimit, ""),
			ok(25 * h),
		}},
		{"per kiosk", perKiosk},
		{"invalid numbers", []sendStep{
			{phone: "12345", want: &model.DomainError{}, msg: "手机号码格式不正确，应为11位手机号"},
			{phone: " ", want: &model.DomainError{}, msg: "请输入手机号码"},
			{phone: "12800138000", want: &model.DomainError{}},
			ok(0), // none of them counted
		}},
		{"full width is the same number", []sendStep{
			{phone: "１３８００１３８０００"}, // phoneA from a Chinese input method
			refused(30*s, smscode.ErrTooSoon, ""),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			for i, st := range tc.steps {
				f.at(st.at)
				svc := f.svc
				if st.kiosk != "" {
					svc = f.service(st.kiosk)
				}
				purpose, phone := st.purpose, st.phone
				if purpose == "" {
					purpose = smscode.PurposeRegister
				}
				if phone == "" {
					phone = phoneA
				}
				f.codes.push("111111")
				next, err := svc.Send(context.Background(), f.pass(), purpose, phone)
				if err != nil {
					f.codes = &codeQueue{}
					f.svc.Rand = f.codes
				}
				if msg := checkSendErr(err, st.want, st.msg); msg != "" {
					t.Fatalf("step %d (%s at %v): %s", i, phone, st.at, msg)
				}
				if err == nil && !next.Equal(f.clock.Now().Add(time.Minute)) {
					t.Fatalf("step %d: nextResend %v, want a minute later", i, next.Sub(start))
				}
			}
		})
	}
}

// checkSendErr is checkErr where a bare *model.DomainError as want means
// "some DomainError" (the phone rules' errors have no sentinel here).
func checkSendErr(err, want error, msg string) string {
	var de *model.DomainError
	if d, isDE := want.(*model.DomainError); isDE && d.Code == "" {
		if !errors.As(err, &de) {
			return fmt.Sprintf("err = %v, want a DomainError", err)
		}
		want = nil
		if msg != "" && zh(model.UserMessage(err)) != msg {
			return "message = " + zh(model.UserMessage(err)) + ", want " + msg
		}
		return ""
	}
	return checkErr(err, want, msg)
}

func TestTooSoonUntil(t *testing.T) {
	f := newFixture(t)
	f.mustSend(smscode.PurposeActivate, phoneA, "111111")
	f.at(20 * time.Second)
	_, err := f.send(smscode.PurposeActivate, phoneA, "222222")
	var ts *smscode.TooSoonError
	if !errors.As(err, &ts) || !ts.Until.Equal(start.Add(time.Minute)) || ts.Wait != 40*time.Second {
		t.Fatalf("err = %#v, want TooSoonError until start+60s", err)
	}
}

// Sends over two days: the phone and the kiosk windows keep only the last
// 24 h (the daily caps' window), so records stay small.
func TestRateWindowsPruned(t *testing.T) {
	f := newFixture(t)
	for i := range 17 {
		f.at(time.Duration(i) * 3 * time.Hour)
		f.mustSend(smscode.PurposePerson, phoneA, "111111")
	}
	f.view(func(tx model.Tx) error {
		pw, _ := tx.Rates().Get("sms-phone:" + phoneA)
		kw, _ := tx.Rates().Get("sms-kiosk:K01")
		if len(pw.Events) != 8 || len(kw.Events) != 8 {
			t.Errorf("after 48 h: phone window %d events, kiosk window %d, want 8 and 8", len(pw.Events), len(kw.Events))
		}
		for _, e := range pw.Events {
			if !e.After(f.clock.Now().Add(-24 * time.Hour)) {
				t.Errorf("phone window keeps %v, older than 24 h", e)
			}
		}
		return nil
	})
}

// failingOutbox wraps a store so that every Enqueue fails: Send must then
// leave nothing behind.
type failingOutbox struct{ model.Store }

type failingTx struct{ model.Tx }

type brokenOutbox struct{ model.OutboxRepo }

var errOutbox = errors.New("outbox unavailable")

func (s failingOutbox) Update(ctx context.Context, fn func(model.Tx) error) error {
	return s.Store.Update(ctx, func(tx model.Tx) error { return fn(failingTx{tx}) })
}

func (t failingTx) Outbox() model.OutboxRepo { return brokenOutbox{t.Tx.Outbox()} }

func (brokenOutbox) Enqueue(model.OutboundSMS) error { return errOutbox }

func TestSendIsAtomic(t *testing.T) {
	f := newFixture(t)
	before := f.raw()
	f.svc.Store = failingOutbox{f.store}
	if _, err := f.send(smscode.PurposeRegister, phoneA, "123456"); !errors.Is(err, errOutbox) {
		t.Fatalf("Send with a failing outbox: %v, want the outbox error", err)
	}
	after := f.raw()
	if len(after) != len(before) {
		t.Errorf("a failed Send wrote %d keys", len(after)-len(before))
	}
	f.view(func(tx model.Tx) error {
		_, err := tx.SMSCodes().Get(smscode.PurposeRegister, phoneA)
		pw, _ := tx.Rates().Get("sms-phone:" + phoneA)
		kw, _ := tx.Rates().Get("sms-kiosk:K01")
		if !errors.Is(err, model.ErrNotFound) || len(pw.Events)+len(kw.Events) != 0 {
			t.Errorf("after a failed Send: code err %v, rate events %d/%d", err, len(pw.Events), len(kw.Events))
		}
		return nil
	})
	// Nothing was counted: the number can be sent to at once.
	f.svc.Store = f.store
	f.mustSend(smscode.PurposeRegister, phoneA, "123456")
	if err := f.svc.Check(context.Background(), smscode.PurposeRegister, phoneA, "123456"); err != nil {
		t.Fatal(err)
	}
}

func TestServiceMisuse(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	bad := []*smscode.Service{
		{Store: f.store, Secret: []byte("short")},
		{Secret: secret},
	}
	for i, s := range bad {
		if _, err := s.Send(ctx, f.pass(), smscode.PurposeRegister, phoneA); err == nil {
			t.Errorf("service %d: Send accepted", i)
		}
		if err := s.Check(ctx, smscode.PurposeRegister, phoneA, "123456"); err == nil {
			t.Errorf("service %d: Check accepted", i)
		}
	}
	for _, p := range []string{"", "Register", "a|b", "1x", "x y", "注册"} {
		if _, err := f.send(p, phoneA, "111111"); err == nil || !reflect.DeepEqual(model.UserMessage(err), model.ErrUnavailable.Msg) {
			t.Errorf("purpose %q: Send err %v, want a programming error", p, err)
		}
	}
	// A source that fails is an error, not a weak code.
	f.svc.Rand = &codeQueue{}
	if _, err := f.svc.Send(ctx, f.pass(), smscode.PurposeRegister, phoneA); err == nil {
		t.Error("Send with an empty random source succeeded")
	}
}

func TestDefaultLimits(t *testing.T) {
	want := smscode.Limits{PerMinute: 1, PerHour: 5, PerDay: 10, PerKioskHour: 60, PerKioskDay: 300, TTL: 5 * time.Minute,
		Resend: time.Minute, MaxTries: 5}
	if got := smscode.DefaultLimits(); got != want {
		t.Fatalf("DefaultLimits() = %+v", got)
	}
}

// Custom limits replace the defaults field by field.
func TestCustomLimits(t *testing.T) {
	f := newFixture(t)
	f.svc.Limits = smscode.Limits{PerKioskHour: 2, TTL: 10 * time.Minute, Resend: 90 * time.Second}
	next, err := f.send(smscode.PurposeRegister, phoneA, "111111")
	if err != nil || !next.Equal(start.Add(90*time.Second)) {
		t.Fatalf("Send: %v, next %v", err, next)
	}
	f.at(60 * time.Second)
	if _, err := f.send(smscode.PurposeRegister, phoneA, "111111"); !errors.Is(err, smscode.ErrTooSoon) {
		t.Fatalf("resend at 60 s with Resend 90 s: %v", err)
	}
	f.mustSend(smscode.PurposeRegister, phoneB, "222222")
	f.at(61 * time.Second)
	if _, err := f.send(smscode.PurposeRegister, "13700000000", "333333"); !errors.Is(err, smscode.ErrKioskLimit) {
		t.Fatalf("third number with PerKioskHour 2: %v", err)
	}
	f.at(9 * time.Minute)
	if err := f.svc.Check(context.Background(), smscode.PurposeRegister, phoneB, "222222"); err != nil {
		t.Fatalf("check within a 10 min TTL: %v", err)
	}
	f.view(func(tx model.Tx) error {
		due, err := tx.Outbox().Due(f.clock.Now(), 10)
		if err == nil && (len(due) != 2 || due[0].Text != model.SMSSignature+zh(smscode.Text("111111", 10*time.Minute))) {
			t.Errorf("outbox: %+v", due)
		}
		return err
	})
}

// TestSendIsAudited: every send and every refused send leaves an audit
// record naming the purpose, never the number.
func TestSendIsAudited(t *testing.T) {
	f := newFixture(t)
	f.mustSend(smscode.PurposeRegister, "13812345678", "123456")
	if _, err := f.send(smscode.PurposeRegister, "13812345678", "654321"); !errors.Is(err, smscode.ErrTooSoon) {
		t.Fatalf("second send: %v", err)
	}
	f.view(func(tx model.Tx) error {
		recs, err := tx.Audit().List(0, 100)
		if err != nil {
			return err
		}
		var outcomes []string
		for _, r := range recs {
			if r.Action == smscode.AuditSend {
				outcomes = append(outcomes, r.Outcome)
				if r.Subject != smscode.PurposeRegister || strings.Contains(r.Subject+r.Detail, "1381234") {
					t.Errorf("audit record %+v", r)
				}
			}
		}
		if strings.Join(outcomes, ",") != "ok,limited" {
			t.Errorf("audit outcomes %v", outcomes)
		}
		return nil
	})
}
