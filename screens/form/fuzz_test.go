package form

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// FuzzFieldInput types arbitrary text into every kind of typed field, rune
// by rune and as one paste: no control or escape character ever gets into
// a value or onto the screen, the length limit holds, and the field's row
// keeps its width.
func FuzzFieldInput(f *testing.F) {
	for _, s := range []string{"abc", "中文输入法", "\x1b[31mred\x1b[0m", "\u202eevil", "2024-02-30", "12a34 5678", "🙂👍🏽", "\t\r\n\x00"} {
		f.Add(s)
	}
	kinds := map[string]func() Field{
		"text":     func() Field { return Text("v", "字段", Max(12)) },
		"password": func() Field { return Password("v", "字段", Max(12)) },
		"date":     func() Field { return Date("v", "字段", Max(12)) },
		"captcha":  func() Field { return Captcha("v", "字段", Max(12)) },
		"sms":      func() Field { return SMSCode("v", "字段", Max(12)) },
		"area":     func() Field { return TextArea("v", "字段", Max(12)) },
	}
	f.Fuzz(func(t *testing.T, s string) {
		for kind, mk := range kinds {
			for _, paste := range []bool{false, true} {
				fm := New(Config{Text: testText, ID: "z", Tasks: noTimers(), Steps: []Step{{Fields: []Field{mk()}}}})
				fm.SetWidth(100)
				rowW := lipgloss.Width(strings.Split(fm.View(), "\n")[0])
				if paste {
					fm.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true})
				} else {
					for _, r := range s {
						fm.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
					}
				}
				v := fm.Value("v")
				if utf8.RuneCountInString(v) > 12 {
					t.Fatalf("%s: length limit exceeded: %q", kind, v)
				}
				for _, r := range v {
					if unicode.IsControl(r) || r == '\u202e' || r == utf8.RuneError {
						t.Fatalf("%s: control rune %U in value %q", kind, r, v)
					}
				}
				view := fm.View()
				if strings.ContainsRune(view, 0x1b) { // ASCII profile (TestMain): no escapes at all
					t.Fatalf("%s: escape in view", kind)
				}
				if w := lipgloss.Width(strings.Split(view, "\n")[0]); w != rowW {
					t.Fatalf("%s: row width %d → %d after %q", kind, rowW, w, v)
				}
			}
		}
	})
}
