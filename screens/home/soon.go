package home

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/model/rules"
	"kiosk/screens/kit"
	"kiosk/screens/route"
	"kiosk/screens/widget"
)

// ComingSoonText says honestly that a service is not available yet.
const ComingSoonText = "该功能即将开放，请咨询窗口工作人员"

// ComingSoonBack is the zone id of the 返回 button.
const ComingSoonBack = "soon:back"

// page is a read-only page: a title, what body says, and 返回 as the only
// way on. The coming-soon pages and 关于本终端 are pages.
type page struct {
	kit.Base
	a        *kit.App
	title    string
	backZone string
	body     []string
}

// NewComingSoon stands in for a service that a later issue builds.
func NewComingSoon(a *kit.App, p route.ComingSoonParams) kit.Screen {
	title := p.Service
	if title == "" {
		title = "该服务"
	}
	return &page{a: a, title: title, backZone: ComingSoonBack, body: []string{"", a.St.Text.Render(ComingSoonText)}}
}

// AppealSoonText is the honest sentence of the appeal placeholder.
const AppealSoonText = "账号申诉服务正在准备中，请到窗口办理辅助企业注册申诉"

// AppealSoonBack is the zone id of its 返回 button.
const AppealSoonBack = "appeal-soon:back"

// NewAppealSoon is 账号申诉 until the appeal flow exists: it says so, and
// shows (masked) what the appeal will be pre-filled with, so the person
// can take it to the counter.
func NewAppealSoon(a *kit.App, p route.AppealParams) kit.Screen {
	st := a.St
	row := func(label, v string) string {
		if v == "" {
			v = "—"
		}
		return st.Muted.Render(widget.PadRight(label, 18)) + st.Text.Render(rules.Sanitize(v))
	}
	info := lipgloss.JoinVertical(lipgloss.Left,
		row("法人类型", p.LegalType),
		row("企业名称", p.Name),
		row("统一社会信用代码", p.USCC),
		row("法定代表人", rules.MaskName(rules.Sanitize(p.RepName))),
		row("证件号码", rules.MaskID(rules.Sanitize(p.IDNumber))),
	)
	return &page{a: a, title: "账号申诉 · 辅助企业注册申诉", backZone: AppealSoonBack, body: []string{
		st.Text.Render(AppealSoonText), "", st.Muted.Render("办理时请核对以下信息："), "", info}}
}

func (s *page) Help() []key.Binding {
	b := s.a.Keys.Enter
	b.SetHelp("enter", "返回")
	return []key.Binding{b, s.a.Keys.Back}
}

func (s *page) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if key.Matches(msg, s.a.Keys.Press, s.a.Keys.Back) {
			return kit.GoBack
		}
	case tea.MouseMsg:
		if widget.Tapped(s.a.Zones, s.backZone, msg) {
			return kit.GoBack
		}
	}
	return nil
}

func (s *page) View() string {
	st := s.a.St
	lines := append([]string{"", st.Title.Render(s.title), ""}, s.body...)
	lines = append(lines, "", "", widget.Mark(s.a.Zones, s.backZone, widget.Button(st, "返回", true, false)))
	return lipgloss.JoinVertical(lipgloss.Center, lines...)
}
