package kit

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model/rules"
	"kiosk/screens/widget"
)

// Column is one column of a List (Title a catalog id); Width 0 takes what
// the others leave.
type Column struct {
	Title string
	Width int
}

// List is a table with a selected row, pages and touch zones: ↑/↓ move
// the selection, PgUp/PgDn turn pages, enter or space (or a tap on a row)
// chooses. Cells are sanitised: they come from users or the registry.
type List struct {
	a      *App
	id     string
	cols   []Column
	rows   [][]string
	sel    int
	height int // lines for the whole list: header, rows, pager
	width  int
	Empty  string // catalog id shown when there are no rows
}

// NewList builds an empty list; its zones start with id.
func NewList(a *App, id string, cols ...Column) *List {
	return &List{a: a, id: id, cols: cols, height: 12, width: 80, Empty: "list.empty"}
}

// RowZone is the zone id of row i of list id; PagerZone of its ‹/› buttons.
func RowZone(id string, i int) string   { return id + ":row:" + strconv.Itoa(i) }
func PagerZone(id string, d int) string { return id + ":page:" + strconv.Itoa(d) }
func (l *List) SetSize(w, h int)        { l.width, l.height = w, max(h, 4) }
func (l *List) Selected() int           { return l.sel }
func (l *List) Len() int                { return len(l.rows) }
func (l *List) perPage() int            { return max(l.height-2, 1) } // header and pager
func (l *List) page() int               { return l.sel / l.perPage() }
func (l *List) pages() int              { return max((len(l.rows)+l.perPage()-1)/l.perPage(), 1) }
func (l *List) Select(i int)            { l.sel = max(min(i, len(l.rows)-1), 0) }
func (l *List) Row(i int) []string      { return l.rows[i] }
func (l *List) SetRows(rows [][]string) { l.rows = rows; l.Select(l.sel) }
func (l *List) turn(d int)              { l.Select((l.page() + d) * l.perPage()) }

// Update returns the index of the row the message chose, or -1.
func (l *List) Update(msg tea.Msg) int {
	if len(l.rows) == 0 {
		return -1
	}
	k := l.a.Keys
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Up, k.Prev):
			l.Select(l.sel - 1)
		case key.Matches(msg, k.Down, k.Next):
			l.Select(l.sel + 1)
		case key.Matches(msg, k.PageUp, k.Left):
			l.turn(-1)
		case key.Matches(msg, k.PageDown, k.Right):
			l.turn(+1)
		case key.Matches(msg, k.Press):
			return l.sel
		}
	case tea.MouseMsg:
		if widget.Tapped(l.a.Zones, PagerZone(l.id, -1), msg) {
			l.turn(-1)
			return -1
		}
		if widget.Tapped(l.a.Zones, PagerZone(l.id, +1), msg) {
			l.turn(+1)
			return -1
		}
		start := l.page() * l.perPage()
		for i := start; i < min(start+l.perPage(), len(l.rows)); i++ {
			if widget.Tapped(l.a.Zones, RowZone(l.id, i), msg) {
				l.sel = i
				return i
			}
		}
	}
	return -1
}

// Move takes what moves the selection on a screen whose buttons do the
// choosing: ↑/↓ and the pages, a tap on a row or on the pager. moved
// reports that msg was the list's (the screen refreshes its buttons for
// the selected row); tapped is the row a tap chose, -1 for none.
func (l *List) Move(msg tea.Msg) (moved bool, tapped int) {
	k := l.a.Keys
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown) {
			l.Update(msg)
			return true, -1
		}
	case tea.MouseMsg:
		before := l.sel
		if i := l.Update(msg); i >= 0 || l.sel != before {
			return true, i
		}
	}
	return false, -1
}

// HelpWith is the help of a list whose buttons do the choosing: ↑/↓, the
// pages when there are more than one, then the buttons' and more.
func (l *List) HelpWith(choose string, more ...key.Binding) []key.Binding {
	h := l.Help(choose)
	return append(append(h[:1:1], h[2:]...), more...)
}

// Help is the list's key help; choose (a catalog id) says what choosing
// does.
func (l *List) Help(choose string) []key.Binding {
	move := key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "key.choose"))
	enter := l.a.Keys.Enter
	enter.SetHelp("enter", choose)
	h := []key.Binding{move, enter}
	if l.pages() > 1 {
		h = append(h, key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("PgUp/PgDn", "key.page")))
	}
	return h
}

// widths resolves the flexible columns.
func (l *List) widths() []int {
	w := make([]int, len(l.cols))
	fixed, flex := 0, 0
	for i, c := range l.cols {
		w[i] = c.Width
		fixed += c.Width + 2
		if c.Width == 0 {
			flex++
		}
	}
	if flex > 0 {
		each := max((l.width-2-fixed)/flex, 6)
		for i := range w {
			if w[i] == 0 {
				w[i] = each
			}
		}
	}
	return w
}

func (l *List) line(cells []string, w []int) string {
	var b strings.Builder
	for i, c := range cells {
		if i >= len(w) {
			break
		}
		if i > 0 {
			b.WriteString("  ")
		}
		b.WriteString(widget.PadRight(ansi.Truncate(rules.Sanitize(c), w[i], "…"), w[i]))
	}
	return b.String()
}

// View draws the header, the rows of the current page (the selected one
// marked by ▶ as well as by colour) and the pager.
func (l *List) View() string {
	st := l.a.St
	w := l.widths()
	titles := make([]string, len(l.cols))
	for i, c := range l.cols {
		titles[i] = l.a.S(c.Title)
	}
	out := []string{"  " + st.InfoKey.Render(l.line(titles, w))}
	if len(l.rows) == 0 {
		return strings.Join(append(out, "  "+st.Muted.Render(l.a.S(l.Empty))), "\n")
	}
	start := l.page() * l.perPage()
	for i := start; i < min(start+l.perPage(), len(l.rows)); i++ {
		mark, style := "  ", st.Text
		if i == l.sel {
			mark, style = "▶ ", st.OptionSelected
		}
		out = append(out, widget.Mark(l.a.Zones, RowZone(l.id, i), mark+style.Render(l.line(l.rows[i], w))))
	}
	if l.pages() > 1 {
		pager := widget.Mark(l.a.Zones, PagerZone(l.id, -1), st.Link.Render("["+l.a.S("list.prev")+"]")) + "  " +
			st.Muted.Render(l.a.S("list.page", "Page", l.page()+1, "Pages", l.pages())) + "  " +
			widget.Mark(l.a.Zones, PagerZone(l.id, +1), st.Link.Render("["+l.a.S("list.next")+"]"))
		out = append(out, "  "+pager)
	}
	return strings.Join(out, "\n")
}
