// Package staffdesk holds the use cases of the staff console (staff mode,
// SPEC §1 "Staff console"): the SMS outbox's dead messages, the audit log,
// the kiosks' presence, and staff management for 管理员. Each takes the staff login and checks
// it again (model.StaffStands: a staff member of the right role whose
// record still stands), whatever the screen's route guard decided; Roles
// is the one table both read. The enterprise look-up and the counter's
// unlock are model.Auth's (they need its lock keys).
package staffdesk

import (
	"context"

	"kiosk/model"
	"kiosk/model/fleet"
	"kiosk/model/i18n"
)

// Desk is the staff console's use cases over one store.
type Desk struct {
	Store  model.Store
	Clock  model.Clock
	Hasher model.PasswordHasher // staff passwords (staff management)
	Kiosk  string               // written into every audit record
	Fleet  fleet.Lister         // the kiosks' presence (终端状态); nil: unavailable
}

// Service is a part of the staff console.
type Service string

// The parts of the staff console.
const (
	Home        Service = "home"         // the staff home: any staff member
	Appeals     Service = "appeals"      // 申诉处理: 审核员
	Enterprises Service = "enterprises"  // 企业查询: any staff member
	Unlock      Service = "unlock"       // 解锁: 窗口工作人员 (model.Auth.ClearLock's rule)
	Outbox      Service = "outbox"       // 短信发送异常: 窗口工作人员
	Audit       Service = "audit"        // 审计日志: any staff member
	AuditChange Service = "audit_change" // a record's before/after: 管理员
	Members     Service = "members"      // 工作人员管理: 管理员
	Kiosks      Service = "kiosks"       // 终端状态: 窗口工作人员
)

// Roles are the roles that may use svc, as model.Session.IsStaff takes
// them (StaffAdmin may act as every role; none means any staff member).
// The route guards and the use cases both read it.
func Roles(svc Service) []model.StaffRole {
	switch svc {
	case Appeals:
		return []model.StaffRole{model.StaffReviewer}
	case Unlock, Outbox, Kiosks:
		return []model.StaffRole{model.StaffCounter}
	case AuditChange, Members:
		return []model.StaffRole{model.StaffAdmin}
	}
	return nil
}

// Allowed reports whether s may use svc.
func Allowed(s *model.Session, svc Service) bool { return s.IsStaff(Roles(svc)...) }

// Refusals of the staff console.
var (
	// ErrNotDead: the message is no longer dead (retried or purged
	// meanwhile).
	ErrNotDead = &model.DomainError{Code: "sms_not_dead", Msg: i18n.T("staff.error.sms_not_dead")}
	// ErrStaleCode: the dead message is a verification code that has
	// expired since.
	ErrStaleCode = &model.DomainError{Code: "sms_stale_code", Msg: i18n.T("staff.error.sms_stale_code")}
	// ErrSelf: a staff member may not disable themselves (the console
	// would lose its last way in).
	ErrSelf = &model.DomainError{Code: "staff_self", Msg: i18n.T("staff.error.self")}
	// ErrUsernameTaken: another staff member has the username.
	ErrUsernameTaken = &model.DomainError{Code: "staff_username_taken", Msg: i18n.T("staff.error.username_taken")}
	// ErrNoSuchStaff: no staff member has the username.
	ErrNoSuchStaff = &model.DomainError{Code: "staff_not_found", Msg: i18n.T("staff.error.staff_not_found")}
	// ErrAlready: the staff member is already disabled (or enabled).
	ErrAlready = &model.DomainError{Code: "staff_unchanged", Msg: i18n.T("staff.error.unchanged")}
)

// stands checks s for svc in a read transaction (model.StaffStands).
func (d *Desk) stands(ctx context.Context, s model.Session, svc Service) error {
	return d.Store.View(ctx, func(tx model.Tx) error { return model.StaffStands(tx, s, Roles(svc)...) })
}

// Check reports whether the staff login s still stands (the staff home
// reads it on entry): nil, model.ErrSessionEnded or ErrStaffForbidden.
func (d *Desk) Check(ctx context.Context, s model.Session) error { return d.stands(ctx, s, Home) }

// actor is the audit actor of s.
func actor(s model.Session) string { return "staff:" + s.StaffID }

func (d *Desk) record(s model.Session, action, subject, outcome, detail string) model.AuditRecord {
	return model.AuditRecord{Time: d.Clock.Now(), Kiosk: d.Kiosk, Actor: actor(s), Action: action,
		Subject: subject, Outcome: outcome, Detail: detail}
}
