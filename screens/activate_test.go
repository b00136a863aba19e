package screens

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/i18n"
	accountui "kiosk/screens/account"
	"kiosk/screens/form"
	"kiosk/screens/login"
	"kiosk/screens/route"
)

// Journeys of 账号激活 (manual §五(一)) through the real root model, on the
// demo store.

const (
	actAccount = "Borun_Tech01"
	actPass    = "Borun#2026ok"
)

// accountCaptcha is the picture captcha's field key in the account flows.
const accountCaptcha = "captcha"

// The login screen's 前往账号激活 opens activation with the USCC filled in;
// the pending enterprise becomes active and then logs in normally.
func TestJourneyActivateFromLogin(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(pdUSCC, "Whatever#1")
	k.waitFor("前往账号激活")
	k.click(form.ButtonZone(login.EnterpriseForm, login.ButtonActivate))
	k.waitFor("[1 确认账号] › 2 安全验证 › 3 设置账密 › 4 激活成功")
	k.activatePending("") // the USCC is pre-filled
	// The hint wraps before the number at this width.
	k.waitFor("验证码将发送至预留手机号码", pdMasked)
	k.smsStep(f, pdPhone, pdMasked)
	k.waitFor("确认密码")
	k.typeFields(actAccount)
	k.passwords(actPass, actPass)
	k.waitFor("[4 激活成功]") // the final page: 账号激活成功

	e := f.enterprise(pdUSCC)
	if e.State != model.EnterpriseActive || e.Account != actAccount || e.Phone != pdPhone {
		t.Fatalf("after activation: state %s account %q phone %q", e.State, e.Account, e.Phone)
	}
	if byAcct, err := f.byAccount(strings.ToLower(actAccount)); err != nil || byAcct.ID != e.ID {
		t.Errorf("account index: %v %+v", err, byAcct.ID)
	}
	if n := f.auditCount(account.AuditActivate, "ok"); n != 1 {
		t.Errorf("%d activate records", n)
	}
	if n := f.notices(pdPhone); len(n) != 1 || !strings.Contains(n[0].Text, "已激活") {
		t.Errorf("notices %+v", n)
	}

	// 前往登录 (focused), then a normal login with the new account.
	k.key(tea.KeyEnter)
	k.waitFor("企业账号或统一社会信用代码", "["+actAccount) // the new account is filled in
	k.enterpriseAttempt("", actPass)
	k.waitFor("企业中心")
	r := k.finish()
	if r.Current() != route.EnterpriseCenter.ID() || r.Session() == nil || r.Session().EnterpriseID != e.ID {
		t.Fatalf("at %s, session %+v", r.Current(), r.Session())
	}
}

func TestJourneyActivateDetailsMismatch(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openActivate()
	k.activateConfirm(pdName, pdUSCC, "梁芬", pdID, 3, pdFrom, captchaText)
	k.waitFor("未找到与填写信息一致的待激活企业账号")
	r := k.finish()
	if fm := formOf(t, r); fm.Step() != 0 || fm.Value(account.FieldUSCC) != pdUSCC {
		t.Errorf("step %d, values %v", fm.Step()+1, fm.Values().Texts())
	}
	if e := f.enterprise(pdUSCC); e.State != model.EnterprisePending || e.Account != "" {
		t.Errorf("pending record changed: %s %q", e.State, e.Account)
	}
	if n := f.auditCount(account.AuditActivateLookup, "mismatch"); n != 1 {
		t.Errorf("%d mismatch look-ups", n)
	}
}

// An active USCC is told so and pointed to 忘记密码.
func TestJourneyActivateAlreadyActive(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openActivate()
	k.activateConfirm("长春澜益农业科技有限公司", "9122012283957419XU", rcRep, rcID, 2, "2013-07-08", captchaText)
	k.waitFor("该统一社会信用代码已注册")
	k.click(form.ButtonZone(accountui.ActivateForm, accountui.ButtonWayOn))
	k.waitFor("[1 确认账号] › 2 短信验证")
	r := k.finish()
	if r.Current() != route.Forgot.ID() {
		t.Fatalf("忘记密码 button led to %s", r.Current())
	}
	if n := f.auditCount(account.AuditActivateLookup, "active"); n != 1 {
		t.Errorf("%d active look-ups", n)
	}
}

// activateToAccount gets through 确认账号 and 安全验证 of the pending enterprise.
func activateToAccount(t *testing.T, f *fixture) *kiosk {
	k := startKiosk(t, f.deps)
	k.openActivate()
	k.activatePending(pdUSCC)
	// The hint wraps before the number at this width.
	k.waitFor("验证码将发送至预留手机号码", pdMasked)
	k.smsStep(f, pdPhone, pdMasked)
	k.waitFor("确认密码")
	return k
}

func TestJourneyActivateDuplicateAccount(t *testing.T) {
	f := newFixture(t)
	k := activateToAccount(t, f)
	k.typeFields("DEMO_corp02") // taken, whatever the case
	k.passwords(actPass, actPass)
	k.waitFor("该账号已被使用")
	r := k.finish()
	if fm := formOf(t, r); fm.Step() != 2 || fm.Error(account.FieldAccount) != "该账号已被使用" {
		t.Errorf("step %d, account error %q", fm.Step()+1, fm.Error(account.FieldAccount))
	}
	if e := f.enterprise(pdUSCC); e.State != model.EnterprisePending || e.Account != "" {
		t.Errorf("pending record changed: %s %q", e.State, e.Account)
	}
	if n := f.auditCount(account.AuditActivate, ""); n != 0 {
		t.Errorf("%d activate records", n)
	}
}

