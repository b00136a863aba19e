package screens

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/rules"
	accountui "kiosk/screens/account"
)

type (
	accountForgot   = accountui.ForgotState
	accountActivate = accountui.ActivateState
)

// Helpers of the account journeys (立即注册, 自然人注册, 忘记密码, 账号激活)
// on the fixture's demo data (assets/demo/ACCOUNTS.md): SMS codes go
// through the outbox and the real worker to the simulated phone, where the
// test reads them as a person reads a phone.

// A sample enterprise of assets/demo/ACCOUNTS.md that has no account yet.
type sampleEnt struct {
	legalType, name, uscc, rep, id string
	period                         int // → presses on 证件有效期: 1 5年, 2 10年, 3 20年, 4 长期有效
	from, phone                    string
}

var (
	// 10年: born 2001, issued at 22.
	sampleTonghua = sampleEnt{"企业法人", "通化弘诚农业科技有限责任公司", "91220502076366391J", "冯强",
		"220502200106123816", 2, "2023-11-25", "18750182385"}
	// 长期有效: born 1957.
	sampleQijin = sampleEnt{"企业法人", "长春启锦科技有限公司", "91220105155670746F", "邓璐静",
		"220105195701092800", 4, "2022-08-04", "15837570777"}
	// 20年: born 1981.
	sampleLanglan = sampleEnt{"企业法人", "延边朗澜物流有限公司", "91222403655105698A", "王伟",
		"220104198102090819", 3, "2013-10-25", "15040761991"}
)

const (
	newAccount  = "tonghua_2026"
	newPassword = "Songhua#2031" // strong (zxcvbn 4); "Tonghua#2026" is weak beside the account tonghua_2026
)

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

// ---- 立即注册 and 自然人注册 ----

// openRegister goes from home to 立即注册.
func (k *kiosk) openRegister() {
	k.t.Helper()
	k.clickHome("home.register")
	k.waitFor(k.text("field.uscc"))
}

// fillEnterprise fills step 1 (the focus is on 法人类型) and presses 下一步.
func (k *kiosk) fillEnterprise(name, uscc string) {
	k.key(tea.KeyRight) // 企业法人
	k.key(tea.KeyTab)
	k.typeFields(name)
	k.typeText(uscc)
	k.key(tea.KeyEnter)
}

// fillRep fills step 2 up to the phone and the picture captcha that gates
// 获取验证码 (the focus is on 法定代表人姓名) and leaves the focus on
// 短信验证码.
func (k *kiosk) fillRep(rep, id string, period int, from, phone string) {
	k.typeFields(rep)
	k.key(tea.KeyTab) // 证件类型 is preset
	k.typeFields(id)
	for range period {
		k.key(tea.KeyRight)
	}
	k.key(tea.KeyTab)
	k.typeFields(from)
	k.key(tea.KeyTab) // 结束日期 is derived
	k.typeFields(phone, captchaText)
}

// fillToCode opens 立即注册 and fills step 1 and step 2 up to the phone
// with e, leaving the focus on 短信验证码.
func (k *kiosk) fillToCode(e sampleEnt) {
	k.t.Helper()
	k.openRegister()
	k.fillEnterprise(e.name, e.uscc)
	k.waitFor(k.text("field.rep_name"))
	k.fillRep(e.rep, e.id, e.period, e.from, e.phone)
}

// requestCode presses 获取验证码 (F5 on the focused code field).
func (k *kiosk) requestCode() { k.key(tea.KeyF5) }

// toAccountStep registers e up to step 3 (设置账号) with a fresh code.
func (f *fixture) toAccountStep(k *kiosk, e sampleEnt) {
	f.t.Helper()
	k.fillToCode(e)
	f.answerCode(k, e.phone)
}

// answerCode requests a code on the focused 短信验证码 field, types it as
// the phone got it and presses Enter, on to the step with 确认密码.
func (f *fixture) answerCode(k *kiosk, phone string) {
	f.t.Helper()
	k.requestCode()
	k.waitFor(k.text("flow.code_sent_to", "Phone", rules.MaskMobile(phone)))
	k.typeText(f.deliver(phone))
	k.key(tea.KeyEnter)
	k.waitFor(k.text("field.confirm"))
}

