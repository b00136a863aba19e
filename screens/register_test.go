package screens

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/clocktest"
	accountui "kiosk/screens/account"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Registration journeys (manual §二) through the real root model on the
// demo store: screen text and stored records.

func TestJourneyRegisterSuccessThenLogin(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	f.toAccountStep(k, e)
	k.fillAccount(newAccount, newPassword, newPassword)
	k.waitFor("核验对象：冯*") // the face step names the legal rep, masked
	k.passFace()
	k.waitFor("✔ 注册成功")

	ent, ok := f.enterpriseByUSCC(e.uscc)
	if !ok {
		t.Fatal("no enterprise stored under the USCC")
	}
	if ent.State != model.EnterpriseActive || ent.Account != newAccount || ent.Name != e.name ||
		ent.Phone != e.phone || ent.LegalRep.Name != e.rep || ent.LegalRep.ID.Number != e.id ||
		ent.LegalRep.ID.Period != model.Validity10Years || ent.Extended.RegisteredAddress == "" {
		t.Fatalf("stored enterprise: %+v", ent)
	}
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		byAcct, err := tx.Enterprises().ByAccount(strings.ToUpper(newAccount)) // case-insensitive
		if err == nil && byAcct.ID != ent.ID {
			t.Errorf("ByAccount found %s, want %s", byAcct.ID, ent.ID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var reg []model.AuditRecord
	for _, r := range f.audit() {
		if r.Action == account.AuditRegister {
			reg = append(reg, r)
		}
	}
	if len(reg) != 1 || reg[0].Subject != ent.ID || reg[0].Outcome != "ok" || !strings.Contains(reg[0].Detail, "face=demo") {
		t.Fatalf("register audit: %+v", reg)
	}
	if n := f.notices(e.phone); len(n) != 1 || !strings.Contains(n[0].Text, newAccount) {
		t.Fatalf("notice in the outbox: %+v", n)
	}

	// 前往登录 has the focus; the new account logs in.
	k.key(tea.KeyEnter)
	k.waitFor("图片验证码", "["+newAccount) // the new account is filled in
	k.enterpriseAttempt("", newPassword)
	k.waitFor("当前登录：" + e.name)
	r := k.finish()
	if r.Current() != route.EnterpriseCenter.ID() || r.Session() == nil || r.Session().EnterpriseID != ent.ID {
		t.Fatalf("after login: screen %s session %+v", r.Current(), r.Session())
	}
}

// The 完成 page shows the account and masked data only.
func TestRegisterDonePageMasksPII(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleQijin
	f.toAccountStep(k, e)
	k.fillAccount(newAccount, newPassword, newPassword)
	k.passFace()
	k.waitFor("✔ 注册成功")
	r := k.finish()
	v := r.cur.View()
	for _, leak := range []string{e.phone, e.id, e.rep} {
		if strings.Contains(v, leak) {
			t.Errorf("the 完成 page shows %q:\n%s", leak, v)
		}
	}
	for key, val := range formOf(t, r).Values().Texts() {
		if val != "" {
			t.Errorf("%s kept after registering: %q", key, val)
		}
	}
	if titles, cur := r.cur.Steps(); cur != 4 || zh(titles[cur]) != "完成" {
		t.Errorf("step indicator at %d of %v", cur, titles)
	}
}

func TestJourneyRegisterBackKeepsValues(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	f.toAccountStep(k, e)
	k.typeText(newAccount)
	k.waitFor(newAccount)
	k.key(tea.KeyEsc) // 上一步
	k.waitFor("法定代表人姓名")
	k.key(tea.KeyEsc)
	k.waitFor(e.name)
	// Forward again: the proved code is not asked for a second time.
	k.click(form.ButtonZone(accountui.RegisterForm, form.ButtonNext))
	k.waitFor("法定代表人姓名")
	k.click(form.ButtonZone(accountui.RegisterForm, form.ButtonNext))
	k.waitFor("确认密码")
	k.key(tea.KeyEsc)
	k.waitFor("法定代表人姓名")
	k.key(tea.KeyEsc)
	k.waitFor(e.name)
	r := k.finish()
	fm := formOf(t, r)
	if fm.Step() != 0 {
		t.Fatalf("at step %d", fm.Step())
	}
	want := map[string]string{
		account.FieldLegalType: e.legalType, account.FieldName: e.name, account.FieldUSCC: e.uscc,
		account.FieldRepName: e.rep, account.FieldIDNumber: e.id, account.FieldIDPeriod: string(model.Validity10Years),
		account.FieldIDFrom: e.from, account.FieldIDTo: "2033-11-25", account.FieldPhone: e.phone,
		account.FieldAccount: newAccount,
	}
	for key, v := range want {
		if got := fm.Value(key); got != v {
			t.Errorf("%s = %q, want %q", key, got, v)
		}
	}
	if fm.Value(account.FieldSMSCode) == "" {
		t.Error("the SMS code was dropped")
	}
}

func TestJourneyRegisterCancelLeavesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleLanglan
	f.toAccountStep(k, e)
	k.typeText(newAccount)
	k.key(tea.KeyTab)
	k.typeText(newPassword)
	k.click(form.ButtonZone(accountui.RegisterForm, form.ButtonCancel)) // 取消
	k.confirmLeave()
	k.waitFor("欢迎使用单位服务自助终端")
	r := k.finish()
	if r.Current() != route.Home.ID() {
		t.Fatalf("after 取消: %s", r.Current())
	}
	if _, ok := f.enterpriseByUSCC(e.uscc); ok {
		t.Fatal("a cancelled registration stored an enterprise")
	}
	if n := f.countAudit(account.AuditRegister); n != 0 {
		t.Fatalf("%d register audit records after a cancel", n)
	}
	if n := f.notices(e.phone); len(n) != 0 {
		t.Fatalf("notice queued after a cancel: %+v", n)
	}
}

func TestJourneyRegisterIdleWipes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	k.openRegister()
	k.fillEnterprise(e.name, e.uscc)
	k.waitFor("法定代表人姓名")
	k.typeText(e.rep)
	k.key(tea.KeyTab)
	k.key(tea.KeyTab)
	k.typeText(e.id)
	k.waitFor(e.id)
	k.idle(f.clock, "长时间无操作，将在")
	k.idle(f.clock, "欢迎使用单位服务自助终端")
	k.openRegister()
	r := k.finish()
	fm := formOf(t, r)
	for key, v := range fm.Values().Texts() {
		if v != "" && key != accountui.FieldIDType {
			t.Errorf("%s survived the idle reset: %q", key, v)
		}
	}
	if fm.Step() != 0 {
		t.Errorf("the rebuilt form is at step %d", fm.Step())
	}
	if v := r.View(); strings.Contains(v, e.name) || strings.Contains(v, e.id) {
		t.Errorf("typed values still drawn:\n%s", v)
	}
}

