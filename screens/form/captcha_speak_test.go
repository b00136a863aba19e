package form

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	zone "github.com/lrstanley/bubblezone"
)

// 听语音 is offered next to 换一张, by touch and by F6 wherever the focus is.
func TestCaptchaSpeak(t *testing.T) {
	z := zone.New()
	defer z.Close()
	f := New(Config{ID: "s", Zones: z, Steps: []Step{{Fields: []Field{
		{Key: "account", Label: "企业账号"},
		{Key: "captcha", Label: "图片验证码", Kind: Captcha},
	}}}})
	f.SetWidth(100)
	f.SetCaptcha("captcha", "PIC1\nPIC2")
	v := plain(f.View())
	if !strings.Contains(v, "[换一张]  [听语音]") || !strings.Contains(v, "PIC2") {
		t.Fatalf("captcha row:\n%s", v)
	}
	want := CaptchaSpeak{Form: "s", Key: "captcha"}
	if msgs := run(f.Update(tea.KeyMsg{Type: tea.KeyF6})); len(msgs) != 1 || msgs[0] != want {
		t.Errorf("F6 on the account field = %#v", msgs)
	}
	if f.Focused() != "account" {
		t.Errorf("F6 moved the focus to %q", f.Focused())
	}

	z.Scan(f.View())
	var zi *zone.ZoneInfo
	for deadline := time.Now().Add(2 * time.Second); zi == nil && time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		zi = z.Get(SpeakZone("s", "captcha"))
	}
	if zi == nil {
		t.Fatal("听语音 zone never drawn")
	}
	msgs := run(f.Update(tea.MouseMsg{X: zi.StartX, Y: zi.StartY, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft}))
	if len(msgs) != 1 || msgs[0] != want {
		t.Errorf("听语音 click = %#v", msgs)
	}
	if f.Focused() != "captcha" {
		t.Errorf("a click focuses the captcha field, got %q", f.Focused())
	}
	help := ""
	for _, b := range f.Help() {
		help += b.Help().Key + " " + b.Help().Desc + " "
	}
	if !strings.Contains(help, "F6 听语音") {
		t.Errorf("help on the captcha field: %s", help)
	}

	// A form without a captcha ignores F6.
	g := New(Config{ID: "n", Steps: []Step{{Fields: []Field{{Key: "a", Label: "甲"}}}}})
	if msgs := run(g.Update(tea.KeyMsg{Type: tea.KeyF6})); len(msgs) != 0 {
		t.Errorf("F6 without a captcha = %#v", msgs)
	}
}

func TestContentWidth(t *testing.T) {
	f := New(Config{ID: "w", Steps: []Step{{Fields: []Field{{Key: "a", Label: "图片验证码"}}}}})
	f.SetWidth(80)
	if got, want := f.ContentWidth(), 80-2-2-10-2; got != want {
		t.Errorf("ContentWidth = %d, want %d", got, want)
	}
	f.SetWidth(5)
	if f.ContentWidth() != 0 {
		t.Errorf("negative width: %d", f.ContentWidth())
	}
}
