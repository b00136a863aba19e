package screens

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/screens/center"
	"kiosk/screens/route"
)

// TestJourneyRegisterLoginForgotLogin is the acceptance journey of issue 4,
// all through the real root on one store: 立即注册 → 前往登录 → 企业中心 →
// 退出 → 企业登录 → 退出 → 忘记密码 → 前往登录 with the new password (the old
// one refused).
func TestJourneyRegisterLoginForgotLogin(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	e := sampleLanglan
	const (
		acct  = "langlan_2026"
		first = "Yanji#Road26" // strong; "Langlan#2026" is weak beside langlan_2026
		reset = "Yanbian@2027x"
	)
	masked := rules.MaskMobile(e.phone)
	k := startKiosk(t, f.deps)

	// 立即注册, with the legal representative's face.
	f.toAccountStep(k, e)
	k.fillAccount(acct, first, first)
	k.passFace()
	k.waitFor("注册成功")
	ent := f.enterprise(e.uscc)
	if ent.State != model.EnterpriseActive || ent.Account != acct {
		t.Fatalf("registered: %+v", ent)
	}

	// 前往登录 (focused), log in, 退出.
	k.key(tea.KeyEnter)
	k.waitFor("图片验证码", "["+acct) // the new account is filled in
	k.enterpriseAttempt("", first)
	k.waitFor("当前登录：" + e.name)
	k.click(center.Logout)
	k.waitFor("欢迎使用单位服务自助终端")

	// Log in again from home, 退出 again.
	k.openEnterpriseLogin()
	k.enterpriseAttempt(strings.ToUpper(acct), first) // accounts are case-insensitive
	k.waitFor("当前登录：" + e.name)
	k.click(center.Logout)
	k.waitFor("欢迎使用单位服务自助终端")

	// 忘记密码 for the new account, code to the phone given at registration
	// (some minutes later: the registration code's resend wait is over).
	f.clock.Add(3 * time.Minute)
	k.forgotAll(f, acct, e.rep, e.id, e.phone, masked, reset)
	after := f.enterprise(e.uscc)
	if after.SessionEpoch != ent.SessionEpoch+1 {
		t.Errorf("session epoch %d → %d", ent.SessionEpoch, after.SessionEpoch)
	}

	// 前往登录: the old password is refused, the new one gets in.
	k.key(tea.KeyEnter)
	k.waitFor("图片验证码", "["+acct)
	k.enterpriseAttempt("", first)
	k.waitFor("账号或密码错误")
	k.enterpriseAttempt("", reset)
	k.waitFor("当前登录：" + e.name)
	r := k.finish()
	if r.Current() != route.EnterpriseCenter.ID() || r.Session() == nil || r.Session().EnterpriseID != ent.ID {
		t.Fatalf("at %s, session %+v", r.Current(), r.Session())
	}
	if r.Session().Epoch != after.SessionEpoch {
		t.Errorf("new session epoch %d, enterprise %d", r.Session().Epoch, after.SessionEpoch)
	}

	// The store tells the same story.
	for action, want := range map[string]int{account.AuditRegister: 1, account.AuditReset: 1, "logout": 2} {
		if n := f.auditCount(action, "ok"); n != want {
			t.Errorf("%d %s records, want %d", n, action, want)
		}
	}
	var texts []string
	for _, n := range f.notices(e.phone) {
		texts = append(texts, n.Text)
	}
	if len(texts) != 2 || !strings.Contains(strings.Join(texts, "|"), "密码已修改") {
		t.Errorf("notices to the reserved phone: %q", texts)
	}
	if err := f.login(acct, first); !errors.Is(err, model.ErrBadCredentials) {
		t.Errorf("old password: %v", err)
	}
}
