package screens

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/screens/form"
)

// Journeys drive the real root model (teatest) against a real bbolt store:
// keys and clicks in, screen text and stored records out.

// openEnterpriseLogin goes from home to 企业登录 (the first home button has
// the focus).
func (k *kiosk) openEnterpriseLogin() {
	k.key(tea.KeyEnter)
	k.waitFor("图片验证码")
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

func loginForm(t *testing.T, r *Root) *form.Form {
	t.Helper()
	l, ok := r.cur.(*loginScreen)
	if !ok {
		t.Fatalf("current screen %s is not a login screen", r.curID)
	}
	return l.form
}

func TestJourneyEnterpriseLoginByAccount(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, entPassword)
	k.waitFor("统一社会信用代码")
	r := k.finish()
	if r.Current() != ScreenEnterpriseCenter || r.Session() == nil || r.Session().EnterpriseID != f.ent.ID {
		t.Fatalf("screen %s session %+v", r.Current(), r.Session())
	}
	v := r.View()
	for _, want := range []string{entName, f.uscc, "王**", "138****5678", "正常", "当前登录：" + entName} {
		if !strings.Contains(v, want) {
			t.Errorf("center lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "13812345678") || strings.Contains(v, "王建国") {
		t.Errorf("unmasked PII on screen:\n%s", v)
	}
}

func TestJourneyEnterpriseLoginByUSCCAndLogout(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(strings.ToLower(f.uscc), entPassword)
	k.waitFor("统一社会信用代码")
	k.click(CenterLogout)
	k.waitFor("欢迎使用单位服务自助终端")
	r := k.finish()
	if r.Current() != ScreenHome || r.Session() != nil {
		t.Fatalf("after 退出: screen %s session %+v", r.Current(), r.Session())
	}
	deadline := time.Now().Add(waitTimeout)
	for !hasAudit(f.audit(), "logout", "ok") {
		if time.Now().After(deadline) {
			t.Fatalf("no logout audit record: %+v", f.audit())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func hasAudit(recs []model.AuditRecord, action, outcome string) bool {
	for _, r := range recs {
		if r.Action == action && r.Outcome == outcome {
			return true
		}
	}
	return false
}

func TestJourneyWrongPassword(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, "Wrong#2024")
	k.waitFor("账号或密码错误")
	r := k.finish()
	fm := loginForm(t, r)
	if r.Current() != ScreenEnterpriseLogin || r.Session() != nil {
		t.Fatalf("screen %s session %+v", r.Current(), r.Session())
	}
	if fm.Value(fieldPassword) != "" || fm.Value(fieldCaptcha) != "" || fm.Focused() != fieldPassword {
		t.Errorf("after a failure the password and captcha are cleared and the password focused: %v focus %s",
			fm.Values(), fm.Focused())
	}
	if fm.Value(fieldIdentifier) != entAccount {
		t.Errorf("identifier lost: %q", fm.Value(fieldIdentifier))
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
	k.waitFor("账号已锁定，请于 10:15 后重试")
	// While locked even the right password is refused.
	k.enterpriseAttempt("", entPassword)
	k.waitFor("> * 密码")
	r := k.finish()
	if r.Current() != ScreenEnterpriseLogin || r.Session() != nil {
		t.Fatalf("locked account logged in: %s", r.Current())
	}
	if v := r.View(); !strings.Contains(v, "账号已锁定，请于 10:15 后重试") {
		t.Errorf("unlock time not shown:\n%s", v)
	}
}

func TestJourneyCaptchaWrong(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.typeText(entAccount)
	k.key(tea.KeyTab)
	k.typeText(entPassword)
	k.key(tea.KeyTab)
	k.typeText("AAAA")
	k.waitFor("[AAAA")
	k.key(tea.KeyEnter)
	k.waitFor("验证码错误或已过期，请重新输入")
	r := k.finish()
	fm := loginForm(t, r)
	if fm.Focused() != fieldCaptcha || fm.Value(fieldCaptcha) != "" {
		t.Errorf("focus %s captcha %q", fm.Focused(), fm.Value(fieldCaptcha))
	}
	if hasAudit(f.audit(), "login.enterprise", "fail") {
		t.Errorf("a wrong captcha must not reach the login use case")
	}
}

// agentLogin fills the six agent fields.
func (k *kiosk) agentLogin(account, uscc, phone, id, password string) {
	for _, v := range []string{account, uscc, phone, id, password} {
		k.typeText(v)
		k.key(tea.KeyTab)
	}
	k.typeText(captchaText)
	k.waitFor("[" + captchaText)
	k.key(tea.KeyEnter)
}

func TestJourneyAgentLogin(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.click(HomeZone(1)) // 经办人登录, by touch
	k.waitFor("经办人身份证号")
	k.agentLogin(entAccount, f.uscc, agentPhone, strings.ToLower(f.agent.IDNumber), agentPass)
	k.waitFor("授权有效期")
	r := k.finish()
	if r.Current() != ScreenAgentCenter || r.Session() == nil || r.Session().AgentID != f.agent.ID {
		t.Fatalf("screen %s session %+v", r.Current(), r.Session())
	}
	v := r.View()
	for _, want := range []string{"李**", "139****4321", "110105********", "2025-01-01 至 2025-12-31", entName, "经办人 李**"} {
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
	k.click(HomeZone(1))
	k.waitFor("经办人身份证号")
	k.agentLogin(entAccount, f.uscc, expiredPhone, f.expired.IDNumber, agentPass)
	k.waitFor("经办人授权已过期")
	r := k.finish()
	if r.Current() != ScreenAgentLogin || r.Session() != nil {
		t.Fatalf("expired agent got in: %s %+v", r.Current(), r.Session())
	}
}

// TestJourneyMouse focuses fields and presses 登录 by touch only.
func TestJourneyMouse(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.click(HomeZone(0))
	k.waitFor("图片验证码")
	k.click(form.FieldZone(EnterpriseLoginForm, fieldPassword))
	k.waitFor("> * 密码")
	k.typeText(entPassword)
	k.click(form.FieldZone(EnterpriseLoginForm, fieldCaptcha))
	k.waitFor("> * 图片验证码")
	k.typeText(captchaText)
	k.click(form.FieldZone(EnterpriseLoginForm, fieldIdentifier))
	k.waitFor("> * 企业账号或统一社会信用代码")
	k.typeText(entAccount)
	k.waitFor(entAccount)
	k.click(form.ButtonZone(EnterpriseLoginForm, form.ButtonNext))
	k.waitFor("企业中心")
	r := k.finish()
	if r.Current() != ScreenEnterpriseCenter {
		t.Fatalf("click on 登录 did not log in: %s", r.Current())
	}
}

func idleDeps(f *fixture) Deps {
	d := f.deps
	d.IdleTimeout = 700 * time.Millisecond
	d.IdleCountdown = 600 * time.Millisecond
	return d
}

// TestJourneyIdleWipesForm: typed values are gone after the idle timeout.
func TestJourneyIdleWipesForm(t *testing.T) {
	t.Parallel() // mostly waiting for the idle timers
	f := newFixture(t)
	k := startKiosk(t, idleDeps(f))
	k.openEnterpriseLogin()
	k.typeText(entAccount)
	k.key(tea.KeyTab)
	k.typeText("Half#typed")
	k.waitFor(entAccount)
	k.waitFor("长时间无操作，将在")
	k.waitFor("欢迎使用单位服务自助终端")
	k.openEnterpriseLogin()
	r := k.finish()
	fm := loginForm(t, r)
	for key, v := range fm.Values() {
		if v != "" {
			t.Errorf("%s survived the idle reset: %q", key, v)
		}
	}
	if v := r.View(); strings.Contains(v, entAccount) {
		t.Errorf("typed account still drawn:\n%s", v)
	}
	if len(r.history) != 1 || r.history[0].id != ScreenHome {
		t.Errorf("history after reset: %+v", r.history)
	}
}

// TestJourneyIdleLogsOut: a logged-in visit ends at the idle timeout.
func TestJourneyIdleLogsOut(t *testing.T) {
	t.Parallel() // mostly waiting for the idle timers
	f := newFixture(t)
	k := startKiosk(t, idleDeps(f))
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, entPassword)
	k.waitFor("企业中心")
	k.waitFor("长时间无操作，将在")
	k.waitFor("欢迎使用单位服务自助终端")
	r := k.finish()
	if r.Current() != ScreenHome || r.Session() != nil || len(r.history) != 0 {
		t.Fatalf("after idle: screen %s session %+v history %v", r.Current(), r.Session(), r.history)
	}
	deadline := time.Now().Add(waitTimeout)
	for !hasAudit(f.audit(), "logout", "ok") {
		if time.Now().After(deadline) {
			t.Fatalf("idle reset did not log out: %+v", f.audit())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestJourneyIdleCancelledByKey: any key during the countdown keeps the
// visit and what was typed.
func TestJourneyIdleCancelledByKey(t *testing.T) {
	t.Parallel() // mostly waiting for the idle timers
	f := newFixture(t)
	d := idleDeps(f)
	d.IdleCountdown = 3 * time.Second
	k := startKiosk(t, d)
	k.openEnterpriseLogin()
	k.typeText(entAccount)
	k.waitFor(entAccount)
	k.waitFor("长时间无操作，将在")
	k.typeText("x") // consumed: it only cancels
	k.waitFor(entAccount)
	r := k.finish()
	if r.Current() != ScreenEnterpriseLogin || loginForm(t, r).Value(fieldIdentifier) != entAccount {
		t.Fatalf("cancel lost the visit: %s %v", r.Current(), loginForm(t, r).Values())
	}
}
