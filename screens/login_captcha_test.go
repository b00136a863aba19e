package screens

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/devices/audio"
	"kiosk/devices/audio/silent"
	"kiosk/model/captcha"
	"kiosk/screens/form"
	"kiosk/screens/widget"
)

// loginAt opens a login screen on a fresh root and stubs the status timer.
func loginAt(t *testing.T, d Deps, to ScreenID, w, h int) (*Root, *loginScreen) {
	t.Helper()
	r := newRoot(t, d, w, h)
	feed(r, Navigate{To: to})
	l := r.cur.(*loginScreen)
	l.captcha.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	return r, l
}

// The picture is the challenge's own image at its own resolution (one
// column per pixel, two pixel rows per line) on a kiosk-sized screen, and
// 换一张 draws the new challenge's picture.
func TestCaptchaPictureShownAndRefreshed(t *testing.T) {
	f := newFixture(t)
	r, l := loginAt(t, f.deps, ScreenEnterpriseLogin, 120, 40)
	pic := func() string {
		return widget.CaptchaPicture(l.captcha.ch.Image, captcha.Width, captcha.Height/2)
	}
	first := pic()
	if n := strings.Count(first, "\n") + 1; n != captcha.Height/2 {
		t.Fatalf("picture has %d lines", n)
	}
	for _, line := range strings.Split(first, "\n") {
		if !strings.Contains(r.View(), line) {
			t.Fatalf("picture line %q not on screen:\n%s", line, r.View())
		}
	}
	feed(r, form.CaptchaRefresh{Form: EnterpriseLoginForm, Key: fieldCaptcha})
	second := pic()
	if second == first {
		t.Fatal("换一张 kept the picture")
	}
	if !strings.Contains(r.View(), strings.Split(second, "\n")[3]) {
		t.Errorf("new picture not drawn:\n%s", r.View())
	}
	if strings.Contains(r.View(), strings.Split(first, "\n")[3]) {
		t.Errorf("old picture still drawn")
	}
}

// On the smallest screen the picture shrinks so that the buttons stay, and
// makes more room still when every field shows an error.
func TestCaptchaPictureFitsSmallScreen(t *testing.T) {
	f := newFixture(t)
	r, l := loginAt(t, f.deps, ScreenAgentLogin, 80, 24)
	calm := l.captcha.pictureRows()
	if calm >= captcha.Height/2 || calm < 5 {
		t.Errorf("picture rows at 80×24: %d", calm)
	}
	if v := r.View(); !strings.Contains(v, "登录 ]") && !strings.Contains(v, "【登录】") {
		t.Fatalf("buttons pushed off:\n%s", v)
	}
	feed(r, tea.KeyMsg{Type: tea.KeyShiftTab})
	feed(r, tea.KeyMsg{Type: tea.KeyShiftTab})
	feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // every field in error
	v := r.View()
	if !strings.Contains(v, "请输入图片验证码") || !strings.Contains(v, "返回") {
		t.Fatalf("errors or buttons missing:\n%s", v)
	}
	if l.captcha.pictureRows() >= calm {
		t.Errorf("picture did not make room: %d rows", l.captcha.pictureRows())
	}
	for _, line := range strings.Split(v, "\n") {
		if w := lipgloss.Width(line); w > 80 {
			t.Errorf("line wider than the screen: %q", line)
		}
	}
}

