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
const ComingSoonText = "home.coming_soon"

// ComingSoonBack is the zone id of the 返回 button.
const ComingSoonBack = "soon:back"

// page is a read-only page: a title (a catalog id), what body draws, and
// 返回 as the only way on. The coming-soon pages and 关于本终端 are pages.
type page struct {
	kit.Base
	a        *kit.App
	title    string
	backZone string
	body     func() []string // drawn at each frame: in the language of the visit
}

// NewComingSoon stands in for a service that a later issue builds.
func NewComingSoon(a *kit.App, p route.ComingSoonParams) kit.Screen {
	title := p.Service
	if title == "" {
		title = "home.this_service"
	}
	return &page{a: a, title: title, backZone: ComingSoonBack,
		body: func() []string { return []string{"", a.St.Text.Render(a.S(ComingSoonText))} }}
}

// AppealSoonText is the honest sentence of the appeal placeholder.
const AppealSoonText = "home.appeal_soon"

// AppealSoonBack is the zone id of its 返回 button.
const AppealSoonBack = "appeal-soon:back"

// NewAppealSoon is 账号申诉 until the appeal flow exists: it says so, and
// shows (masked) what the appeal will be pre-filled with, so the person
// can take it to the counter.
func NewAppealSoon(a *kit.App, p route.AppealParams) kit.Screen {
	st := a.St
	return &page{a: a, title: "home.appeal_title", backZone: AppealSoonBack, body: func() []string {
		rows := []widget.Row{
			{Key: a.S("field.legal_type"), Value: p.LegalType},
			{Key: a.S("field.enterprise_name"), Value: p.Name},
			{Key: a.S("field.uscc"), Value: p.USCC},
			{Key: a.S("field.legal_rep"), Value: rules.MaskName(rules.Sanitize(p.RepName))},
			{Key: a.S("field.id_number"), Value: rules.MaskID(rules.Sanitize(p.IDNumber))},
		}
		return []string{st.Text.Render(a.S(AppealSoonText)), "", st.Muted.Render(a.S("home.appeal_check")), "",
			widget.InfoTable(st, rows)}
	}}
}

func (s *page) Help() []key.Binding {
	b := s.a.Keys.Enter
	b.SetHelp("enter", "key.back")
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
	lines := append([]string{"", st.Title.Render(s.a.S(s.title)), ""}, s.body()...)
	lines = append(lines, "", "", widget.Mark(s.a.Zones, s.backZone, widget.Button(st, s.a.S("key.back"), true, false)))
	return lipgloss.JoinVertical(lipgloss.Center, lines...)
}
