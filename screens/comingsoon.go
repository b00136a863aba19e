package screens

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/screens/widget"
)

// ComingSoonText says honestly that a service is not available yet.
const ComingSoonText = "该功能即将开放，请咨询窗口工作人员"

// ComingSoonBack is the zone id of the 返回 button.
const ComingSoonBack = "soon:back"

// comingSoon stands in for a service that a later issue builds.
type comingSoon struct {
	base
	a     *app
	title string
}

func newComingSoon(a *app, params any) Screen {
	title, _ := params.(string)
	if title == "" {
		title = "该服务"
	}
	return &comingSoon{a: a, title: title}
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
			s.a.zones.Get(ComingSoonBack).InBounds(msg) {
			return back
		}
	}
	return nil
}

func (s *comingSoon) View() string {
	st := s.a.st
	return lipgloss.JoinVertical(lipgloss.Center,
		"",
		st.Title.Render(s.title),
		"",
		"",
		st.Text.Render(ComingSoonText),
		"",
		"",
		widget.Mark(s.a.zones, ComingSoonBack, widget.Button(st, "返回", true, false)),
	)
}
