package screens

import (
	"runtime"
	"testing"
	"time"

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
	key := huhFloor()
	b.ReportAllocs()
	for b.Loop() {
		key()
	}
}

// huhFloor builds the floor's form and returns one keystroke on it.
func huhFloor() func() {
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
	i := 0
	return func() {
		f, _ = f.Update(keys[i%2])
		_ = f.View()
		i++
	}
}

// besideHuhFloor runs b.N keystrokes of key in chunks, each after as many
// of the huh floor's, and reports key's ns/op, B/op and allocs/op and the
// floor's time as floor-ns/op: the table's ratio is then figure over floor
// measured in the same moments (this machine's speed drifts within a
// minute; a floor run in its own benchmark moved the ratios by half). The
// heap is collected before each chunk, untimed, so that each side pays for
// its own garbage (the floor makes four times the kiosk's).
func besideHuhFloor(b *testing.B, key func()) {
	floor := huhFloor()
	b.ReportAllocs()
	const chunk = 64
	var figT, floorT time.Duration
	var allocs, bytes uint64
	var m0, m1 runtime.MemStats
	b.ResetTimer()
	for done := 0; done < b.N; done += chunk {
		n := min(chunk, b.N-done)
		runtime.GC()
		t0 := time.Now()
		for range n {
			floor()
		}
		floorT += time.Since(t0)
		runtime.GC()
		runtime.ReadMemStats(&m0)
		t0 = time.Now()
		for range n {
			key()
		}
		figT += time.Since(t0)
		runtime.ReadMemStats(&m1)
		allocs += m1.Mallocs - m0.Mallocs
		bytes += m1.TotalAlloc - m0.TotalAlloc
	}
	b.StopTimer()
	b.ReportMetric(float64(figT)/float64(b.N), "ns/op")
	b.ReportMetric(float64(floorT)/float64(b.N), "floor-ns/op")
	b.ReportMetric(float64(bytes)/float64(b.N), "B/op")
	b.ReportMetric(float64(allocs)/float64(b.N), "allocs/op")
}
