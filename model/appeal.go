package model

import (
	"crypto/rand"
	"crypto/sha256"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"kiosk/model/i18n"
)

// AppealKind is the type of an account appeal (账号申诉, manual §五(二)).
type AppealKind string

const (
	AppealKindRegister AppealKind = "register" // 未注册 · 辅助企业注册申诉
	AppealKindChange   AppealKind = "change"   // 已注册 · 修改企业信息申诉
)

// AppealKinds are the kinds in the order the kiosk offers them.
var AppealKinds = []AppealKind{AppealKindRegister, AppealKindChange}

// Valid reports whether k is a known kind.
func (k AppealKind) Valid() bool { return slices.Contains(AppealKinds, k) }

// Label is the name shown to users.
func (k AppealKind) Label() i18n.Text {
	if k.Valid() {
		return i18n.T("appeal.kind." + string(k))
	}
	return i18n.T("state.unknown")
}

// AppealChange is what a 修改企业信息申诉 asks to change.
type AppealChange string

const (
	ChangePhone      AppealChange = "phone"      // 手机号码
	ChangeLegalRep   AppealChange = "legal_rep"  // 法人信息
	ChangeEnterprise AppealChange = "enterprise" // 企业信息
)

// AppealChanges are the changes in the order the kiosk offers them.
var AppealChanges = []AppealChange{ChangePhone, ChangeLegalRep, ChangeEnterprise}

// Valid reports whether c is a known change.
func (c AppealChange) Valid() bool { return slices.Contains(AppealChanges, c) }

// Label is the name shown to users.
func (c AppealChange) Label() i18n.Text {
	if c.Valid() {
		return i18n.T("appeal.change." + string(c))
	}
	return i18n.T("state.unknown")
}

// AppealState is where an appeal is in its review.
type AppealState string

const (
	AppealPending    AppealState = "pending"    // 待处理
	AppealProcessing AppealState = "processing" // 处理中
	AppealApproved   AppealState = "approved"   // 已通过
	AppealRejected   AppealState = "rejected"   // 已驳回
)

// AppealStates are the states in the order of the review.
var AppealStates = []AppealState{AppealPending, AppealProcessing, AppealApproved, AppealRejected}

// Valid reports whether s is a known state.
func (s AppealState) Valid() bool { return slices.Contains(AppealStates, s) }

// Closed reports whether the review is over (approved or rejected): the
// materials are kept for a while after that, then purged.
func (s AppealState) Closed() bool { return s == AppealApproved || s == AppealRejected }

// Label is the name shown to users.
func (s AppealState) Label() i18n.Text {
	if s.Valid() {
		return i18n.T("state.appeal." + string(s))
	}
	return i18n.T("state.unknown")
}

// CanMoveTo reports whether the review may go from s to next: pending →
// processing (a reviewer takes it) → approved or rejected. Nothing leaves a
// closed state, and no step is skipped.
func (s AppealState) CanMoveTo(next AppealState) bool {
	switch s {
	case AppealPending:
		return next == AppealProcessing
	case AppealProcessing:
		return next == AppealApproved || next == AppealRejected
	}
	return false
}

// Appeal is one 账号申诉 filed at a kiosk: who asks (the 身份验证 step),
// what for, the materials, and the review's outcome.
type Appeal struct {
	ID      string         // internal, random (NewID), never shown
	Ref     string         // reference number shown to the person (NewAppealRef); unique
	Kind    AppealKind     // 未注册 → AppealKindRegister, 已注册 → AppealKindChange
	Changes []AppealChange // what a change appeal asks to change; empty for AppealKindRegister
	State   AppealState    // moves by AppealState.CanMoveTo (Take, Approve, Reject)
	Kiosk   string         // kiosk where it was filed

	// 身份验证: the activation fields, 法人账号 and 手机号码.
	LegalType      string   // 法人类型, one of LegalTypes
	EnterpriseName string   // 企业名称
	USCC           string   // 统一社会信用代码, upper case
	LegalRep       LegalRep // 法定代表人姓名 and the ID card with its validity
	Account        string   // 法人账号 (8–20, letter first)
	Phone          string   // 手机号码, proven by the SMS code; the result is texted to it
	// Extended is the 拓展信息 a 修改企业信息申诉 asks for (carried from
	// 企业信息变更's mismatch); zero when it asks for none.
	Extended Extended

	Remark    string     // 申诉备注, at most MaxAppealRemark runes
	Materials []Material // 材料上传, one per MaterialKind

	CreatedAt time.Time
	UpdatedAt time.Time
	Handler   string    // staff id of the reviewer who took or decided it
	Reason    string    // reject reason (已驳回), at most MaxRejectReason runes
	DecidedAt time.Time // when it was approved or rejected; zero while open
	// MaterialsPurged: the files were deleted PurgeAfter the decision
	// (PurgeClosedMaterials); Materials keep their names, types, sizes
	// and hashes, without chunks.
	MaterialsPurged bool
}

