package screens

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/devices/audio/silent"
	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/model/rules"
	"kiosk/model/smscode"
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
	known := audio.Prompts()
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
	k.waitFor("统一社会信用代码")
	i, _ = waitPrompt(t, p, i+1, audio.PromptCenterEnterprise)
	k.click(CenterLogout)
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
	t.Parallel() // mostly waiting for the idle timers
	f := newFixture(t)
	p := silent.New()
	d := idleDeps(f)
	d.Audio = p
	k := startKiosk(t, d)
	k.openEnterpriseLogin()
	i, _ := waitPrompt(t, p, 0, audio.PromptLoginEnterprise)
	k.waitFor("长时间无操作，将在")
	waitPrompt(t, p, i+1, audio.PromptIdleWarning)
	k.waitFor("欢迎使用单位服务自助终端")
	r := k.finish()
	if r.Current() != ScreenHome {
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
	for id, rt := range routes() {
		if rt.prompt == "" {
			if id != ScreenComingSoon {
				t.Errorf("%s has no voice prompt", id)
			}
			continue
		}
		if err := audio.Validate(rt.prompt); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
}

func TestPromptOnEntryAndBack(t *testing.T) {
	r, p := voiceRoot(t, Deps{})
	collect(r.Init()) // runs the home prompt (the idle tick is stubbed)
	if got := lastPrompt(p); got != audio.PromptHome {
		t.Fatalf("Init played %q", got)
	}
	for _, tc := range []struct {
		msg  tea.Msg
		want string
	}{
		{Navigate{To: ScreenEnterpriseLogin}, audio.PromptLoginEnterprise},
		{Back{}, audio.PromptHome},
		{Navigate{To: ScreenAgentLogin}, audio.PromptLoginAgent},
		{Navigate{To: ScreenComingSoon, Params: "立即注册"}, audio.PromptLoginAgent}, // no clip: the last one stands
		{Navigate{To: ScreenEnterpriseCenter}, audio.PromptHome},                 // no session: home instead
	} {
		feed(r, tc.msg)
		if got := lastPrompt(p); got != tc.want {
			t.Errorf("%#v: last prompt %q, want %q", tc.msg, got, tc.want)
		}
	}
}

func TestFormErrorsPlayPrompts(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 3, 10, 10, 0, 0, 0, cst)}
	r, p := voiceRoot(t, Deps{Clock: clock, Captcha: captcha.New(clock, func() string { return captchaText })})
	feed(r, Navigate{To: ScreenEnterpriseLogin})
	// An empty form submitted from 登录: validation fails.
	feed(r, tea.KeyMsg{Type: tea.KeyShiftTab})
	feed(r, tea.KeyMsg{Type: tea.KeyShiftTab})
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if got := lastPrompt(p); got != audio.PromptErrorInput {
		t.Fatalf("empty submit played %q", got)
	}
	// A wrong captcha.
	fm := loginForm(t, r)
	fm.SetValue(fieldIdentifier, entAccount)
	fm.SetValue(fieldPassword, entPassword)
	fm.SetValue(fieldCaptcha, "3333")
	fm.Focus(fieldCaptcha)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if got := lastPrompt(p); got != audio.PromptErrorCaptcha || fm.Error(fieldCaptcha) == "" {
		t.Fatalf("wrong captcha played %q (error %q)", got, fm.Error(fieldCaptcha))
	}
}

func TestLoginErrorsPlayPrompts(t *testing.T) {
	r, p := voiceRoot(t, Deps{})
	feed(r, Navigate{To: ScreenEnterpriseLogin})
	for _, tc := range []struct {
		err  error
		want string
	}{
		{model.ErrBadCredentials, audio.PromptErrorLogin},
		{&model.LockedError{Until: time.Now().Add(time.Hour)}, audio.PromptLocked},
	} {
		feed(r, loginResult{form: EnterpriseLoginForm, err: tc.err})
		if got := lastPrompt(p); got != tc.want {
			t.Errorf("%v: played %q, want %q", tc.err, got, tc.want)
		}
	}
	// An unexpected error reported by any screen goes through ErrMsg.
	feed(r, ErrMsg{Err: errors.New("disk on fire")})
	if got := lastPrompt(p); got != audio.PromptDeviceError {
		t.Errorf("ErrMsg played %q", got)
	}
}

func TestErrorPrompt(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{context.Canceled, ""},
		{model.ErrBadCredentials, audio.PromptErrorLogin},
		{fmt.Errorf("login: %w", model.ErrAgentBadCredentials), audio.PromptErrorLogin},
		{&model.LockedError{}, audio.PromptLocked},
		{&smscode.TooSoonError{Wait: time.Second}, audio.PromptErrorRate},
		{smscode.ErrDayLimit, audio.PromptErrorRate},
		{smscode.ErrKioskLimit, audio.PromptErrorRate},
		{&smscode.WrongCodeError{Left: 2}, audio.PromptErrorSMS},
		{smscode.ErrExpired, audio.PromptErrorSMS},
		{smscode.ErrNoCode, audio.PromptErrorSMS},
		{smscode.ErrCodeFormat, audio.PromptErrorInput},
		{&rules.Error{Code: "mobile_format", Message: "手机号码格式不正确"}, audio.PromptErrorInput},
		{&rules.Error{Code: rules.CodeExpired, Message: "证件已过期"}, audio.PromptErrorExpired},
		{&model.DomainError{Code: rules.CodeExpired, Msg: "证件已过期"}, audio.PromptErrorExpired},
		{model.ErrPendingActivation, ""},
		{model.ErrAccountClosed, ""},
		{&model.AgentStateError{State: model.AgentExpired}, ""},
		{model.ErrUnavailable, audio.PromptDeviceError},
		{context.DeadlineExceeded, audio.PromptDeviceError},
		{errors.New("bolt: database not open"), audio.PromptDeviceError},
	} {
		if got := ErrorPrompt(tc.err); got != tc.want {
			t.Errorf("ErrorPrompt(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestMuteKeyDrivesTheDevice(t *testing.T) {
	r, p := voiceRoot(t, Deps{})
	feed(r, tea.KeyMsg{Type: tea.KeyF8})
	if !p.Muted() || !r.muted {
		t.Fatalf("F8: device muted %v, header %v", p.Muted(), r.muted)
	}
	feed(r, Navigate{To: ScreenAgentLogin})
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
