package screens

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/screens/form"
)

// Pure tests of the login screens through the root: commands are run by
// hand so that the in-between states can be looked at.

func typeRunes(r *Root, s string) {
	for _, c := range s {
		r.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
	}
}

func TestLoginBusyKeepsInputResponsive(t *testing.T) {
	f := newFixture(t)
	r := newRoot(t, f.deps, 120, 40)
	feed(r, Navigate{To: ScreenEnterpriseLogin})
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
	if _, ok := msgs[0].(form.Submitted); !ok {
		t.Fatalf("want Submitted, got %#v", msgs[0])
	}
	_, login := r.Update(msgs[0])
	if v := r.View(); !strings.Contains(v, "正在验证…") {
		t.Fatalf("no spinner while the login runs:\n%s", v)
	}
	// The captcha was consumed: a fresh one, an empty answer field.
	if got := loginForm(t, r).Value(fieldCaptcha); got != "" {
		t.Errorf("captcha answer kept: %q", got)
	}
	// Typing still works while argon2 runs; a second submit does not.
	typeRunes(r, "AB")
	if got := loginForm(t, r).Value(fieldCaptcha); got != "AB" {
		t.Errorf("typing while busy: %q", got)
	}
	if _, again := r.Update(tea.KeyMsg{Type: tea.KeyEnter}); len(collect(again)) != 0 {
		t.Errorf("second submit while busy")
	}
	for _, m := range collect(login) {
		feed(r, m)
	}
	if r.Current() != ScreenEnterpriseCenter || r.Session() == nil {
		t.Fatalf("at %s", r.Current())
	}
}

func TestPendingActivationOffersActivation(t *testing.T) {
	f := newFixture(t)
	r := newRoot(t, f.deps, 120, 40)
	feed(r, Navigate{To: ScreenEnterpriseLogin})
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
	fm := loginForm(t, r)
	for fm.Focused() != "button:"+buttonActivate {
		r.Update(tea.KeyMsg{Type: tea.KeyTab})
	}
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if r.Current() != ScreenActivate || !strings.Contains(r.View(), "[1 确认账号] › 2 安全验证") {
		t.Fatalf("activation button led to %s:\n%s", r.Current(), r.View())
	}
}

func TestIdentifierValidation(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{entAccount, true}, {f.uscc, true}, {strings.ToLower(f.uscc), true},
		{"1abc", false}, {"91110108MA01XH24X0", false}, {"短", false}, {"", false},
	} {
		if err := validIdentifier(tc.in); (err == nil) != tc.ok {
			t.Errorf("validIdentifier(%q) = %v", tc.in, err)
		}
	}
}

func TestCaptchaRefreshIssuesNewChallenge(t *testing.T) {
	f := newFixture(t)
	r := newRoot(t, f.deps, 120, 40)
	feed(r, Navigate{To: ScreenEnterpriseLogin})
	l := r.cur.(*loginScreen)
	first := l.captcha.ch.ID
	feed(r, form.CaptchaRefresh{Form: EnterpriseLoginForm, Key: fieldCaptcha})
	if l.captcha.ch.ID == first || l.captcha.ch.ID == "" {
		t.Fatalf("换一张 kept the challenge")
	}
	if f.deps.Captcha.Verify(first, captchaText) {
		t.Errorf("the replaced challenge is still valid")
	}
}
