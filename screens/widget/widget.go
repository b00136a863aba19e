// Package widget holds small drawing helpers shared by the form component
// and the screens: buttons, tiles, info tables and the captcha picture.
package widget

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	zone "github.com/lrstanley/bubblezone"

	"kiosk/model/rules"
	"kiosk/screens/theme"
)

// Button draws a one-line button. The focused one uses full-width brackets
// so that focus stays visible without colour and the width does not change
// (【登录】 and [ 登录 ] are both 8 cells).
func Button(st *theme.Styles, label string, focused, disabled bool) string {
	switch {
	case disabled:
		return st.ButtonDisabled.Render("[ " + label + " ]")
	case focused:
		return st.ButtonFocused.Render("【" + label + "】")
	default:
		return st.Button.Render("[ " + label + " ]")
	}
}

// BoxButton draws a button as a box three rows high. The focused one has
// a double border and ▶ ◀ around its label; the width never changes with
// the focus.
func BoxButton(st *theme.Styles, label string, focused, disabled bool) string {
	switch {
	case disabled:
		return st.BoxButtonDisabled.Render("  " + label + "  ")
	case focused:
		return st.BoxButtonFocused.Render("▶ " + label + " ◀")
	default:
		return st.BoxButton.Render("  " + label + "  ")
	}
}

// BoxButtonRows is how many rows a BoxButton takes.
const BoxButtonRows = 3

// JoinRows lays parts (single- or multi-line blocks: buttons, options) out
// in rows of at most w cells, two cells apart; a long label in one language
// never pushes the last one off the screen. Each row is its lines.
func JoinRows(parts []string, w int) []string {
	var out []string
	var row []string
	rowW := 0
	flush := func() {
		if len(row) == 0 {
			return
		}
		out = append(out, strings.Split(lipgloss.JoinHorizontal(lipgloss.Top, row...), "\n")...)
		row, rowW = row[:0], 0
	}
	for _, p := range parts {
		pw := lipgloss.Width(p)
		if rowW > 0 && rowW+2+pw > w {
			flush()
		}
		if rowW > 0 {
			row = append(row, "  ")
			rowW += 2
		}
		row = append(row, p)
		rowW += pw
	}
	flush()
	if out == nil {
		out = []string{""}
	}
	return out
}

// Tile draws a big bordered button for the home screen, label centred in
// lines rows (0: as many as it takes).
func Tile(st *theme.Styles, label string, width, lines int, focused bool) string {
	return tile(st, label, width, lines, focused, false)
}

// TileFlat is Tile without the blank lines above and below its label, for
// a grid that must fit a small screen.
func TileFlat(st *theme.Styles, label string, width, lines int, focused bool) string {
	return tile(st, label, width, lines, focused, true)
}

func tile(st *theme.Styles, label string, width, lines int, focused, flat bool) string {
	s := st.Tile
	if focused {
		s = st.TileFocused // a double border: visible without colour
	}
	if flat {
		s = s.PaddingTop(0).PaddingBottom(0)
	}
	if lines > 0 { // lipgloss counts the padding in the height
		s = s.Height(lines + s.GetVerticalPadding()).AlignVertical(lipgloss.Center)
	}
	return s.Width(width).Render(label)
}

// TileLines is how many lines label takes in a tile of width (tiles of a
// menu share the tallest one's height, so a label that wraps in one
// language does not make its tile stand out).
func TileLines(st *theme.Styles, label string, width int) int {
	return lipgloss.Height(st.Tile.Width(width).Render(label)) - st.Tile.GetVerticalFrameSize()
}

// Mark wraps v in a bubblezone marker; a nil manager leaves v unmarked.
func Mark(z *zone.Manager, id, v string) string {
	if z == nil {
		return v
	}
	return z.Mark(id, v)
}

// Tapped reports whether m is a press of the left button (a tap) inside
// the zone id as last drawn. The one place that says what a tap is.
func Tapped(z *zone.Manager, id string, m tea.MouseMsg) bool {
	return z != nil && Tap(m) && z.Get(id).InBounds(m)
}

// Tap reports whether m is a tap anywhere: a press of the left button (a
// finger on a touch screen).
func Tap(m tea.MouseMsg) bool {
	return m.Action == tea.MouseActionPress && m.Button == tea.MouseButtonLeft
}

// Row is one key/value line of an info table.
type Row struct{ Key, Value string }

// InfoTable draws key/value rows with the keys padded to one column. Values
// are sanitised here because they come from users or the registry.
func InfoTable(st *theme.Styles, rows []Row) string {
	kw := 0
	for _, r := range rows {
		kw = max(kw, ansi.StringWidth(r.Key))
	}
	lines := make([]string, 0, len(rows))
	for _, r := range rows {
		k := r.Key + strings.Repeat(" ", kw-ansi.StringWidth(r.Key))
		v := rules.Sanitize(r.Value)
		if v == "" {
			v = "—"
		}
		lines = append(lines, st.InfoKey.Render(k)+"  "+st.InfoValue.Render(v))
	}
	// Every line as wide as the widest: the table stays one block when a
	// page centres it.
	w := 0
	for _, l := range lines {
		w = max(w, ansi.StringWidth(l))
	}
	for i, l := range lines {
		lines[i] = PadRight(l, w)
	}
	return strings.Join(lines, "\n")
}

// InfoLines draws key/value rows like InfoTable within w cells: a value
// too long for its column wraps under itself (an address, 经营范围), and
// where even the key column leaves no room, the value goes under its key.
// Every line is as wide as the widest.
func InfoLines(st *theme.Styles, rows []Row, w int) []string {
	kw := 0
	for _, r := range rows {
		kw = max(kw, ansi.StringWidth(r.Key))
	}
	under := w-kw-2 < 12 // too narrow for a value column
	vw, pad := max(w-kw-2, 1), strings.Repeat(" ", kw+2)
	if under {
		vw, pad = max(w-2, 1), "  "
	}
	var lines []string
	for _, r := range rows {
		v := rules.Sanitize(r.Value)
		if v == "" {
			v = "—"
		}
		k := st.InfoKey.Render(r.Key + strings.Repeat(" ", kw-ansi.StringWidth(r.Key)))
		vs := Wrap(v, vw)
		if under {
			lines = append(lines, k)
			for _, l := range vs {
				lines = append(lines, pad+st.InfoValue.Render(l))
			}
			continue
		}
		for i, l := range vs {
			if i == 0 {
				lines = append(lines, k+"  "+st.InfoValue.Render(l))
				continue
			}
			lines = append(lines, pad+st.InfoValue.Render(l))
		}
	}
	most := 0
	for _, l := range lines {
		most = max(most, ansi.StringWidth(l))
	}
	for i, l := range lines {
		lines[i] = PadRight(l, most)
	}
	return lines
}

// PadRight pads s with spaces to w cells (CJK-aware).
func PadRight(s string, w int) string {
	if d := w - ansi.StringWidth(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}

// PadLeft pads s with spaces on the left to w cells (CJK-aware).
func PadLeft(s string, w int) string {
	if d := w - ansi.StringWidth(s); d > 0 {
		return strings.Repeat(" ", d) + s
	}
	return s
}

// TruncateCells cuts s (with its escapes) to w cells.
func TruncateCells(s string, w int) string { return ansi.Truncate(s, w, "") }
