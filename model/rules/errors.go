// Package rules holds the kiosk's pure domain validators (USCC, resident ID,
// ID validity, mobile, account, password, names), the masking used wherever
// personal data is shown, and the sanitising applied to untrusted text
// before it reaches the terminal.
package rules

import "errors"

// Error is a validation failure: Code is English (logs/tests), Msg is the
// Chinese sentence shown next to the field. It has the shape of every coded
// domain error (model.DomainError), so model.UserMessage and model.Code
// read it like any other.
type Error struct {
	Code string // English, for logs and tests
	Msg  string // Chinese, for the user
}

// Error returns Code, so logs never carry the user-facing sentence.
func (e *Error) Error() string { return e.Code }

// Message returns Msg (model.Messager).
func (e *Error) Message() string { return e.Msg }

// ErrorCode returns Code (model.Coder).
func (e *Error) ErrorCode() string { return e.Code }

func fail(code, msg string) error { return &Error{Code: code, Msg: msg} }

// CodeExpired is the Code of the error CheckIDDocument returns for an
// expired card; use cases branch on it.
const CodeExpired = "expired"

// Code returns the Code of a *Error in err's chain, or "" when there is none.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Message returns the Chinese message of a *Error in err's chain, or "" when
// there is none (the caller then shows its own generic sentence).
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Msg
	}
	return ""
}
