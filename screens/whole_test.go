package screens

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/screens/center"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Every page the home menu opens, and both centers, are whole in every
// language at 80×24 and 120×40: no line wider than the screen, no catalog
// gap, nothing cut with an ellipsis (the goldens fix a few pages exactly;
// this covers the rest).
func TestEveryPageWholeInEveryLanguage(t *testing.T) {
	tiles := len(newFixtureRoot(t).app.Home)
	for _, l := range i18n.Langs {
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			for i := 0; i < tiles; i++ {
				t.Run(fmt.Sprintf("tile%d_%s_%dx%d", i, l, sz[0], sz[1]), func(t *testing.T) {
					f := newFixture(t)
					r := newRoot(t, f.deps, sz[0], sz[1])
					inLang(r, l)
					for range i {
						feed(r, tea.KeyMsg{Type: tea.KeyRight})
					}
					feed(r, tea.KeyMsg{Type: tea.KeyEnter})
					if r.Current() == "home" {
						t.Fatalf("tile %d opened nothing", i)
					}
					checkRoot(t, r)
				})
			}
			for _, c := range []struct {
				name  string
				right int // the home tile
				login func(f *fixture) []string
			}{
				{"enterprise_center", 0, func(*fixture) []string { return []string{entAccount, entPassword} }},
				{"agent_center", 1, func(f *fixture) []string {
					return []string{entAccount, f.uscc, agentPhone, f.agent.IDNumber, agentPass}
				}},
			} {
				t.Run(fmt.Sprintf("%s_%s_%dx%d", c.name, l, sz[0], sz[1]), func(t *testing.T) {
					f := newFixture(t)
					r := newRoot(t, f.deps, sz[0], sz[1])
					inLang(r, l)
					for range c.right {
						feed(r, tea.KeyMsg{Type: tea.KeyRight})
					}
					feed(r, tea.KeyMsg{Type: tea.KeyEnter})
					for _, v := range c.login(f) {
						typeInto(r, v)
						feed(r, tea.KeyMsg{Type: tea.KeyTab})
					}
					typeInto(r, captchaText)
					feed(r, tea.KeyMsg{Type: tea.KeyEnter})
					if r.app.Session() == nil {
						t.Fatalf("not logged in:\n%s", r.View())
					}
					checkRoot(t, r)
					// 修改密码 from the center, refused as a whole at once.
					feed(r, route.ChangePassword.Nav(kit.None{}))
					if r.Current() != route.ChangePassword.ID() {
						t.Fatalf("修改密码 not opened: at %s", r.Current())
					}
					checkRoot(t, r)
					formOf(t, r).Validate()
					checkRoot(t, r)
					if c.name != "enterprise_center" {
						return
					}
					// The enterprise's three info pages, 拓展信息 with a
					// long 经营范围 that scrolls.
					longScope(t, f)
					for _, sec := range []string{center.SectionEnterprise, center.SectionLegalRep, center.SectionExtended} {
						feed(r, route.CenterInfo.Nav(route.CenterInfoParams{Section: sec}))
						checkRoot(t, r)
					}
				})
			}
		}
	}
}

func newFixtureRoot(t *testing.T) *Root { return newRoot(t, newFixture(t).deps, 120, 40) }

// inLang presses the language key until r shows l.
func inLang(r *Root, l i18n.Lang) {
	for r.app.Lang() != l {
		feed(r, tea.KeyMsg{Type: tea.KeyF3})
	}
}

// typeInto types s rune by rune.
func typeInto(r *Root, s string) {
	for _, c := range s {
		feed(r, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
	}
}

// The registration's pages stay whole in every language at 80×24 as they
// fill up: every refusal of an empty step shown at once, the code sent,
// the account step with its rules.
func TestRegistrationWholeInEveryLanguage(t *testing.T) {
	e := sampleTonghua
	for _, l := range i18n.Langs {
		t.Run(string(l), func(t *testing.T) {
			f := newFixture(t)
			r := newRoot(t, f.deps, 80, 24)
			inLang(r, l)
			key := func(k tea.KeyType) { feed(r, tea.KeyMsg{Type: k}) }
			fields := func(vs ...string) {
				for _, v := range vs {
					typeInto(r, v)
					key(tea.KeyTab)
				}
			}
			feed(r, tea.KeyMsg{Type: tea.KeyRight})
			feed(r, tea.KeyMsg{Type: tea.KeyRight})
			key(tea.KeyEnter) // 立即注册
			fm := formOf(t, r)
			fm.Focus(account.FieldUSCC)
			key(tea.KeyEnter) // nothing filled: every field says why
			if len(fm.Errors()) < 3 {
				t.Fatalf("errors %v", fm.Errors())
			}
			checkRoot(t, r)
			fm.Focus(account.FieldLegalType)
			key(tea.KeyRight) // 企业法人
			key(tea.KeyTab)
			fields(e.name)
			typeInto(r, e.uscc)
			key(tea.KeyEnter)
			if fm.Step() != 1 {
				t.Fatalf("step %d: %v", fm.Step(), fm.Errors())
			}
			checkRoot(t, r)
			fm.Focus(account.FieldPhone)
			key(tea.KeyEnter) // the empty step 2
			checkRoot(t, r)
			fm.Focus(account.FieldRepName)
			fields(e.rep)
			key(tea.KeyTab)
			fields(e.id)
			for range e.period {
				key(tea.KeyRight)
			}
			key(tea.KeyTab)
			fields(e.from)
			key(tea.KeyTab)
			fields(e.phone, captchaText)
			key(tea.KeyF5)
			checkRoot(t, r) // 验证码已发送至…
			typeInto(r, f.deliver(e.phone))
			key(tea.KeyEnter)
			if fm.Step() != 2 {
				t.Fatalf("step %d: %v", fm.Step(), fm.Errors())
			}
			checkRoot(t, r)
			fields("1x", "short")
			typeInto(r, "other")
			key(tea.KeyEnter) // refused: account and password rules
			if len(fm.Errors()) == 0 {
				t.Fatal("a bad account and password accepted")
			}
			checkRoot(t, r)
		})
	}
}

// The face step stays whole in every language at both sizes: the guide
// under the picture wraps (it ran 98 cells wide in English).
func TestFaceStepWholeInEveryLanguage(t *testing.T) {
	for _, l := range i18n.Langs {
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", l, sz[0], sz[1]), func(t *testing.T) {
				t.Parallel()
				f := newFixture(t)
				k := startKioskAt(t, f.deps, sz[0], sz[1])
				k.chooseLang(l)
				k.tm.Send(toFace("register.face_purpose"))
				k.waitFor("【" + k.text("capture.shoot") + "】")
				r := k.finish()
				v := r.View()
				if !strings.Contains(v, strings.Fields(tr(l, "face.guide"))[0]) {
					t.Fatalf("no guide on the face step:\n%s", v)
				}
				checkRoot(t, r)
			})
		}
	}
}
