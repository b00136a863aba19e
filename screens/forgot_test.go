package screens

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/smscode"
	accountui "kiosk/screens/account"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Journeys of 忘记密码 (manual §三) through the real root model, on the
// demo store: what the screen shows and what the store holds.

func TestJourneyForgotSuccess(t *testing.T) {
	f := newFixture(t)
	// A session opened before the reset (on this or another kiosk).
	sess, err := f.auth.LoginEnterprise(context.Background(), rcAccount, rcPassword)
	if err != nil {
		t.Fatal(err)
	}
	before := f.enterprise("9122012283957419XU")
	k := startKiosk(t, f.deps)
	k.forgotAll(f, rcAccount, rcRep, strings.ToLower(rcID), rcPhone, rcMasked, rcNewPass)
	r := k.finish()
	if r.Current() != route.Forgot.ID() {
		t.Fatalf("at %s", r.Current())
	}
	v := r.View()
	for _, want := range []string{"密码重置成功", rcMasked, "前往登录", "[4 完成]"} {
		if !strings.Contains(v, want) {
			t.Errorf("final page lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, rcPhone) || strings.Contains(v, rcID) {
		t.Errorf("unmasked PII:\n%s", v)
	}
	if vals := formOf(t, r).Values(); vals.Text(account.FieldPassword) != "" || vals.Text(account.FieldIDNumber) != "" {
		t.Errorf("typed values outlive the flow: %v", vals.Texts())
	}
	after := f.enterprise("9122012283957419XU")
	if after.SessionEpoch != before.SessionEpoch+1 {
		t.Errorf("session epoch %d → %d", before.SessionEpoch, after.SessionEpoch)
	}
	if _, err := f.auth.EnterpriseView(context.Background(), sess); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("the session opened before the reset still works: %v", err)
	}
	if err := f.login(rcAccount, rcNewPass); err != nil {
		t.Errorf("new password refused: %v", err)
	}
	if err := f.login(rcAccount, rcPassword); !errors.Is(err, model.ErrBadCredentials) {
		t.Errorf("old password: %v", err)
	}
	if n := f.auditCount(account.AuditReset, "ok"); n != 1 {
		t.Errorf("%d password.reset records", n)
	}
	if n := f.auditCount(account.AuditResetLookup, "ok"); n != 1 {
		t.Errorf("%d look-up records", n)
	}
	if n := f.notices(rcPhone); len(n) != 1 || !strings.Contains(n[0].Text, "密码已修改") {
		t.Errorf("notices %+v", n)
	}
}

// The new password works through the login screen (前往登录), the old one
// does not.
func TestJourneyForgotThenLogin(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.forgotAll(f, rcAccount, rcRep, rcID, rcPhone, rcMasked, rcNewPass)
	k.key(tea.KeyEnter)                       // 前往登录 has the focus
	k.waitFor("企业账号或统一社会信用代码", "["+rcAccount) // the account is filled in
	k.enterpriseAttempt("", rcPassword)
	k.waitFor("账号或密码错误")
	k.enterpriseAttempt("", rcNewPass)
	k.waitFor("企业中心")
	r := k.finish()
	if r.Current() != route.EnterpriseCenter.ID() || r.Session() == nil || r.Session().EnterpriseName != "长春澜益农业科技有限公司" {
		t.Fatalf("at %s, session %+v", r.Current(), r.Session())
	}
	if len(r.history) != 1 || r.history[0].id != route.Home.ID() {
		t.Errorf("history %+v: 返回 could lead back into the flow", r.history)
	}
}

// A wrong captcha never reaches the use case; behind a right one an unknown
// account is named as the manual asks.
func TestJourneyForgotUnknownAccount(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openForgot()
	k.forgotConfirm("nobody_2026", rcRep, rcID, "AAAA")
	k.waitFor(zht(kit.CaptchaWrong))
	if n := f.auditCount(account.AuditResetLookup, ""); n != 0 {
		t.Fatalf("a wrong captcha reached the look-up (%d records)", n)
	}
	k.answerCaptcha(captchaText) // the captcha field has the focus, cleared
	k.waitFor("当前企业账号不存在")
	r := k.finish()
	fm := formOf(t, r)
	if fm.Step() != 0 || fm.Error(account.FieldAccount) != "当前企业账号不存在" || fm.Value(account.FieldAccount) != "nobody_2026" {
		t.Errorf("step %d, account error %q, value %q", fm.Step(), fm.Error(account.FieldAccount), fm.Value(account.FieldAccount))
	}
	if n := f.auditCount(account.AuditResetLookup, "unknown"); n != 1 {
		t.Errorf("%d unknown look-ups", n)
	}
}

// The per-kiosk look-up limit: the 11th look-up in the window is refused,
// whatever the account.
func TestJourneyForgotLookupLimit(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openForgot()
	k.forgotConfirm("nobody_2026", rcRep, rcID, captchaText)
	for i := 1; i <= 10; i++ {
		eventually(t, "look-up answered", func() bool { return f.auditCount(account.AuditResetLookup, "unknown") == i })
		k.waitFor("> * 法人账号") // the error field has the focus again
		if i == 10 {
			// The 11th look-up is for the real account: refused all the same.
			for range len("nobody_2026") {
				k.key(tea.KeyBackspace)
			}
			k.typeText(rcAccount)
		}
		k.key(tea.KeyTab)
		k.key(tea.KeyTab)
		k.key(tea.KeyTab)
		k.answerCaptcha(captchaText)
	}
	k.waitFor("查询过于频繁")
	r := k.finish()
	if fm := formOf(t, r); fm.Step() != 0 {
		t.Errorf("went on to step %d", fm.Step()+1)
	}
	if n := f.auditCount(account.AuditResetLookup, "limited"); n != 1 {
		t.Errorf("%d limited look-ups", n)
	}
}

// smsCodeStep opens 忘记密码 and gets to 短信验证 with a code sent.
func smsCodeStep(t *testing.T, f *fixture) *kiosk {
	k := startKiosk(t, f.deps)
	k.openForgot()
	k.forgotConfirm(rcAccount, rcRep, rcID, captchaText)
	k.waitFor("已匹配到法人预留手机号码 " + rcMasked)
	k.key(tea.KeyF5)
	k.waitFor("验证码已发送至 " + rcMasked)
	return k
}

// otherCode is a wrong code: code with its first digit changed.
func otherCode(code string) string {
	return string('0'+(code[0]-'0'+1)%10) + code[1:]
}

func TestJourneyForgotWrongCode(t *testing.T) {
	f := newFixture(t)
	k := smsCodeStep(t, f)
	code := f.deliver(rcPhone)
	k.typeText(otherCode(code))
	k.key(tea.KeyEnter)
	k.waitFor("验证码错误，还可尝试4次")
	for range 6 {
		k.key(tea.KeyBackspace)
	}
	k.typeText(code)
	k.key(tea.KeyEnter)
	k.waitFor("确认新密码")
	r := k.finish()
	if fm := formOf(t, r); fm.Step() != 2 {
		t.Fatalf("the right code after a wrong one: step %d", fm.Step()+1)
	}
	f.passwordUnchanged()
}

func TestJourneyForgotExpiredCode(t *testing.T) {
	f := newFixture(t)
	// The person stays at the kiosk while the code ages: the clock that ages
	// it must not run the idle watchdog out.
	f.deps.IdleTimeout = 24 * time.Hour
	k := smsCodeStep(t, f)
	code := f.deliver(rcPhone)
	f.clock.Add(6 * time.Minute) // codes live 5 minutes
	k.typeText(code)
	k.key(tea.KeyEnter)
	k.waitFor("验证码已过期，请重新获取")
	r := k.finish()
	if fm := formOf(t, r); fm.Step() != 1 || fm.Error(account.FieldSMSCode) == "" {
		t.Errorf("step %d, error %q", fm.Step()+1, fm.Error(account.FieldSMSCode))
	}
	f.passwordUnchanged()
}

// A code that passed once does not pass again (going back to 短信验证).
func TestJourneyForgotReusedCode(t *testing.T) {
	f := newFixture(t)
	k := smsCodeStep(t, f)
	code := f.deliver(rcPhone)
	k.typeText(code)
	k.key(tea.KeyEnter)
	k.waitFor("确认新密码")
	k.key(tea.KeyEsc) // back to 短信验证, the code still typed
	k.waitFor("[2 短信验证]")
	k.key(tea.KeyEnter)
	k.waitFor("验证码已失效，请重新获取")
	r := k.finish()
	fm := formOf(t, r)
	if fm.Step() != 1 || fm.Value(account.FieldSMSCode) != code {
		t.Errorf("step %d, code %q", fm.Step()+1, fm.Value(account.FieldSMSCode))
	}
	if !stateOf[accountForgot](t, r).Proof().IsZero() {
		t.Error("the earlier proof survived a failed re-check")
	}
	f.passwordUnchanged()
}

// passwordStep gets to 设置新密码.
func passwordStep(t *testing.T, f *fixture) *kiosk {
	k := smsCodeStep(t, f)
	k.typeText(f.deliver(rcPhone))
	k.key(tea.KeyEnter)
	k.waitFor("确认新密码")
	return k
}

func TestJourneyForgotWeakPassword(t *testing.T) {
	f := newFixture(t)
	k := passwordStep(t, f)
	k.passwords("abcd1234", "abcd1234")
	k.waitFor("密码须包含大写字母、小写字母、数字、符号中的至少三种")
	r := k.finish()
	if fm := formOf(t, r); fm.Step() != 2 || fm.Focused() != account.FieldPassword {
		t.Errorf("step %d focus %s", fm.Step()+1, fm.Focused())
	}
	f.passwordUnchanged()
}

func TestJourneyForgotConfirmDiffers(t *testing.T) {
	f := newFixture(t)
	k := passwordStep(t, f)
	k.passwords(rcNewPass, rcNewPass+"x")
	k.waitFor("两次输入的密码不一致")
	k.finish()
	f.passwordUnchanged()
}

func TestJourneyForgotSamePassword(t *testing.T) {
	f := newFixture(t)
	k := passwordStep(t, f)
	k.passwords(rcPassword, rcPassword)
	k.waitFor("新密码不能与当前密码相同")
	r := k.finish()
	if fm := formOf(t, r); fm.Step() != 2 || fm.Error(account.FieldPassword) != "新密码不能与当前密码相同" {
		t.Errorf("step %d, error %q", fm.Step()+1, fm.Error(account.FieldPassword))
	}
	f.passwordUnchanged()
}

// 取消 at 短信验证 goes home; the password is untouched and a new visit
// starts empty.
func TestJourneyForgotCancel(t *testing.T) {
	f := newFixture(t)
	k := passwordStep(t, f)
	k.typeFields(rcNewPass)
	k.click(form.ButtonZone(accountui.ForgotForm, form.ButtonCancel))
	k.confirmLeave()
	k.waitFor("欢迎使用单位服务自助终端")
	k.openForgot()
	r := k.finish()
	fm := formOf(t, r)
	for key, v := range fm.Values().Texts() {
		if v != "" {
			t.Errorf("%s survived the cancel: %q", key, v)
		}
	}
	if fm.Step() != 0 {
		t.Errorf("new visit at step %d", fm.Step()+1)
	}
	f.passwordUnchanged()
}

// The idle reset wipes the flow: a new visit starts empty at step 1.
func TestJourneyForgotIdleWipes(t *testing.T) {
	f := newFixture(t)
	k := smsCodeStep(t, f)
	k.typeText("12")
	k.idle(f.clock, "长时间无操作，将在")
	k.idle(f.clock, "欢迎使用单位服务自助终端")
	k.openForgot()
	r := k.finish()
	fm := formOf(t, r)
	if fm.Step() != 0 || stateOf[accountForgot](t, r).Ticket().EnterpriseID != "" {
		t.Errorf("step %d, ticket kept", fm.Step()+1)
	}
	for key, v := range fm.Values().Texts() {
		if v != "" {
			t.Errorf("%s survived the idle reset: %q", key, v)
		}
	}
	f.passwordUnchanged()
}

func TestGoldenForgot(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openForgot()
	v := k.finish().View()
	if !strings.Contains(v, "[1 确认账号] › 2 短信验证 › 3 设置新密码 › 4 完成") {
		t.Errorf("step indicator:\n%s", v)
	}
	teatest.RequireEqualOutput(t, []byte(v))
}

// While the new password is being written the spinner turns, keys still
// work, and esc cannot leave the step (the write completes anyway); then
// the final page.
func TestJourneyForgotFinalWriteWaits(t *testing.T) {
	f := newFixture(t)
	g := newGate()
	t.Cleanup(func() {
		select {
		case <-g.release:
		default:
			close(g.release)
		}
	})
	f.deps.Accounts = f.gatedAccounts(g)
	k := passwordStep(t, f)
	g.arm()
	k.passwords(rcNewPass, rcNewPass)
	g.waitHeld(t) // ResetPassword's write
	k.waitFor("正在保存，请稍候")
	k.key(tea.KeyEsc)
	k.click(form.ButtonZone(accountui.ForgotForm, form.ButtonCancel))
	k.key(tea.KeyShiftTab) // typing still works: back to 新密码
	k.key(tea.KeyF2)       // 显示
	k.waitFor(rcNewPass)   // revealed
	close(g.release)
	k.waitFor("密码重置成功")
	r := k.finish()
	if r.Current() != route.Forgot.ID() {
		t.Fatalf("at %s", r.Current())
	}
	if err := f.login(rcAccount, rcNewPass); err != nil {
		t.Errorf("new password: %v", err)
	}
}

// A code sent to the reserved phone moments ago (by another flow) holds
// the button back: the wait is said and counted down.
func TestJourneyForgotSMSTooSoon(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.Codes.Send(context.Background(), answeredPass(t, f.deps.Captcha), smscode.PurposeRegister, rcPhone); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(20 * time.Second)
	k := startKiosk(t, f.deps)
	k.openForgot()
	k.forgotConfirm(rcAccount, rcRep, rcID, captchaText)
	k.waitFor("已匹配到法人预留手机号码 " + rcMasked)
	k.key(tea.KeyF5)
	k.waitFor("发送过于频繁，请40秒后再试")
	r := k.finish()
	if fm := formOf(t, r); fm.Countdown(account.FieldSMSCode) != 40 {
		t.Errorf("countdown %d", fm.Countdown(account.FieldSMSCode))
	}
	f.passwordUnchanged()
}
