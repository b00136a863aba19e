package center

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"kiosk/model/rules"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// How 我的经办人 is drawn: the list in the visit's language, a page of at
// most maxListRows agents, the sentence of the last change, the buttons.

// maxListRows is the most agents a page shows: a page a person takes in
// at a glance and a frame that stays quick with hundreds of agents.
const maxListRows = 10

// drawnButtons is a button row as drawn, and what it was drawn for.
type drawnButtons struct {
	key   string
	lines []string
}

// build makes the list in the visit's language: each column as wide as
// its title or its widest cell.
func (c *agentsScreen) build() {
	a := c.a
	sel := 0
	if c.list != nil {
		sel = c.list.Selected()
	}
	titles := []string{"agents.col_name", "agents.col_phone", "agents.col_state", "agents.col_admin", "agents.col_window"}
	cells := make([][]string, len(c.rows))
	for i, r := range c.rows {
		name := rules.MaskName(r.Name)
		if r.Self {
			name = a.S("agents.self", "Name", name)
		}
		admin := a.S("agents.no")
		if r.Admin {
			admin = a.S("agents.yes")
		}
		cells[i] = []string{name, rules.MaskMobile(r.Phone), a.T(r.State.Label()), admin,
			a.S("agents.window", "From", dateOrDash(a, r.From), "To", dateOrDash(a, r.To))}
	}
	cols := make([]kit.Column, len(titles))
	for i, t := range titles {
		w := ansi.StringWidth(a.S(t))
		for _, row := range cells {
			w = max(w, ansi.StringWidth(rules.Sanitize(row[i])))
		}
		cols[i] = kit.Column{Title: t, Width: w}
	}
	c.list = kit.NewList(a, AgentsListID, cols...)
	c.list.Empty = "agents.empty"
	c.list.SetRows(cells)
	c.list.Select(sel)
	c.lang = a.Lang()
}

// drawButtons draws the buttons boxed, or on one line where a long
// language would take the list's rows; a drawing is kept for the next
// frames with the same labels, states and focus.
func (c *agentsScreen) drawButtons(w int) []string {
	var b strings.Builder
	b.WriteString(string(c.a.Lang()) + "|" + strconv.Itoa(w) + "|" + strconv.Itoa(c.h) + "|" + c.row.Focused())
	for _, it := range c.row.Items() {
		b.WriteString("|" + it.ID + "=" + it.Label + strconv.FormatBool(it.Disabled))
	}
	key := b.String()
	for _, d := range c.boxes {
		if d.key == key {
			return d.lines
		}
	}
	lines := c.row.Boxed(w)
	if len(lines) > widget.BoxButtonRows && c.h > 0 && c.h < 30 {
		lines = []string{c.row.View()} // a long language: one line leaves the list its rows
	}
	c.boxes = append(c.boxes, drawnButtons{key: key, lines: lines})
	if len(c.boxes) > 4 {
		c.boxes = c.boxes[1:]
	}
	return lines
}

func (c *agentsScreen) View() string {
	if c.confirm.Open() {
		return c.confirm.Over(c.w, c.h)
	}
	st := c.a.St
	if c.lang != c.a.Lang() {
		c.build()
	}
	w := 1 << 16 // not sized yet: as it comes
	if c.w > 0 {
		w = max(c.w-4, 20)
	}
	buttons := c.drawButtons(w)
	var msg []string
	switch {
	case !c.errMsg.IsZero():
		for _, l := range widget.Wrap(c.a.T(c.errMsg), w) {
			msg = append(msg, "  "+st.Error.Render(l))
		}
	case !c.notice.IsZero():
		for _, l := range widget.Wrap(c.a.T(c.notice), w) {
			msg = append(msg, "  "+st.Success.Render(l))
		}
	}
	if v := c.act.View(); v != "" {
		msg = append(msg, "  "+v)
	}
	out := []string{"", "  " + st.Title.Render(c.a.S("agents.title")), ""}
	switch {
	case c.load.Running() && !c.ok:
		out = append(out, "  "+c.load.View())
	case c.ok:
		listH := 12
		if c.h > 0 {
			listH = c.h - len(out) - 1 - len(msg) - 1 - len(buttons)
			if len(msg) == 0 {
				listH++
			}
		}
		c.list.SetSize(c.w, min(max(listH, 3), maxListRows+2)) // with its header and pager
		out = append(out, c.list.View())
	}
	if len(msg) > 0 {
		out = append(append(out, ""), msg...)
	}
	out = append(out, "")
	for _, l := range buttons {
		out = append(out, "  "+l)
	}
	return strings.Join(out, "\n")
}
