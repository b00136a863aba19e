package model

import "kiosk/model/i18n"

// Errors of the enterprise center's changes (manual §四(一)): 修改手机号码
// and 法定代表人变更. The account use cases return them inside per-field
// errors; errors.Is finds them.
var (
	// ErrLoginPasswordEmpty: step 1 of 修改手机号码 without the login
	// password (a wrong one is a login attempt: ErrPasswordAgain).
	ErrLoginPasswordEmpty = &DomainError{Code: "login_password_empty", Msg: i18n.T("error.login_password_empty")}
	// ErrSamePhone: the new mobile number is the reserved phone already.
	ErrSamePhone = &DomainError{Code: "same_phone", Msg: i18n.T("error.same_phone")}
	// ErrSameLegalRep: the "new" legal representative is the current one
	// (the same ID number).
	ErrSameLegalRep = &DomainError{Code: "same_legal_rep", Msg: i18n.T("error.same_legal_rep")}
)
