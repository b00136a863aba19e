package screens

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model/i18n"
	"kiosk/screens/home"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// One line breaker for the whole UI (widget.Wrap, issue 10 item 10): an
// account name is never split across lines, on the simulated phone nor
// on a page.

// wrapAccount is a valid account name (rules.ValidAccount) that falls
// across a line of the phone panel: the notice reads
// "【统一身份认证平台】您的企业账号tg_farm2026已注册成功…", and the panel's
// first line has room for "tg" only.
const wrapAccount = "tg_farm2026"

// TestJourneyAccountNameWhole registers an enterprise through the real
// root at 80×24 (the panel opened with F9) and at 120×40 (the panel beside
// the screen): the registration notice on the simulated phone shows the
// account name whole on one line, and so does the result page.
func TestJourneyAccountNameWhole(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			k := startKioskAt(t, f.deps, size[0], size[1])
			e := sampleTonghua
			k.fillToCode(e)
			f.answerCode(k, e.phone)
			k.fillAccount(wrapAccount, newPassword, newPassword)
			k.passFace()
			done := k.text("register.done_account", "Account", wrapAccount)
			k.waitFor(k.text("register.done"), done) // the result page: the name on its line
			if n, err := f.worker.RunOnce(context.Background()); n != 1 || err != nil {
				t.Fatalf("notice: worker sent %d: %v", n, err)
			}
			wide := size[0] >= MinWidth+phoneSide
			if !wide {
				k.key(tea.KeyF9) // the panel over the screen
			}
			k.waitFor("已注册成功")
			r := k.finish()
			v := r.View()
			panel := phoneLines(r, v)
			var whole, notice bool
			for _, l := range panel {
				whole = whole || strings.Contains(l, wrapAccount)
				notice = notice || strings.Contains(l, "已注册成功")
			}
			if !notice || !whole {
				t.Errorf("the panel does not show %q whole on one line (notice shown: %v):\n%s",
					wrapAccount, notice, strings.Join(panel, "\n"))
			}
			if !wide {
				return // the panel covers the page
			}
			if !strings.Contains(v, done) {
				t.Errorf("the result page does not show %q on one line:\n%s", done, v)
			}
		})
	}
}

// phoneLines are the lines of the simulated phone's panel in the frame v:
// its columns when it stands beside the screen, the whole body when it is
// open over it.
func phoneLines(r *Root, v string) []string {
	lines := strings.Split(v, "\n")
	if !r.phoneWide() {
		return lines
	}
	for i, l := range lines {
		lines[i] = ansi.Cut(l, r.width-phoneSide, r.width)
	}
	return lines
}

// TestPagesWrapTheirSentences: the read-only pages (coming soon, the
// appeal placeholder, 关于本终端) wrap their sentences to the screen in
// every language instead of running off it: no line is wider than the
// smallest screen, and every word of the sentence is on the page.
func TestPagesWrapTheirSentences(t *testing.T) {
	r := newRoot(t, Deps{}, MinWidth, MinHeight)
	for _, lang := range i18n.Langs {
		r.app.SetLang(lang)
		for _, p := range []struct {
			s    kit.Screen
			text string
		}{
			{home.NewComingSoon(r.app, route.ComingSoonParams{}), home.ComingSoonText},
			{home.NewAbout(r.app, kit.None{}), "home.help"},
		} {
			p.s.SetSize(MinWidth, MinHeight)
			v := ansi.Strip(p.s.View())
			for _, l := range strings.Split(v, "\n") {
				if lw := ansi.StringWidth(l); lw > MinWidth {
					t.Errorf("%s %s: a line of %d cells: %q", lang, p.text, lw, l)
				}
			}
			flat := strings.Join(strings.Fields(v), " ")
			if want := strings.Join(strings.Fields(r.app.S(p.text)), " "); !strings.Contains(flat, want) &&
				!strings.Contains(strings.ReplaceAll(flat, " ", ""), strings.ReplaceAll(want, " ", "")) {
				t.Errorf("%s: %q is not on the page:\n%s", lang, want, v)
			}
		}
	}
}
