package screens

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/smscode"
	accountui "kiosk/screens/account"
	"kiosk/screens/form"
	"kiosk/screens/route"
)

// Natural-person registration journeys on the demo store.

const personPassword = "Person#2026ok"

// openPersonRegister goes from home to 自然人注册.
func (k *kiosk) openPersonRegister() {
	k.t.Helper()
	k.clickHome("home.person_register")
	k.waitFor("证件有效期")
}

func (f *fixture) person(id string) (model.NaturalPerson, bool) {
	f.t.Helper()
	return findRecord(f.t, f.store, func(tx model.Tx) (model.NaturalPerson, error) { return tx.Persons().ByIDNumber(id) })
}

// The legal rep of a sample enterprise is no natural person yet.
func TestJourneyPersonRegisterSuccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	if _, ok := f.person(e.id); ok {
		t.Fatal("fixture: the person is registered already")
	}
	before := f.countAudit(account.AuditRegisterPerson)
	k.openPersonRegister()
	k.fillRep(e.rep, e.id, e.period, e.from, e.phone) // same field order as the legal rep's
	k.requestCode()
	k.waitFor("验证码已发送至 187****2385")
	k.typeText(f.deliver(e.phone))
	k.key(tea.KeyEnter)
	k.waitFor("确认密码")
	k.typeText(personPassword)
	k.key(tea.KeyTab)
	k.typeText(personPassword)
	k.key(tea.KeyEnter)
	k.waitFor("本人人脸核验")
	k.passFace()
	k.waitFor("✔ 自然人注册成功")
	r := k.finish()

	p, ok := f.person(e.id)
	if !ok || p.Name != e.rep || p.Phone != e.phone || p.Document.Period != model.Validity10Years || p.PasswordHash == "" {
		t.Fatalf("stored person %+v (found %v)", p, ok)
	}
	if n := f.countAudit(account.AuditRegisterPerson); n != before+1 {
		t.Fatalf("register.person audit records: %d, want %d", n, before+1)
	}
	if n := f.notices(e.phone); len(n) != 1 || !strings.Contains(n[0].Text, "自然人账号") {
		t.Fatalf("notice: %+v", n)
	}
	v := r.View()
	for _, leak := range []string{e.id, e.phone, e.rep} {
		if strings.Contains(v, leak) {
			t.Errorf("the 完成 page shows %q", leak)
		}
	}
	if titles, cur := r.cur.Steps(); zh(titles[cur]) != "完成" {
		t.Errorf("step indicator at %v[%d]", titles, cur)
	}
}

// p12 of ACCOUNTS.md is a registered natural person. Whether the ID
// number has an account is said only after the SMS code: a code never
// asked for gets "请先获取验证码", and nothing is looked up.
func TestJourneyPersonRegisterDuplicateID(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	before := f.countAudit(account.AuditRegisterPerson)
	k.openPersonRegister()
	k.fillRep("姜军东", "220105199904308518", 3, "2025-09-12", "13932004979")
	k.typeText("123456")
	k.key(tea.KeyEnter)
	k.waitForWithout(zht(smscode.ErrNoCode.Msg), zht(model.ErrPersonExists.Msg))
	if n := f.countAudit(account.AuditPersonLookup); n != 0 {
		t.Fatalf("%d look-ups before the code", n)
	}
	for range 6 {
		k.key(tea.KeyBackspace)
	}
	k.requestCode()
	k.waitForWithout("验证码已发送至 139****4979", zht(model.ErrPersonExists.Msg))
	k.typeText(f.deliver("13932004979"))
	k.key(tea.KeyEnter)
	k.waitFor(zht(model.ErrPersonExists.Msg))
	r := k.finish()
	fm := formOf(t, r)
	if got := fm.Error(account.FieldIDNumber); got != zht(model.ErrPersonExists.Msg) || fm.Step() != 0 {
		t.Fatalf("ID error %q at step %d", got, fm.Step())
	}
	if n := f.countAudit(account.AuditRegisterPerson); n != before {
		t.Fatalf("register.person audit records: %d, want %d", n, before)
	}
	if n := f.auditCount(account.AuditPersonLookup, "exists"); n != 1 {
		t.Fatalf("%d audited look-ups, want 1", n)
	}
	if v := fm.Values().Texts(); v[account.FieldName] != "姜军东" || v[account.FieldIDNumber] != "220105199904308518" || v[account.FieldPhone] != "13932004979" {
		t.Fatalf("typed values lost: %v", v)
	}
}

func TestJourneyPersonRegisterCancel(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleLanglan
	before := f.countAudit(account.AuditRegisterPerson)
	k.openPersonRegister()
	k.fillRep(e.rep, e.id, e.period, e.from, e.phone)
	f.answerCode(k, e.phone)
	k.typeText(personPassword)
	k.click(form.ButtonZone(accountui.PersonForm, form.ButtonCancel))
	k.confirmLeave()
	k.waitFor("欢迎使用单位服务自助终端")
	r := k.finish()
	if r.Current() != route.Home.ID() {
		t.Fatalf("after 取消: %s", r.Current())
	}
	if _, ok := f.person(e.id); ok {
		t.Fatal("a cancelled registration stored a person")
	}
	if n := f.countAudit(account.AuditRegisterPerson); n != before {
		t.Fatalf("register.person audit records: %d, want %d", n, before)
	}
	if n := f.notices(e.phone); len(n) != 0 {
		t.Fatalf("notice queued after a cancel: %+v", n)
	}
}
