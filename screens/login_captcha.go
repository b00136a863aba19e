package screens

import (
	"context"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model/captcha"
	"kiosk/screens/form"
	"kiosk/screens/widget"
)

// Sentences of the spoken captcha (听语音).
const (
	VoicePlaying     = "正在播放语音验证码，请注意收听"
	VoiceUnavailable = "语音不可用，请咨询工作人员"
	voiceMutedFmt    = "语音已静音，请按 %s 开启后再听"
)

// voiceStatusMin is how long a voice sentence stays at least; while a
// prompt plays it stays for the prompt's length.
const voiceStatusMin = 4 * time.Second

// captchaBox is the picture captcha of one form field: the live challenge
// (single use), its picture sized to the screen, and the spoken
// alternative with a short status sentence.
type captchaBox struct {
	a      *app
	form   *form.Form
	key    string
	ch     captcha.Challenge
	cols   int // picture budget in cells; 0 until the first SetSize
	rows   int
	status string
	// seq tags voice results and status timers: stale ones are dropped.
	seq int
	// after is tea.Tick; tests stub it.
	after func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// voiceResult is what starting the spoken captcha brought back.
type voiceResult struct {
	form   string
	seq    int
	muted  bool
	err    error
	length time.Duration // of the prompt, when known
}

// voiceStatusDone clears the status sentence it belongs to.
type voiceStatusDone struct {
	form string
	seq  int
}

func newCaptchaBox(a *app, f *form.Form, key string) *captchaBox {
	c := &captchaBox{a: a, form: f, key: key, after: tea.Tick}
	c.issue()
	return c
}

// issue replaces the challenge (the old one is forgotten) and forgets any
// voice sentence about the old one.
func (c *captchaBox) issue() {
	if c.ch.ID != "" {
		c.a.deps.Captcha.Discard(c.ch.ID)
	}
	c.ch = c.a.deps.Captcha.Issue()
	c.seq++
	c.status = ""
	c.render()
}

// verify checks an answer; the challenge is consumed whatever the outcome.
func (c *captchaBox) verify(answer string) bool {
	ok := c.a.deps.Captcha.Verify(c.ch.ID, answer)
	c.ch = captcha.Challenge{}
	return ok
}

// fit sizes the picture to maxCols×maxRows cells (never larger than the
// picture's own resolution).
func (c *captchaBox) fit(maxCols, maxRows int) {
	if maxCols != c.cols || maxRows != c.rows {
		c.cols, c.rows = maxCols, maxRows
		c.render()
	}
}

func (c *captchaBox) render() {
	cols, rows := c.cols, c.rows
	if cols <= 0 || rows <= 0 { // not sized yet: the picture's own size
		cols, rows = 1<<10, 1<<10
	}
	cols, rows = widget.CaptchaCells(c.ch.Image, cols, rows)
	c.form.SetCaptcha(c.key, widget.CaptchaPicture(c.ch.Image, cols, rows))
}

// pictureRows is the picture's current height in lines.
func (c *captchaBox) pictureRows() int {
	cols, rows := c.cols, c.rows
	if cols <= 0 || rows <= 0 {
		cols, rows = 1<<10, 1<<10
	}
	_, r := widget.CaptchaCells(c.ch.Image, cols, rows)
	return r
}

// nativeRows is the picture's height at its own resolution.
func (c *captchaBox) nativeRows() int {
	_, r := widget.CaptchaCells(c.ch.Image, 1<<10, 1<<10)
	return r
}

// update handles the captcha's own messages; ok is false for any other.
func (c *captchaBox) update(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	id := c.form.ID()
	switch msg := msg.(type) {
	case form.CaptchaRefresh:
		if msg.Form != id || msg.Key != c.key {
			return nil, false
		}
		var stop tea.Cmd
		if c.status == VoicePlaying {
			stop = c.stopVoice() // the old characters must not go on
		}
		c.issue()
		return stop, true
	case form.CaptchaSpeak:
		if msg.Form != id || msg.Key != c.key {
			return nil, false
		}
		return c.speak(), true
	case voiceResult:
		if msg.form != id {
			return nil, false
		}
		if msg.seq != c.seq {
			return nil, true // about a challenge or press since replaced
		}
		return c.voiceDone(msg), true
	case voiceStatusDone:
		if msg.form != id {
			return nil, false
		}
		if msg.seq == c.seq {
			c.status = ""
		}
		return nil, true
	}
	return nil, false
}

// speak plays the current challenge's characters in a command; the
// result comes back as a voiceResult.
func (c *captchaBox) speak() tea.Cmd {
	c.seq++
	player := c.a.deps.Audio
	prompt, ok := audio.CaptchaPrompt(c.ch.Text)
	if player == nil || !ok {
		if !ok { // the alphabets disagree: a defect, never the visitor's doing
			c.a.deps.Log.Error("captcha cannot be spoken", "len", len(c.ch.Text), "kiosk", c.a.deps.KioskID)
		}
		return c.setStatus(VoiceUnavailable, 0)
	}
	formID, seq := c.form.ID(), c.seq
	return func() tea.Msg {
		r := voiceResult{form: formID, seq: seq}
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
	}
}

func (c *captchaBox) voiceDone(r voiceResult) tea.Cmd {
	switch {
	case r.muted:
		return c.setStatus(fmt.Sprintf(voiceMutedFmt, c.a.keys.Mute.Help().Key), 0)
	case r.err != nil:
		c.a.logError("captcha voice", r.err)
		return c.setStatus(VoiceUnavailable, 0)
	}
	return c.setStatus(VoicePlaying, r.length)
}

// setStatus shows a sentence and clears it after d (at least
// voiceStatusMin) unless something newer replaced it.
func (c *captchaBox) setStatus(s string, d time.Duration) tea.Cmd {
	c.status = s
	formID, seq := c.form.ID(), c.seq
	return c.after(max(d+time.Second/2, voiceStatusMin), func(time.Time) tea.Msg {
		return voiceStatusDone{form: formID, seq: seq}
	})
}

func (c *captchaBox) stopVoice() tea.Cmd {
	player := c.a.deps.Audio
	if player == nil {
		return nil
	}
	return func() tea.Msg {
		player.Stop()
		return nil
	}
}

// statusView is the voice sentence line, or "" when there is none.
func (c *captchaBox) statusView() string {
	if c.status == "" {
		return ""
	}
	st := c.a.st.Muted
	if c.status != VoicePlaying {
		st = c.a.st.Error
	}
	return st.Render(c.status)
}