// 取消 at 设置账密 leaves the enterprise pending.
func TestJourneyActivateCancel(t *testing.T) {
	f := newFixture(t)
	k := activateToAccount(t, f)
	k.typeFields(actAccount, actPass)
	k.click(form.ButtonZone(accountui.ActivateForm, form.ButtonCancel))
	k.confirmLeave()
	k.waitFor("欢迎使用单位服务自助终端")
	k.finish()
	if e := f.enterprise(pdUSCC); e.State != model.EnterprisePending || e.Account != "" || e.PasswordHash != "" {
		t.Errorf("pending record changed: %s %q", e.State, e.Account)
	}
	if _, err := f.byAccount(strings.ToLower(actAccount)); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("account index written: %v", err)
	}
	if n := f.notices(pdPhone); len(n) != 0 {
		t.Errorf("notices %+v", n)
	}
}

// 结束日期 follows 开始日期 and 证件有效期.
func TestActivateDerivesEndDate(t *testing.T) {
	f := newFixture(t)
	r := newRoot(t, f.deps, 120, 40)
	feed(r, route.Activate.Nav(route.ActivateParams{}))
	fm := formOf(t, r)
	fm.SetValue(account.FieldIDFrom, "2021-05-23")
	fm.SetValue(account.FieldIDPeriod, string(model.Validity20Years))
	if got := fm.Value(account.FieldIDTo); got != "2041-05-23" {
		t.Errorf("end date %q", got)
	}
	fm.SetValue(account.FieldIDPeriod, string(model.ValidityLongTerm))
	if got := fm.Value(account.FieldIDTo); got != "" {
		t.Errorf("长期有效 end date %q", got)
	}
}

func TestGoldenActivate(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openActivate()
	v := k.finish().View()
	if !strings.Contains(v, "[1 确认账号] › 2 安全验证 › 3 设置账密 › 4 激活成功") {
		t.Errorf("step indicator:\n%s", v)
	}
	teatest.RequireEqualOutput(t, []byte(v))
}

// esc on 确认账号 goes back home; the idle reset wipes a visit that got to
// 设置账密: a new visit starts empty, with no ticket.
func TestJourneyActivateEscAndIdle(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openActivate()
	k.key(tea.KeyTab)
	k.typeText(pdName)
	k.key(tea.KeyEsc)
	k.confirmLeave()
	k.waitFor("欢迎使用单位服务自助终端")
	k.openActivate()
	k.activatePending(pdUSCC)
	// The hint wraps before the number at this width.
	k.waitFor("验证码将发送至预留手机号码", pdMasked)
	k.smsStep(f, pdPhone, pdMasked)
	k.waitFor("确认密码")
	k.typeText(actAccount)
	k.waitFor(actAccount)
	k.idle(f.clock, "长时间无操作，将在")
	k.idle(f.clock, "欢迎使用单位服务自助终端")
	k.openActivate()
	r := k.finish()
	fm, st := formOf(t, r), stateOf[accountActivate](t, r)
	if fm.Step() != 0 || st.Ticket().EnterpriseID != "" || !st.Proof().IsZero() {
		t.Errorf("step %d, ticket or proof kept", fm.Step()+1)
	}
	for key, v := range fm.Values().Texts() {
		if v != "" && key != account.FieldLegalType && key != accountui.FieldIDType { // the presets
			t.Errorf("%s survived the idle reset: %q", key, v)
		}
	}
	if e := f.enterprise(pdUSCC); e.State != model.EnterprisePending {
		t.Errorf("state %s", e.State)
	}
}

// At the minimum terminal size, with an error under every field of the
// tallest step, the buttons stay in sight and the rows scroll with the
// focus.
func TestActivateFitsAt80x24(t *testing.T) {
	f := newFixture(t)
	d := f.deps
	d.Phone = nil
	r := newRoot(t, d, 80, 24)
	feed(r, route.Activate.Nav(route.ActivateParams{}))
	fm := formOf(t, r)
	fm.SetValue(account.FieldLegalType, "")
	fm.SetValue(accountui.FieldIDType, "")
	fm.Validate() // every field empty: an error under each
	fm.SetFormError(i18n.Raw("操作已超时或信息已变更，请从第一步重新开始"))
	feed(r, tea.KeyMsg{Type: tea.KeyTab})
	check := func(want ...string) {
		t.Helper()
		v := r.View()
		lines := strings.Split(v, "\n")
		if len(lines) != 24 {
			t.Errorf("%d lines", len(lines))
		}
		for i, l := range lines {
			if w := lipgloss.Width(l); w != 80 {
				t.Errorf("line %d: %d cells: %q", i, w, l)
			}
		}
		for _, w := range append(want, "下一步", "请从第一步重新开始") {
			if !strings.Contains(v, w) {
				t.Errorf("%q not in sight:\n%s", w, v)
			}
		}
	}
	check("> * 企业名称", "下方还有内容")
	for fm.Focused() != accountCaptcha {
		feed(r, tea.KeyMsg{Type: tea.KeyTab})
	}
	check("> * 图片验证码", "上方还有内容")
	feed(r, tea.KeyMsg{Type: tea.KeyTab}) // 下一步
	check("请输入开始日期", "【下一步】")
}
