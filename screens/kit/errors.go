package kit

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// The one error helper: any error becomes the Chinese sentence for the
// screen and its voice prompt; the technical detail of a failure that is
// not a refusal (the store, a device) goes to the log, never to the screen.

// Refusal reports whether err is a refusal with a sentence of its own (a
// validation or domain error), not a failure of the store or a device.
func Refusal(err error) bool {
	var m model.Messager
	return errors.As(err, &m) || model.Code(err) != ""
}

// Explain is the sentence for err. A lock names its end in the kiosk's
// local time; a failure that is not a refusal is logged under what. A store
// that cannot be reached is logged too, and noted for the root
// (TakeOutage).
func (a *App) Explain(what string, err error) i18n.Text {
	var locked *model.LockedError
	switch {
	case err == nil:
		return i18n.Text{}
	case errors.As(err, &locked) && locked.Who != "":
		// Until when, and the way in now (忘记密码, the admin, the counter).
		return locked.MessageAt(UnlockTime(locked.Until, a.Now()))
	case errors.As(err, &locked):
		return i18n.T("error.locked_until", "Until", UnlockTime(locked.Until, a.Now()))
	case errors.Is(err, model.ErrServiceDown): // a failure, with a sentence of its own
		a.outage = true
		a.LogError(what, err)
	case !Refusal(err) && !errors.Is(err, context.Canceled):
		a.LogError(what, err)
	}
	return model.UserMessage(err)
}

// Fail is Explain with the voice prompt that goes with err.
func (a *App) Fail(what string, err error) (i18n.Text, tea.Cmd) {
	return a.Explain(what, err), Play(ErrorPrompt(err))
}

// ErrorPrompt is the voice prompt for an error shown on screen, or "" when
// no clip fits (the sentence on screen says more than any clip could).
func ErrorPrompt(err error) string {
	var locked *model.LockedError
	var state *model.AgentStateError
	switch {
	case err == nil, errors.Is(err, context.Canceled):
		return ""
	case errors.As(err, &locked):
		return audio.PromptLocked
	case errors.Is(err, model.ErrBadCredentials), errors.Is(err, model.ErrAgentBadCredentials):
		return audio.PromptErrorLogin
	case errors.Is(err, smscode.ErrTooSoon), errors.Is(err, smscode.ErrHourLimit),
		errors.Is(err, smscode.ErrDayLimit), errors.Is(err, smscode.ErrKioskLimit):
		return audio.PromptErrorRate
	case errors.Is(err, smscode.ErrWrongCode), errors.Is(err, smscode.ErrInvalidated),
		errors.Is(err, smscode.ErrExpired), errors.Is(err, smscode.ErrNoCode):
		return audio.PromptErrorSMS
	case model.Code(err) == rules.CodeExpired:
		return audio.PromptErrorExpired
	case errors.Is(err, model.ErrRegistryMismatch):
		return audio.PromptErrorMismatch
	// Account states: no clip fits, and error_login would be a lie.
	case errors.As(err, &state), errors.Is(err, model.ErrPendingActivation),
		errors.Is(err, model.ErrAccountClosed), errors.Is(err, model.ErrEnterpriseNotActive),
		errors.Is(err, model.ErrSessionEnded):
		return ""
	case errors.Is(err, model.ErrServiceDown): // no device failed: the shared store cannot be reached
		return audio.PromptServiceDown
	case errors.Is(err, model.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return audio.PromptDeviceError
	case Refusal(err): // validation and other domain errors
		return audio.PromptErrorInput
	}
	return audio.PromptDeviceError // the store or a device failed
}

// UnlockTime is HH:MM in the kiosk's time zone, with the date when the
// lock ends on another day.
func UnlockTime(until, now time.Time) i18n.Text {
	until = until.In(now.Location())
	y1, m1, d1 := until.Date()
	y2, m2, d2 := now.Date()
	if y1 == y2 && m1 == m2 && d1 == d2 {
		return i18n.Raw(until.Format("15:04"))
	}
	return i18n.T("time.month_day_time", "Month", int(m1), "Day", d1, "Time", until.Format("15:04"))
}
