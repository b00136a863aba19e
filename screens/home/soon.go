package home

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

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
	body     func(w int) []string // drawn at each frame, w cells wide: in the language of the visit
	w        int
}

// sentence is text in style, wrapped to w cells (widget.Wrap).
func sentence(style lipgloss.Style, text string, w int) string {
	lines := widget.Wrap(text, w)
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return strings.Join(lines, "\n")
}

// NewComingSoon stands in for a service that a later issue builds.
func NewComingSoon(a *kit.App, p route.ComingSoonParams) kit.Screen {
	title := p.Service
	if title == "" {
		title = "home.this_service"
	}
	return &page{a: a, title: title, backZone: ComingSoonBack,
		body: func(w int) []string { return []string{"", sentence(a.St.Text, a.S(ComingSoonText), w)} }}
}

// SetSize: the page's sentences wrap to the screen.
func (s *page) SetSize(w, _ int) { s.w = w }

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
	w := 1 << 16 // not sized yet: as they come
	if s.w > 0 {
		w = max(s.w-4, 20)
	}
	lines := append([]string{"", st.Title.Render(s.a.S(s.title)), ""}, s.body(w)...)
	lines = append(lines, "", "", widget.Mark(s.a.Zones, s.backZone, widget.Button(st, s.a.S("key.back"), true, false)))
	return lipgloss.JoinVertical(lipgloss.Center, lines...)
}