// 听语音 plays the current challenge through the audio device, from a
// command, and says so on screen; the sentence goes when its timer fires.
func TestCaptchaSpeakPlaysCurrentChallenge(t *testing.T) {
	f := newFixture(t)
	p := silent.New()
	f.deps.Audio = p
	r, l := loginAt(t, f.deps, ScreenEnterpriseLogin, 120, 40)
	p.Reset()

	_, cmd := r.Update(tea.KeyMsg{Type: tea.KeyF6})
	if len(p.Requests()) != 0 {
		t.Fatal("Update played by itself; playing belongs in a command")
	}
	for _, m := range collect(cmd) {
		feed(r, m)
	}
	want, ok := audio.CaptchaPrompt(captchaText)
	if !ok {
		t.Fatal("test captcha cannot be spoken")
	}
	if got := p.Played(); !slices.Equal(got, []string{want}) {
		t.Fatalf("played %q, want %q", got, want)
	}
	if !strings.Contains(r.View(), VoicePlaying) {
		t.Errorf("no playing sentence:\n%s", r.View())
	}
	feed(r, voiceStatusDone{form: EnterpriseLoginForm, seq: l.captcha.seq})
	if strings.Contains(r.View(), VoicePlaying) {
		t.Errorf("sentence outlived its timer")
	}

	// After 换一张 the new challenge is spoken, not the old one.
	feed(r, form.CaptchaRefresh{Form: EnterpriseLoginForm, Key: fieldCaptcha})
	p.Reset()
	feed(r, form.CaptchaSpeak{Form: EnterpriseLoginForm, Key: fieldCaptcha})
	if got := p.Played(); len(got) != 1 || got[0] != want {
		t.Errorf("after 换一张 played %q", got)
	}
}

// The clicked 听语音 link works like F6.
func TestCaptchaSpeakByTouch(t *testing.T) {
	f := newFixture(t)
	p := silent.New()
	f.deps.Audio = p
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.click(form.SpeakZone(EnterpriseLoginForm, fieldCaptcha))
	k.waitFor("正在播放语音验证码")
	want, _ := audio.CaptchaPrompt(captchaText)
	if !slices.Contains(p.Played(), want) {
		t.Errorf("played %q", p.Played())
	}
	k.finish()
}

// No device, a muted one or a failing one: the screen says why nothing is
// heard, and nothing blocks.
func TestCaptchaSpeakUnavailable(t *testing.T) {
	tests := []struct {
		name   string
		player func() audio.Player
		want   string
	}{
		{"no device", func() audio.Player { return nil }, VoiceUnavailable},
		{"muted", func() audio.Player { p := silent.New(); p.SetMuted(true); return p }, "语音已静音，请按 F8 开启后再听"},
		{"failing", func() audio.Player { p := silent.New(); p.Close(); return p }, VoiceUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if p := tc.player(); p != nil {
				f.deps.Audio = p
			}
			r, _ := loginAt(t, f.deps, ScreenAgentLogin, 120, 40)
			feed(r, tea.KeyMsg{Type: tea.KeyF6})
			if v := r.View(); !strings.Contains(v, tc.want) || strings.Contains(v, VoicePlaying) {
				t.Errorf("want %q on screen:\n%s", tc.want, v)
			}
			if p, ok := f.deps.Audio.(*silent.Player); ok && len(p.Played()) > 1 {
				t.Errorf("played %q", p.Played())
			}
		})
	}
}

// A late result about a replaced challenge does not claim to be playing.
func TestCaptchaVoiceStaleResultDropped(t *testing.T) {
	f := newFixture(t)
	f.deps.Audio = silent.New()
	r, l := loginAt(t, f.deps, ScreenEnterpriseLogin, 120, 40)
	_, cmd := r.Update(form.CaptchaSpeak{Form: EnterpriseLoginForm, Key: fieldCaptcha})
	late := collect(cmd) // the voiceResult, held back
	if _, ok := late[0].(voiceResult); len(late) != 1 || !ok {
		t.Fatalf("speak yielded %#v", late)
	}
	feed(r, form.CaptchaRefresh{Form: EnterpriseLoginForm, Key: fieldCaptcha})
	for _, m := range late {
		feed(r, m)
	}
	if l.captcha.status != "" {
		t.Errorf("stale voice result shown: %q", l.captcha.status)
	}
}

// The two alphabets must agree, or some challenges could not be spoken.
func TestCaptchaAlphabetSpeakable(t *testing.T) {
	if captcha.Alphabet != audio.CaptchaAlphabet {
		t.Fatalf("picture alphabet %q, voice alphabet %q", captcha.Alphabet, audio.CaptchaAlphabet)
	}
	for i := 0; i < 50; i++ {
		if _, ok := audio.CaptchaPrompt(captcha.Random()); !ok {
			t.Fatal("a random challenge cannot be spoken")
		}
	}
}
