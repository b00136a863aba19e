package model

import "kiosk/model/i18n"

// Errors of the account flows: registration (manual §二), forgot password
// (§三), activation (§五(一)) and natural-person registration. The account
// use cases return them inside per-field errors; errors.Is finds them.
var (
	ErrAlreadyRegistered  = &DomainError{Code: "already_registered", Msg: i18n.T("error.already_registered")}
	ErrPendingUSCC        = &DomainError{Code: "pending_uscc", Msg: i18n.T("error.pending_uscc")}
	ErrClosedUSCC         = &DomainError{Code: "closed_uscc", Msg: i18n.T("error.closed_uscc")}
	ErrRegistryMismatch   = &DomainError{Code: "registry_mismatch", Msg: i18n.T("error.registry_mismatch")}
	ErrAccountTaken       = &DomainError{Code: "account_taken", Msg: i18n.T("error.account_taken")}
	ErrAccountNotExist    = &DomainError{Code: "account_not_exist", Msg: i18n.T("error.account_not_exist")}
	ErrRepMismatch        = &DomainError{Code: "rep_mismatch", Msg: i18n.T("error.rep_mismatch")}
	ErrLookupLimited      = &DomainError{Code: "lookup_limited", Msg: i18n.T("error.lookup_limited")}
	ErrSamePassword       = &DomainError{Code: "same_password", Msg: i18n.T("error.same_password")}
	ErrOldPasswordWrong   = &DomainError{Code: "old_password_wrong", Msg: i18n.T("error.old_password_wrong")}
	ErrNotPermitted       = &DomainError{Code: "not_permitted", Msg: i18n.T("error.not_permitted")}
	ErrPasswordConfirm    = &DomainError{Code: "password_confirm", Msg: i18n.T("error.password_confirm")}
	ErrPersonExists       = &DomainError{Code: "person_exists", Msg: i18n.T("error.person_exists")}
	ErrNoReservedPhone    = &DomainError{Code: "no_reserved_phone", Msg: i18n.T("error.no_reserved_phone")}
	ErrActivationMismatch = &DomainError{Code: "activation_mismatch", Msg: i18n.T("error.activation_mismatch")}
	ErrFaceRequired       = &DomainError{Code: "face_required", Msg: i18n.T("error.face_required")}
	ErrFaceStale          = &DomainError{Code: "face_stale", Msg: i18n.T("error.face_stale")}
	ErrTicketExpired      = &DomainError{Code: "ticket_expired", Msg: i18n.T("error.ticket_expired")}
)
