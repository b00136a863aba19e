package screens

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/model/account"
	"kiosk/model/i18n"
	accountui "kiosk/screens/account"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
	"kiosk/screens/task"
)

// Pure tests of the account flows on a root fed by hand (timers off): the
// outcome of 获取验证码 and the layout at the minimum terminal size. The
// shared glue's own rules are tested where it lives now: flow.Place in
// screens/flow, the ID card fields in screens/account, the face evidence
// in screens/facestep.

// registerToStep2 opens 立即注册 on r and passes step 1 with e.
func registerToStep2(t *testing.T, r *Root, e sampleEnt) *form.Form {
	t.Helper()
	feed(r, route.Register.Nav(kit.None{}))
	fm := formOf(t, r)
	fm.SetValue(account.FieldLegalType, e.legalType)
	fm.SetValue(account.FieldName, e.name)
	fm.SetValue(account.FieldUSCC, e.uscc)
	fm.Focus(account.FieldUSCC)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if fm.Step() != 1 {
		t.Fatalf("step 1 not passed: at step %d, errors %v %q", fm.Step(), fm.Errors(), fm.FormError())
	}
	return fm
}

// sendHeld presses 获取验证码 (F5 on the focused code field) and returns the
// send's answer undelivered.
func sendHeld(t *testing.T, r *Root) []tea.Msg {
	t.Helper()
	_, cmd := r.Update(tea.KeyMsg{Type: tea.KeyF5})
	var out []tea.Msg
	for _, m := range collect(cmd) {
		d, ok := m.(task.Delivery)
		if !ok {
			continue
		}
		if inner, live := r.open(d); live && inner != nil {
			_, c := r.Update(inner) // the form's SMSRequested: the flow sends
			out = append(out, collect(c)...)
		}
	}
	if len(out) == 0 {
		t.Fatal("获取验证码 sent nothing")
	}
	return out
}

// sentNote is the line of v with the "验证码已发送至" note ("" for none).
func sentNote(v string) string {
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "验证码已发送至") {
			return l
		}
	}
	return ""
}

// The outcome of 获取验证码: the note (phone masked) and the countdown after
// a send; a refused early resend runs the countdown for the time left; the
// answer of a visit that has ended is not taken.
func TestSMSSendOutcome(t *testing.T) {
	f := newFixture(t)
	d := f.deps
	d.Phone = nil // the screen alone: the simulated phone shows the number
	r := newRoot(t, d, 120, 40)
	e := sampleTonghua
	fm := registerToStep2(t, r, e)
	fm.SetValue(account.FieldPhone, e.phone)
	fm.SetValue("captcha", captchaText) // 获取验证码 answers the picture captcha first
	fm.Focus(account.FieldSMSCode)

	feed(r, tea.KeyMsg{Type: tea.KeyF5})
	if n := fm.Countdown(account.FieldSMSCode); n != form.SMSResend {
		t.Fatalf("countdown %d", n)
	}
	if note := sentNote(r.View()); !strings.Contains(note, "验证码已发送至 187****2385") || strings.Contains(note, e.phone) {
		t.Fatalf("note %q:\n%s", note, r.View())
	}

	f.clock.Add(15 * time.Second)
	fm.StopCountdown(account.FieldSMSCode)
	feed(r, tea.KeyMsg{Type: tea.KeyF5})
	if fm.Error(account.FieldSMSCode) == "" {
		t.Fatal("a resend after 15 s was accepted")
	}
	if n := fm.Countdown(account.FieldSMSCode); n != 45 {
		t.Fatalf("countdown %d, want the 45 s left", n)
	}
	if got := fm.Error(account.FieldSMSCode); got != "发送过于频繁，请45秒后再试" {
		t.Fatalf("error %q", got)
	}
	if note := sentNote(r.View()); note != "" {
		t.Fatalf("the sent note outlived the refusal: %q", note)
	}

	// An answer that comes after its visitor left is not taken by the next
	// visit's form.
	fm.StopCountdown(account.FieldSMSCode)
	answers := sendHeld(t, r)
	feed(r, route.Register.Nav(kit.None{}))
	next := formOf(t, r)
	before := r.LateResults()
	for _, m := range answers {
		feed(r, m)
	}
	if r.LateResults() == before {
		t.Error("the late answer was not dropped")
	}
	if next == fm || next.Countdown(account.FieldSMSCode) != 0 || next.Error(account.FieldSMSCode) != "" ||
		sentNote(r.View()) != "" {
		t.Fatalf("another visit's answer was taken: countdown %d error %q",
			next.Countdown(account.FieldSMSCode), next.Error(account.FieldSMSCode))
	}
}

// Both registrations fit the minimum terminal with an error under every
// field of their tallest step; below the picture captcha (which gates
// 获取验证码) the page scrolls to the code field.
func TestRegisterFitsAt80x24(t *testing.T) {
	for _, c := range []struct {
		id   kit.RouteID
		step func(r *Root) // opens the flow on its tallest step
	}{
		{route.Register.ID(), func(r *Root) { registerToStep2(t, r, sampleTonghua) }},
		{route.PersonRegister.ID(), func(r *Root) { feed(r, route.PersonRegister.Nav(kit.None{})) }},
	} {
		f := newFixture(t)
		d := f.deps
		d.Phone = nil
		r := newRoot(t, d, 80, 24)
		c.step(r)
		fm := formOf(t, r)
		fm.SetValue(accountui.FieldIDType, "")
		fm.Validate() // every field empty: an error under each
		fm.SetFormError(i18n.Raw("短信验证已超时，请重新获取验证码"))
		v := r.View()
		lines := strings.Split(v, "\n")
		if len(lines) != 24 {
			t.Errorf("%s: %d lines", c.id, len(lines))
		}
		for i, l := range lines {
			if w := lipgloss.Width(l); w != 80 {
				t.Errorf("%s line %d: %d cells", c.id, i, w)
			}
		}
		if !strings.Contains(v, "[ 下一步 ]") {
			t.Errorf("%s: cut off at 80×24:\n%s", c.id, v)
		}
		fm.Focus(account.FieldSMSCode)
		if v := r.View(); !strings.Contains(v, "[ 下一步 ]") || !strings.Contains(v, "请输入短信验证码") {
			t.Errorf("%s: the code field out of reach at 80×24:\n%s", c.id, v)
		}
	}
}
