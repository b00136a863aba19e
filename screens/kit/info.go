package kit

import (
	"strings"

	"kiosk/screens/widget"
)

// Section is a titled, indented info table: title and row keys are catalog
// ids, values are data (sanitised by widget.InfoTable) already rendered.
func Section(a *App, title string, rows []widget.Row) string {
	out := make([]widget.Row, len(rows))
	for i, r := range rows {
		out[i] = widget.Row{Key: a.S(r.Key), Value: r.Value}
	}
	return "  " + a.St.Title.Render(a.S(title)) + "\n" + Indent(widget.InfoTable(a.St, out), "    ")
}

// Indent puts pad before every line of s.
func Indent(s, pad string) string {
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}
