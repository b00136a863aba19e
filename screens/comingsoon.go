package screens

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/screens/theme"
	"kiosk/screens/widget"
)

// ComingSoonText says honestly that a service is not available yet.
const ComingSoonText = "该功能即将开放，请咨询窗口工作人员"

// ComingSoonBack is the zone id of the 返回 button.
const ComingSoonBack = "soon:back"

// comingSoon stands in for a service that a later issue builds: a title,
// what body says, and 返回 as the only way on. The 账号申诉 placeholder
// (register_appeal.go) is one too, with its own body.
type comingSoon struct {
	base
	a        *app
	title    string
	backZone string                          // zone id of the 返回 button
	body     func(st *theme.Styles) []string // what stands between the title and 返回
}

func newComingSoon(a *app, params any) Screen {
	title, _ := params.(string)
	if title == "" {
		title = "该服务"
	}
	return &comingSoon{a: a, title: title, backZone: ComingSoonBack, body: func(st *theme.Styles) []string {
		return []string{"", st.Text.Render(ComingSoonText)}
	}}
}

func (s *comingSoon) SetSize(int, int) {}

func (s *comingSoon) Help() []key.Binding {
	b := s.a.keys.Enter
	b.SetHelp("enter", "返回")
	return []key.Binding{b, s.a.keys.Back}
}

func (s *comingSoon) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if key.Matches(msg, s.a.keys.Enter, s.a.keys.Back) || msg.Type == tea.KeySpace {
			return back
		}
	case tea.MouseMsg:
		if msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft &&
			s.a.zones.Get(s.backZone).InBounds(msg) {
			return back
		}
	}
	return nil
}

func (s *comingSoon) View() string {
	st := s.a.st
	lines := append([]string{"", st.Title.Render(s.title), ""}, s.body(st)...)
	lines = append(lines, "", "", widget.Mark(s.a.zones, s.backZone, widget.Button(st, "返回", true, false)))
	return lipgloss.JoinVertical(lipgloss.Center, lines...)
}
