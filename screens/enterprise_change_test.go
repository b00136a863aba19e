package screens

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/screens/center"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Journeys of 企业信息变更 (manual §四(一)(4)) through the real root: the
// fixture's enterprise (no 拓展信息 on record) against a registry record
// the tests put in the store, as the business registry has it.

const (
	entChgNewName = "星河示范智能科技有限公司"
	entChgAddress = "北京市海淀区中关村大街1号"
	entChgCapital = "500万元人民币"
	entChgScope   = "软件开发；技术服务"
	entChgRegDate = "2024-03-01"
)

// entChgRecord is the registry's record of the fixture's enterprise: its
// name and legal type, and four of the 拓展信息 (the others empty).
func entChgRecord(f *fixture) model.RegistryRecord {
	return model.RegistryRecord{USCC: f.uscc, Name: entName, LegalType: "企业法人", LegalRep: f.ent.LegalRep, Phone: f.ent.Phone,
		Extended: model.Extended{RegisteredAddress: entChgAddress, RegisteredCapital: entChgCapital,
			RegisteredDate: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), BusinessScope: entChgScope}}
}

// entChgSetRegistry puts rec as the registry's record (the registry changed).
func (f *fixture) entChgSetRegistry(rec model.RegistryRecord) {
	f.t.Helper()
	if err := f.store.Update(context.Background(), func(tx model.Tx) error { return tx.Registry().Put(rec) }); err != nil {
		f.t.Fatal(err)
	}
}

// entChgUTC is x with its dates in UTC, so that two records of the same
// calendar dates compare equal whatever location decoding gave them.
func entChgUTC(x model.Extended) model.Extended {
	x.RegisteredDate, x.ApprovalDate, x.EstablishedDate = x.RegisteredDate.UTC(), x.ApprovalDate.UTC(), x.EstablishedDate.UTC()
	return x
}

// entChgStored is the fixture's enterprise as stored now.
func (f *fixture) entChgStored() model.Enterprise {
	f.t.Helper()
	e, ok := f.enterpriseByUSCC(f.uscc)
	if !ok {
		f.t.Fatal("the fixture's enterprise is gone")
	}
	return e
}

// entChgAudit are the audit records of 企业信息变更.
func (f *fixture) entChgAudit() []model.AuditRecord {
	var out []model.AuditRecord
	for _, r := range f.audit() {
		if r.Action == svc.AuditChangeEnterprise {
			out = append(out, r)
		}
	}
	return out
}

// entChgUnchanged checks that a refusal left the record, the notices (n
// of them before) and the successful audit records alone.
func (f *fixture) entChgUnchanged(n ...int) {
	f.t.Helper()
	if e := f.entChgStored(); e.Name != f.ent.Name || entChgUTC(e.Extended) != entChgUTC(f.ent.Extended) || e.LegalType != f.ent.LegalType {
		f.t.Errorf("the record changed after a refusal: %+v", e)
	}
	if got, want := len(f.notices(f.ent.Phone)), append(n, 0)[0]; got != want {
		f.t.Errorf("%d notices after a refusal, want %d", got, want)
	}
	for _, r := range f.entChgAudit() {
		if r.Outcome == "ok" {
			f.t.Errorf("an ok audit record after a refusal: %+v", r)
		}
	}
}

// entChgOpen logs the enterprise in with keys and opens 企业信息变更 from
// its center's menu.
func (k *kiosk) entChgOpen(f *fixture) {
	k.t.Helper()
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, entPassword)
	k.waitFor(k.text("center.change_enterprise"))
	k.click(center.TileZone("center.change_enterprise"))
	k.waitFor(f.uscc, k.text("enterprise_change.fixed"))
}

// entChgType focuses the field key with a tap and types v after what it
// holds, with n backspaces first.
func (k *kiosk) entChgType(key string, n int, v string) {
	k.t.Helper()
	k.click(form.FieldZone(center.ChangeEnterpriseForm, key))
	for range n {
		k.key(tea.KeyBackspace)
	}
	k.typeText(v)
}

// entChgFill types what the registry has into the empty 拓展信息, top to
// bottom (a tap on each field: the page scrolls down as the focus goes).
func (k *kiosk) entChgFill(address string) {
	k.t.Helper()
	k.entChgType(svc.FieldRegisteredAddress, 0, address)
	k.entChgType(svc.FieldRegisteredCapital, 0, entChgCapital)
	k.entChgType(svc.FieldRegisteredDate, 0, entChgRegDate)
	k.entChgType(svc.FieldBusinessScope, 0, entChgScope)
	k.waitFor(entChgScope)
}

