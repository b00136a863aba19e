package screens

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// BenchmarkKeystrokeFloorHuh is the floor of BenchmarkLoginKeystroke: the
// same keystroke (Update + View, '4' and backspace in turn, after typing
// "xinghe_20" into the first field) on a peer library's form, huh v1, with
// the six inputs of the agent login, at 120×40 in true colour. The kiosk's
// keystroke target is a ratio to it. Only huh's public API is used, and
// nothing else from this package, so it stays a fixed reference.
func BenchmarkKeystrokeFloorHuh(b *testing.B) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	var account, uscc, mobile, idNo, password, captcha string
	var f tea.Model = huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("企业账号").Value(&account),
		huh.NewInput().Title("统一社会信用代码").Value(&uscc),
		huh.NewInput().Title("经办人手机号").Value(&mobile),
		huh.NewInput().Title("经办人身份证号").Value(&idNo),
		huh.NewInput().Title("经办人密码").EchoMode(huh.EchoModePassword).Value(&password),
		huh.NewInput().Title("图片验证码").Value(&captcha),
	))
	_ = f.Init() // focuses the first field
	f, _ = f.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	for _, c := range "xinghe_20" {
		f, _ = f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
	}
	keys := []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune{'4'}}, {Type: tea.KeyBackspace}}
	_ = f.View()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f, _ = f.Update(keys[i%2])
		_ = f.View()
		i++
	}
}