// fillAccount fills step 3 (the focus is on 企业账号) and presses 注册.
func (k *kiosk) fillAccount(acct, pw, confirm string) {
	k.typeFields(acct, pw)
	k.typeText(confirm)
	k.key(tea.KeyEnter)
}

// passFace takes the picture once the preview runs; the demo verifier
// matches.
func (k *kiosk) passFace() {
	k.waitFor("【" + k.text("capture.shoot") + "】")
	k.key(tea.KeyEnter)
}

func (f *fixture) countAudit(action string) int { return f.auditCount(action, "") }

// confirmLeave answers the leave dialog (取消, 返回 or esc with typed data)
// with 确认取消: the focus starts on 继续填写.
func (k *kiosk) confirmLeave() {
	k.t.Helper()
	k.waitFor(k.text("confirm.stay"), k.text("confirm.leave"))
	k.key(tea.KeyRight)
	k.key(tea.KeyEnter)
}

// ---- 忘记密码 and 账号激活 ----

// answerCaptcha types the captcha (focus on its field) and presses 下一步.
func (k *kiosk) answerCaptcha(answer string) {
	k.typeText(answer)
	k.waitFor("[" + answer)
	k.key(tea.KeyEnter)
}

func (k *kiosk) openForgot() {
	k.clickHome("home.forgot")
	k.waitFor(k.text("field.rep_name"))
}

// forgotConfirm fills 确认账号 and submits it.
func (k *kiosk) forgotConfirm(acct, rep, id, captchaAnswer string) {
	k.typeFields(acct, rep, id)
	k.answerCaptcha(captchaAnswer)
}

// smsStep asks for a code (F5 on the focused code field), reads it off the
// phone and submits it.
func (k *kiosk) smsStep(f *fixture, phone, masked string) string {
	k.key(tea.KeyF5)
	k.waitFor(k.text("flow.code_sent_to", "Phone", masked))
	code := f.deliver(phone)
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
func (k *kiosk) forgotAll(f *fixture, acct, rep, id, phone, masked, newPassword string) {
	k.openForgot()
	k.forgotConfirm(acct, rep, id, captchaText)
	k.waitFor("已匹配到法人预留手机号码 " + masked)
	k.smsStep(f, phone, masked)
	k.waitFor("确认新密码")
	k.passwords(newPassword, newPassword)
	k.waitFor("密码重置成功")
}

// enterprise reads the enterprise of uscc, which must exist.
func (f *fixture) enterprise(uscc string) model.Enterprise {
	f.t.Helper()
	e, ok := f.enterpriseByUSCC(uscc)
	if !ok {
		f.t.Fatalf("no enterprise %s", uscc)
	}
	return e
}

func (f *fixture) byAccount(acct string) (model.Enterprise, error) {
	return readTx(f.store, func(tx model.Tx) (model.Enterprise, error) { return tx.Enterprises().ByAccount(acct) })
}

// login checks a password through the real login use case.
func (f *fixture) login(acct, password string) error {
	_, err := f.auth.LoginEnterprise(context.Background(), acct, password)
	return err
}

// passwordUnchanged checks that the demo password still logs in and that
// no reset was written.
func (f *fixture) passwordUnchanged() {
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
	k.clickHome("home.activate")
	k.waitFor(k.text("field.uscc"))
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

// ticketHeld reports whether the flow on show holds a ticket.
func ticketHeld(t *testing.T, r *Root) bool {
	t.Helper()
	switch r.curID {
	case "forgot":
		return stateOf[accountForgot](t, r).Ticket() != (account.ResetTicket{})
	case "activate":
		return stateOf[accountActivate](t, r).Ticket() != (account.ActivationTicket{})
	}
	t.Fatalf("%s holds no ticket", r.curID)
	return false
}