func (k *kiosk) entChgSubmit() {
	k.click(form.ButtonZone(center.ChangeEnterpriseForm, form.ButtonNext))
}

// The registry has a new name and the 拓展信息; the enterprise types them
// and presses 变更: the result page (the name, what changed, the notice),
// the record takes the registry's values, one audit record with before and
// after of exactly the changed fields, one notice to the reserved phone;
// 返回 leads to the center, whose header names the enterprise anew.
func TestJourneyEnterpriseChangeSaved(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rec := entChgRecord(f)
	rec.Name = entChgNewName
	f.entChgSetRegistry(rec)
	k := startKiosk(t, f.deps)
	k.entChgOpen(f)
	k.entChgType(svc.FieldName, len([]rune(entName)), entChgNewName)
	k.entChgFill(entChgAddress)
	k.entChgSubmit()
	k.waitFor(k.text("enterprise_change.done"), k.text("enterprise_change.done_notice", "Phone", "138****5678"),
		k.text("enterprise_change.done_name", "Name", entChgNewName))

	e := f.entChgStored()
	if e.Name != entChgNewName || entChgUTC(e.Extended) != entChgUTC(rec.Extended) || e.USCC != f.uscc || e.Account != entAccount {
		t.Errorf("stored %+v, want the registry's %+v", e, rec)
	}
	recs := f.entChgAudit()
	if len(recs) != 1 || recs[0].Outcome != "ok" || recs[0].Actor != "enterprise:"+f.ent.ID ||
		recs[0].Detail != "fields=name,registered_address,registered_capital,registered_date,business_scope" {
		t.Fatalf("audit %+v", recs)
	}
	changes, err := svc.ChangesOf(recs[0])
	if err != nil {
		t.Fatal(err)
	}
	want := []svc.FieldChange{
		{Field: svc.FieldName, Before: entName, After: entChgNewName},
		{Field: svc.FieldRegisteredAddress, After: entChgAddress},
		{Field: svc.FieldRegisteredCapital, After: entChgCapital},
		{Field: svc.FieldRegisteredDate, After: entChgRegDate},
		{Field: svc.FieldBusinessScope, After: entChgScope},
	}
	if len(changes) != len(want) {
		t.Fatalf("before/after %+v", changes)
	}
	for i := range want {
		if changes[i] != want[i] {
			t.Errorf("change %d: %+v, want %+v", i, changes[i], want[i])
		}
	}
	if strings.Contains(recs[0].Detail, entChgAddress) {
		t.Errorf("the detail holds a value: %q", recs[0].Detail)
	}
	if n := len(f.notices(f.ent.Phone)); n != 1 {
		t.Errorf("%d notices to the reserved phone, want 1", n)
	}

	k.key(tea.KeyEnter) // 返回企业中心
	k.waitFor(k.text("center.change_enterprise"))
	r := k.finish()
	if r.Current() != route.EnterpriseCenter.ID() || r.Session() == nil || r.Session().EnterpriseName != entChgNewName {
		t.Fatalf("after 返回: at %s, session %+v", r.Current(), r.Session())
	}
	if !strings.Contains(r.View(), entChgNewName) {
		t.Error("the header does not name the enterprise anew")
	}
}

// A field that differs from the registry: refused next to it, the sentence
// above the buttons names it and the appeal; nothing saved, the look-up
// audited. 修改企业信息申诉 opens the appeal carrying what was typed (the
// fields changed, the field the registry refused); 返回 comes back to the
// form with what was typed.
func TestJourneyEnterpriseChangeMismatch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.entChgSetRegistry(entChgRecord(f))
	k := startKiosk(t, f.deps)
	k.entChgOpen(f)
	const typed = "北京市海淀区中关村大街2号"
	k.entChgFill(typed)
	k.entChgSubmit()
	label := k.text("enterprise_change.field.registered_address")
	k.waitFor(k.text("error.enterprise_change.field_mismatch"), k.text("enterprise_change.appeal"), "“"+label+"”")
	f.entChgUnchanged()
	if recs := f.entChgAudit(); len(recs) != 1 || recs[0].Outcome != "mismatch" || recs[0].Detail != "fields=registered_address" {
		t.Errorf("audit %+v", recs)
	}

	k.click(form.ButtonZone(center.ChangeEnterpriseForm, center.ChangeEnterpriseAppeal))
	k.waitFor(k.text("appeal.type_change_enterprise"))
	k.key(tea.KeyEsc) // 返回: the form again, as typed
	k.waitFor(k.text("enterprise_change.submit"))
	r := k.finish()
	if r.Current() != route.ChangeEnterprise.ID() {
		t.Fatalf("after 返回 at %s", r.Current())
	}
	fm := formOf(t, r)
	if got := fm.Value(svc.FieldRegisteredAddress); got != typed {
		t.Errorf("address after 返回 %q, want what was typed", got)
	}
	if got, want := fm.FormError(), zh("error.enterprise_change.mismatch_one", "Field", label); got != want {
		t.Errorf("form error %q, want %q", got, want)
	}
	f.entChgUnchanged()
}