func TestGoldenRegister(t *testing.T) {
	f := newFixture(t)
	d := f.deps
	d.Phone = nil // the screen alone, as the other goldens
	k := startKiosk(t, d)
	k.openRegister()
	teatest.RequireEqualOutput(t, []byte(k.finish().View()))
}

// BenchmarkRegisterKeystroke is Update+View for one keystroke on the
// registration's busiest step (法人信息: nine fields, the picture captcha
// on screen, the phone panel beside it) at 120×40 in true colour, typing
// into 手机号码 next to the picture. Its floor and target are
// BenchmarkLoginKeystroke's (the huh form; .ci/benchtable.awk).
func BenchmarkRegisterKeystroke(b *testing.B) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	clock := clocktest.New(testNow)
	r := New(Deps{Demo: true, KioskID: "KIOSK-B1", Clock: clock,
		Captcha: captcha.New(clock, func() string { return captchaText })})
	defer r.Close()
	r.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	r.Update(route.Register.Nav(kit.None{}))
	fm := r.cur.(host).Form()
	e := sampleTonghua
	for k, v := range map[string]string{account.FieldLegalType: e.legalType, account.FieldName: e.name, account.FieldUSCC: e.uscc,
		account.FieldRepName: e.rep, account.FieldIDNumber: e.id, account.FieldIDPeriod: string(model.Validity10Years), account.FieldIDFrom: e.from} {
		fm.SetValue(k, v)
	}
	fm.Focus(account.FieldPhone) // step 2
	if fm.Step() != 1 {
		b.Fatalf("at step %d", fm.Step())
	}
	for _, c := range "1875018238" {
		r.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
	}
	if v := r.View(); !strings.ContainsAny(v, "▀▄█") || fm.Value(account.FieldPhone) != "1875018238" {
		b.Fatalf("not typing beside the captcha picture: %q\n%s", fm.Value(account.FieldPhone), v)
	}
	benchKeys(b, r, '5')
}

// BenchmarkRegisterStep2View is the redraw after each keystroke on the
// registration's tallest step.
func BenchmarkRegisterStep2View(b *testing.B) {
	r := New(Deps{Demo: true})
	defer r.Close()
	r.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	r.Update(route.Register.Nav(kit.None{}))
	fm := r.cur.(host).Form()
	e := sampleTonghua
	for k, v := range map[string]string{account.FieldRepName: e.rep, account.FieldIDNumber: e.id,
		account.FieldIDPeriod: string(model.Validity10Years), account.FieldIDFrom: e.from, account.FieldPhone: e.phone} {
		fm.SetValue(k, v)
	}
	fm.Focus(account.FieldRepName) // switches to step 2
	if fm.Step() != 1 {
		b.Fatalf("at step %d", fm.Step())
	}
	for b.Loop() {
		_ = r.View()
	}
}
