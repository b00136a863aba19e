package kit

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/model/i18n"
	"kiosk/screens/widget"
)

// Menu is a grid of big buttons (the home screen, the centers): arrows
// move across the grid, tab walks it, enter or space opens, a tap opens.
// Labels are catalog ids; zone ids are id + ":item:" + label.
type Menu struct {
	a      *App
	id     string
	labels []string
	cols   int
	focus  int
	width  int
	height int // lines the grid may take; 0: as tall as it likes
	// lines is the tallest label's height in tiles of lines.w cells in
	// lines.lang, kept between frames.
	lines struct {
		lang   i18n.Lang
		w, n   int
		cached bool
	}
}

// NewMenu builds a grid of cols columns.
func NewMenu(a *App, id string, cols int, labels ...string) *Menu {
	return &Menu{a: a, id: id, labels: labels, cols: max(cols, 1), width: 120}
}

// tileLines is how many lines the tallest label takes in a tile of w
// cells (the tiles share it), worked out again only when the width or the
// language changes.
func (m *Menu) tileLines(w int) int {
	c := &m.lines
	if lang := m.a.Lang(); !c.cached || c.lang != lang || c.w != w {
		c.n = 0
		for _, l := range m.labels {
			c.n = max(c.n, widget.TileLines(m.a.St, m.a.S(l), w))
		}
		c.lang, c.w, c.cached = lang, w, true
	}
	return c.n
}

// MenuZone is the zone id of the tile labelled label in menu id.
func MenuZone(id, label string) string { return id + ":item:" + label }

// SetWidth sets the width the grid may take.
func (m *Menu) SetWidth(w int) { m.width = w }

// SetHeight sets the lines the grid may take: on a small screen the rows
// lose the blank line between them, then the tiles their blank lines
// above and below the label.
func (m *Menu) SetHeight(h int) { m.height = h }

// Focus moves the focus to tile i (kept within the grid).
func (m *Menu) Focus(i int) { m.focus = max(min(i, len(m.labels)-1), 0) }

// Focused is the index of the focused tile.
func (m *Menu) Focused() int { return m.focus }

// Update returns the index of the tile the message opened, or -1.
func (m *Menu) Update(msg tea.Msg) int {
	n, k := len(m.labels), m.a.Keys
	if n == 0 {
		return -1
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Up):
			if m.focus-m.cols >= 0 {
				m.focus -= m.cols
			}
		case key.Matches(msg, k.Down):
			m.focus = min(m.focus+m.cols, n-1)
		case key.Matches(msg, k.Left, k.Prev):
			m.focus = (m.focus - 1 + n) % n
		case key.Matches(msg, k.Right, k.Next):
			m.focus = (m.focus + 1) % n
		case key.Matches(msg, k.Press):
			return m.focus
		}
	case tea.MouseMsg:
		for i, l := range m.labels {
			if widget.Tapped(m.a.Zones, MenuZone(m.id, l), msg) {
				m.focus = i
				return i
			}
		}
	}
	return -1
}

// Help is the grid's key help; open (a catalog id) says what opening does.
func (m *Menu) Help(open string) []key.Binding {
	move := key.NewBinding(key.WithKeys("up", "down", "left", "right"), key.WithHelp("key.arrows", "key.choose"))
	enter := m.a.Keys.Enter
	enter.SetHelp("enter", open)
	return []key.Binding{move, enter}
}

// View draws the grid.
func (m *Menu) View() string {
	st := m.a.St
	tileW := min(22, (m.width-2*(m.cols-1))/m.cols-2)
	lines := m.tileLines(tileW)
	rows := (len(m.labels) + m.cols - 1) / m.cols
	frame := st.Tile.GetVerticalFrameSize()
	gap, draw := "\n\n", widget.Tile
	if tall := rows*(lines+frame) + rows - 1; m.height > 0 && tall > m.height {
		gap = "\n"
		if tall-(rows-1) > m.height {
			draw = widget.TileFlat
		}
	}
	var out []string
	for start := 0; start < len(m.labels); start += m.cols {
		var tiles []string
		for i := start; i < min(start+m.cols, len(m.labels)); i++ {
			if i > start {
				tiles = append(tiles, "  ")
			}
			tile := draw(st, m.a.S(m.labels[i]), tileW, lines, i == m.focus)
			tiles = append(tiles, widget.Mark(m.a.Zones, MenuZone(m.id, m.labels[i]), tile))
		}
		out = append(out, lipgloss.JoinHorizontal(lipgloss.Top, tiles...))
	}
	return strings.Join(out, gap)
}
