// Package rules holds the kiosk's pure domain validators (USCC, resident ID,
// ID validity, mobile, account, password, names), the masking used wherever
// personal data is shown, and the sanitising applied to untrusted text
// before it reaches the terminal.
package rules

import (
	"errors"

	"kiosk/model/i18n"
)

// Error is a validation failure: Code is English (logs/tests), Msg the
// catalog text shown next to the field (id rule.<code>, with the values of
// its placeholders). It has the shape of every coded domain error
// (model.DomainError), so model.UserMessage and model.Code read it like any
// other.
type Error struct {
	Code string    // English, for logs and tests
	Msg  i18n.Text // catalog text, for the user
}

// Error returns Code, so logs never carry the user-facing sentence.
func (e *Error) Error() string { return e.Code }

// Message returns Msg (model.Messager).
func (e *Error) Message() i18n.Text { return e.Msg }

// ErrorCode returns Code (model.Coder).
func (e *Error) ErrorCode() string { return e.Code }

// fail is the failure code with the text rule.<code>.
func fail(code string) error { return &Error{Code: code, Msg: i18n.T("rule." + code)} }

// failText is the failure code with a text of its own, for a code whose
// sentence depends on the case (id_end, id_period).
func failText(code string, msg i18n.Text) error { return &Error{Code: code, Msg: msg} }

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

// Message returns the text of a *Error in err's chain, or the zero Text
// when there is none (the caller then shows its own generic sentence).
func Message(err error) i18n.Text {
	var e *Error
	if errors.As(err, &e) {
		return e.Msg
	}
	return i18n.Text{}
}
