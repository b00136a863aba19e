package kit

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/i18n"
	"kiosk/screens/widget"
)

// Scroll shows long content a window at a time (拓展信息 with a long
// 经营范围): ↑/↓ move a line, PgUp/PgDn a page, the wheel scrolls, and
// the ▲/▼ lines that say there is more are touch targets that turn a
// page. The content is lines already drawn.
type Scroll struct {
	a      *App
	id     string
	lines  []string
	top    int
	height int
}

// NewScroll builds an empty scroll; its zones start with id.
func NewScroll(a *App, id string) *Scroll { return &Scroll{a: a, id: id, height: 10} }

// ScrollZone is the zone of the ▲ (d < 0) or ▼ (d > 0) line of scroll id.
func ScrollZone(id string, d int) string {
	if d < 0 {
		return id + ":up"
	}
	return id + ":down"
}

// SetLines replaces the content, keeping the position where it can.
func (s *Scroll) SetLines(lines []string) { s.lines = lines; s.clamp() }

// SetHeight sets the lines the scroll may take on screen.
func (s *Scroll) SetHeight(h int) { s.height = max(h, 3); s.clamp() }

// Top is the first line shown.
func (s *Scroll) Top() int { return s.top }

// Fits reports whether all of the content shows at once.
func (s *Scroll) Fits() bool { return len(s.lines) <= s.height }

func (s *Scroll) clamp() {
	s.top = max(min(s.top, len(s.lines)-s.height), 0)
}

// page is how far PgUp/PgDn and a tap on a marker move.
func (s *Scroll) page() int { return max(s.height-2, 1) }

func (s *Scroll) by(d int) bool {
	old := s.top
	s.top += d
	s.clamp()
	return s.top != old
}

// Update takes a key, the wheel or a tap on a marker; it reports whether
// the message was the scroll's.
func (s *Scroll) Update(msg tea.Msg) bool {
	if s.Fits() {
		return false
	}
	k := s.a.Keys
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Up):
			s.by(-1)
		case key.Matches(msg, k.Down):
			s.by(+1)
		case key.Matches(msg, k.PageUp):
			s.by(-s.page())
		case key.Matches(msg, k.PageDown):
			s.by(+s.page())
		default:
			return false
		}
		return true
	case tea.MouseMsg:
		switch {
		case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonWheelUp:
			return s.by(-1) || true
		case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonWheelDown:
			return s.by(+1) || true
		case widget.Tapped(s.a.Zones, ScrollZone(s.id, -1), msg):
			return s.by(-s.page()) || true
		case widget.Tapped(s.a.Zones, ScrollZone(s.id, +1), msg):
			return s.by(+s.page()) || true
		}
	}
	return false
}

// Help is the scroll's key help (none when everything shows).
func (s *Scroll) Help() []key.Binding {
	if s.Fits() {
		return nil
	}
	return []key.Binding{key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown"), key.WithHelp("↑/↓", "key.scroll"))}
}

// View is the window: at most height lines, the first or last of them a
// marker when there is more above or below.
func (s *Scroll) View() []string {
	if s.Fits() {
		return s.lines
	}
	out := append([]string(nil), s.lines[s.top:s.top+s.height]...)
	more := s.a.St.Link
	if s.top > 0 {
		out[0] = widget.Mark(s.a.Zones, ScrollZone(s.id, -1), more.Render("▲ "+s.a.T(i18n.T("form.more_above"))))
	}
	if s.top+s.height < len(s.lines) {
		out[len(out)-1] = widget.Mark(s.a.Zones, ScrollZone(s.id, +1), more.Render("▼ "+s.a.T(i18n.T("form.more_below"))))
	}
	return out
}
