package material

import (
	"strconv"

	"kiosk/model/i18n"
)

// Error is a refusal of a material: an English code for logs and tests
// and a sentence for the screen. errors.Is matches errors of one code
// (every mismatch is ErrMismatch, whatever the two types).
type Error struct {
	Code string
	Msg  i18n.Text
}

func (e *Error) Error() string      { return e.Code }
func (e *Error) ErrorCode() string  { return e.Code }
func (e *Error) Message() i18n.Text { return e.Msg }

// Is matches any Error of the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// The refusals. Those with values in their sentence are made by the
// functions below; these carry the defaults, for errors.Is.
var (
	ErrEmpty         = &Error{Code: "material_empty", Msg: i18n.T("material.empty")}
	ErrCorrupt       = &Error{Code: "material_corrupt", Msg: i18n.T("material.corrupt")}
	ErrMismatch      = &Error{Code: "material_mismatch", Msg: i18n.T("material.mismatch", "Kind", i18n.T("material.kind.unknown"))}
	ErrUnsupported   = &Error{Code: "material_unsupported", Msg: i18n.T("material.unsupported", "Allowed", Shorts(Types))}
	ErrTooLarge      = TooLarge(DefaultLimits.File)
	ErrTotalTooLarge = TotalTooLarge(DefaultLimits.Appeal)
)

func mismatch(d detected) *Error {
	return &Error{Code: ErrMismatch.Code, Msg: i18n.T("material.mismatch", "Kind", d.label())}
}

func unsupported(accept []Type) *Error {
	return &Error{Code: ErrUnsupported.Code, Msg: i18n.T("material.unsupported", "Allowed", Shorts(accept))}
}

// TooLarge is the refusal of one file larger than limit bytes.
func TooLarge(limit int64) *Error {
	return &Error{Code: "material_too_large", Msg: i18n.T("material.too_large", "MB", mb(limit))}
}

// TotalTooLarge is the refusal of a file that would bring an appeal's
// materials past limit bytes.
func TotalTooLarge(limit int64) *Error {
	return &Error{Code: "material_total_too_large", Msg: i18n.T("material.total_too_large", "MB", mb(limit))}
}

// mb writes a limit in whole MB (MiB) when it is one, else with a decimal.
func mb(n int64) string {
	if n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10)
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
}

// Limits bound the size of materials.
type Limits struct {
	File   int64 // one file, bytes
	Appeal int64 // every material of one appeal together, bytes
}

// DefaultLimits: 10 MB a file, 30 MB an appeal.
var DefaultLimits = Limits{File: 10 << 20, Appeal: 30 << 20}

// OrDefault fills a zero limit from DefaultLimits.
func (l Limits) OrDefault() Limits {
	if l.File <= 0 {
		l.File = DefaultLimits.File
	}
	if l.Appeal <= 0 {
		l.Appeal = DefaultLimits.Appeal
	}
	return l
}

// CheckFile refuses a file of size bytes larger than the per-file limit.
func (l Limits) CheckFile(size int64) error {
	l = l.OrDefault()
	if size > l.File {
		return TooLarge(l.File)
	}
	return nil
}

// CheckAdd refuses a file of size bytes that is too large itself or would
// bring an appeal holding used bytes already past the appeal's limit.
func (l Limits) CheckAdd(used, size int64) error {
	l = l.OrDefault()
	if err := l.CheckFile(size); err != nil {
		return err
	}
	if used+size > l.Appeal || used+size < used {
		return TotalTooLarge(l.Appeal)
	}
	return nil
}

// Room is how many bytes one more file may have: the per-file limit, or
// less when the appeal is nearly full (never below zero).
func (l Limits) Room(used int64) int64 {
	l = l.OrDefault()
	return max(0, min(l.File, l.Appeal-used))
}
