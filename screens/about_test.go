package screens

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
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
