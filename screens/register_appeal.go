package screens

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/model/rules"
	"kiosk/screens/widget"
)

// The 账号申诉 (辅助企业注册申诉) flow is a later issue. Until it exists,
// the registration's way-on button leads here: the screen says honestly that
// the service is being prepared, shows (masked) what the appeal will be
// pre-filled with so the person can take it to the counter, and offers
// 返回. The route takes AppealParams, which the real appeal screen will
// read in the same way.

// AppealSoonText is the honest sentence of the placeholder.
const AppealSoonText = "账号申诉服务正在准备中，请到窗口办理辅助企业注册申诉"

// AppealSoonBack is the zone id of the 返回 button.
const AppealSoonBack = "appeal-soon:back"

type appealSoon struct {
	base
	a *app
	p AppealParams
}

func newAppealSoon(a *app, params any) Screen {
	p, _ := params.(AppealParams)
	return &appealSoon{a: a, p: p}
}

func (s *appealSoon) SetSize(int, int) {}

func (s *appealSoon) Help() []key.Binding {
	b := s.a.keys.Enter
	b.SetHelp("enter", "返回")
	return []key.Binding{b, s.a.keys.Back}
}

func (s *appealSoon) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if key.Matches(msg, s.a.keys.Enter, s.a.keys.Back) || msg.Type == tea.KeySpace {
			return back
		}
	case tea.MouseMsg:
		if msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft &&
			s.a.zones.Get(AppealSoonBack).InBounds(msg) {
			return back
		}
	}
	return nil
}

// View shows the pre-filled details: the enterprise's public details as
// typed, the legal representative's masked.
func (s *appealSoon) View() string {
	st := s.a.st
	row := func(label, v string) string {
		if v == "" {
			v = "—"
		}
		return st.Muted.Render(widget.PadRight(label, 18)) + st.Text.Render(rules.Sanitize(v))
	}
	info := lipgloss.JoinVertical(lipgloss.Left,
		row("法人类型", s.p.LegalType),
		row("企业名称", s.p.Name),
		row("统一社会信用代码", s.p.USCC),
		row("法定代表人", rules.MaskName(rules.Sanitize(s.p.RepName))),
		row("证件号码", rules.MaskID(rules.Sanitize(s.p.IDNumber))),
	)
	return lipgloss.JoinVertical(lipgloss.Center,
		"",
		st.Title.Render("账号申诉 · 辅助企业注册申诉"),
		"",
		st.Text.Render(AppealSoonText),
		"",
		st.Muted.Render("办理时请核对以下信息："),
		"",
		info,
		"",
		"",
		widget.Mark(s.a.zones, AppealSoonBack, widget.Button(st, "返回", true, false)),
	)
}
