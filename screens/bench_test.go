package screens

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/model/clocktest"
	"kiosk/screens/login"
)

// BenchmarkLoginKeystroke is Update+View for one keystroke on the
// enterprise login form at 120×40, in true colour as on a kiosk (target
// under 1 ms). Keys alternate between a letter and backspace so the value
// never hits its length limit.
func BenchmarkLoginKeystroke(b *testing.B) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	clock := clocktest.New(testNow)
	r := New(Deps{Demo: true, KioskID: "KIOSK-B1", Clock: clock, Auth: &model.Auth{},
		Captcha: captcha.New(clock, func() string { return captchaText })})
	defer r.Close()
	r.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	r.Update(toEnterpriseLogin)
	for _, c := range "xinghe_20" {
		r.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
	}
	if h, ok := r.Screen().(host); !ok || h.Form().Value(login.FieldIdentifier) != "xinghe_20" {
		b.Fatalf("not typing into the enterprise login: at %s", r.Current())
	}
	benchKeys(b, r, '4')
}

// benchKeys times Update+View for keys that alternate between c and
// backspace, so the value never hits its length limit, beside the huh
// floor (besideHuhFloor).
func benchKeys(b *testing.B, r *Root, c rune) {
	benchKeysOf(b, r, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}}, tea.KeyMsg{Type: tea.KeyBackspace})
}

// benchKeysOf times Update+View for keys a and z in turn beside the huh
// floor.
func benchKeysOf(b *testing.B, r *Root, a, z tea.KeyMsg) {
	keys := []tea.KeyMsg{a, z}
	_ = r.View()
	i := 0
	besideHuhFloor(b, func() {
		r.Update(keys[i%2])
		_ = r.View()
		i++
	})
}
