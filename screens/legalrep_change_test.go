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
	"kiosk/screens/facestep"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Journeys of 法定代表人变更 (manual §四(一)(4)) through the real root, on
// the demo enterprise demo_corp01 (长春澜益农业科技有限公司, legal
// representative 谢国勇): its registry record is changed to name 姜军东 as
// the business registry would after the change was registered; keys and
// taps in, the screen and the store out.

const (
	repChgUSCC = "9122012283957419XU" // demo_corp01
	repChgName = "姜军东"
	repChgID   = "220105199904308518" // born 1999
	repChgFrom = "2025-09-12"         // 20年 (26 on the start date)
	repChgTo   = "2045-09-12"
	repChgNew  = "13912345678"
	// repChgMasked is the new legal representative as the result page
	// shows him.
	repChgMasked = "姜**"
)

// repChgPeriod20 is 20年: presses on 证件有效期 (1 5年 … 4 长期有效).
const repChgPeriod20 = 3

// repChgRegistry records in the business registry that demo_corp01's legal
// representative is now 姜军东.
func (f *fixture) repChgRegistry() {
	f.t.Helper()
	err := f.store.Update(context.Background(), func(tx model.Tx) error {
		rec, err := tx.Registry().Get(repChgUSCC)
		if err != nil {
			return err
		}
		rec.LegalRep = model.LegalRep{Name: repChgName, ID: model.IDDocument{Type: model.IDTypeResident, Number: repChgID,
			Period: model.Validity20Years, ValidFrom: day(2025, 9, 12), ValidTo: day(2045, 9, 12)}}
		return tx.Registry().Put(rec)
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// repChgOpen logs demo_corp01 in and opens 法定代表人变更.
func (k *kiosk) repChgOpen() {
	k.t.Helper()
	k.openEnterpriseLogin()
	k.enterpriseAttempt(rcAccount, rcPassword)
	k.waitFor(k.text("center.change_password"))
	k.phoneChgTile("center.change_legal_rep")
	k.waitFor(k.text("rep_change.name"), repChgHead(k.text("rep_change.hint_rep")))
}

// repChgFill fills step 1 (the focus on the name; 证件类型 is preset,
// 结束日期 derived) and presses 下一步.
func (k *kiosk) repChgFill(name, id string, period int, from string) {
	k.typeFields(name)
	k.key(tea.KeyTab)
	k.typeFields(id)
	for range period {
		k.key(tea.KeyRight)
	}
	k.key(tea.KeyTab)
	k.typeText(from)
	k.key(tea.KeyTab)
	k.key(tea.KeyEnter) // on 结束日期, the last field
}

// repChgToPhone answers step 1 with the new legal representative and
// passes his face: the phone page, which names the reserved phone.
func (k *kiosk) repChgToPhone() {
	k.t.Helper()
	k.repChgFill(repChgName, repChgID, repChgPeriod20, repChgFrom)
	k.waitFor(k.text("rep_change.face_purpose"))
	k.passFace()
	k.waitFor(k.text("rep_change.new_phone"), rcMasked)
}

// repChgFirst is a sentence up to its first comma: what a wrapped
// sentence surely draws on one line.
func repChgFirst(s string) string {
	if i := strings.Index(s, "，"); i > 0 {
		return s[:i]
	}
	return s
}

// repChgHead is the first runes of a sentence: what a wrapped sentence
// surely draws on its first line.
func repChgHead(s string) string {
	r := []rune(s)
	return string(r[:min(len(r), 8)])
}

func (f *fixture) repChgEnt() model.Enterprise { return f.enterprise(repChgUSCC) }

// repChgUnchanged checks that nothing of a change was written.
func (f *fixture) repChgUnchanged() {
	f.t.Helper()
	e := f.repChgEnt()
	if e.LegalRep.Name != rcRep || e.LegalRep.ID.Number != rcID || e.Phone != rcPhone {
		f.t.Errorf("changed: %s %s %s", e.LegalRep.Name, e.LegalRep.ID.Number, e.Phone)
	}
	if n := f.auditCount(svc.AuditChangeLegalRep, "ok"); n != 0 {
		f.t.Errorf("%d changes audited", n)
	}
	if n := len(f.notices(rcPhone)) + len(f.notices(repChgNew)); n != 0 {
		f.t.Errorf("%d notices", n)
	}
}

// 法定代表人变更 by keys, keeping the reserved phone: the new legal
// representative, his face, the phone page left empty; the result page
// names him masked and the reserved phone; the record holds him (as the
// registry spells him, with the card as typed) and the same phone; a
// look-up and a change audited with the ID number blind; one notice to
// the reserved phone; 返回企业中心.
func TestJourneyLegalRepChange(t *testing.T) {
	f := newFixture(t)
	f.repChgRegistry()
	k := startKiosk(t, f.deps)
	k.repChgOpen()
	k.repChgToPhone()
	k.key(tea.KeyEnter) // the phone left empty: through the captcha and the code to 确认变更
	k.key(tea.KeyEnter)
	k.key(tea.KeyEnter)
	k.waitFor(k.text("rep_change.done"), k.text("rep_change.done_name", "Name", repChgMasked),
		k.text("rep_change.done_phone", "Phone", rcMasked))

	e := f.repChgEnt()
	if e.LegalRep.Name != repChgName || e.LegalRep.ID.Number != repChgID || e.LegalRep.ID.Period != model.Validity20Years ||
		e.LegalRep.ID.ValidFrom.Format("2006-01-02") != repChgFrom || e.LegalRep.ID.ValidTo.Format("2006-01-02") != repChgTo {
		t.Errorf("legal rep %+v", e.LegalRep)
	}
	if e.Phone != rcPhone {
		t.Errorf("phone %s", e.Phone)
	}
	if byAcct, err := f.byAccount(rcAccount); err != nil || byAcct.LegalRep.Name != repChgName {
		t.Errorf("account index: %v", err)
	}
	if n := f.auditCount(svc.AuditLegalRepLookup, "ok"); n != 1 {
		t.Errorf("%d look-ups", n)
	}
	if n := f.auditCount(svc.AuditChangeLegalRep, "ok"); n != 1 {
		t.Errorf("%d changes audited", n)
	}
	f.phoneChgNoPII(repChgName, repChgID, rcRep, rcID, rcPhone)
	if n := f.notices(rcPhone); len(n) != 1 || !strings.Contains(n[0].Text, rcAccount) {
		t.Errorf("notices %+v", n)
	}
	k.key(tea.KeyEnter) // 返回企业中心
	k.waitFor(k.text("center.change_password"))
	r := k.finish()
	if r.Current() != route.EnterpriseCenter.ID() || r.Session() == nil {
		t.Fatalf("at %s, session %v", r.Current(), r.Session())
	}
}

// The whole change with a new reserved phone by touch alone at 80×24:
// login, the tile, every field, option and button tapped (only text is
// typed), the face step's 拍照, 获取验证码, the result's button. The
// record has the new phone; the old number is told, the new one too.
func TestJourneyLegalRepChangeByTouch(t *testing.T) {
	f := newFixture(t)
	f.repChgRegistry()
	k := startKioskAt(t, f.deps, 80, 24)
	k.touchLogin(rcAccount, rcPassword)
	k.phoneChgTile("center.change_legal_rep")
	k.waitFor(k.text("rep_change.name"))
	id := center.ChangeLegalRepForm
	k.click(form.FieldZone(id, svc.FieldRepName))
	k.typeText(repChgName)
	k.click(form.FieldZone(id, svc.FieldIDNumber))
	k.typeText(repChgID)
	k.click(form.OptionZone(id, svc.FieldIDPeriod, 2)) // 20年
	k.click(form.FieldZone(id, svc.FieldIDFrom))
	k.typeText(repChgFrom)
	k.waitFor(repChgTo) // 结束日期, derived
	k.click(form.ButtonZone(id, form.ButtonNext))
	k.waitFor("【" + k.text("capture.shoot") + "】")
	k.click(facestep.ZonePrefix + "-cap:" + facestep.CaptureShoot)
	k.waitFor(k.text("rep_change.new_phone"))
	k.click(form.FieldZone(id, svc.FieldPhone))
	k.typeText(repChgNew)
	k.click(form.FieldZone(id, accountui.CaptchaKey))
	k.typeText(captchaText)
	k.waitFor("[" + captchaText)
	k.click(form.ActionZone(id, svc.FieldSMSCode))
	k.waitFor(k.text("flow.code_sent_to", "Phone", phoneChgNewMasked))
	code := f.deliver(repChgNew)
	k.click(form.FieldZone(id, svc.FieldSMSCode))
	k.typeText(code)
	k.waitFor(code[:1])
	k.click(form.ButtonZone(id, form.ButtonNext))
	k.waitFor(k.text("rep_change.done"))
	e := f.repChgEnt()
	if e.LegalRep.ID.Number != repChgID || e.Phone != repChgNew {
		t.Errorf("record: rep %s phone %s", e.LegalRep.ID.Number, e.Phone)
	}
	if old := f.notices(rcPhone); len(old) != 1 || !strings.Contains(old[0].Text, phoneChgNewMasked) {
		t.Errorf("notices to the old phone %+v", old)
	}
	if nw := f.notices(repChgNew); len(nw) != 1 {
		t.Errorf("notices to the new phone %+v", nw)
	}
	f.phoneChgNoPII(repChgName, repChgID, rcPhone, repChgNew)
	r := k.finish()
	checkRoot(t, r) // the result page, whole at 80×24
	if !strings.Contains(r.View(), zh("rep_change.done_phone", "Phone", phoneChgNewMasked)) {
		t.Errorf("the result page does not name the new phone:\n%s", r.View())
	}
}

// The registry does not name the person typed (its change not registered
// yet): the sentence beside the name says so, a look-up is audited as a
// mismatch, the flow stays on step 1 and nothing changes.
func TestJourneyLegalRepChangeMismatch(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.repChgOpen()
	k.repChgFill(repChgName, repChgID, repChgPeriod20, repChgFrom)
	k.waitFor(repChgFirst(zh("rep_change.mismatch"))) // the sentence wraps beside the field
	r := k.finish()
	fm := formOf(t, r)
	if fm.Step() != 0 || fm.Error(svc.FieldRepName) != zh("rep_change.mismatch") {
		t.Errorf("step %d, errors %v", fm.Step(), fm.Errors())
	}
	if n := f.auditCount(svc.AuditLegalRepLookup, "mismatch"); n != 1 {
		t.Errorf("%d mismatches audited", n)
	}
	f.repChgUnchanged()
}

// The current legal representative typed as the new one is refused with
// its own sentence; an expired card is refused on its field before any
// look-up.
func TestJourneyLegalRepChangeSameOrExpired(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.repChgOpen()
	k.repChgFill(rcRep, rcID, repChgPeriod20, "2013-07-08")
	k.waitFor(zh("error.same_legal_rep"))
	if n := f.auditCount(svc.AuditLegalRepLookup, "same"); n != 1 {
		t.Errorf("%d look-ups of the current rep", n)
	}
	r := k.finish()
	if got := formOf(t, r).Error(svc.FieldRepName); got != zh("error.same_legal_rep") {
		t.Errorf("name error %q", got)
	}

	f = newFixture(t)
	f.repChgRegistry()
	k = startKiosk(t, f.deps)
	k.repChgOpen()
	k.repChgFill(repChgName, repChgID, 1, "2014-09-12") // 5年 at 15, ended 2019
	k.waitFor(zh("rule.expired"))
	if n := f.countAudit(svc.AuditLegalRepLookup); n != 0 {
		t.Errorf("%d look-ups for an expired card", n)
	}
	r = k.finish()
	if got := formOf(t, r).Error(svc.FieldIDTo); got != zh("rule.expired") {
		t.Errorf("结束日期 error %q (all %v)", got, formOf(t, r).Errors())
	}
	f.repChgUnchanged()
}

// The phone page refuses the reserved phone itself (no code sent) and a
// wrong code; the change does not happen.
func TestJourneyLegalRepChangePhoneRefused(t *testing.T) {
	f := newFixture(t)
	f.repChgRegistry()
	k := startKiosk(t, f.deps)
	k.repChgOpen()
	k.repChgToPhone()
	k.typeFields(rcPhone, captchaText)
	k.key(tea.KeyF5)
	k.waitFor(zh("error.same_phone"))
	if n := f.phoneChgCodesTo(rcPhone); n != 0 {
		t.Fatalf("%d codes to the reserved phone", n)
	}
	k.click(form.FieldZone(center.ChangeLegalRepForm, svc.FieldPhone))
	for range len(rcPhone) {
		k.key(tea.KeyBackspace)
	}
	k.typeText(repChgNew)
	k.click(form.FieldZone(center.ChangeLegalRepForm, svc.FieldSMSCode))
	k.key(tea.KeyF5)
	k.waitFor(k.text("flow.code_sent_to", "Phone", phoneChgNewMasked))
	code := f.deliver(repChgNew)
	wrong := fmt.Sprintf("%06d", (atoi(code)+1)%1000000)
	k.typeText(wrong)
	k.waitFor(wrong[:1])
	k.key(tea.KeyEnter)
	k.waitFor(zh("sms.code_tries_left", "N", 4))
	r := k.finish()
	if fm := formOf(t, r); fm.Step() != 1 || fm.Error(svc.FieldSMSCode) == "" {
		t.Errorf("step %d, errors %v", fm.Step(), fm.Errors())
	}
	f.repChgUnchanged()
}

// Step 1 and the phone page of 法定代表人变更 are whole at 80×24 in every
// language: the empty step with its errors, the mismatch sentence, and
// the phone page, which says the number is optional.
func TestLegalRepChangeWholeInEveryLanguage(t *testing.T) {
	for _, l := range i18n.Langs {
		t.Run(string(l)+"_step1", func(t *testing.T) {
			f := newFixture(t)
			r := newRoot(t, f.deps, 80, 24)
			inLang(r, l)
			key := func(k tea.KeyType) { feed(r, tea.KeyMsg{Type: k}) }
			key(tea.KeyEnter) // 企业登录
			for _, v := range []string{rcAccount, rcPassword} {
				typeInto(r, v)
				key(tea.KeyTab)
			}
			typeInto(r, captchaText)
			key(tea.KeyEnter)
			feed(r, route.ChangeLegalRep.Nav(kit.None{}))
			if r.Current() != route.ChangeLegalRep.ID() {
				t.Fatalf("at %s", r.Current())
			}
			checkRoot(t, r)
			fm := formOf(t, r)
			fm.Focus(accountui.FieldIDType)
			key(tea.KeyEnter) // nothing typed
			if fm.Validate() || len(fm.Errors()) < 3 {
				t.Fatalf("errors %v", fm.Errors())
			}
			checkRoot(t, r)
			fm.Focus(svc.FieldRepName)
			typeInto(r, repChgName)
			key(tea.KeyTab)
			key(tea.KeyTab)
			typeInto(r, repChgID)
			key(tea.KeyTab)
			for range repChgPeriod20 {
				key(tea.KeyRight)
			}
			key(tea.KeyTab)
			typeInto(r, repChgFrom)
			key(tea.KeyTab)
			key(tea.KeyEnter) // the registry still names 谢国勇
			if fm.Error(svc.FieldRepName) != tr(l, "rep_change.mismatch") {
				t.Fatalf("errors %v %q", fm.Errors(), fm.FormError())
			}
			checkRoot(t, r)
		})
		t.Run(string(l)+"_phone", func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.repChgRegistry()
			k := startKioskAt(t, f.deps, 80, 24)
			k.chooseLang(l)
			k.repChgOpen()
			k.repChgFill(repChgName, repChgID, repChgPeriod20, repChgFrom)
			k.waitFor(k.text("rep_change.face_purpose"))
			k.passFace()
			k.waitFor(k.text("rep_change.new_phone"))
			r := k.finish()
			// The room drops the hint above the page; the field says it.
			if v := r.View(); !strings.Contains(v, tr(l, "rep_change.phone_optional")) {
				t.Errorf("the phone page does not say it is optional:\n%s", v)
			}
			checkRoot(t, r)
		})
	}
}
