package screens

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// registerPasswordStep opens the registration's account step at 120×40 with the
// account typed and the focus on the new password, which holds pw.
func registerPasswordStep(b *testing.B, pw string) *Root {
	lipgloss.SetColorProfile(termenv.TrueColor)
	b.Cleanup(func() { lipgloss.SetColorProfile(termenv.Ascii) })
	r := New(Deps{Demo: true})
	b.Cleanup(r.Close)
	r.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	r.Update(route.Register.Nav(kit.None{}))
	fm := r.cur.(host).Form()
	fm.SetValue(account.FieldName, sampleTonghua.name)
	fm.SetValue(account.FieldRepName, sampleTonghua.rep)
	fm.SetValue(account.FieldAccount, newAccount)
	fm.Focus(account.FieldPassword) // switches to the account step
	if fm.Step() != 2 {
		b.Fatalf("at step %d", fm.Step())
	}
	for _, c := range pw {
		feed(r, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
	}
	if fm.Value(account.FieldPassword) != pw {
		b.Fatalf("not typing into the password: %q", fm.Value(account.FieldPassword))
	}
	rules.WarmPasswordScore()
	return r
}

var passwordKeys = []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune{'4'}}, {Type: tea.KeyBackspace}}

// BenchmarkPasswordKeystroke is what the event loop does for one keystroke
// on the busiest password step (registration, 设置账号): Update + View,
// comparable with BenchmarkLoginKeystroke and its floor. The meter's
// estimate is a command the runtime runs beside the loop.
func BenchmarkPasswordKeystroke(b *testing.B) {
	benchKeys(b, registerPasswordStep(b, "Yanbian@202"), '4')
}

// BenchmarkPasswordKeystrokeWithMeter is the whole work of one keystroke:
// Update, the meter's estimate (the command run and its result fed back)
// and View.
func BenchmarkPasswordKeystrokeWithMeter(b *testing.B) {
	r := registerPasswordStep(b, "Yanbian@202")
	_ = r.View()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		feed(r, passwordKeys[i%2])
		_ = r.View()
		i++
	}
}
