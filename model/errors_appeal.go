package model

import "kiosk/model/i18n"

// Errors of the account appeal (账号申诉, manual §五(二)) and its review.
var (
	// ErrAppealKind: no (or an unknown) appeal type was chosen.
	ErrAppealKind = &DomainError{Code: "appeal_kind", Msg: i18n.T("error.appeal.kind")}
	// ErrAppealNoChange: a 修改企业信息申诉 that says nothing to change.
	ErrAppealNoChange = &DomainError{Code: "appeal_no_change", Msg: i18n.T("error.appeal.no_change")}
	// ErrAppealChanges: an unknown change, one twice, or changes on a
	// 辅助企业注册申诉 (the form never offers them; a defect or a forgery).
	ErrAppealChanges = &DomainError{Code: "appeal_changes", Msg: i18n.T("error.appeal.changes")}
	// ErrAppealRemarkTooLong: 申诉备注 over MaxAppealRemark characters.
	ErrAppealRemarkTooLong = &DomainError{Code: "appeal_remark_too_long", Msg: i18n.T("error.appeal.remark_too_long",
		"Max", MaxAppealRemark)}
	// ErrRejectReasonRequired: a rejection without a reason.
	ErrRejectReasonRequired = &DomainError{Code: "reject_reason_required", Msg: i18n.T("error.appeal.reason_required")}
	// ErrRejectReasonTooLong: a reason over MaxRejectReason characters.
	ErrRejectReasonTooLong = &DomainError{Code: "reject_reason_too_long", Msg: i18n.T("error.appeal.reason_too_long",
		"Max", MaxRejectReason)}
	// ErrAppealNotFound: no appeal with that reference number (or id).
	ErrAppealNotFound = &DomainError{Code: "appeal_not_found", Msg: i18n.T("error.appeal.not_found")}

	// ErrMaterialKind: a material of no known kind, or a kind twice.
	ErrMaterialKind = &DomainError{Code: "material_kind", Msg: i18n.T("error.appeal.material_kind")}
	// ErrMaterialMissing: a chunk the material needs is not in the store
	// (collected as an orphan before the appeal was filed): upload it again.
	ErrMaterialMissing = &DomainError{Code: "material_missing", Msg: i18n.T("error.appeal.material_missing")}
	// ErrMaterialCorrupt: a stored material read back is not what was
	// stored (a chunk does not open or match its id, or the whole's size
	// or SHA-256 differs). The refusal of a damaged file being picked is
	// material.ErrCorrupt.
	ErrMaterialCorrupt = &DomainError{Code: "material_damaged", Msg: i18n.T("error.appeal.material_damaged")}
	// ErrMaterialPurged: the appeal was closed longer than the retention
	// period ago and its files were deleted.
	ErrMaterialPurged = &DomainError{Code: "material_purged", Msg: i18n.T("error.appeal.material_purged")}
)

// AppealTransitionError refuses a move the review does not allow, naming
// the appeal's state and the one asked for.
type AppealTransitionError struct{ From, To AppealState }

func (e *AppealTransitionError) Error() string {
	return "appeal_transition " + string(e.From) + "->" + string(e.To)
}
func (e *AppealTransitionError) ErrorCode() string { return "appeal_transition" }

// Message names both states by their labels.
func (e *AppealTransitionError) Message() i18n.Text {
	return i18n.T("error.appeal.transition", "From", e.From.Label(), "To", e.To.Label())
}

// MaterialRequiredError: a material the appeal needs was not uploaded.
type MaterialRequiredError struct{ Kind MaterialKind }

func (e *MaterialRequiredError) Error() string     { return "material_required " + string(e.Kind) }
func (e *MaterialRequiredError) ErrorCode() string { return "material_required" }

// Message names the material.
func (e *MaterialRequiredError) Message() i18n.Text {
	return i18n.T("error.appeal.material_required", "Material", e.Kind.Label())
}

// MaterialTypeError: a file of a type the material does not take.
type MaterialTypeError struct{ Kind MaterialKind }

func (e *MaterialTypeError) Error() string     { return "material_type " + string(e.Kind) }
func (e *MaterialTypeError) ErrorCode() string { return "material_type" }

// Message names the material and the formats it takes.
func (e *MaterialTypeError) Message() i18n.Text {
	return i18n.T("error.appeal.material_type", "Material", e.Kind.Label(), "Types", e.Kind.Extensions())
}
