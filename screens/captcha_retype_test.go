package screens

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/screens/kit"
)

// Issue 10, item 2: in every flow with a picture captcha, a wrong answer
// leaves the focus on the captcha field with a new picture, and the field
// takes the next answer at once (no Tab away and back).

// retypeCaptcha types the answer into the focused captcha field after a
// wrong one and checks that it went in.
func (k *kiosk) retypeCaptcha() {
	k.t.Helper()
	k.waitFor(zht(kit.CaptchaWrong))
	k.typeText(captchaText)
	k.waitFor("[" + captchaText)
}

// wrongCaptcha answers the focused captcha wrongly and presses Enter.
func (k *kiosk) wrongCaptcha() {
	k.typeText("AAAA")
	k.waitFor("[AAAA")
	k.key(tea.KeyEnter)
}

func TestCaptchaRetypeEnterpriseLogin(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.typeFields(entAccount, entPassword)
	k.wrongCaptcha()
	k.retypeCaptcha()
	k.key(tea.KeyEnter)
	k.waitFor(k.text("center.enterprise_title"))
}

func TestCaptchaRetypeAgentLogin(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.clickHome("home.agent_login")
	k.waitFor(k.text("login.agent_id"))
	k.agentLogin(entAccount, f.uscc, agentPhone, f.agent.IDNumber, agentPass) // with the right answer...
	k.waitFor(k.text("center.agent_title"))
	k.finish()

	f = newFixture(t)
	k = startKiosk(t, f.deps)
	k.clickHome("home.agent_login")
	k.waitFor(k.text("login.agent_id"))
	k.typeFields(entAccount, f.uscc, agentPhone, f.agent.IDNumber, agentPass)
	k.wrongCaptcha() // ...and with a wrong one first
	k.retypeCaptcha()
	k.key(tea.KeyEnter)
	k.waitFor(k.text("center.agent_title"))
}

func TestCaptchaRetypeForgot(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openForgot()
	k.forgotConfirm(rcAccount, rcRep, rcID, "AAAA")
	k.retypeCaptcha()
	k.key(tea.KeyEnter)
	k.waitFor(rcMasked)
}

func TestCaptchaRetypeActivate(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openActivate()
	k.activateConfirm(pdName, pdUSCC, pdRep, pdID, 3, pdFrom, "AAAA")
	k.retypeCaptcha()
	k.key(tea.KeyEnter)
	k.waitFor(pdMasked)
}

func TestCaptchaRetypeRegister(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	k.openRegister()
	k.fillEnterprise(e.name, e.uscc)
	k.waitFor(k.text("field.rep_name"))
	k.fillRep(e.rep, e.id, e.period, e.from, e.phone)
	k.key(tea.KeyShiftTab) // back on the captcha: a wrong answer
	k.typeText("AAAA")
	k.key(tea.KeyTab)
	k.requestCode()
	k.retypeCaptcha()
	k.key(tea.KeyTab)
	k.requestCode()
	k.waitFor(k.text("flow.code_sent_to", "Phone", "187****2385"))
}

func TestCaptchaRetypePerson(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	k.openPersonRegister()
	k.fillRep(e.rep, e.id, e.period, e.from, e.phone)
	k.key(tea.KeyShiftTab)
	k.typeText("AAAA")
	k.key(tea.KeyTab)
	k.requestCode()
	k.retypeCaptcha()
	k.key(tea.KeyTab)
	k.requestCode()
	k.waitFor(k.text("flow.code_sent_to", "Phone", "187****2385"))
}
