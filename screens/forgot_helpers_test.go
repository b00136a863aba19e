package screens

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/screens/form"
)

// Helpers of the 忘记密码 and 账号激活 journeys: the demo store (sample
// registry and demo accounts, assets/demo/ACCOUNTS.md), the real account
// service, SMS codes through the outbox, the real worker and the simulated
// phone, where the test reads them as a person reads a phone.

// Demo data (assets/demo/ACCOUNTS.md).
const (
	rcAccount  = "demo_corp01"
	rcPassword = "Kiosk@2026"
	rcRep      = "谢国勇"
	rcID       = "22070219700525539X"
	rcPhone    = "18554652289"
	rcMasked   = "185****2289"
	rcNewPass  = "Fresh#Pass2027"

	pdUSCC   = "912201024464976990" // 长春博润科技股份有限公司, 待激活
	pdName   = "长春博润科技股份有限公司"
	pdRep    = "梁芳"
	pdID     = "220102195905050347"
	pdFrom   = "2009-12-26" // 长期有效
	pdPhone  = "15654490776"
	pdMasked = "156****0776"
)

// recoveryFix is registration's fixture (newRegFixture: the demo store on
// bbolt, the account service, the simulated phone and its outbox worker,
// a fake clock) with what these journeys check besides.
type recoveryFix struct {
	*regFixture
	auth *model.Auth
}

func newRecoveryFix(t *testing.T) *recoveryFix {
	t.Helper()
	rf := newRegFixture(t)
	return &recoveryFix{regFixture: rf, auth: rf.deps.Auth}
}

// code delivers what the outbox holds and returns the newest code the
// phone received (as its owner would read it off the phone).
func (f *recoveryFix) code(phone string) string {
	f.t.Helper()
	return f.deliver(phone)
}

// enterprise reads the enterprise of uscc, which must exist.
func (f *recoveryFix) enterprise(uscc string) model.Enterprise {
	f.t.Helper()
	e, ok := f.enterpriseByUSCC(uscc)
	if !ok {
		f.t.Fatalf("no enterprise %s", uscc)
	}
	return e
}

func (f *recoveryFix) byAccount(acct string) (model.Enterprise, error) {
	var e model.Enterprise
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		var err error
		e, err = tx.Enterprises().ByAccount(acct)
		return err
	})
	return e, err
}

// auditCount counts the records of action (with outcome, when not "").
func (f *recoveryFix) auditCount(action, outcome string) int {
	n := 0
	for _, r := range f.audit() {
		if r.Action == action && (outcome == "" || r.Outcome == outcome) {
			n++
		}
	}
	return n
}

// login checks a password through the real login use case.
func (f *recoveryFix) login(acct, password string) error {
	_, err := f.auth.LoginEnterprise(context.Background(), acct, password)
	return err
}

// ---- driving the flows ----

// typeFields types values into consecutive fields, tab after each.
func (k *kiosk) typeFields(values ...string) {
	for _, v := range values {
		k.typeText(v)
		k.key(tea.KeyTab)
	}
}

// answerCaptcha types the captcha (focus on its field) and presses 下一步.
func (k *kiosk) answerCaptcha(answer string) {
	k.typeText(answer)
	k.waitFor("[" + answer)
	k.key(tea.KeyEnter)
}

func (k *kiosk) openForgot() {
	k.click(HomeZone(3))
	k.waitFor("法定代表人姓名")
}

// forgotConfirm fills 确认账号 and submits it.
func (k *kiosk) forgotConfirm(acct, rep, id, captchaAnswer string) {
	k.typeFields(acct, rep, id)
	k.answerCaptcha(captchaAnswer)
}

// smsStep asks for a code (F5 on the focused code field), reads it off the
// phone and submits it.
func (k *kiosk) smsStep(f *recoveryFix, phone, masked string) string {
	k.key(tea.KeyF5)
	k.waitFor("验证码已发送至 " + masked)
	code := f.code(phone)
	k.typeText(code)
	k.waitFor(code[:1]) // drain
	k.key(tea.KeyEnter)
	return code
}

// passwords fills a password and its confirmation and submits.
func (k *kiosk) passwords(pw, confirm string) {
	k.typeFields(pw)
	k.typeText(confirm)
	k.key(tea.KeyEnter)
}

// forgotAll runs 忘记密码 from home to the final page.
func (k *kiosk) forgotAll(f *recoveryFix, acct, rep, id, phone, masked, newPassword string) {
	k.openForgot()
	k.forgotConfirm(acct, rep, id, captchaText)
	k.waitFor("已匹配到法人预留手机号码 " + masked)
	k.smsStep(f, phone, masked)
	k.waitFor("确认新密码")
	k.passwords(newPassword, newPassword)
	k.waitFor("密码重置成功")
}

func flowForm(t *testing.T, r *Root) *form.Form {
	t.Helper()
	switch s := r.cur.(type) {
	case *forgotScreen:
		return s.form
	case *activateScreen:
		return s.form
	}
	t.Fatalf("current screen %s is not 忘记密码 or 账号激活", r.curID)
	return nil
}

// eventually polls cond (a store read) until it holds or 5 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(waitTimeout); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5s", what)
		}
	}
}

// passwordUnchanged checks that the demo password still logs in and that
// no reset was written.
func (f *recoveryFix) passwordUnchanged() {
	f.t.Helper()
	if err := f.login(rcAccount, rcPassword); err != nil {
		f.t.Errorf("the old password no longer works: %v", err)
	}
	if n := f.auditCount(account.AuditReset, ""); n != 0 {
		f.t.Errorf("%d password.reset records", n)
	}
	if n := f.notices(rcPhone); len(n) != 0 {
		f.t.Errorf("notices sent: %+v", n)
	}
}

func (k *kiosk) openActivate() {
	k.click(HomeZone(4))
	k.waitFor("统一社会信用代码")
}

// activateConfirm fills 确认账号 (法人类型 and 证件类型 keep their preset
// values; an empty uscc keeps a pre-filled one) and submits it. period is
// the index of 证件有效期 (3: 长期有效); 结束日期 is derived.
func (k *kiosk) activateConfirm(name, uscc, rep, id string, period int, from, captchaAnswer string) {
	k.key(tea.KeyTab)
	k.typeFields(name)
	if uscc != "" {
		k.typeText(uscc)
	}
	k.key(tea.KeyTab)
	k.typeFields(rep)
	k.key(tea.KeyTab)
	k.typeFields(id)
	for range period + 1 {
		k.key(tea.KeyRight)
	}
	k.key(tea.KeyTab)
	k.typeFields(from)
	k.key(tea.KeyTab)
	k.answerCaptcha(captchaAnswer)
}

// activatePending fills 确认账号 with the demo's pending enterprise.
func (k *kiosk) activatePending(uscc string) {
	k.activateConfirm(pdName, uscc, pdRep, pdID, 3, pdFrom, captchaText)
}
