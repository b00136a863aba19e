package screens

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model/i18n"
)

// 关于本终端 is reached from the home menu by touch, says which kiosk this
// is, its version and its devices (the simulated ones as such), and goes
// back home.
func TestJourneyAbout(t *testing.T) {
	f := newFixture(t)
	d := f.deps
	d.Version = "1.2.3"
	k := startKiosk(t, d)
	k.clickHome("home.about")
	k.waitFor("终端编号", "KIOSK-T1", "1.2.3", "演示模式", "replay", "（模拟）", "模拟手机（模拟）")
	k.key(tea.KeyEnter)
	k.waitFor("欢迎使用单位服务自助终端")
	r := k.finish()
	if r.Current() != "home" || len(r.history) != 0 {
		t.Fatalf("返回 went to %s (history %v)", r.Current(), r.history)
	}
}

func TestAboutWithoutDevices(t *testing.T) {
	r := newRoot(t, Deps{KioskID: "HALL-7"}, 120, 40)
	for range 7 {
		feed(r, tea.KeyMsg{Type: tea.KeyRight})
	}
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	v := r.View()
	if !strings.Contains(v, "HALL-7") || !strings.Contains(v, "正式运行") || !strings.Contains(v, "未配置") {
		t.Fatalf("about:\n%s", v)
	}
}

// The table is one block in every language: each value starts in the same
// column, however long its key.
func TestAboutTableAligned(t *testing.T) {
	for _, l := range i18n.Langs {
		f := newFixture(t)
		r := newRoot(t, f.deps, 120, 40)
		inLang(r, l)
		for range 7 { // the eighth tile
			feed(r, tea.KeyMsg{Type: tea.KeyRight})
		}
		feed(r, tea.KeyMsg{Type: tea.KeyEnter})
		col := map[int]bool{}
		lines := strings.Split(ansi.Strip(r.View()), "\n")
		for _, line := range lines[r.headerHeight():] { // the body
			for _, v := range []string{"KIOSK-T1", "replay（", "replay("} {
				if i := strings.Index(line, v); i >= 0 {
					col[ansi.StringWidth(line[:i])] = true
				}
			}
		}
		if len(col) != 1 {
			t.Errorf("%s: values start in columns %v:\n%s", l, col, r.View())
		}
	}
}
