package kit

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/screens/form"
)

// Sentences of the spoken captcha (听语音): catalog ids.
const (
	VoicePlaying     = "captcha.voice_playing"
	VoiceUnavailable = "captcha.voice_unavailable"
	voiceMuted       = "captcha.voice_muted"
)

// CaptchaWrong is the sentence of a wrong or expired picture captcha.
var CaptchaWrong = i18n.T("captcha.wrong")

// voiceStatusMin is how long a voice sentence stays at least; while a
// prompt plays it stays for the prompt's length.
const voiceStatusMin = 4 * time.Second

// playTimeout bounds starting a prompt; playback itself runs on.
const playTimeout = 2 * time.Second

// Captcha is the live picture captcha of one form field: the challenge
// (single use: every check consumes it and a new one is drawn), 换一张, and
// the spoken alternative with a short status sentence. Its voice work runs
// in slots of the visit, so a result about a replaced challenge is never
// delivered.
type Captcha struct {
	a      *App
	form   *form.Form
	key    string
	ch     captcha.Challenge
	status i18n.Text
}

// Messages of the captcha's slots.
type (
	voiceResult struct {
		form   string
		muted  bool
		err    error
		length time.Duration // of the prompt, when known
	}
	voiceStatusDone struct{ form string }
)

// NewCaptcha binds a captcha to the field key of f and draws a challenge.
func NewCaptcha(a *App, f *form.Form, key string) *Captcha {
	c := &Captcha{a: a, form: f, key: key}
	c.Issue()
	return c
}

func (c *Captcha) voiceSlot() string  { return "captcha:" + c.form.ID() + ":" + c.key + ":voice" }
func (c *Captcha) statusSlot() string { return "captcha:" + c.form.ID() + ":" + c.key + ":status" }

// Key is the field the captcha answers.
func (c *Captcha) Key() string { return c.key }

// Challenge is the live challenge (tests read its picture).
func (c *Captcha) Challenge() captcha.Challenge { return c.ch }

// Issue replaces the challenge (the old one is forgotten) and forgets any
// voice sentence about the old one.
func (c *Captcha) Issue() {
	if c.ch.ID != "" {
		c.a.Deps.Captcha.Discard(c.ch.ID)
	}
	c.ch = c.a.Deps.Captcha.Issue()
	c.a.Drop(c.voiceSlot())
	c.a.Drop(c.statusSlot())
	c.status = i18n.Text{}
	c.form.SetPicture(c.key, c.ch.Image)
}

// Verify checks an answer. The challenge is consumed whatever the outcome
// and a new one is drawn.
func (c *Captcha) Verify(answer string) bool {
	_, ok := c.Pass(answer)
	return ok
}

// Pass checks an answer like Verify and, when it is right, returns the
// pass the SMS code use cases take (captcha.Pass).
func (c *Captcha) Pass(answer string) (captcha.Pass, bool) {
	p, ok := c.a.Deps.Captcha.Answer(c.ch.ID, answer)
	c.ch = captcha.Challenge{}
	c.Issue()
	return p, ok
}

// Settle checks an answer that gates the SMS code of its page: a right
// one leaves the (consumed) picture and the answer on show, the page's
// captcha being done for the visit; a wrong one draws a new picture.
func (c *Captcha) Settle(answer string) (captcha.Pass, bool) {
	p, ok := c.a.Deps.Captcha.Answer(c.ch.ID, answer)
	if !ok {
		c.ch = captcha.Challenge{}
		c.Issue()
	}
	return p, ok
}

// Discard forgets the challenge (the visit ends).
func (c *Captcha) Discard() {
	if c.ch.ID != "" {
		c.a.Deps.Captcha.Discard(c.ch.ID)
		c.ch = captcha.Challenge{}
	}
}

// Update handles the captcha's own messages; ok is false for any other.
func (c *Captcha) Update(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	id := c.form.ID()
	switch msg := msg.(type) {
	case form.CaptchaRefresh:
		if msg.Form != id || msg.Key != c.key {
			return nil, false
		}
		playing := c.status.ID == VoicePlaying
		c.Issue()
		if playing {
			return c.stopVoice(), true // the old characters must not go on
		}
		return nil, true
	case form.CaptchaSpeak:
		if msg.Form != id || msg.Key != c.key {
			return nil, false
		}
		return c.speak(), true
	case voiceResult:
		if msg.form != id {
			return nil, false
		}
		return c.voiceDone(msg), true
	case voiceStatusDone:
		if msg.form != id {
			return nil, false
		}
		c.status = i18n.Text{}
		return nil, true
	}
	return nil, false
}

// speak plays the current challenge's characters in a command.
func (c *Captcha) speak() tea.Cmd {
	player := c.a.Deps.Audio
	prompt, ok := audio.CaptchaPrompt(c.ch.Text)
	if player == nil || !ok {
		if !ok { // the alphabets disagree: a defect, never the visitor's doing
			c.a.Deps.Log.Error("captcha cannot be spoken", "len", len(c.ch.Text), "kiosk", c.a.Deps.KioskID)
		}
		return c.setStatus(i18n.T(VoiceUnavailable), 0)
	}
	prompt, _ = audio.ClipFor(prompt, c.a.Lang()) // in the visit's language where it has a voice
	formID := c.form.ID()
	return c.a.In(c.voiceSlot(), func(context.Context) tea.Msg {
		r := voiceResult{form: formID}
		if player.Muted() {
			r.muted = true
			return r
		}
		ctx, cancel := context.WithTimeout(context.Background(), playTimeout)
		defer cancel()
		if r.err = player.Play(ctx, prompt); r.err == nil {
			if clip, err := audio.Load(prompt); err == nil {
				r.length = clip.Duration()
			}
		}
		return r
	})
}

func (c *Captcha) voiceDone(r voiceResult) tea.Cmd {
	switch {
	case r.muted:
		return c.setStatus(i18n.T(voiceMuted, "Key", c.a.Keys.Mute.Help().Key), 0)
	case r.err != nil:
		c.a.LogError("captcha voice", r.err)
		return c.setStatus(i18n.T(VoiceUnavailable), 0)
	}
	return c.setStatus(i18n.T(VoicePlaying), r.length)
}

// setStatus shows a sentence and clears it after d (at least
// voiceStatusMin) unless something newer replaced it.
func (c *Captcha) setStatus(s i18n.Text, d time.Duration) tea.Cmd {
	c.status = s
	return c.a.After(c.statusSlot(), max(d+time.Second/2, voiceStatusMin), voiceStatusDone{form: c.form.ID()})
}

func (c *Captcha) stopVoice() tea.Cmd {
	player := c.a.Deps.Audio
	if player == nil {
		return nil
	}
	return func() tea.Msg {
		player.Stop()
		return nil
	}
}

// Status is the voice sentence, rendered ("" for none).
func (c *Captcha) Status() string { return c.a.T(c.status) }

// StatusView is the voice sentence line, or "" when there is none.
func (c *Captcha) StatusView() string {
	if c.status.IsZero() {
		return ""
	}
	st := c.a.St.Muted
	if c.status.ID != VoicePlaying {
		st = c.a.St.Error
	}
	return st.Render(c.a.T(c.status))
}
