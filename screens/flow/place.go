package flow

import (
	"context"
	"errors"
	"math"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/smscode"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// Place puts a use case's refusal on a form: each message of an
// *account.FieldErrors next to its field (switching to the field's page;
// account.FieldForm and keys the form lacks go above the buttons), any
// other error above the buttons as its sentence (kit.Explain, which logs a
// failure that is not a refusal under what). A store that cannot be
// reached goes above the buttons too, whatever field a use case put it on:
// it is no fault of the input (and Explain notes it for the root).
func Place(a *kit.App, f *form.Form, what string, err error) {
	all := fieldErrorsIn(err)
	if len(all) == 0 || errors.Is(err, model.ErrServiceDown) {
		f.SetFormError(a.Explain(what, err))
		return
	}
	errs := map[string]i18n.Text{}
	formMsg := i18n.Text{}
	for _, fe := range all {
		for _, k := range fe.Keys() {
			if f.Field(k) != nil && k != account.FieldForm {
				if _, dup := errs[k]; !dup {
					errs[k] = fe.Fields[k]
				}
			} else if formMsg.IsZero() {
				formMsg = fe.Fields[k]
			}
		}
	}
	f.SetFormError(formMsg)
	f.SetErrors(errs)
}

// fieldErrorsIn finds the *account.FieldErrors in err, through wrapping
// and errors.Join (a step may run two checks and show both).
func fieldErrorsIn(err error) []*account.FieldErrors {
	switch e := err.(type) {
	case nil:
		return nil
	case *account.FieldErrors:
		return []*account.FieldErrors{e}
	case interface{ Unwrap() []error }:
		var out []*account.FieldErrors
		for _, c := range e.Unwrap() {
			out = append(out, fieldErrorsIn(c)...)
		}
		return out
	case interface{ Unwrap() error }:
		return fieldErrorsIn(e.Unwrap())
	}
	return nil
}

// codeSent is the outcome of a 获取验证码 press.
type codeSent struct {
	key    string
	masked string    // 138****5678, for the note
	next   time.Time // when the button may be pressed again
	err    error
}

// send runs the page's Send in a slot of the visit and wakes the outbox
// worker once the message is queued. Without a live pass of the flow the
// page's captcha is answered first (on the event loop, like 下一步's): a
// wrong answer sends nothing.
func (h *Host[S]) send(m form.SMSRequested) tea.Cmd {
	st := h.def.Steps[h.stepOf[h.form.Step()]]
	if st.Send == nil {
		return nil
	}
	if !h.passLive() {
		if cmd, ok := h.settleCaptcha(m.Values); !ok {
			return cmd
		}
	}
	s := st.Send(&h.st, m.Values)
	outbox, key, pass := h.a.Deps.Outbox, m.Key, h.pass
	return h.a.In("flow:"+h.def.ID+":sms:"+key, func(ctx context.Context) tea.Msg {
		next, err := s.Do(ctx, pass)
		if err == nil && outbox != nil {
			outbox.Kick()
		}
		return codeSent{key: key, masked: s.Masked, next: next, err: err}
	})
}

// passLive reports whether the flow holds a pass that has not expired.
func (h *Host[S]) passLive() bool { return !h.pass.IsZero() && h.a.Now().Before(h.pass.Expires()) }

// settleCaptcha answers the current page's SMS captcha, if it has one: a
// right answer becomes the flow's pass, noted beside the field; a wrong or
// empty one is said beside it and nothing is sent (ok false).
func (h *Host[S]) settleCaptcha(v form.Values) (tea.Cmd, bool) {
	f := h.form
	for k, c := range h.captchas {
		if h.capPage[k] != f.Step() || !h.capSMS[k] {
			continue
		}
		answer := v.Text(k)
		if answer == "" {
			f.SetErrors(map[string]i18n.Text{k: smscode.ErrCaptchaRequired.Msg})
			return kit.Play(audio.PromptErrorCaptcha), false
		}
		p, ok := c.Settle(answer)
		if !ok {
			f.SetNote(k, i18n.Text{})
			f.SetErrors(map[string]i18n.Text{k: kit.CaptchaWrong})
			return kit.Play(audio.PromptErrorCaptcha), false
		}
		h.pass = p
		f.SetError(k, i18n.Text{})
		f.SetNote(k, i18n.T("flow.captcha_passed"))
	}
	return nil, true // no captcha here: the use case judges the pass
}

// captchaAgain answers smscode.ErrCaptchaRequired: the pass is dropped
// and a captcha of the flow (the page's own, else the first one's, e.g.
// step 1 of 忘记密码) gets a new picture and the sentence.
func (h *Host[S]) captchaAgain(err error) tea.Cmd {
	h.pass = captcha.Pass{}
	f := h.form
	key := ""
	for k := range h.captchas {
		if h.capPage[k] == f.Step() {
			key = k
		}
	}
	if key == "" {
		for k := range h.captchas {
			if key == "" || h.capPage[k] < h.capPage[key] {
				key = k
			}
		}
	}
	if key == "" {
		return nil
	}
	h.captchas[key].Issue()
	f.SetNote(key, i18n.Text{})
	moved := f.Step() != h.capPage[key]
	f.SetErrors(map[string]i18n.Text{key: model.UserMessage(err)}) // switches to the captcha's page
	if moved {
		h.pageChanged() // so the step is the page's (its check, its hint)
	}
	return kit.Play(audio.PromptErrorCaptcha)
}

// codeSent shows the outcome of a send: on success the countdown, a
// "验证码已发送至 138****5678" note under the field and the sms_sent
// prompt; a refusal next to its field (a *smscode.TooSoonError also runs
// the countdown for the time left).
func (h *Host[S]) codeSent(m codeSent) tea.Cmd {
	f := h.form
	if m.err != nil {
		f.SetNote(m.key, i18n.Text{})
		if errors.Is(m.err, smscode.ErrCaptchaRequired) {
			f.SetError(m.key, i18n.Text{})
			if cmd := h.captchaAgain(m.err); cmd != nil {
				return cmd
			}
		}
		Place(h.a, f, "send sms code", m.err)
		prompt := kit.Play(kit.ErrorPrompt(m.err))
		var soon *smscode.TooSoonError
		if errors.As(m.err, &soon) {
			return tea.Batch(prompt, f.StartCountdown(m.key, h.secondsUntil(soon.Until)))
		}
		return prompt
	}
	f.SetError(m.key, i18n.Text{})
	note := i18n.T("flow.code_sent")
	if m.masked != "" {
		note = i18n.T("flow.code_sent_to", "Phone", m.masked)
	}
	f.SetNote(m.key, note)
	return tea.Batch(f.StartCountdown(m.key, h.secondsUntil(m.next)), kit.Play(audio.PromptSMSSent))
}

// secondsUntil is the whole seconds (rounded up) from now to t; 0 (the
// default countdown) when t is not in the future.
func (h *Host[S]) secondsUntil(t time.Time) int {
	d := t.Sub(h.a.Now())
	if t.IsZero() || d <= 0 {
		return 0
	}
	return int(math.Ceil(d.Seconds()))
}
