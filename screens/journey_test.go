package screens

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/i18n"
	"kiosk/screens/center"
	"kiosk/screens/form"
	"kiosk/screens/login"
	"kiosk/screens/route"
)

// Journeys of both logins, the centers and the idle watchdog.

// openEnterpriseLogin goes from home to 企业登录 (the first home button has
// the focus).
func (k *kiosk) openEnterpriseLogin() {
	k.key(tea.KeyEnter)
	k.waitFor(k.text("field.captcha"))
}

// enterpriseAttempt fills the enterprise login and submits. With id empty
// the identifier is kept and the focus is on the password (as after a
// failed attempt).
func (k *kiosk) enterpriseAttempt(id, password string) {
	if id != "" {
		k.typeText(id)
		k.key(tea.KeyTab)
	}
	k.typeText(password)
	k.key(tea.KeyTab)
	k.typeText(strings.ToLower(captchaText)) // the answer is case-insensitive
	k.waitFor("[" + captchaText)             // drain the typing frames
	k.key(tea.KeyEnter)
}

// agentLogin fills the six agent fields.
func (k *kiosk) agentLogin(account, uscc, phone, id, password string) {
	k.typeFields(account, uscc, phone, id, password)
	k.typeText(captchaText)
	k.waitFor("[" + captchaText)
	k.key(tea.KeyEnter)
}

func TestJourneyEnterpriseLoginByAccount(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, entPassword)
	k.waitFor("修改手机号码")
	r := k.finish()
	if r.Current() != route.EnterpriseCenter.ID() || r.Session() == nil || r.Session().EnterpriseID != f.ent.ID {
		t.Fatalf("screen %s session %+v", r.Current(), r.Session())
	}
	if v := r.View(); !strings.Contains(v, "当前登录："+entName) {
		t.Errorf("the header does not say who is logged in:\n%s", v)
	}
}

func TestJourneyEnterpriseLoginByUSCCAndLogout(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(strings.ToLower(f.uscc), entPassword)
	k.waitFor("修改手机号码")
	k.click(center.Logout)
	k.waitFor("欢迎使用单位服务自助终端")
	r := k.finish()
	if r.Current() != route.Home.ID() || r.Session() != nil {
		t.Fatalf("after 退出: screen %s session %+v", r.Current(), r.Session())
	}
	eventually(t, "logout audit record", func() bool { return hasAudit(f.audit(), "logout", "ok") })
}

func TestJourneyWrongPassword(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, "Wrong#2024")
	k.waitFor("账号或密码错误")
	r := k.finish()
	fm := formOf(t, r)
	if r.Current() != route.EnterpriseLogin.ID() || r.Session() != nil {
		t.Fatalf("screen %s session %+v", r.Current(), r.Session())
	}
	if fm.Value(login.FieldPassword) != "" || fm.Value(login.FieldCaptcha) != "" || fm.Focused() != login.FieldPassword {
		t.Errorf("after a failure the password and captcha are cleared and the password focused: %v focus %s",
			fm.Values().Texts(), fm.Focused())
	}
	if fm.Value(login.FieldIdentifier) != entAccount {
		t.Errorf("identifier lost: %q", fm.Value(login.FieldIdentifier))
	}
}

func TestJourneyFiveFailuresLock(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	for i := 1; i <= 5; i++ {
		id := ""
		if i == 1 {
			id = entAccount
		}
		k.enterpriseAttempt(id, "Wrong#2024")
		if i < 5 {
			// After each answer the focus returns to the (cleared) password.
			k.waitFor("> * 密码")
		}
	}
	// Until when, and the way in now: 忘记密码 (a button too) or the counter.
	k.waitFor("账号已锁定至 10:15。", "可通过“忘记密码”", "或请窗口工作人员解锁", boxed("忘记密码"))
	// While locked even the right password is refused.
	k.enterpriseAttempt("", entPassword)
	k.waitFor("> * 密码")
	// The lock's 忘记密码 leads to the reset, which ends the lock.
	k.click(form.ButtonZone(login.EnterpriseForm, login.ButtonForgot))
	k.waitFor(tr(i18n.Chinese, "forgot.step_confirm"))
	r := k.finish()
	if r.Current() != route.Forgot.ID() || r.Session() != nil {
		t.Fatalf("after the lock's 忘记密码: %s, session %+v", r.Current(), r.Session())
	}
}

// lockedWayIn: in another language the lock says the same, until when and
// the way in now.
func TestJourneyLockedWayInEnglish(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.chooseLang(i18n.English)
	k.openEnterpriseLogin()
	for i := 1; i <= 5; i++ {
		id := ""
		if i == 1 {
			id = entAccount
		}
		k.enterpriseAttempt(id, "Wrong#2024")
		if i < 5 {
			k.waitFor("> * Password")
		}
	}
	k.waitFor(boxed(tr(i18n.English, "home.forgot")))
	r := k.finish()
	want := tr(i18n.English, "error.locked_enterprise", "Until", "10:15")
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") } // the sentence wraps
	if v := wide(r); !strings.Contains(flat(v), want) || !strings.Contains(want, `"Forgot password"`) {
		t.Errorf("lock message with the way in (%q) not shown:\n%s", want, v)
	}
}

