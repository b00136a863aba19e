package screens

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/smscode"
	accountui "kiosk/screens/account"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// No look-up oracle before proof (issue 9): the picture captcha before the
// first SMS code, the registry asked only after the code, the answer next
// to the right field with nothing typed lost.

// answeredPass answers a challenge of g now: the pass an SMS send takes.
func answeredPass(t *testing.T, g *captcha.Service) captcha.Pass {
	t.Helper()
	ch := g.Issue()
	p, ok := g.Answer(ch.ID, ch.Text)
	if !ok {
		t.Fatal("captcha answer refused")
	}
	return p
}

// waitForWithout is waitFor(want) that fails if any of never is drawn on
// the way.
func (k *kiosk) waitForWithout(want string, never ...string) {
	k.t.Helper()
	var seen bytes.Buffer
	for deadline := time.Now().Add(waitTimeout); !bytes.Contains(seen.Bytes(), []byte(want)); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			k.t.Fatalf("%q not drawn within %s; output:\n%s", want, waitTimeout, seen.String())
		}
		if _, err := seen.ReadFrom(k.tm.Output()); err != nil {
			k.t.Fatal(err)
		}
	}
	for _, n := range never {
		if bytes.Contains(seen.Bytes(), []byte(n)) {
			k.t.Fatalf("%q drawn before %q:\n%s", n, want, seen.String())
		}
	}
}

// A wrong legal representative: step 2 is filled, the captcha answered,
// the code asked for, typed, 下一步 pressed; only then is the registry
// asked, and 法人信息不匹配 is said next to 法定代表人姓名 with the appeal
// button, every value still typed. Before the code nothing about the
// registry is said or looked up.
func TestJourneyRegisterRepMismatchOnlyAfterCode(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	wrong := e
	wrong.id = "220502200106123824" // a valid ID number, not 冯强's
	k.fillToCode(wrong)
	k.key(tea.KeyEnter) // 下一步 with no code: the form asks for it
	k.waitForWithout(zht(smscode.ErrCodeEmpty.Msg), "法人信息不匹配")
	k.typeText("123456") // a code never asked for
	k.key(tea.KeyEnter)
	k.waitForWithout(zht(smscode.ErrNoCode.Msg), "法人信息不匹配")
	for range 6 {
		k.key(tea.KeyBackspace)
	}
	k.requestCode()
	k.waitForWithout("验证码已发送至 187****2385", "法人信息不匹配")
	if n := f.countAudit(account.AuditRegisterLookup); n != 0 {
		t.Fatalf("%d registry look-ups before the code was typed", n)
	}
	k.typeText(f.deliver(e.phone))
	k.key(tea.KeyEnter)
	k.waitFor("法人信息不匹配", "辅助企业注册申诉")
	r := k.finish()
	fm := formOf(t, r)
	if fm.Step() != 1 || !strings.HasPrefix(fm.Error(account.FieldRepName), "法人信息不匹配") {
		t.Fatalf("at step %d, rep error %q (all %v)", fm.Step(), fm.Error(account.FieldRepName), fm.Errors())
	}
	v := fm.Values().Texts()
	for key, want := range map[string]string{account.FieldName: e.name, account.FieldUSCC: e.uscc,
		account.FieldRepName: e.rep, account.FieldIDNumber: wrong.id, account.FieldPhone: e.phone} {
		if v[key] != want {
			t.Errorf("%s = %q after the refusal, want %q kept", key, v[key], want)
		}
	}
	if n := f.auditCount(account.AuditRegisterLookup, "mismatch"); n != 1 {
		t.Fatalf("%d audited mismatches, want 1", n)
	}
	// The proof is kept: correcting the ID needs no new code.
	if stateOf[accountui.EnrollState](t, r).Proof().IsZero() {
		t.Fatal("the proof was dropped with the refusal")
	}
	f.noRegistration(e.uscc)
}

// An enterprise answer of the registry (another name) found at step 2
// moves the person back to step 1, next to 企业名称; fixing it and coming
// back needs no new code.
func TestJourneyRegisterEnterpriseMismatchAfterCode(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	typo := e
	typo.name = "通化弘诚农业有限公司"
	k.fillToCode(typo)
	k.requestCode()
	k.waitFor("验证码已发送至 187****2385")
	k.typeText(f.deliver(e.phone))
	k.key(tea.KeyEnter)
	k.waitFor("法人信息不匹配", "辅助企业注册申诉")
	// The focus is on 企业名称: type the right name.
	for range len([]rune(typo.name)) {
		k.key(tea.KeyBackspace)
	}
	k.typeText(e.name)
	k.click(form.ButtonZone(accountui.RegisterForm, form.ButtonNext))
	k.waitFor("法定代表人姓名")
	k.click(form.ButtonZone(accountui.RegisterForm, form.ButtonNext))
	k.waitFor("确认密码")
	k.finish()
	if n := len(f.phone.Messages()); n != 1 {
		t.Fatalf("%d codes sent, want 1", n)
	}
	if got := f.auditCount(account.AuditRegisterLookup, ""); got != 2 {
		t.Fatalf("%d look-ups, want 2", got)
	}
}

// 获取验证码 with a wrong picture captcha sends nothing and says so at the
// captcha; the right answer sends, once a visit.
func TestJourneyRegisterCaptchaBeforeCode(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	k.openRegister()
	k.fillEnterprise(e.name, e.uscc)
	k.waitFor(k.text("field.rep_name"))
	k.typeFields(e.rep)
	k.key(tea.KeyTab)
	k.typeFields(e.id)
	for range e.period {
		k.key(tea.KeyRight)
	}
	k.key(tea.KeyTab)
	k.typeFields(e.from)
	k.key(tea.KeyTab)
	k.typeFields(e.phone, "AAAA") // a wrong answer
	k.requestCode()
	k.waitFor(zht(kit.CaptchaWrong))
	if _, err := f.worker.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(f.phone.Messages()); n != 0 {
		t.Fatalf("%d SMS sent behind a wrong captcha", n)
	}
	// The focus is on the captcha, with a new picture.
	k.typeText(captchaText)
	k.key(tea.KeyTab)
	k.requestCode()
	k.waitFor("验证码已发送至 187****2385", "图片验证码已通过")
	k.finish()
	if n := f.auditCount(smscode.AuditSend, "ok"); n != 1 {
		t.Fatalf("%d codes sent", n)
	}
}
