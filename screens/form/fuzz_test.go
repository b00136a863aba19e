package form

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// FuzzFieldInput types arbitrary text into every kind of text field, rune by
// rune and as one paste: no control or escape character ever gets into a
// value or onto the screen, MaxLen holds, and the field's row keeps its width.
func FuzzFieldInput(f *testing.F) {
	for _, s := range []string{"abc", "中文输入法", "\x1b[31mred\x1b[0m", "\u202eevil", "2024-02-30", "12a34 5678", "🙂👍🏽", "\t\r\n\x00"} {
		f.Add(s)
	}
	kinds := []Kind{Text, Password, Date, Captcha, SMSCode}
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range kinds {
			for _, paste := range []bool{false, true} {
				fm := New(Config{ID: "z", Steps: []Step{{Fields: []Field{{Key: "v", Label: "字段", Kind: k, MaxLen: 12, Validate: func(string) error { return nil }}}}}})
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
					t.Fatalf("kind %d: MaxLen exceeded: %q", k, v)
				}
				for _, r := range v {
					if unicode.IsControl(r) || r == '\u202e' || r == utf8.RuneError {
						t.Fatalf("kind %d: control rune %U in value %q", k, r, v)
					}
				}
				view := fm.View()
				if strings.ContainsRune(view, 0x1b) { // ASCII profile (TestMain): no escapes at all
					t.Fatalf("escape in view")
				}
				if w := lipgloss.Width(strings.Split(view, "\n")[0]); w != rowW {
					t.Fatalf("kind %d: row width %d → %d after %q", k, rowW, w, v)
				}
			}
		}
	})
}
