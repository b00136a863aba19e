package smscode

import (
	"fmt"
	"math"
	"time"

	"kiosk/model"
	"kiosk/model/rules"
)

// Errors of Send and Check. Each has a Chinese sentence for the screen
// (model.UserMessage); the parametrised ones are types that match these
// values with errors.Is.
var (
	ErrCodeEmpty   = &model.DomainError{Code: "sms_code_empty", Msg: "请输入短信验证码"}
	ErrCodeFormat  = &model.DomainError{Code: "sms_code_format", Msg: "验证码为6位数字，请核对后重新输入"}
	ErrNoCode      = &model.DomainError{Code: "sms_code_none", Msg: "请先获取验证码"}
	ErrExpired     = &model.DomainError{Code: "sms_code_expired", Msg: "验证码已过期，请重新获取"}
	ErrInvalidated = &model.DomainError{Code: "sms_code_invalidated", Msg: "验证码已失效，请重新获取"}
	ErrWrongCode   = &model.DomainError{Code: "sms_code_wrong", Msg: "验证码错误"}
	ErrTooSoon     = &model.DomainError{Code: "sms_too_soon", Msg: "发送过于频繁，请稍后再试"}
	ErrHourLimit   = &model.DomainError{Code: "sms_hour_limit", Msg: "该号码本小时获取验证码次数已达上限，请稍后再试"}
	ErrDayLimit    = &model.DomainError{Code: "sms_day_limit", Msg: "该号码今日获取验证码次数已达上限"}
	ErrKioskLimit  = &model.DomainError{Code: "sms_kiosk_limit", Msg: "本终端短信发送过于频繁，请稍后再试或咨询窗口工作人员"}
)

// WrongCodeError is a wrong answer to an outstanding code. Left is how many
// tries remain; at 0 the code is dead and the error also matches
// ErrInvalidated.
type WrongCodeError struct{ Left int }

func (e *WrongCodeError) Error() string { return fmt.Sprintf("sms_code_wrong (%d tries left)", e.Left) }

// Message names the remaining tries.
func (e *WrongCodeError) Message() string {
	if e.Left <= 0 {
		return "验证码错误次数过多，验证码已失效，请重新获取"
	}
	return fmt.Sprintf("验证码错误，还可尝试%d次", e.Left)
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

// Message names the wait in whole seconds, rounded up.
func (e *TooSoonError) Message() string {
	return fmt.Sprintf("发送过于频繁，请%d秒后再试", waitSeconds(e.Wait))
}

// Is matches ErrTooSoon.
func (e *TooSoonError) Is(target error) bool { return target == ErrTooSoon }

func waitSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// mobileError turns a rules validation failure into a DomainError, so the
// screen gets its Chinese sentence through model.UserMessage.
func mobileError(err error) error {
	return &model.DomainError{Code: rules.Code(err), Msg: rules.Message(err)}
}
