package screens

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	accountui "kiosk/screens/account"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Every refusal of the registration: the sentence on screen, the way-on
// button where there is one, and nothing written to the store.

// noRegistration asserts that uscc has no enterprise and nobody registered.
func (f *fixture) noRegistration(uscc string) {
	f.t.Helper()
	if _, ok := f.enterpriseByUSCC(uscc); ok && uscc != "" {
		f.t.Fatalf("an enterprise was stored under %s", uscc)
	}
	if n := f.countAudit(account.AuditRegister); n != 0 {
		f.t.Fatalf("%d register audit records", n)
	}
}

func TestJourneyRegisterStep1Refusals(t *testing.T) {
	t.Parallel()
	e := sampleTonghua
	bad := e.uscc[:17] + "K"
	_, badErr := rules.NormalizeUSCC(bad)
	cases := []struct {
		name, entName, uscc string
		want                string      // on screen
		field               string      // where
		button, to          string      // way-on button and the screen it opens
		toID                kit.RouteID //
		params              any         // expected Params of that screen
	}{
		{name: "bad check digit", entName: e.name, uscc: bad, want: zht(form.ErrorText(badErr)), field: account.FieldUSCC},
		{name: "registry mismatch", entName: "通化弘诚农业科技有限公司", uscc: e.uscc, want: "法人信息不匹配",
			field: account.FieldName, button: "辅助企业注册申诉", to: accountui.RegisterAppeal, toID: route.Appeal.ID(),
			params: route.AppealParams{LegalType: "企业法人", Name: "通化弘诚农业科技有限公司", USCC: e.uscc, RepName: e.rep, IDNumber: e.id}},
		{name: "already active", entName: "长春澜益农业科技有限公司", uscc: "9122012283957419XU",
			want: "该统一社会信用代码已注册", field: account.FieldUSCC, button: "忘记密码", to: accountui.RegisterForgot, toID: route.Forgot.ID()},
		{name: "pending", entName: "长春博润科技股份有限公司", uscc: "912201024464976990",
			want: zht(model.ErrPendingUSCC.Msg), field: account.FieldUSCC, button: "账号激活", to: accountui.RegisterActivate, toID: route.Activate.ID(),
			// What was typed goes along (issue 10, item 9).
			params: route.ActivateParams{LegalType: "企业法人", Name: "长春博润科技股份有限公司", USCC: "912201024464976990"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			k := startKiosk(t, f.deps)
			k.openRegister()
			k.fillEnterprise(c.entName, c.uscc)
			if c.button == "" {
				k.waitFor(c.want)
				r := k.finish()
				if got := formOf(t, r).Error(c.field); got != c.want {
					t.Fatalf("%s error %q, want %q", c.field, got, c.want)
				}
				f.noRegistration(c.uscc)
				return
			}
			// The registry and the store answer only after the SMS code
			// of step 2; the answer goes back next to its step-1 field.
			k.waitFor(k.text("field.rep_name"))
			k.fillRep(e.rep, e.id, e.period, e.from, e.phone)
			k.requestCode()
			k.waitForWithout("验证码已发送至 187****2385", c.want)
			k.typeText(f.deliver(e.phone))
			k.key(tea.KeyEnter)
			k.waitFor(c.want, c.button)
			k.click(form.ButtonZone(accountui.RegisterForm, c.to))
			if c.toID == route.Appeal.ID() {
				k.waitFor(zh("appeal.type_register"))
			} else {
				k.waitFor("1 确认账号") // the step bar of both 忘记密码 and 账号激活
			}
			r := k.finish()
			if r.Current() != c.toID {
				t.Fatalf("%s led to %s, want %s", c.button, r.Current(), c.toID)
			}
			if c.params != nil && r.params != c.params {
				t.Fatalf("params %+v, want %+v", r.params, c.params)
			}
			if len(r.history) == 0 || r.history[len(r.history)-1].id != route.Register.ID() {
				t.Fatalf("history %+v", r.history)
			}
			if c.toID == route.Appeal.ID() {
				f.noRegistration(c.uscc)
			} else {
				f.noRegistration("") // the USCC has its enterprise already: only no new registration
			}
		})
	}
}

