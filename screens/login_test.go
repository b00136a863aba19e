package screens

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/login"
	"kiosk/screens/route"
	"kiosk/screens/task"
)

// Pure tests of the login screens through the root: commands are run by
// hand so that the in-between states can be looked at.

func typeRunes(r *Root, s string) {
	for _, c := range s {
		r.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
	}
}

// captchaOf is the live captcha of the login on show.
func captchaOf(t *testing.T, r *Root) *kit.Captcha {
	t.Helper()
	h, ok := r.cur.(interface{ Captcha(key string) *kit.Captcha })
	if !ok {
		t.Fatalf("current screen %s has no captcha", r.curID)
	}
	c := h.Captcha(login.FieldCaptcha)
	if c == nil {
		t.Fatalf("current screen %s has no captcha field", r.curID)
	}
	return c
}

func TestLoginBusyKeepsInputResponsive(t *testing.T) {
	f := newFixture(t)
	r := newRoot(t, f.deps, 120, 40)
	feed(r, toEnterpriseLogin)
	typeRunes(r, entAccount)
	r.Update(tea.KeyMsg{Type: tea.KeyTab})
	typeRunes(r, entPassword)
	r.Update(tea.KeyMsg{Type: tea.KeyTab})
	typeRunes(r, captchaText)
	_, cmd := r.Update(tea.KeyMsg{Type: tea.KeyEnter})
	msgs := collect(cmd)
	if len(msgs) != 1 {
		t.Fatalf("enter = %#v", msgs)
	}
	d, ok := msgs[0].(task.Delivery)
	if !ok {
		t.Fatalf("want the form's request of the visit, got %#v", msgs[0])
	}
	if inner, _ := r.open(d); !isNextRequested(inner) {
		t.Fatalf("want NextRequested, got %#v", inner)
	}
	_, loginCmd := r.Update(msgs[0])
	if v := r.View(); !strings.Contains(v, "正在验证…") {
		t.Fatalf("no spinner while the login runs:\n%s", v)
	}
	// The captcha was consumed: a fresh one, an empty answer field.
	if got := formOf(t, r).Value(login.FieldCaptcha); got != "" {
		t.Errorf("captcha answer kept: %q", got)
	}
	// Typing still works while argon2 runs; a second submit does not.
	typeRunes(r, "AB")
	if got := formOf(t, r).Value(login.FieldCaptcha); got != "AB" {
		t.Errorf("typing while busy: %q", got)
	}
	if _, again := r.Update(tea.KeyMsg{Type: tea.KeyEnter}); len(collect(again)) != 0 {
		t.Errorf("second submit while busy")
	}
	for _, m := range collect(loginCmd) {
		feed(r, m)
	}
	if r.Current() != route.EnterpriseCenter.ID() || r.Session() == nil {
		t.Fatalf("at %s", r.Current())
	}
}

func isNextRequested(m any) bool {
	n, ok := m.(form.NextRequested)
	return ok && n.Form == login.EnterpriseForm
}

func TestPendingActivationOffersActivation(t *testing.T) {
	f := newFixture(t)
	r := newRoot(t, f.deps, 120, 40)
	feed(r, toEnterpriseLogin)
	typeRunes(r, pendingAcct)
	r.Update(tea.KeyMsg{Type: tea.KeyTab})
	typeRunes(r, "Any#pass01")
	r.Update(tea.KeyMsg{Type: tea.KeyTab})
	typeRunes(r, captchaText)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	v := r.View()
	if !strings.Contains(v, "该企业账号尚未激活") || !strings.Contains(v, "前往账号激活") {
		t.Fatalf("pending account:\n%s", v)
	}
	fm := formOf(t, r)
	for i := 0; fm.Focused() != "button:"+login.ButtonActivate; i++ {
		if i > 10 {
			t.Fatalf("no 前往账号激活 button to focus (focus %s)", fm.Focused())
		}
		r.Update(tea.KeyMsg{Type: tea.KeyTab})
	}
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if r.Current() != route.Activate.ID() || !strings.Contains(r.View(), "[1 确认账号] › 2 安全验证") {
		t.Fatalf("activation button led to %s:\n%s", r.Current(), r.View())
	}
}

func TestCaptchaRefreshIssuesNewChallenge(t *testing.T) {
	f := newFixture(t)
	r := newRoot(t, f.deps, 120, 40)
	feed(r, toEnterpriseLogin)
	c := captchaOf(t, r)
	first := c.Challenge().ID
	feed(r, form.CaptchaRefresh{Form: login.EnterpriseForm, Key: login.FieldCaptcha})
	if c.Challenge().ID == first || c.Challenge().ID == "" {
		t.Fatalf("换一张 kept the challenge")
	}
	if f.deps.Captcha.Verify(first, captchaText) {
		t.Errorf("the replaced challenge is still valid")
	}
}
