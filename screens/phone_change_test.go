package screens

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/i18n"
	accountui "kiosk/screens/account"
	"kiosk/screens/center"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Journeys of 修改手机号码 (manual §四(一)(2)) through the real root, on the
// fixture's enterprise (reserved phone 13812345678): keys and taps in, the
// screen and the store (record, audit, outbox) out.

const (
	phoneChgNew       = "13912345678"
	phoneChgNewMasked = "139****5678"
	phoneChgOld       = "13812345678" // the fixture enterprise's reserved phone
	phoneChgOldMasked = "138****5678"
)

// phoneChgTile taps the enterprise center's tile labelled label.
func (k *kiosk) phoneChgTile(label string) {
	k.t.Helper()
	k.click(center.TileZone(label))
}

// phoneChgOpen logs the fixture's enterprise in and opens 修改手机号码.
func (k *kiosk) phoneChgOpen() {
	k.t.Helper()
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, entPassword)
	k.waitFor(k.text("center.change_password"))
	k.phoneChgTile("center.change_phone")
	k.waitFor(k.text("phone_change.password"), k.text("phone_change.hint_password"))
}

// phoneChgToBind answers step 1 with the right password and waits for
// step 2, which names the reserved phone masked.
func (k *kiosk) phoneChgToBind() {
	k.t.Helper()
	k.typeText(entPassword)
	k.key(tea.KeyEnter)
	k.waitFor(k.text("phone_change.new_phone"), phoneChgOldMasked)
}

// phoneChgPhone reads the fixture enterprise's reserved phone.
func (f *fixture) phoneChgPhone() string {
	f.t.Helper()
	e, ok := f.enterpriseByUSCC(f.uscc)
	if !ok {
		f.t.Fatal("the enterprise is gone")
	}
	return e.Phone
}

// phoneChgCodesTo counts the code SMS queued or sent to phone.
func (f *fixture) phoneChgCodesTo(phone string) int {
	f.t.Helper()
	n := 0
	for _, s := range []model.OutboxState{model.OutboxPending, model.OutboxSent} {
		msgs, err := readTx(f.store, func(tx model.Tx) ([]model.OutboundSMS, error) { return tx.Outbox().List(s, 1000) })
		if err != nil {
			f.t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Kind == model.SMSKindCode && m.To == phone {
				n++
			}
		}
	}
	return n
}

// phoneChgNoPII fails when the audit log holds one of values in clear.
func (f *fixture) phoneChgNoPII(values ...string) {
	f.t.Helper()
	for _, r := range f.audit() {
		for _, v := range values {
			if strings.Contains(r.Detail+" "+r.Subject+" "+r.Actor, v) {
				f.t.Errorf("audit %s holds %q: %+v", r.Action, v, r)
			}
		}
	}
}

// phoneChgUnchanged checks that nothing of a change was written.
func (f *fixture) phoneChgUnchanged() {
	f.t.Helper()
	if p := f.phoneChgPhone(); p != phoneChgOld {
		f.t.Errorf("the reserved phone is %s", p)
	}
	if n := f.auditCount(svc.AuditChangePhone, "ok"); n != 0 {
		f.t.Errorf("%d changes audited", n)
	}
	if n := len(f.notices(phoneChgOld)) + len(f.notices(phoneChgNew)); n != 0 {
		f.t.Errorf("%d notices", n)
	}
}

// 修改手机号码 by keys: the password, the new number with the captcha and
// the code read off the new phone; the result page names the new number
// masked; the record holds it, found by the USCC; one audit record with
// both numbers blind; the old number got a notice with the new one
// masked, the new one a confirmation, and no code went to the old one;
// 返回企业中心 goes back to the center, the login intact.
func TestJourneyPhoneChange(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.phoneChgOpen()
	k.phoneChgToBind()
	k.typeFields(phoneChgNew, captchaText)
	k.key(tea.KeyF5)
	k.waitFor(k.text("flow.code_sent_to", "Phone", phoneChgNewMasked))
	code := f.deliver(phoneChgNew)
	k.typeText(code)
	k.waitFor(code[:1])
	k.key(tea.KeyEnter)
	k.waitFor(k.text("phone_change.done", "Phone", phoneChgNewMasked), k.text("phone_change.done_notice"))

	if p := f.phoneChgPhone(); p != phoneChgNew {
		t.Fatalf("reserved phone %s, want %s", p, phoneChgNew)
	}
	if n := f.phoneChgCodesTo(phoneChgOld); n != 0 {
		t.Errorf("%d codes to the old number", n)
	}
	old, nw := f.notices(phoneChgOld), f.notices(phoneChgNew)
	if len(old) != 1 || !strings.Contains(old[0].Text, phoneChgNewMasked) || !strings.Contains(old[0].Text, entAccount) {
		t.Errorf("notices to the old number: %+v", old)
	}
	if len(nw) != 1 || !strings.Contains(nw[0].Text, entAccount) {
		t.Errorf("notices to the new number: %+v", nw)
	}
	recs := 0
	for _, r := range f.audit() {
		if r.Action == svc.AuditChangePhone {
			recs++
			if r.Outcome != "ok" || r.Actor != "enterprise:"+f.ent.ID || !strings.Contains(r.Detail, "old_phone=") ||
				!strings.Contains(r.Detail, "new_phone=") {
				t.Errorf("audit %+v", r)
			}
		}
	}
	if recs != 1 {
		t.Errorf("%d change records", recs)
	}
	f.phoneChgNoPII(phoneChgOld, phoneChgNew, phoneChgOldMasked, phoneChgNewMasked)

	k.key(tea.KeyEnter) // 返回企业中心
	k.waitFor(k.text("center.change_password"))
	r := k.finish()
	if r.Current() != route.EnterpriseCenter.ID() || r.Session() == nil {
		t.Fatalf("after 返回: at %s, session %v", r.Current(), r.Session())
	}
	if _, err := f.auth.EnterpriseView(context.Background(), *r.Session()); err != nil {
		t.Errorf("the login ended with the change: %v", err)
	}
}

