package screens

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"kiosk/model/i18n"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Golden files of home, 企业登录 and the registration's first two steps in
// every language at the smallest (80×24) and the kiosk's (120×40) size:
// `go test ./screens -run GoldenLanguages -update` regenerates them; review
// the diff. Every frame is whole: no line wider than the screen, no gap in
// the catalog, nothing cut with an ellipsis.
func TestGoldenLanguages(t *testing.T) {
	screens := []struct {
		name string
		open func(r *Root)
	}{
		{"home", func(*Root) {}},
		{"login", func(r *Root) { feed(r, route.EnterpriseLogin.Nav(route.LoginParams{})) }},
		// The legal-type options are the widest choice row: they wrap.
		{"register1", func(r *Root) { feed(r, route.Register.Nav(kit.None{})) }},
		{"register2", func(r *Root) {
			feed(r, route.Register.Nav(kit.None{}))
			fm := formOf(t, r)
			fm.SetValue("legal_type", "企业法人")
			fm.SetValue("name", sampleTonghua.name)
			fm.SetValue("uscc", sampleTonghua.uscc)
			fm.Focus("uscc")
			feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // the check passes: step 2
			if fm.Step() != 1 {
				t.Fatalf("still at step %d: %v", fm.Step(), fm.Errors())
			}
		}},
	}
	for _, l := range i18n.Langs {
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			for _, s := range screens {
				t.Run(fmt.Sprintf("%s_%s_%dx%d", s.name, l, sz[0], sz[1]), func(t *testing.T) {
					f := newFixture(t)
					r := newRoot(t, f.deps, sz[0], sz[1])
					inLang(r, l)
					s.open(r)
					v := r.View()
					checkRoot(t, r)
					golden.RequireEqual(t, []byte(v))
				})
			}
		}
	}
}

// checkRoot fails on a frame of r that is cut or has a gap, and on a
// screen that drew more than the room it was given (the shell would cut
// it silently).
func checkRoot(t *testing.T, r *Root) {
	t.Helper()
	checkWhole(t, r.View(), r.width, r.height)
	w, h := r.bodySize()
	n := 0
	for i, l := range strings.Split(r.cur.View(), "\n") {
		if lw := lipgloss.Width(l); lw > w {
			t.Errorf("the screen's line %d is %d cells wide, the room %d: %q", i, lw, w, l)
		}
		if strings.TrimSpace(ansi.Strip(l)) != "" {
			n++
		}
	}
	if n > h {
		t.Errorf("the screen drew %d lines, the room is %d", n, h)
	}
}

// checkWhole fails on a frame that is cut or has a gap.
func checkWhole(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw > w {
			t.Errorf("line %d is %d cells wide: %q", i, lw, l)
		}
	}
	if strings.Contains(v, "⟦") {
		t.Errorf("a catalog gap on screen:\n%s", v)
	}
	if strings.Contains(v, "…") {
		t.Errorf("something cut with an ellipsis:\n%s", v)
	}
}