func TestJourneyCaptchaWrong(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.typeFields(entAccount, entPassword)
	k.wrongCaptcha()
	k.waitFor("验证码错误或已过期，请重新输入")
	// The field takes the next answer at once, as everywhere.
	k.typeText(captchaText)
	k.waitFor("[" + captchaText)
	r := k.finish()
	fm := formOf(t, r)
	if fm.Focused() != login.FieldCaptcha || fm.Value(login.FieldCaptcha) != captchaText {
		t.Errorf("focus %s captcha %q", fm.Focused(), fm.Value(login.FieldCaptcha))
	}
	if hasAudit(f.audit(), "login.enterprise", "fail") {
		t.Errorf("a wrong captcha must not reach the login use case")
	}
}

func TestJourneyAgentLogin(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.clickHome("home.agent_login") // by touch
	k.waitFor("经办人身份证号")
	k.agentLogin(entAccount, f.uscc, agentPhone, strings.ToLower(f.agent.IDNumber), agentPass)
	k.waitFor("授权有效期")
	r := k.finish()
	if r.Current() != route.AgentCenter.ID() || r.Session() == nil || r.Session().AgentID != f.agent.ID {
		t.Fatalf("screen %s session %+v", r.Current(), r.Session())
	}
	v := r.View()
	for _, want := range []string{"李**", "139****4321", "110105********", "2026-01-01 至 2026-12-31", entName, "经办人 李**"} {
		if !strings.Contains(v, want) {
			t.Errorf("agent center lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, f.agent.IDNumber) || strings.Contains(v, agentPhone) || strings.Contains(v, "李晓明") {
		t.Errorf("unmasked agent data on screen:\n%s", v)
	}
}

func TestJourneyAgentOutsideValidity(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.clickHome("home.agent_login")
	k.waitFor("经办人身份证号")
	k.agentLogin(entAccount, f.uscc, expiredPhone, f.expired.IDNumber, agentPass)
	k.waitFor("经办人授权已过期")
	r := k.finish()
	if r.Current() != route.AgentLogin.ID() || r.Session() != nil {
		t.Fatalf("expired agent got in: %s %+v", r.Current(), r.Session())
	}
}

// TestJourneyMouse focuses fields and presses 登录 by touch only.
func TestJourneyMouse(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.clickHome("home.enterprise_login")
	k.waitFor("图片验证码")
	k.click(form.FieldZone(login.EnterpriseForm, login.FieldPassword))
	k.waitFor("> * 密码")
	k.typeText(entPassword)
	k.click(form.FieldZone(login.EnterpriseForm, login.FieldCaptcha))
	k.waitFor("> * 图片验证码")
	k.typeText(captchaText)
	k.click(form.FieldZone(login.EnterpriseForm, login.FieldIdentifier))
	k.waitFor("> * 企业账号或统一社会信用代码")
	k.typeText(entAccount)
	k.waitFor(entAccount)
	k.click(form.ButtonZone(login.EnterpriseForm, form.ButtonNext))
	k.waitFor("企业中心")
	r := k.finish()
	if r.Current() != route.EnterpriseCenter.ID() {
		t.Fatalf("click on 登录 did not log in: %s", r.Current())
	}
}

// TestJourneyIdleWipesForm: typed values are gone after the idle timeout.
func TestJourneyIdleWipesForm(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.typeFields(entAccount)
	k.typeText("Half#typed")
	k.waitFor(entAccount, "**********")
	k.idle(f.clock, "长时间无操作，将在")
	k.idle(f.clock, "欢迎使用单位服务自助终端")
	k.openEnterpriseLogin()
	r := k.finish()
	fm := formOf(t, r)
	for key, v := range fm.Values().Texts() {
		if v != "" {
			t.Errorf("%s survived the idle reset: %q", key, v)
		}
	}
	if v := r.View(); strings.Contains(v, entAccount) {
		t.Errorf("typed account still drawn:\n%s", v)
	}
	if len(r.history) != 1 || r.history[0].id != route.Home.ID() {
		t.Errorf("history after reset: %+v", r.history)
	}
}

// TestJourneyIdleLogsOut: a logged-in visit ends at the idle timeout.
func TestJourneyIdleLogsOut(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, entPassword)
	k.waitFor("企业中心")
	k.idle(f.clock, "长时间无操作，将在")
	k.idle(f.clock, "欢迎使用单位服务自助终端")
	r := k.finish()
	if r.Current() != route.Home.ID() || r.Session() != nil || len(r.history) != 0 {
		t.Fatalf("after idle: screen %s session %+v history %v", r.Current(), r.Session(), r.history)
	}
	eventually(t, "the idle reset's logout", func() bool { return hasAudit(f.audit(), "logout", "ok") })
}

// TestJourneyIdleCancelledByKey: any key during the countdown keeps the
// visit and what was typed.
func TestJourneyIdleCancelledByKey(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.typeText(entAccount)
	k.waitFor(entAccount)
	k.idle(f.clock, "长时间无操作，将在")
	k.typeText("x") // consumed: it only cancels
	k.waitFor(entAccount)
	// The countdown is gone for good: its last second passes, nothing happens.
	f.clock.Add(time.Minute)
	r := k.finish()
	if r.Current() != route.EnterpriseLogin.ID() || formOf(t, r).Value(login.FieldIdentifier) != entAccount {
		t.Fatalf("cancel lost the visit: %s %v", r.Current(), formOf(t, r).Values().Texts())
	}
}
