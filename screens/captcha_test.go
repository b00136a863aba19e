package screens

import (
	"fmt"
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
	"kiosk/screens/kit"
	"kiosk/screens/login"
	"kiosk/screens/task"
	"kiosk/screens/widget"
)

// The picture captcha of the logins (kit.Captcha in a flow): its picture,
// 换一张 and the spoken alternative (听语音).

// loginAt opens a login screen on a fresh pure root (timers off).
func loginAt(t *testing.T, d Deps, to kit.Navigate, w, h int) (*Root, *kit.Captcha) {
	t.Helper()
	r := newRoot(t, d, w, h)
	feed(r, to)
	return r, captchaOf(t, r)
}

// pictureRows is how many lines of the challenge's picture the view
// shows: the tallest drawing of it (at the form's content width) whose
// lines all stand, one under the other, in the view.
func pictureRows(t *testing.T, r *Root, c *kit.Captcha) int {
	t.Helper()
	view := strings.Split(r.View(), "\n")
	img := c.Challenge().Image
	_, native := widget.CaptchaCells(img, 1<<10, 1<<10)
	for rows := native; rows > 0; rows-- {
		cols, rr := widget.CaptchaCells(img, formOf(t, r).ContentWidth(), rows)
		if rr != rows {
			continue
		}
		pic := strings.Split(widget.CaptchaPicture(img, cols, rows), "\n")
		for i := range view {
			if i+len(pic) > len(view) {
				break
			}
			all := true
			for j, l := range pic {
				all = all && strings.Contains(view[i+j], l)
			}
			if all {
				return rows
			}
		}
	}
	t.Fatalf("the picture is not on screen:\n%s", r.View())
	return 0
}