// The appeal's params: the kind, the enterprise and every value as typed,
// what changes and what the registry refused; the placeholder shows them.
func TestJourneyEnterpriseChangeAppealParams(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.entChgSetRegistry(entChgRecord(f))
	k := startKiosk(t, f.deps)
	k.entChgOpen(f)
	k.entChgType(svc.FieldName, len([]rune(entName)), entChgNewName)
	k.entChgFill(entChgAddress)
	k.entChgSubmit()
	k.waitFor(k.text("enterprise_change.appeal"))
	k.click(form.ButtonZone(center.ChangeEnterpriseForm, center.ChangeEnterpriseAppeal))
	k.waitFor(k.text("appeal.type_change_enterprise"))
	r := k.finish()
	p, _ := r.params.(route.AppealParams)
	p.Extended = entChgUTC(p.Extended)
	want := route.AppealParams{Kind: route.AppealChange, LegalType: "企业法人", Name: entChgNewName, USCC: f.uscc,
		Extended: entChgUTC(entChgRecord(f).Extended),
		Changed:  "name,registered_address,registered_capital,registered_date,business_scope", Mismatch: "name"}
	if r.Current() != route.Appeal.ID() || p != want {
		t.Fatalf("appeal %s with\n%+v, want\n%+v", r.Current(), r.params, want)
	}
	checkRoot(t, r)
	f.entChgUnchanged()
}

// 变更 with the record's values: a clear sentence, nothing looked up or
// written.
func TestJourneyEnterpriseChangeNothingChanged(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.entChgSetRegistry(entChgRecord(f))
	k := startKiosk(t, f.deps)
	k.entChgOpen(f)
	k.entChgSubmit()
	k.waitFor(k.text("error.enterprise_change.unchanged"))
	r := k.finish()
	if got := formOf(t, r).FormError(); got != zh("error.enterprise_change.unchanged") {
		t.Errorf("form error %q", got)
	}
	if len(formOf(t, r).Buttons()) != 0 {
		t.Error("a way-on button after no change")
	}
	f.entChgUnchanged()
	if n := len(f.entChgAudit()); n != 0 {
		t.Errorf("%d audit records", n)
	}
}

// A date after today is refused next to its field before anything is
// asked; the USCC is shown and cannot be typed into.
func TestJourneyEnterpriseChangeFieldChecks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.entChgSetRegistry(entChgRecord(f))
	k := startKiosk(t, f.deps)
	k.entChgOpen(f)
	k.click(form.FieldZone(center.ChangeEnterpriseForm, svc.FieldUSCC))
	k.typeText("X")
	k.key(tea.KeyBackspace)
	k.entChgType(svc.FieldApprovalDate, 0, "2027-01-01") // after the fixture's today
	k.entChgSubmit()
	k.waitFor(zht(model.ErrDateFuture.Msg))
	r := k.finish()
	fm := formOf(t, r)
	if got := fm.Error(svc.FieldApprovalDate); got != zht(model.ErrDateFuture.Msg) {
		t.Errorf("核准日期 error %q", got)
	}
	if got := fm.Value(svc.FieldUSCC); got != f.uscc {
		t.Errorf("the USCC became %q", got)
	}
	f.entChgUnchanged()
	if n := len(f.entChgAudit()); n != 0 {
		t.Errorf("%d audit records", n)
	}
}

// The login ended at another kiosk (the password changed there) while the
// form was open: 变更 logs out with the reason, nothing is saved.
func TestJourneyEnterpriseChangeSessionEnded(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.entChgSetRegistry(entChgRecord(f))
	k := startKiosk(t, f.deps)
	k.entChgOpen(f)
	k.entChgFill(entChgAddress)
	if _, err := f.svc.ChangePassword(context.Background(), f.otherLogin(), entPassword, changedPass); err != nil {
		t.Fatal(err)
	}
	k.entChgSubmit()
	k.waitFor(zht(model.ErrSessionEnded.Msg))
	r := k.finish()
	if r.Session() != nil || r.Current() != route.Home.ID() {
		t.Fatalf("at %s with session %+v", r.Current(), r.Session())
	}
	f.entChgUnchanged(1) // the password's notice only
}

