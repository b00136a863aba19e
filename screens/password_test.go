package screens

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/screens/center"
	"kiosk/screens/form"
	"kiosk/screens/route"
)

const changedPass = "Fresh#Pass2027"

// The enterprise's login from another kiosk, before the change.
func (f *fixture) otherLogin() model.Session {
	f.t.Helper()
	s, err := f.auth.LoginEnterprise(context.Background(), entAccount, entPassword)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// openChangePassword logs the enterprise in and opens 修改密码 from its
// center.
func (k *kiosk) openChangePassword() {
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, entPassword)
	k.waitFor(k.text("center.change_password"))
	k.click(center.ChangePasswordZone)
	k.waitFor(k.text("field.old_password"))
}

// 修改密码 from 企业中心 with keys: the result page, the new password logs
// in, the old one not, the other kiosk's login has ended, this one goes
// on (返回 shows the center again), one notice to the reserved phone.
func TestJourneyChangePasswordEnterprise(t *testing.T) {
	f := newFixture(t)
	elsewhere := f.otherLogin()
	k := startKiosk(t, f.deps)
	k.openChangePassword()
	k.typeFields(entPassword, changedPass)
	k.typeText(changedPass)
	k.key(tea.KeyEnter)
	k.waitFor(k.text("password.done"))
	if err := f.login(entAccount, changedPass); err != nil {
		t.Errorf("the new password does not log in: %v", err)
	}
	if err := f.login(entAccount, entPassword); err == nil {
		t.Error("the old password still logs in")
	}
	if _, err := f.auth.EnterpriseView(context.Background(), elsewhere); err == nil {
		t.Error("the other kiosk's login goes on")
	}
	if n := len(f.notices(f.ent.Phone)); n != 1 {
		t.Errorf("%d notices to the reserved phone, want 1", n)
	}
	k.key(tea.KeyEnter) // 返回
	k.waitFor(k.text("center.enterprise_info"))
	r := k.finish()
	if r.Current() != route.EnterpriseCenter.ID() || r.Session() == nil {
		t.Fatalf("after 返回: at %s, session %v", r.Current(), r.Session())
	}
	if _, err := f.auth.EnterpriseView(context.Background(), *r.Session()); err != nil {
		t.Errorf("this kiosk's login ended with the change: %v", err)
	}
}

// A wrong 原密码 is refused under its field and changes nothing.
func TestJourneyChangePasswordWrongOld(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openChangePassword()
	k.typeFields("Wrong#2024x", changedPass)
	k.typeText(changedPass)
	k.key(tea.KeyEnter)
	left := zh("error.password_again_left", "N", 4)
	k.waitFor(left)
	r := k.finish()
	if got := formOf(t, r).Error(svc.FieldOldPassword); got != left {
		t.Errorf("原密码 error %q", got)
	}
	if err := f.login(entAccount, entPassword); err != nil {
		t.Errorf("the password changed after a refusal: %v", err)
	}
	if n := len(f.notices(f.ent.Phone)); n != 0 {
		t.Errorf("%d notices after a refusal", n)
	}
}

// 修改密码 by touch alone at 80×24: every field and button is tapped, no
// Tab, no Enter (the text itself is typed).
func TestJourneyChangePasswordByTouch(t *testing.T) {
	f := newFixture(t)
	k := startKioskAt(t, f.deps, 80, 24)
	k.touchLogin(entAccount, entPassword)
	k.click(center.ChangePasswordZone)
	k.waitFor(k.text("field.old_password"))
	for _, fv := range [][2]string{{svc.FieldOldPassword, entPassword}, {svc.FieldPassword, changedPass}, {svc.FieldConfirm, changedPass}} {
		k.click(form.FieldZone(center.PasswordForm, fv[0]))
		k.typeText(fv[1])
	}
	k.click(form.ButtonZone(center.PasswordForm, form.ButtonNext))
	k.waitFor(k.text("password.done"))
	k.click(center.PasswordForm + "-done:back")
	k.waitFor(k.text("center.enterprise_info"))
	r := k.finish()
	if r.Current() != route.EnterpriseCenter.ID() {
		t.Fatalf("at %s", r.Current())
	}
	if err := f.login(entAccount, changedPass); err != nil {
		t.Errorf("the new password does not log in: %v", err)
	}
	checkRoot(t, r)
}

// 修改密码 from 经办人中心: the agent's own password; the enterprise's
// password and logins are untouched; the notice goes to the agent.
func TestJourneyChangePasswordAgent(t *testing.T) {
	f := newFixture(t)
	entLogin := f.otherLogin()
	k := startKiosk(t, f.deps)
	k.clickHome("home.agent_login")
	k.waitFor(k.text("field.captcha"))
	k.agentLogin(entAccount, f.uscc, agentPhone, f.agent.IDNumber, agentPass)
	k.waitFor(k.text("center.change_password"))
	k.click(center.ChangePasswordZone)
	k.waitFor(k.text("field.old_password"))
	k.typeFields(agentPass, changedPass)
	k.typeText(changedPass)
	k.key(tea.KeyEnter)
	k.waitFor(k.text("password.done"))
	k.key(tea.KeyEnter) // 返回
	k.waitFor(k.text("center.agent_info"))
	r := k.finish()
	if r.Current() != route.AgentCenter.ID() {
		t.Fatalf("after 返回: at %s", r.Current())
	}
	ctx := context.Background()
	if _, _, err := f.auth.AgentView(ctx, *r.Session()); err != nil {
		t.Errorf("this kiosk's agent login ended: %v", err)
	}
	if _, err := f.auth.EnterpriseView(ctx, entLogin); err != nil {
		t.Errorf("the enterprise's login ended by the agent's change: %v", err)
	}
	if err := f.login(entAccount, entPassword); err != nil {
		t.Errorf("the enterprise password changed: %v", err)
	}
	if _, err := f.auth.LoginAgent(ctx, model.AgentCredentials{Account: entAccount, USCC: f.uscc, Phone: agentPhone,
		IDNumber: f.agent.IDNumber, Password: changedPass}); err != nil {
		t.Errorf("the agent's new password does not log in: %v", err)
	}
	if n := len(f.notices(agentPhone)); n != 1 {
		t.Errorf("%d notices to the agent, want 1", n)
	}
}
