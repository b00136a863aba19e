package smscode

import (
	"fmt"
	"math"
	"time"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
)

// Errors of Send and Check. Each has a sentence for the screen
// (model.UserMessage); the parametrised ones are types that match these
// values with errors.Is.
var (
	ErrCodeEmpty   = &model.DomainError{Code: "sms_code_empty", Msg: i18n.T("sms.code_empty")}
	ErrCodeFormat  = &model.DomainError{Code: "sms_code_format", Msg: i18n.T("sms.code_format")}
	ErrNoCode      = &model.DomainError{Code: "sms_code_none", Msg: i18n.T("sms.code_none")}
	ErrExpired     = &model.DomainError{Code: "sms_code_expired", Msg: i18n.T("sms.code_expired")}
	ErrInvalidated = &model.DomainError{Code: "sms_code_invalidated", Msg: i18n.T("sms.code_invalidated")}
	ErrWrongCode   = &model.DomainError{Code: "sms_code_wrong", Msg: i18n.T("sms.code_wrong")}
	ErrTooSoon     = &model.DomainError{Code: "sms_too_soon", Msg: i18n.T("sms.too_soon_later")}
	ErrHourLimit   = &model.DomainError{Code: "sms_hour_limit", Msg: i18n.T("sms.hour_limit")}
	ErrDayLimit    = &model.DomainError{Code: "sms_day_limit", Msg: i18n.T("sms.day_limit")}
	ErrKioskLimit  = &model.DomainError{Code: "sms_kiosk_limit", Msg: i18n.T("sms.kiosk_limit")}
	// ErrKioskDayLimit: the kiosk's daily cap is spent.
	ErrKioskDayLimit = &model.DomainError{Code: "sms_kiosk_day_limit", Msg: i18n.T("sms.kiosk_day_limit")}
	// ErrCaptchaRequired: no valid picture-captcha pass came with the send.
	ErrCaptchaRequired = &model.DomainError{Code: "sms_captcha_required", Msg: i18n.T("sms.captcha_required")}
)

// WrongCodeError is a wrong answer to an outstanding code. Left is how many
// tries remain; at 0 the code is dead and the error also matches
// ErrInvalidated.
type WrongCodeError struct{ Left int }

func (e *WrongCodeError) Error() string { return fmt.Sprintf("sms_code_wrong (%d tries left)", e.Left) }

// Message names the remaining tries (sms.code_tries_left, N = tries left),
// or says the code is dead (sms.code_killed).
func (e *WrongCodeError) Message() i18n.Text {
	if e.Left <= 0 {
		return i18n.T("sms.code_killed")
	}
	return i18n.T("sms.code_tries_left", "N", e.Left)
}

// Is matches ErrWrongCode, and ErrInvalidated once no try is left.
func (e *WrongCodeError) Is(target error) bool {
	return target == ErrWrongCode || (e.Left <= 0 && target == ErrInvalidated)
}

// TooSoonError refuses a send before the resend time or the per-minute
// limit allows it; Until is when it will, for the countdown on the button.
type TooSoonError struct {
	Until time.Time
	Wait  time.Duration
}

func (e *TooSoonError) Error() string { return fmt.Sprintf("sms_too_soon (wait %s)", e.Wait) }

// Message names the wait in whole seconds, rounded up (sms.too_soon,
// N = seconds).
func (e *TooSoonError) Message() i18n.Text {
	return i18n.T("sms.too_soon", "N", waitSeconds(e.Wait))
}

// Is matches ErrTooSoon.
func (e *TooSoonError) Is(target error) bool { return target == ErrTooSoon }

func waitSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// mobileError turns a rules validation failure into a DomainError, so the
// screen gets its sentence through model.UserMessage.
func mobileError(err error) error {
	return &model.DomainError{Code: rules.Code(err), Msg: rules.Message(err)}
}