func TestJourneyRegisterStep2Refusals(t *testing.T) {
	t.Parallel()
	e := sampleTonghua
	badID := e.id[:17] + "7"
	_, badIDErr := rules.ParseResidentID(badID, testNow)
	cases := []struct {
		name, rep, id      string
		period             int
		from               string
		want, field, label string
	}{
		{"bad ID check digit", e.rep, badID, e.period, e.from, zht(form.ErrorText(badIDErr)), account.FieldIDNumber, "* 证件号码"},
		// Issued at 12: five years, ended 2018.
		{"expired ID", e.rep, e.id, 1, "2013-11-25", "证件已过期", account.FieldIDTo, "  结束日期"},
		{"validity not matching age", e.rep, e.id, 3, e.from, "证件有效期与年龄不符：签发时16至25周岁应为10年，请核对", account.FieldIDPeriod, "* 证件有效期"},
		{"legal rep mismatch", "冯刚", e.id, e.period, e.from, "法人信息不匹配", account.FieldRepName, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			k := startKiosk(t, f.deps)
			typed := e
			typed.rep, typed.id, typed.period, typed.from = c.rep, c.id, c.period, c.from
			k.fillToCode(typed)
			k.requestCode()
			k.waitFor("验证码已发送至 187****2385")
			k.typeText(f.deliver(e.phone)) // field errors come before the code; the registry after it
			k.key(tea.KeyEnter)
			if c.field == account.FieldRepName {
				k.waitFor(c.want, "辅助企业注册申诉")
				k.click(form.ButtonZone(accountui.RegisterForm, accountui.RegisterAppeal))
				k.waitFor(zh("appeal.type_register"))
				r := k.finish()
				p, _ := r.params.(route.AppealParams)
				if r.Current() != route.Appeal.ID() || p.USCC != e.uscc || p.RepName != "冯刚" || p.IDNumber != e.id {
					t.Fatalf("appeal %s with %+v", r.Current(), r.params)
				}
				if fm := formOf(t, r); fm.Value(account.FieldIDNumber) != e.id || fm.Value(account.FieldUSCC) != e.uscc {
					t.Fatalf("the appeal is not pre-filled: %q %q", fm.Value(account.FieldIDNumber), fm.Value(account.FieldUSCC))
				}
				f.noRegistration(e.uscc)
				return
			}
			// The refusal stood under its field since the field was left;
			// the enter takes the focus back to it.
			k.waitFor("> " + c.label)
			r := k.finish()
			fm := formOf(t, r)
			if got := fm.Error(c.field); !strings.HasPrefix(got, c.want) {
				t.Fatalf("%s error %q, want %q (all: %v, form: %q)", c.field, got, c.want, fm.Errors(), fm.FormError())
			}
			if fm.Step() != 1 {
				t.Fatalf("at step %d", fm.Step())
			}
			f.noRegistration(e.uscc)
		})
	}
}

// Wrong and expired codes: answer decides what is typed and may move the
// clock.
func TestJourneyRegisterSMSRefusals(t *testing.T) {
	t.Parallel()
	e := sampleTonghua
	cases := []struct {
		name   string
		answer func(f *fixture, code string) string
		want   string
	}{
		{"wrong code", func(_ *fixture, code string) string { return flipDigits(code) }, "验证码错误，还可尝试4次"},
		{"expired code", func(f *fixture, code string) string { f.clock.Add(5*time.Minute + time.Second); return code },
			zht(smscode.ErrExpired.Msg)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			// The person stays at the kiosk while the code ages: the clock
			// that ages it must not run the idle watchdog out.
			f.deps.IdleTimeout = 24 * time.Hour
			k := startKiosk(t, f.deps)
			k.fillToCode(e)
			k.requestCode()
			k.waitFor("验证码已发送至 187****2385")
			k.typeText(c.answer(f, f.deliver(e.phone)))
			k.key(tea.KeyEnter)
			k.waitFor(c.want)
			r := k.finish()
			if got := formOf(t, r).Error(account.FieldSMSCode); got != c.want {
				t.Fatalf("code error %q, want %q", got, c.want)
			}
			f.noRegistration(e.uscc)
		})
	}
}