// The picture is the challenge's own image at its own resolution (one
// column per pixel, two pixel rows per line) on a kiosk-sized screen, and
// 换一张 draws the new challenge's picture. A production kiosk has no
// simulated phone beside the screen.
func TestCaptchaPictureShownAndRefreshed(t *testing.T) {
	f := newFixture(t)
	d := f.deps
	d.Phone = nil
	r, c := loginAt(t, d, toEnterpriseLogin, 120, 40)
	pic := func() string {
		return widget.CaptchaPicture(c.Challenge().Image, captcha.Width, captcha.Height/2)
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
	feed(r, form.CaptchaRefresh{Form: login.EnterpriseForm, Key: login.FieldCaptcha})
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

// On the smallest screen the picture keeps a legible size (issue 10) and
// the buttons stay; when every field shows an error the step scrolls
// rather than shrinking the picture further, and the captcha field, once
// focused, shows whole: its row, its picture and its error.
func TestCaptchaPictureFitsSmallScreen(t *testing.T) {
	f := newFixture(t)
	r, c := loginAt(t, f.deps, toAgentLogin, 80, 24)
	calm := pictureRows(t, r, c)
	if calm < widget.CaptchaMinRows {
		t.Errorf("picture rows at 80×24: %d", calm)
	}
	if v := r.View(); !strings.Contains(v, "登录 ]") && !strings.Contains(v, "【登录】") {
		t.Fatalf("buttons pushed off:\n%s", v)
	}
	feed(r, tea.KeyMsg{Type: tea.KeyShiftTab})
	feed(r, tea.KeyMsg{Type: tea.KeyShiftTab})
	feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // every field in error
	if v := r.View(); !strings.Contains(v, "返回") || !strings.Contains(v, "▼") {
		t.Fatalf("buttons or the scroll marker missing:\n%s", v)
	}
	formOf(t, r).Focus(login.FieldCaptcha)
	v := r.View()
	if !strings.Contains(v, "请输入图片验证码") || !strings.Contains(v, "> * 图片验证码") {
		t.Fatalf("the focused captcha field is not whole:\n%s", v)
	}
	if rows := pictureRows(t, r, c); rows < widget.CaptchaMinRows {
		t.Errorf("picture shrunk to %d rows", rows)
	}
	for _, line := range strings.Split(v, "\n") {
		if w := lipgloss.Width(line); w > 80 {
			t.Errorf("line wider than the screen: %q", line)
		}
	}
}

// 听语音 plays the current challenge through the audio device, from a
// command, and says so on screen; the sentence goes when its timer fires
// on the kiosk's clock.
func TestCaptchaSpeakPlaysCurrentChallenge(t *testing.T) {
	f := newFixture(t)
	p := silent.New()
	f.deps.Audio = p
	r := timedRoot(t, f.deps, f.clock, 120, 40)
	feed(r, toEnterpriseLogin) // no timer on the way
	p.Reset()
	run := newPump(t, r)

	_, cmd := r.Update(tea.KeyMsg{Type: tea.KeyF6})
	if len(p.Requests()) != 0 {
		t.Fatal("Update played by itself; playing belongs in a command")
	}
	run.run(cmd)
	for !strings.Contains(r.View(), zh(kit.VoicePlaying)) {
		run.next()
	}
	want, ok := audio.CaptchaPrompt(captchaText)
	if !ok {
		t.Fatal("test captcha cannot be spoken")
	}
	if got := p.Played(); !slices.Equal(got, []string{want}) {
		t.Fatalf("played %q, want %q", got, want)
	}
	f.clock.Add(30 * time.Second) // longer than any spoken captcha
	for strings.Contains(r.View(), zh(kit.VoicePlaying)) {
		run.next()
	}

	// After 换一张 the new challenge is spoken, not the old one.
	run.send(form.CaptchaRefresh{Form: login.EnterpriseForm, Key: login.FieldCaptcha})
	p.Reset()
	run.send(form.CaptchaSpeak{Form: login.EnterpriseForm, Key: login.FieldCaptcha})
	for !strings.Contains(r.View(), zh(kit.VoicePlaying)) {
		run.next()
	}
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
	k.click(form.SpeakZone(login.EnterpriseForm, login.FieldCaptcha))
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
		{"no device", func() audio.Player { return nil }, zh(kit.VoiceUnavailable)},
		{"muted", func() audio.Player { p := silent.New(); p.SetMuted(true); return p }, "语音已静音，请按 F8 开启后再听"},
		{"failing", func() audio.Player { p := silent.New(); p.Close(); return p }, zh(kit.VoiceUnavailable)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if p := tc.player(); p != nil {
				f.deps.Audio = p
			}
			r, _ := loginAt(t, f.deps, toAgentLogin, 120, 40)
			feed(r, tea.KeyMsg{Type: tea.KeyF6})
			if v := r.View(); !strings.Contains(v, tc.want) || strings.Contains(v, zh(kit.VoicePlaying)) {
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
	r, c := loginAt(t, f.deps, toEnterpriseLogin, 120, 40)
	_, cmd := r.Update(form.CaptchaSpeak{Form: login.EnterpriseForm, Key: login.FieldCaptcha})
	late := collect(cmd) // the voice result, held back
	if d, ok := late[0].(task.Delivery); len(late) != 1 || !ok || d.Slot() == "" {
		t.Fatalf("speak yielded %#v", late)
	}
	feed(r, form.CaptchaRefresh{Form: login.EnterpriseForm, Key: login.FieldCaptcha})
	for _, m := range late {
		feed(r, m)
	}
	if c.Status() != "" {
		t.Errorf("stale voice result shown: %q", c.Status())
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

// 账号激活 at the smallest screen (issue 10): the captcha field, reached by
// keys, shows its picture at least widget.CaptchaMinRows rows tall, whole
// under its row; the step scrolls instead. The same at 120×40.
func TestCaptchaPictureLegibleAtEverySize(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			f := newFixture(t)
			k := startKioskAt(t, f.deps, sz[0], sz[1])
			k.openActivate()
			for range 9 { // 法人类型 … 结束日期, then 图片验证码
				k.key(tea.KeyTab)
			}
			row := "> * " + zh("field.captcha")
			k.waitFor(row)
			r := k.finish()
			if id := formOf(t, r).Focused(); id != "captcha" {
				t.Fatalf("focus on %q", id)
			}
			lines := strings.Split(r.View(), "\n")
			at := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, row) })
			if at < 0 {
				t.Fatalf("the captcha row is not on screen:\n%s", r.View())
			}
			// The picture: the lines under the row that hold block
			// characters (Ascii profile in tests: ink only, no colour).
			rows := 0
			for _, l := range lines[at+1:] {
				if !strings.ContainsAny(l, "▀▄█") {
					break
				}
				rows++
			}
			if rows < widget.CaptchaMinRows {
				t.Errorf("picture of %d rows at %dx%d, want at least %d:\n%s", rows, sz[0], sz[1], widget.CaptchaMinRows, r.View())
			}
		})
	}
}
