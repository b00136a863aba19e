package widget

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"kiosk/screens/theme"
)

func TestCaptchaPictureStableAndSized(t *testing.T) {
	a, b := CaptchaPicture("7KXP"), CaptchaPicture("7kxp")
	if a != b {
		t.Errorf("same text, different pictures")
	}
	lines := strings.Split(a, "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		if w := lipgloss.Width(l); w != 4*7 {
			t.Errorf("line width %d, want 28", w)
		}
	}
	if strings.Contains(a, "7") || strings.Contains(a, "K") {
		t.Errorf("the picture must not contain the text itself:\n%s", a)
	}
}

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

// FuzzCaptchaPicture: any text gives three lines of one width, never a panic.
func FuzzCaptchaPicture(f *testing.F) {
	for _, s := range []string{"7KXP", "ACE9M", "", "中文", "\x00\xff", "zzzzzzzzzzzz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := CaptchaPicture(s)
		lines := strings.Split(p, "\n")
		if len(lines) != 3 {
			t.Fatalf("%d lines for %q", len(lines), s)
		}
		for _, l := range lines[1:] {
			if lipgloss.Width(l) != lipgloss.Width(lines[0]) {
				t.Fatalf("ragged picture for %q:\n%s", s, p)
			}
		}
	})
}
