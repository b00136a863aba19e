package screens

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/account"
	accountui "kiosk/screens/account"
	"kiosk/screens/form"
	"kiosk/screens/route"
)

// Issue 10, items 4 and 9: one extra key never loses a form, and what was
// typed goes along.

// After the SMS code, Tab reaches the button that goes on (下一步), not 上一步
// and then 取消 one press early.
func TestJourneyTabAfterCodeReachesNext(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openForgot()
	k.forgotConfirm(rcAccount, rcRep, rcID, captchaText)
	k.waitFor(rcMasked)
	k.key(tea.KeyF5)
	k.waitFor(k.text("flow.code_sent_to", "Phone", rcMasked))
	code := f.deliver(rcPhone)
	k.typeText(code)
	k.waitFor(code[:1])
	k.key(tea.KeyTab)
	k.key(tea.KeyEnter) // 下一步
	k.waitFor(k.text("field.new_confirm"))
	r := k.finish()
	if fm := formOf(t, r); fm.Step() != 2 {
		t.Fatalf("Tab, Enter after the code: step %d, at %s", fm.Step()+1, r.Current())
	}
}

// 取消 with typed data asks first; Enter (继续填写 has the focus) keeps
// every value; 确认取消 leaves.
func TestJourneyCancelAsksAndKeeps(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	k.openRegister()
	k.key(tea.KeyRight) // 企业法人
	k.key(tea.KeyTab)
	k.typeFields(e.name)
	k.typeText(e.uscc)
	k.waitFor(e.uscc)
	k.click(form.ButtonZone(accountui.RegisterForm, form.ButtonCancel))
	k.waitFor(k.text("confirm.stay"), k.text("confirm.leave"))
	k.key(tea.KeyEnter) // 继续填写
	k.waitFor("[" + e.uscc)
	k.typeText("") // the form takes keys again
	k.key(tea.KeyEsc)
	k.waitFor(k.text("confirm.stay"))
	k.key(tea.KeyEsc) // esc in the dialog is 继续填写 too
	k.waitFor("[" + e.name)
	r := k.finish()
	if r.Current() != route.Register.ID() {
		t.Fatalf("at %s", r.Current())
	}
	fm := formOf(t, r)
	if fm.Value(account.FieldName) != e.name || fm.Value(account.FieldUSCC) != e.uscc || fm.Value(account.FieldLegalType) == "" {
		t.Fatalf("values after 继续填写: %v", fm.Values().Texts())
	}

	k = startKiosk(t, f.deps)
	k.openRegister()
	k.key(tea.KeyTab)
	k.typeText(e.name)
	k.click(form.ButtonZone(accountui.RegisterForm, form.ButtonCancel))
	k.confirmLeave()
	k.waitFor(k.text("home.welcome"))
	if r := k.finish(); r.Current() != route.Home.ID() {
		t.Fatalf("确认取消 led to %s", r.Current())
	}
}

// esc (or 取消) on a step with nothing typed leaves at once: presets and
// pre-filled values are not typed.
func TestJourneyEscEmptyStepLeavesAtOnce(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openActivate() // 法人类型 and 证件类型 are preset
	k.key(tea.KeyEsc)
	k.waitFor(k.text("home.welcome"))
	k.openEnterpriseLogin()
	k.click(form.ButtonZone("elogin", form.ButtonCancel))
	k.waitFor(k.text("home.welcome"))
	if r := k.finish(); r.Current() != route.Home.ID() {
		t.Fatalf("at %s", r.Current())
	}
}

// A wrong password says how many tries are left, and an unknown account
// reads exactly the same.
func TestJourneyTriesLeft(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, "Wrong#Pass1")
	k.waitFor("账号或密码错误，还可尝试 4 次")
	k.enterpriseAttempt("", "Wrong#Pass1")
	k.waitFor("账号或密码错误，还可尝试 3 次")
	k.finish()

	k = startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.enterpriseAttempt("nobody_2026", "Wrong#Pass1")
	k.waitFor("账号或密码错误，还可尝试 4 次")
	k.finish()
}

// 立即注册's way-on to 账号激活 (a 待激活 USCC) brings 法人类型, 企业名称 and the
// USCC along; esc on the untouched activation goes back into the
// registration with everything it held.
func TestJourneyRegisterWayOnCarriesValues(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	k.openRegister()
	k.key(tea.KeyRight)
	k.key(tea.KeyRight) // 非企业法人: the one typed goes along
	k.key(tea.KeyTab)
	k.typeFields(pdName)
	k.typeText(pdUSCC)
	k.key(tea.KeyEnter)
	k.waitFor(k.text("field.rep_name"))
	k.fillRep(e.rep, e.id, e.period, e.from, e.phone)
	k.requestCode()
	k.waitFor("验证码已发送至 187****2385")
	code := f.deliver(e.phone)
	k.typeText(code)
	k.key(tea.KeyEnter)
	k.waitFor("账号激活")
	k.click(form.ButtonZone(accountui.RegisterForm, accountui.RegisterActivate))
	k.waitFor("[1 确认账号]", "["+pdName, "["+pdUSCC, "(*) 非企业法人")
	k.key(tea.KeyEsc)             // nothing typed here: back at once
	k.waitFor("企业注册", "["+pdUSCC) // on step 1, next to the refusal
	r := k.finish()
	if r.Current() != route.Register.ID() {
		t.Fatalf("esc led to %s", r.Current())
	}
	fm := formOf(t, r)
	want := map[string]string{account.FieldName: pdName, account.FieldUSCC: pdUSCC, account.FieldRepName: e.rep,
		account.FieldIDNumber: e.id, account.FieldPhone: e.phone, account.FieldSMSCode: code}
	for key, v := range want {
		if got := fm.Value(key); got != v {
			t.Errorf("%s after esc back: %q, want %q", key, got, v)
		}
	}
}