func flipDigits(code string) string {
	b := []byte(code)
	for i := range b {
		b[i] = '0' + (b[i]-'0'+1)%10
	}
	return string(b)
}

// A code answered once (step 2 passed, then 取消) cannot be answered again
// in a new registration.
func TestJourneyRegisterReusedCode(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	f.toAccountStep(k, e)
	code := f.deliver(e.phone) // the same code, still on the phone
	k.click(form.ButtonZone(accountui.RegisterForm, form.ButtonCancel))
	k.confirmLeave()
	k.waitFor("欢迎使用单位服务自助终端")
	k.fillToCode(e)
	k.typeText(code)
	k.key(tea.KeyEnter)
	k.waitFor(zht(smscode.ErrInvalidated.Msg))
	r := k.finish()
	if fm := formOf(t, r); fm.Step() != 1 {
		t.Fatalf("a reused code passed step 2: at step %d", fm.Step())
	}
	f.noRegistration(e.uscc)
}

// A second 获取验证码 within 60 s (from a new form, whose button is not
// counting down) is refused with the time left, and the countdown runs
// from there.
func TestJourneyRegisterSMSTooSoon(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	k.fillToCode(e)
	k.requestCode()
	k.waitFor("验证码已发送至")
	k.click(form.ButtonZone(accountui.RegisterForm, form.ButtonCancel))
	k.confirmLeave()
	k.waitFor("欢迎使用单位服务自助终端")
	f.clock.Add(20 * time.Second)
	k.fillToCode(e)
	k.requestCode()
	k.waitFor("发送过于频繁，请40秒后再试")
	r := k.finish()
	fm := formOf(t, r)
	if n := fm.Countdown(account.FieldSMSCode); n < 35 || n > 40 {
		t.Fatalf("countdown %d, want the 40 s left", n)
	}
	f.deliver(e.phone)
	if n := len(f.phone.Messages()); n != 1 {
		t.Fatalf("%d codes sent, want 1", n)
	}
}

// The sixth code within the hour is refused.
func TestJourneyRegisterSMSHourLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	e := sampleTonghua
	for i := range 5 {
		if _, err := f.svc.SendRegisterCode(context.Background(), answeredPass(t, f.deps.Captcha), e.phone); err != nil {
			t.Fatalf("send %d: %v", i+1, err)
		}
		f.clock.Add(61 * time.Second)
	}
	k := startKiosk(t, f.deps)
	k.fillToCode(e)
	k.requestCode()
	k.waitFor(zht(smscode.ErrHourLimit.Msg))
	r := k.finish()
	if fm := formOf(t, r); fm.Error(account.FieldSMSCode) != zht(smscode.ErrHourLimit.Msg) {
		t.Fatalf("code field error %q", fm.Error(account.FieldSMSCode))
	}
}

func TestJourneyRegisterStep3Refusals(t *testing.T) {
	t.Parallel()
	weak := "abcdefgh1"
	cases := []struct {
		name, acct, pw, confirm string
		want, field             string
	}{
		{"weak password", newAccount, weak, weak, zht(form.ErrorText(rules.CheckPassword(weak, newAccount))), account.FieldPassword},
		{"confirm differs", newAccount, newPassword, newPassword + "x", zht(model.ErrPasswordConfirm.Msg), account.FieldConfirm},
		{"duplicate account", "DEMO_CORP01", newPassword, newPassword, zht(model.ErrAccountTaken.Msg), account.FieldAccount},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			k := startKiosk(t, f.deps)
			e := sampleQijin
			f.toAccountStep(k, e)
			k.fillAccount(c.acct, c.pw, c.confirm)
			k.waitFor(c.want)
			r := k.finish()
			fm := formOf(t, r)
			if got := fm.Error(c.field); got != c.want {
				t.Fatalf("%s error %q, want %q", c.field, got, c.want)
			}
			if fm.Step() != 2 || !flowOf(t, r).OnForm() {
				t.Fatalf("went on to step %d / on the form %v", fm.Step(), flowOf(t, r).OnForm())
			}
			f.noRegistration(e.uscc)
		})
	}
}