// 企业信息变更 is the enterprise's: an agent sent there by a stale link
// goes home (the route's guard; the use case refuses it anyway).
func TestJourneyEnterpriseChangeNotForAgents(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.clickHome("home.agent_login")
	k.waitFor(k.text("field.captcha"))
	k.agentLogin(entAccount, f.uscc, agentPhone, f.agent.IDNumber, agentPass)
	k.waitFor(k.text("center.agent_info"))
	k.tm.Send(route.ChangeEnterprise.Nav(kit.None{}))
	k.waitFor(k.text("home.welcome"))
	r := k.finish()
	if r.Current() != route.Home.ID() {
		t.Fatalf("an agent reached %s", r.Current())
	}
}

// At 80×24 the page fits, with the USCC (not editable), the first fields
// and 变更 in sight; so do the refusal with its way-on button and the
// result page.
func TestJourneyEnterpriseChangeAt80x24(t *testing.T) {
	t.Parallel()
	t.Run("page", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		k := startKioskAt(t, f.deps, 80, 24)
		k.entChgOpen(f)
		r := k.finish()
		checkRoot(t, r)
		v := r.View()
		for _, s := range []string{f.uscc, zh("enterprise_change.fixed"), zh("field.legal_type"), zh("enterprise_change.submit")} {
			if !strings.Contains(v, s) {
				t.Errorf("%q not in sight at 80×24:\n%s", s, v)
			}
		}
	})
	t.Run("refusal", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.entChgSetRegistry(entChgRecord(f))
		k := startKioskAt(t, f.deps, 80, 24)
		k.entChgOpen(f)
		k.entChgFill("北京市海淀区中关村大街2号")
		k.entChgSubmit()
		k.waitFor(k.text("enterprise_change.appeal"))
		r := k.finish()
		checkRoot(t, r)
		v := r.View()
		for _, s := range []string{zh("error.enterprise_change.field_mismatch"), zh("enterprise_change.appeal")} {
			if !strings.Contains(v, s) {
				t.Errorf("%q not in sight at 80×24:\n%s", s, v)
			}
		}
	})
	t.Run("result", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.entChgSetRegistry(entChgRecord(f))
		k := startKioskAt(t, f.deps, 80, 24)
		k.entChgOpen(f)
		k.entChgFill(entChgAddress)
		k.entChgSubmit()
		k.waitFor(k.text("enterprise_change.done"))
		r := k.finish()
		checkRoot(t, r)
		if v := r.View(); !strings.Contains(v, zh("enterprise_change.back")) {
			t.Errorf("返回 not in sight:\n%s", v)
		}
	})
}

// A whole change by touch alone at 80×24: every tile, field and button is
// tapped; no Tab, no Enter, no esc (the text itself is typed).
func TestJourneyEnterpriseChangeByTouch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rec := entChgRecord(f)
	rec.LegalType = "非企业法人"
	f.entChgSetRegistry(rec)
	k := startKioskAt(t, f.deps, 80, 24)
	k.clickHome("home.enterprise_login")
	k.waitFor(k.text("field.captcha"))
	k.typeText(entAccount)
	k.click(form.FieldZone("elogin", "password"))
	k.typeText(entPassword)
	k.click(form.FieldZone("elogin", "captcha"))
	k.typeText(captchaText)
	k.waitFor("[" + captchaText)
	k.click(form.ButtonZone("elogin", form.ButtonNext))
	k.waitFor(k.text("center.change_enterprise"))
	k.click(center.TileZone("center.change_enterprise"))
	k.waitFor(f.uscc)
	k.click(form.OptionZone(center.ChangeEnterpriseForm, svc.FieldLegalType, 1)) // 非企业法人
	k.entChgFill(entChgAddress)
	k.entChgSubmit()
	k.waitFor(k.text("enterprise_change.done"))
	k.click(center.ChangeEnterpriseForm + "-done:back")
	k.waitFor(k.text("center.change_enterprise"))
	r := k.finish()
	if r.Current() != route.EnterpriseCenter.ID() {
		t.Fatalf("at %s", r.Current())
	}
	if e := f.entChgStored(); e.LegalType != "非企业法人" || entChgUTC(e.Extended) != entChgUTC(rec.Extended) {
		t.Errorf("stored %+v", e)
	}
	if n := len(f.notices(f.ent.Phone)); n != 1 {
		t.Errorf("%d notices", n)
	}
	checkRoot(t, r)
}
