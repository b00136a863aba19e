package flow

import (
	"context"
	"errors"
	"math"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/model/smscode"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// Place puts a use case's refusal on a form: each message of an
// *account.FieldErrors next to its field (switching to the field's page;
// account.FieldForm and keys the form lacks go above the buttons), any
// other error above the buttons as its sentence (kit.Explain, which logs a
// failure that is not a refusal under what).
func Place(a *kit.App, f *form.Form, what string, err error) {
	all := fieldErrorsIn(err)
	if len(all) == 0 {
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
// worker once the message is queued.
func (h *Host[S]) send(m form.SMSRequested) tea.Cmd {
	st := h.def.Steps[h.stepOf[h.form.Step()]]
	if st.Send == nil {
		return nil
	}
	s := st.Send(&h.st, m.Values)
	outbox, key := h.a.Deps.Outbox, m.Key
	return h.a.In("flow:"+h.def.ID+":sms:"+key, func(ctx context.Context) tea.Msg {
		next, err := s.Do(ctx)
		if err == nil && outbox != nil {
			outbox.Kick()
		}
		return codeSent{key: key, masked: s.Masked, next: next, err: err}
	})
}

// codeSent shows the outcome of a send: on success the countdown, a
// "验证码已发送至 138****5678" note under the field and the sms_sent
// prompt; a refusal next to its field (a *smscode.TooSoonError also runs
// the countdown for the time left).
func (h *Host[S]) codeSent(m codeSent) tea.Cmd {
	f := h.form
	if m.err != nil {
		f.SetNote(m.key, i18n.Text{})
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
