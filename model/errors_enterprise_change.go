package model

import "kiosk/model/i18n"

// Errors of 企业信息变更 (manual §四(一)(4)). The use case returns them
// inside per-field errors; errors.Is finds them.
var (
	// ErrEnterpriseUnchanged: 变更 with every field as it is on record.
	ErrEnterpriseUnchanged = &DomainError{Code: "enterprise_unchanged", Msg: i18n.T("error.enterprise_change.unchanged")}
	// ErrTextChar: a control, escape or invisible character, or invalid
	// UTF-8, in a free-text field (what rules.Sanitize would remove).
	ErrTextChar = &DomainError{Code: "text_char", Msg: i18n.T("error.enterprise_change.text_char")}
	// ErrDateFuture: a registry date after today.
	ErrDateFuture = &DomainError{Code: "date_future", Msg: i18n.T("error.enterprise_change.date_future")}
	// ErrDateRange: a registry date before 1900 (none is; the registry
	// import refuses them too).
	ErrDateRange = &DomainError{Code: "date_range", Msg: i18n.T("error.enterprise_change.date_range")}
)

// ErrFieldMismatch is said next to each field of 企业信息变更 that differs
// from the business registry (the refusal as a whole is a
// ChangeMismatchError). errors.Is finds ErrRegistryMismatch in it; its code
// is that error's.
var ErrFieldMismatch error = &fieldMismatch{DomainError{Code: ErrRegistryMismatch.Code,
	Msg: i18n.T("error.enterprise_change.field_mismatch")}}

// fieldMismatch is ErrRegistryMismatch with a sentence fit for one field
// of a change (the registration's names its own appeal).
type fieldMismatch struct{ DomainError }

func (e *fieldMismatch) Is(target error) bool { return target == ErrRegistryMismatch }

// TextTooLongError: a free-text field longer than its registry column.
type TextTooLongError struct{ Max int }

func (e *TextTooLongError) Error() string     { return "text_too_long" }
func (e *TextTooLongError) ErrorCode() string { return "text_too_long" }

// Message names the limit.
func (e *TextTooLongError) Message() i18n.Text {
	return i18n.T("error.enterprise_change.too_long", "N", e.Max)
}

// ChangeMismatchError refuses 企业信息变更 as a whole: the fields Keys (the
// form's field keys, in form order) differ from the business registry.
// Labels are their catalog labels, for the sentence; the first names the
// topmost. The way on is the appeal 修改企业信息申诉, which the sentence
// names. errors.Is finds ErrRegistryMismatch in it.
type ChangeMismatchError struct {
	Keys   []string
	Labels []i18n.Text
}

func (e *ChangeMismatchError) Error() string     { return "change_mismatch" }
func (e *ChangeMismatchError) ErrorCode() string { return "change_mismatch" }

// Is makes the refusal a registry mismatch for errors.Is.
func (e *ChangeMismatchError) Is(target error) bool { return target == ErrRegistryMismatch }

// Message names the topmost field that differs, and how many do.
func (e *ChangeMismatchError) Message() i18n.Text {
	switch len(e.Labels) {
	case 0:
		return i18n.T("error.enterprise_change.mismatch")
	case 1:
		return i18n.T("error.enterprise_change.mismatch_one", "Field", e.Labels[0])
	}
	return i18n.T("error.enterprise_change.mismatch_many", "Field", e.Labels[0], "N", len(e.Labels))
}
