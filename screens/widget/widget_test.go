package widget

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"kiosk/screens/theme"
)

func TestButtonWidthDoesNotMoveWithFocus(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	st := theme.DefaultStyles()
	n, f := Button(st, "登录", false, false), Button(st, "登录", true, false)
	if lipgloss.Width(n) != lipgloss.Width(f) || !strings.Contains(f, "【登录】") {
		t.Errorf("normal %q (%d) focused %q (%d)", n, lipgloss.Width(n), f, lipgloss.Width(f))
	}
}

func TestInfoTableSanitisesAndAligns(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	out := InfoTable(theme.DefaultStyles(), []Row{{"企业名称", "坏\x1b[2J公司"}, {"状态", ""}})
	if strings.Contains(out, "\x1b") {
		t.Errorf("escape passed through: %q", out)
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[1], "状态      —") {
		t.Errorf("alignment/empty value: %q", lines[1])
	}
}
