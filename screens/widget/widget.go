// Package widget holds small drawing helpers shared by the form component
// and the screens: buttons, tiles, info tables and the captcha picture.
package widget

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
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

// Tile draws a big bordered button for the home screen.
func Tile(st *theme.Styles, label string, width int, focused bool) string {
	s := st.Tile
	if focused {
		s = st.TileFocused // a double border: visible without colour
	}
	return s.Width(width).Render(label)
}

// Mark wraps v in a bubblezone marker; a nil manager leaves v unmarked.
func Mark(z *zone.Manager, id, v string) string {
	if z == nil {
		return v
	}
	return z.Mark(id, v)
}

// Row is one key/value line of an info table.
type Row struct{ Key, Value string }

// InfoTable draws key/value rows with the keys padded to one column. Values
// are sanitised here because they come from users or the registry.
func InfoTable(st *theme.Styles, rows []Row) string {
	kw := 0
	for _, r := range rows {
		kw = max(kw, lipgloss.Width(r.Key))
	}
	lines := make([]string, 0, len(rows))
	for _, r := range rows {
		k := r.Key + strings.Repeat(" ", kw-lipgloss.Width(r.Key))
		v := rules.Sanitize(r.Value)
		if v == "" {
			v = "—"
		}
		lines = append(lines, st.InfoKey.Render(k)+"  "+st.InfoValue.Render(v))
	}
	return strings.Join(lines, "\n")
}

// PadRight pads s with spaces to w cells (CJK-aware).
func PadRight(s string, w int) string {
	if d := w - lipgloss.Width(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}
