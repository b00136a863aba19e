package screens

import (
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/devices/audio/silent"
	"kiosk/model/captcha"
	"kiosk/model/clocktest"
	"kiosk/model/i18n"
	"kiosk/screens/center"
	"kiosk/screens/kit"
	"kiosk/screens/login"
	"kiosk/screens/route"
)

// waitPrompt waits until the player was asked for id at or after request
// index from, and returns that request's index and record.
func waitPrompt(t *testing.T, p *silent.Player, from int, id string) (int, silent.Request) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		reqs := p.Requests()
		for i := from; i < len(reqs); i++ {
			if reqs[i].Prompt == id {
				return i, reqs[i]
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("prompt %q not requested after #%d; requests %+v", id, from, reqs)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// onlyFixedClips: every request names catalogue clips, so nothing typed
// (a number, a name) can ever be spoken.
func onlyFixedClips(t *testing.T, p *silent.Player) {
	t.Helper()
	known := audio.Clips()
	for _, r := range p.Requests() {
		if !slices.Contains(known, r.Prompt) {
			t.Errorf("requested %q, not a catalogue clip", r.Prompt)
		}
	}
}

// TestJourneyVoice drives the real root: each screen's prompt on entry, the
// error prompt of a wrong password, logout, and F8 muting the device while
// later prompts are still requested (and so stay silent).
func TestJourneyVoice(t *testing.T) {
	f := newFixture(t)
	p := silent.New()
	d := f.deps
	d.Audio = p
	k := startKiosk(t, d)
	i, _ := waitPrompt(t, p, 0, audio.PromptHome)

	k.openEnterpriseLogin()
	i, _ = waitPrompt(t, p, i+1, audio.PromptLoginEnterprise)
	k.enterpriseAttempt(entAccount, "Wrong#pass1")
	k.waitFor("账号或密码错误")
	i, _ = waitPrompt(t, p, i+1, audio.PromptErrorLogin)

	k.enterpriseAttempt("", entPassword)
	k.waitFor("修改手机号码")
	i, _ = waitPrompt(t, p, i+1, audio.PromptCenterEnterprise)
	k.click(center.Logout)
	k.waitFor("欢迎使用单位服务自助终端")
	i, _ = waitPrompt(t, p, i+1, audio.PromptLogout)

	k.key(tea.KeyF8)
	k.waitFor("已静音")
	for deadline := time.Now().Add(waitTimeout); !p.Muted(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("F8 did not mute the device")
		}
	}
	k.openEnterpriseLogin()
	i, req := waitPrompt(t, p, i+1, audio.PromptLoginEnterprise)
	if !req.Muted {
		t.Errorf("prompt after F8 not muted: %+v", req)
	}
	k.key(tea.KeyF8)
	_, req = waitPrompt(t, p, i+1, audio.PromptVoiceOn)
	r := k.finish()
	if req.Muted || p.Muted() || r.muted {
		t.Errorf("unmute: request %+v, device muted %v, header muted %v", req, p.Muted(), r.muted)
	}
	n := 0
	for _, id := range p.Played() {
		if id == audio.PromptLoginEnterprise {
			n++
		}
	}
	if n != 1 {
		t.Errorf("login_enterprise heard %d times, want once (the second was muted): %v", n, p.Played())
	}
	onlyFixedClips(t, p)
}

// TestJourneyIdleWarningPrompt: the countdown says it is about to go home;
// the return itself is silent (nobody is there).
func TestJourneyIdleWarningPrompt(t *testing.T) {
	f := newFixture(t)
	p := silent.New()
	d := f.deps
	d.Audio = p
	k := startKiosk(t, d)
	k.openEnterpriseLogin()
	i, _ := waitPrompt(t, p, 0, audio.PromptLoginEnterprise)
	k.idle(f.clock, "长时间无操作，将在")
	waitPrompt(t, p, i+1, audio.PromptIdleWarning)
	k.idle(f.clock, "欢迎使用单位服务自助终端")
	r := k.finish()
	if r.Current() != route.Home.ID() {
		t.Fatalf("at %s", r.Current())
	}
	reqs := p.Requests()
	if last := reqs[len(reqs)-1].Prompt; last != audio.PromptIdleWarning {
		t.Errorf("after the idle return the last prompt is %q: %+v", last, reqs)
	}
}

// voiceRoot is a pure root with a silent player.
func voiceRoot(t *testing.T, d Deps) (*Root, *silent.Player) {
	t.Helper()
	p := silent.New()
	d.Audio = p
	return newRoot(t, d, 120, 40), p
}

func lastPrompt(p *silent.Player) string {
	reqs := p.Requests()
	if len(reqs) == 0 {
		return ""
	}
	return reqs[len(reqs)-1].Prompt
}

func TestEveryRoutePromptIsAClip(t *testing.T) {
	// Read-only pages with no clip of their own keep the last prompt.
	silent := map[kit.RouteID]bool{route.ComingSoon.ID(): true, "about": true}
	for _, e := range routes() {
		id, prompt := e.ID(), e.EntryPrompt()
		if prompt == "" {
			if !silent[id] {
				t.Errorf("%s has no voice prompt", id)
			}
			continue
		}
		if err := audio.Validate(prompt); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
}

func TestPromptOnEntryAndBack(t *testing.T) {
	r, p := voiceRoot(t, Deps{})
	collect(r.Init()) // runs the home prompt (the idle timer is off)
	if got := lastPrompt(p); got != audio.PromptHome {
		t.Fatalf("Init played %q", got)
	}
	for _, tc := range []struct {
		msg  tea.Msg
		want string
	}{
		{toEnterpriseLogin, audio.PromptLoginEnterprise},
		{kit.Back{}, audio.PromptHome},
		{toAgentLogin, audio.PromptLoginAgent},
		{toComingSoon("home.register"), audio.PromptLoginAgent}, // no clip: the last one stands
		{toEnterpriseCenter, audio.PromptHome},                  // no session: home instead
	} {
		feed(r, tc.msg)
		if got := lastPrompt(p); got != tc.want {
			t.Errorf("%#v: last prompt %q, want %q", tc.msg, got, tc.want)
		}
	}
}

func TestFormErrorsPlayPrompts(t *testing.T) {
	clock := clocktest.New(testNow)
	r, p := voiceRoot(t, Deps{Clock: clock, Captcha: captcha.New(clock, func() string { return captchaText })})
	feed(r, toEnterpriseLogin)
	// An empty form submitted from 登录: validation fails.
	feed(r, tea.KeyMsg{Type: tea.KeyShiftTab})
	feed(r, tea.KeyMsg{Type: tea.KeyShiftTab})
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if got := lastPrompt(p); got != audio.PromptErrorInput {
		t.Fatalf("empty submit played %q", got)
	}
	// A wrong captcha.
	fm := formOf(t, r)
	fm.SetValue(login.FieldIdentifier, entAccount)
	fm.SetValue(login.FieldPassword, entPassword)
	fm.SetValue(login.FieldCaptcha, "3333")
	fm.Focus(login.FieldCaptcha)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if got := lastPrompt(p); got != audio.PromptErrorCaptcha || fm.Error(login.FieldCaptcha) == "" {
		t.Fatalf("wrong captcha played %q (error %q)", got, fm.Error(login.FieldCaptcha))
	}
}

// submitLogin answers the enterprise login on a pure root (the identifier
// kept when id is empty) and runs the login through the fixture's use case.
func submitLogin(t *testing.T, r *Root, id, password string) {
	t.Helper()
	fm := formOf(t, r)
	if id != "" {
		fm.SetValue(login.FieldIdentifier, id)
	}
	fm.SetValue(login.FieldPassword, password)
	fm.SetValue(login.FieldCaptcha, captchaText)
	fm.Focus(login.FieldCaptcha)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
}

// TestLoginErrorsPlayPrompts: real failing logins through the fixture say
// why: a wrong password, then the lock it ends in.
func TestLoginErrorsPlayPrompts(t *testing.T) {
	f := newFixture(t)
	r, p := voiceRoot(t, f.deps)
	feed(r, toEnterpriseLogin)
	submitLogin(t, r, entAccount, "Wrong#2024")
	if v := r.View(); !strings.Contains(v, "账号或密码错误") {
		t.Fatalf("no refusal:\n%s", v)
	}
	if got := lastPrompt(p); got != audio.PromptErrorLogin {
		t.Errorf("bad credentials: played %q, want %q", got, audio.PromptErrorLogin)
	}
	for i := 2; !strings.Contains(r.View(), "账号已锁定"); i++ {
		if i > 10 {
			t.Fatalf("never locked:\n%s", r.View())
		}
		submitLogin(t, r, "", "Wrong#2024")
	}
	if got := lastPrompt(p); got != audio.PromptLocked {
		t.Errorf("locked: played %q, want %q", got, audio.PromptLocked)
	}
	// An unexpected error reported by any screen goes through ErrMsg.
	feed(r, kit.ErrMsg{Err: errors.New("disk on fire")})
	if got := lastPrompt(p); got != audio.PromptDeviceError {
		t.Errorf("ErrMsg played %q", got)
	}
}

func TestMuteKeyDrivesTheDevice(t *testing.T) {
	r, p := voiceRoot(t, Deps{})
	feed(r, tea.KeyMsg{Type: tea.KeyF8})
	if !p.Muted() || !r.muted {
		t.Fatalf("F8: device muted %v, header %v", p.Muted(), r.muted)
	}
	feed(r, toAgentLogin)
	if reqs := p.Requests(); len(reqs) != 1 || !reqs[0].Muted || reqs[0].Prompt != audio.PromptLoginAgent {
		t.Fatalf("muted entry: %+v", reqs)
	}
	feed(r, tea.KeyMsg{Type: tea.KeyF8})
	if p.Muted() || lastPrompt(p) != audio.PromptVoiceOn || p.Playing() != audio.PromptVoiceOn {
		t.Fatalf("unmute: muted %v, last %q", p.Muted(), lastPrompt(p))
	}
	// A device muted before the kiosk starts shows so at once.
	q := silent.New()
	q.SetMuted(true)
	r = New(Deps{Audio: q})
	defer r.Close()
	if !r.muted {
		t.Error("a muted device not shown as muted")
	}
}

// Commands may start in any order; the voice applies only the newest.
func TestVoiceKeepsOrder(t *testing.T) {
	p := silent.New()
	v := &voice{player: p, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	older, newer := v.play(audio.PromptHome), v.play(audio.PromptLoginAgent)
	newer()
	older()
	if got := p.Requests(); len(got) != 1 || got[0].Prompt != audio.PromptLoginAgent {
		t.Errorf("late prompt cut off the newer one: %+v", got)
	}
	mute, unmute := v.setMuted(true), v.setMuted(false)
	unmute()
	mute()
	if p.Muted() {
		t.Error("a late mute undid the newer unmute")
	}
	if (&voice{}).play(audio.PromptHome) != nil || (&voice{}).setMuted(true) != nil {
		t.Error("without a device the voice issues commands")
	}
	// An unknown prompt is logged, not fatal.
	if msg := v.play("no_such_prompt")(); msg != nil {
		t.Errorf("play returned %#v", msg)
	}
}

func BenchmarkVoicePlay(b *testing.B) {
	p := silent.New()
	v := &voice{player: p, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for b.Loop() {
		v.play(audio.PromptHome)()
		if len(p.Requests()) > 1000 {
			p.Reset()
		}
	}
}

// TestJourneyVoiceInTheLanguageOfTheVisit: prompts are heard in English
// in an English visit; a Korean visit hears Mandarin (espeak-ng's ko voice
// failed the measure, docs/voice.md) and the footer says so.
func TestJourneyVoiceInTheLanguageOfTheVisit(t *testing.T) {
	f := newFixture(t)
	p := silent.New()
	d := f.deps
	d.Audio = p
	k := startKiosk(t, d)
	i, _ := waitPrompt(t, p, 0, audio.PromptHome)
	note := tr(i18n.Korean, audio.MandarinOnly)
	k.chooseLang(i18n.English) // 中文 → 조선어 → EN: the home prompt again each time
	en, _ := audio.ClipFor(audio.PromptHome, i18n.English)
	if en == audio.PromptHome {
		t.Fatal("no English clip of the home prompt")
	}
	i, _ = waitPrompt(t, p, i+1, en)
	k.openEnterpriseLogin()
	enLogin, _ := audio.ClipFor(audio.PromptLoginEnterprise, i18n.English)
	i, _ = waitPrompt(t, p, i+1, enLogin)
	k.key(tea.KeyF3) // → 中文
	k.key(tea.KeyF3) // → 조선어: the Mandarin clip, and the footer says why
	k.waitFor(note)
	waitPrompt(t, p, i+1, audio.PromptLoginEnterprise)
	r := k.finish()
	if strings.Contains(r.View(), tr(i18n.English, audio.MandarinOnly)) {
		t.Error("the English note in a Korean visit")
	}
	onlyFixedClips(t, p)
}

// Without an audio device there is nothing to say about the voice.
func TestNoVoiceNoteWithoutAudio(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.chooseLang(i18n.Korean)
	if v := k.finish().View(); strings.Contains(v, tr(i18n.Korean, audio.MandarinOnly)) {
		t.Errorf("voice note without a voice:\n%s", v)
	}
}