// A wrong login password is refused under its field with the tries left
// (it is a login attempt), audited as a failed check; the flow stays on
// step 1 and nothing changes.
func TestJourneyPhoneChangeWrongPassword(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.phoneChgOpen()
	k.typeText("Wrong#2024x")
	k.key(tea.KeyEnter)
	left := zh("error.password_again_left", "N", 4)
	k.waitFor(left)
	r := k.finish()
	fm := formOf(t, r)
	if got := fm.Error(svc.FieldPassword); got != left || fm.Step() != 0 {
		t.Errorf("step %d, password error %q", fm.Step(), got)
	}
	if n := f.auditCount(svc.AuditChangePhoneCheck, "fail"); n != 1 {
		t.Errorf("%d failed checks audited, want 1", n)
	}
	if err := f.login(entAccount, entPassword); err != nil {
		t.Errorf("the password no longer logs in: %v", err)
	}
	f.phoneChgUnchanged()
}

// Step 2 refuses, each beside its field, and sends nothing it should not:
// 获取验证码 before the captcha is answered; the reserved number itself;
// then the new number gets its code, and a wrong code is refused with the
// tries left. Nothing changes.
func TestJourneyPhoneChangeBindRefused(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.phoneChgOpen()
	k.phoneChgToBind()
	k.typeFields(phoneChgOld)
	k.key(tea.KeyTab) // the captcha left empty
	k.key(tea.KeyF5)
	k.waitFor(zh("sms.captcha_required"))
	k.typeText(captchaText) // the refusal focused the captcha
	k.key(tea.KeyTab)
	k.key(tea.KeyF5)
	k.waitFor(zh("error.same_phone"))
	if n := f.phoneChgCodesTo(phoneChgOld); n != 0 {
		t.Fatalf("%d codes to the reserved number", n)
	}
	k.click(form.FieldZone(center.ChangePhoneForm, svc.FieldPhone))
	for range len(phoneChgOld) {
		k.key(tea.KeyBackspace)
	}
	k.typeText(phoneChgNew)
	k.click(form.FieldZone(center.ChangePhoneForm, svc.FieldSMSCode))
	k.key(tea.KeyF5) // the captcha was answered: it stands for the visit
	k.waitFor(k.text("flow.code_sent_to", "Phone", phoneChgNewMasked))
	code := f.deliver(phoneChgNew)
	wrong := fmt.Sprintf("%06d", (atoi(code)+1)%1000000)
	k.typeText(wrong)
	k.waitFor(wrong[:1])
	k.key(tea.KeyEnter)
	k.waitFor(zh("sms.code_tries_left", "N", 4))
	r := k.finish()
	if fm := formOf(t, r); fm.Step() != 1 || fm.Error(svc.FieldSMSCode) == "" {
		t.Errorf("step %d, errors %v", fm.Step(), fm.Errors())
	}
	if n := f.phoneChgCodesTo(phoneChgNew); n != 1 {
		t.Errorf("%d codes to the new number, want 1", n)
	}
	f.phoneChgUnchanged()
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// The login ends on another kiosk (its password changed there) between
// step 1 and the code: at the next key the kiosk goes home and says the
// login has ended; no code is sent and nothing changes.
func TestJourneyPhoneChangeSessionEnded(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.phoneChgOpen()
	k.phoneChgToBind()
	if _, err := f.svc.ChangePassword(context.Background(), f.otherLogin(), entPassword, changedPass); err != nil {
		t.Fatal(err)
	}
	k.typeText(phoneChgNew[:1])
	k.waitFor(zh("error.session_ended"))
	if n := f.phoneChgCodesTo(phoneChgNew); n != 0 {
		t.Errorf("%d codes sent for an ended login", n)
	}
	if p := f.phoneChgPhone(); p != phoneChgOld {
		t.Errorf("the reserved phone is %s", p)
	}
	r := k.finish()
	if r.Current() != route.Home.ID() || r.Session() != nil {
		t.Errorf("at %s with session %v", r.Current(), r.Session())
	}
}

// An agent login cannot open 修改手机号码 (the route's guard; the use case
// refuses agents too, model/account).
func TestJourneyPhoneChangeNotForAgents(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.clickHome("home.agent_login")
	k.waitFor(k.text("field.captcha"))
	k.agentLogin(entAccount, f.uscc, agentPhone, f.agent.IDNumber, agentPass)
	k.waitFor(k.text("center.agent_info"))
	k.tm.Send(route.ChangePhone.Nav(kit.None{}))
	k.waitFor(k.text("home.welcome"))
	r := k.finish()
	if r.Current() == route.ChangePhone.ID() {
		t.Fatal("an agent opened 修改手机号码")
	}
	f.phoneChgUnchanged()
}

// The whole change by touch alone at 80×24: login, the tile, every field
// and button tapped (only the text itself is typed), 获取验证码 tapped, the
// result's button tapped.
func TestJourneyPhoneChangeByTouch(t *testing.T) {
	f := newFixture(t)
	k := startKioskAt(t, f.deps, 80, 24)
	k.touchLogin(entAccount, entPassword)
	k.phoneChgTile("center.change_phone")
	k.waitFor(k.text("phone_change.password"))
	id := center.ChangePhoneForm
	k.click(form.FieldZone(id, svc.FieldPassword))
	k.typeText(entPassword)
	k.click(form.ButtonZone(id, form.ButtonNext))
	k.waitFor(k.text("phone_change.new_phone"))
	k.click(form.FieldZone(id, svc.FieldPhone))
	k.typeText(phoneChgNew)
	k.click(form.FieldZone(id, accountui.CaptchaKey))
	k.typeText(captchaText)
	k.waitFor("[" + captchaText)
	k.click(form.ActionZone(id, svc.FieldSMSCode))
	k.waitFor(k.text("flow.code_sent_to", "Phone", phoneChgNewMasked))
	code := f.deliver(phoneChgNew)
	k.click(form.FieldZone(id, svc.FieldSMSCode))
	k.typeText(code)
	k.waitFor(code[:1])
	k.click(form.ButtonZone(id, form.ButtonNext))
	k.waitFor(k.text("phone_change.done", "Phone", phoneChgNewMasked))
	k.click(id + "-done:" + center.ChangeDoneBack)
	k.waitFor(k.text("center.change_password"))
	r := k.finish()
	if r.Current() != route.EnterpriseCenter.ID() {
		t.Fatalf("at %s", r.Current())
	}
	if p := f.phoneChgPhone(); p != phoneChgNew {
		t.Errorf("reserved phone %s", p)
	}
	checkRoot(t, r)
}

// Every page of 修改手机号码 is whole at 80×24 in every language: step 1
// empty (its error), step 2 with the hint, its errors, the code sent, and
// the result page.
func TestPhoneChangeWholeInEveryLanguage(t *testing.T) {
	for _, l := range i18n.Langs {
		t.Run(string(l), func(t *testing.T) {
			f := newFixture(t)
			r := newRoot(t, f.deps, 80, 24)
			inLang(r, l)
			key := func(k tea.KeyType) { feed(r, tea.KeyMsg{Type: k}) }
			key(tea.KeyEnter) // 企业登录
			for _, v := range []string{entAccount, entPassword} {
				typeInto(r, v)
				key(tea.KeyTab)
			}
			typeInto(r, captchaText)
			key(tea.KeyEnter)
			if r.app.Session() == nil {
				t.Fatalf("not logged in:\n%s", r.View())
			}
			feed(r, route.ChangePhone.Nav(kit.None{}))
			if r.Current() != route.ChangePhone.ID() {
				t.Fatalf("at %s", r.Current())
			}
			checkRoot(t, r)
			fm := formOf(t, r)
			key(tea.KeyEnter) // nothing typed
			if fm.Error(svc.FieldPassword) == "" {
				t.Fatal("an empty password passed")
			}
			checkRoot(t, r)
			typeInto(r, entPassword)
			key(tea.KeyEnter)
			if fm.Step() != 1 {
				t.Fatalf("step %d: %v %q", fm.Step(), fm.Errors(), fm.FormError())
			}
			checkRoot(t, r)
			fm.Focus(svc.FieldSMSCode)
			key(tea.KeyEnter) // the empty step 2
			checkRoot(t, r)
			fm.Focus(svc.FieldPhone)
			typeInto(r, phoneChgNew)
			key(tea.KeyTab)
			typeInto(r, captchaText)
			key(tea.KeyTab)
			key(tea.KeyF5)
			if fm.Countdown(svc.FieldSMSCode) == 0 {
				t.Fatalf("no code sent: %v", fm.Errors())
			}
			checkRoot(t, r) // 验证码已发送至…
			typeInto(r, f.deliver(phoneChgNew))
			key(tea.KeyEnter)
			if !flowOf(t, r).Finished() {
				t.Fatalf("not finished: %v %q", fm.Errors(), fm.FormError())
			}
			if !strings.Contains(r.View(), tr(l, "phone_change.done", "Phone", phoneChgNewMasked)) {
				t.Errorf("the result page does not name the new number:\n%s", r.View())
			}
			checkRoot(t, r)
		})
	}
}