// ChunkIDs are the ids of every chunk the appeal's materials reference, in
// order, each once (two materials may share a chunk).
func (a Appeal) ChunkIDs() []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range a.Materials {
		for _, c := range m.Chunks {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// Material returns the appeal's material of kind k.
func (a Appeal) Material(k MaterialKind) (Material, bool) {
	for _, m := range a.Materials {
		if m.Kind == k {
			return m, true
		}
	}
	return Material{}, false
}

// Limits of the appeal's free text, in runes (characters as a person
// counts them: the kiosk's counter shows "n/150").
const (
	MaxAppealRemark = 150 // 申诉备注
	MaxRejectReason = 100 // 驳回原因
)

// CheckAppealRemark refuses a remark longer than MaxAppealRemark runes. An
// empty remark is fine: it is optional.
func CheckAppealRemark(s string) error {
	if utf8.RuneCountInString(s) > MaxAppealRemark {
		return ErrAppealRemarkTooLong
	}
	return nil
}

// CheckRejectReason refuses an empty (or blank) reason and one longer than
// MaxRejectReason runes: the reason is texted to the person.
func CheckRejectReason(s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return ErrRejectReasonRequired
	case utf8.RuneCountInString(s) > MaxRejectReason:
		return ErrRejectReasonTooLong
	}
	return nil
}

// CheckAppealTransition refuses a move the review does not allow
// (AppealState.CanMoveTo) with an *AppealTransitionError.
func CheckAppealTransition(from, to AppealState) error {
	if !from.CanMoveTo(to) {
		return &AppealTransitionError{From: from, To: to}
	}
	return nil
}

// CheckAppealChanges refuses a change appeal without a known change, with
// an unknown one or one twice, and a register appeal with any.
func CheckAppealChanges(k AppealKind, changes []AppealChange) error {
	switch k {
	case AppealKindRegister:
		if len(changes) > 0 {
			return ErrAppealChanges
		}
		return nil
	case AppealKindChange:
		if len(changes) == 0 {
			return ErrAppealNoChange
		}
		for i, c := range changes {
			if !c.Valid() || slices.Contains(changes[:i], c) {
				return ErrAppealChanges
			}
		}
		return nil
	}
	return ErrAppealKind
}

// Take is a (pending) in review by staffID at now.
func (a Appeal) Take(staffID string, now time.Time) (Appeal, error) {
	return a.move(AppealProcessing, staffID, "", now)
}

// Approve is a (processing) approved by staffID at now.
func (a Appeal) Approve(staffID string, now time.Time) (Appeal, error) {
	return a.move(AppealApproved, staffID, "", now)
}

// Reject is a (processing) rejected by staffID at now for reason.
func (a Appeal) Reject(staffID, reason string, now time.Time) (Appeal, error) {
	if err := CheckRejectReason(reason); err != nil {
		return a, err
	}
	return a.move(AppealRejected, staffID, strings.TrimSpace(reason), now)
}

func (a Appeal) move(to AppealState, staffID, reason string, now time.Time) (Appeal, error) {
	if err := CheckAppealTransition(a.State, to); err != nil {
		return a, err
	}
	if staffID == "" {
		return a, ErrStaffForbidden
	}
	a.State, a.Handler, a.Reason, a.UpdatedAt = to, staffID, reason, now
	if to.Closed() {
		a.DecidedAt = now
	}
	return a, nil
}

// appealRefAlphabet has 32 symbols (5 bits each, so a random byte maps
// without bias) and leaves out 0/O and 1/I, which people confuse when they
// read a number out at the counter.
const appealRefAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// NewAppealRef returns a reference number for an appeal filed at kiosk at
// now: "YYMMDD-KKKK-RRRRRR", the date in now's location, four symbols
// derived from the kiosk id and six random ones (2³⁰ per kiosk and day).
// It needs no counter, so kiosks sharing one database never contend for
// one; the store's unique index catches the rare clash, and the caller
// draws again (*DuplicateError{"ref"}).
func NewAppealRef(kiosk string, now time.Time) string {
	h := sha256.Sum256([]byte("kiosk-appeal-ref\x00" + kiosk))
	var rnd [6]byte
	_, _ = rand.Read(rnd[:]) // never fails: crypto/rand.Read crashes the program instead
	b := make([]byte, 0, 18)
	b = now.AppendFormat(b, "060102")
	b = append(b, '-')
	for _, c := range h[:4] {
		b = append(b, appealRefAlphabet[c&31])
	}
	b = append(b, '-')
	for _, c := range rnd {
		b = append(b, appealRefAlphabet[c&31])
	}
	return string(b)
}

// NormalizeAppealRef is a reference number as typed or read out: full-width
// forms folded, spaces and dashes (of any width) dropped, upper case. The
// store looks references up in this form.
func NormalizeAppealRef(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xff01 && r <= 0xff5e { // full-width ASCII
			r -= 0xfee0
		}
		if unicode.IsSpace(r) || r == '-' || unicode.Is(unicode.Pd, r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}
