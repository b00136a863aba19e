package kit

import (
	"strings"

	"kiosk/screens/theme"
	"kiosk/screens/widget"
)

// Section is a titled, indented info table (values are sanitised by
// widget.InfoTable).
func Section(st *theme.Styles, title string, rows []widget.Row) string {
	return "  " + st.Title.Render(title) + "\n" + Indent(widget.InfoTable(st, rows), "    ")
}

// Indent puts pad before every line of s.
func Indent(s, pad string) string {
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}
