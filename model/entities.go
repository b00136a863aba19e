// Package model is the domain of the kiosk: entities, states, rules and use
// cases, plus the interfaces it needs from the outside world (store,
// registry, clock). It imports no UI, storage engine or device code.
package model

import (
	"time"

	"kiosk/model/i18n"
)

// EnterpriseState is the lifecycle state of an enterprise account.
type EnterpriseState string

const (
	EnterprisePending EnterpriseState = "pending" // 待激活
	EnterpriseActive  EnterpriseState = "active"  // 正常
	EnterpriseClosed  EnterpriseState = "closed"  // 注销
)

// Label is the name shown to users.
func (s EnterpriseState) Label() i18n.Text {
	switch s {
	case EnterprisePending:
		return i18n.T("state.enterprise.pending")
	case EnterpriseActive:
		return i18n.T("state.enterprise.active")
	case EnterpriseClosed:
		return i18n.T("state.enterprise.closed")
	}
	return i18n.T("state.unknown")
}

// ValidityPeriod is the length of a resident ID card's validity.
type ValidityPeriod string

const (
	Validity5Years   ValidityPeriod = "5y"
	Validity10Years  ValidityPeriod = "10y"
	Validity20Years  ValidityPeriod = "20y"
	ValidityLongTerm ValidityPeriod = "long" // 长期有效
)

// IDTypeResident is the only ID type the platform accepts for now. It is
// stored in records as it is; screens show it by a catalog label.
const IDTypeResident = "居民身份证" // i18n:data, stored in records

// Legal person types offered by the registration and activation forms, as
// stored in records and in the registry; screens show them by catalog labels.
// i18n:data, stored in records
var LegalTypes = []string{"企业法人", "非企业法人", "个体工商户", "其他组织"}

// IDDocument is a resident ID card and its validity window. ValidTo is the
// zero time for 长期有效.
type IDDocument struct {
	Type      string         // 证件类型, IDTypeResident
	Number    string         // 证件号码, 18 chars, upper-case X
	Period    ValidityPeriod // 5/10/20 years or long term
	ValidFrom time.Time      // 开始日期 (date only, UTC midnight)
	ValidTo   time.Time      // 结束日期; zero for long term
}

// LegalRep is an enterprise's legal representative (法定代表人).
type LegalRep struct {
	Name string
	ID   IDDocument
}

// Extended holds the registry's 拓展信息 for an enterprise.
type Extended struct {
	RegisteredAddress string    // 注册地址
	RegisteredCapital string    // 注册资本, as registered (e.g. "500万元人民币")
	RegisteredDate    time.Time // 注册日期
	BusinessScope     string    // 经营范围
	CodeType          string    // 企业代码类型
	Industry          string    // 行业类型
	ApprovalDate      time.Time // 核准日期
	ApprovalAuthority string    // 核准机构
	RegistryStatus    string    // 企业状态 as the registry reports it (存续, 在业…)
	EstablishedDate   time.Time // 成立时间
	ElectronicLicense string    // 电子营业执照 identifier, empty when none
}

// Enterprise is a legal person (单位) with a platform account.
type Enterprise struct {
	ID           string // internal, stable, never shown
	USCC         string // 统一社会信用代码, upper case
	Name         string // 企业名称
	LegalType    string // 法人类型
	LegalRep     LegalRep
	Extended     Extended
	Account      string // 企业账号 as typed at registration; unique case-insensitively
	PasswordHash string // argon2id PHC string; empty while pending without a password
	Phone        string // reserved mobile of the legal representative
	State        EnterpriseState
	// SessionEpoch is bumped whenever every session of the account must end
	// (password reset, closure); a session from an older epoch is invalid.
	SessionEpoch int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// NaturalPerson is a registered individual (自然人) of the platform; agents
// must be natural persons.
type NaturalPerson struct {
	ID           string
	Name         string
	Document     IDDocument
	Phone        string
	PasswordHash string
	CreatedAt    time.Time
}

// AgentState is derived from the agent's window, flags and the clock.
type AgentState string

const (
	AgentValid    AgentState = "valid"    // 有效
	AgentNotYet   AgentState = "not_yet"  // 未生效
	AgentExpired  AgentState = "expired"  // 已过期
	AgentDisabled AgentState = "disabled" // 停用
)

// Label is the name shown to users.
func (s AgentState) Label() i18n.Text {
	switch s {
	case AgentValid:
		return i18n.T("state.agent.valid")
	case AgentNotYet:
		return i18n.T("state.agent.not_yet")
	case AgentExpired:
		return i18n.T("state.agent.expired")
	case AgentDisabled:
		return i18n.T("state.agent.disabled")
	}
	return i18n.T("state.unknown")
}

// Agent (经办人) acts for an enterprise inside an authorisation window.
type Agent struct {
	ID           string
	EnterpriseID string
	PersonID     string // the NaturalPerson this agent is
	Name         string
	IDNumber     string
	Phone        string
	ValidFrom    time.Time // authorisation start (inclusive, date)
	ValidTo      time.Time // authorisation end (inclusive, date)
	Admin        bool      // 管理权限: may manage other agents
	Enabled      bool
	PasswordHash string
	// SessionEpoch is bumped when every other login of this agent must
	// end (its password changed); the enterprise's epoch ends them all.
	SessionEpoch int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// State reports the agent's state at now. The window is inclusive of whole
// days in the kiosk's time zone as given by now's location.
func (a Agent) State(now time.Time) AgentState {
	if !a.Enabled {
		return AgentDisabled
	}
	day := DateOf(now)
	if !a.ValidFrom.IsZero() && day.Before(DateOf(a.ValidFrom)) {
		return AgentNotYet
	}
	if !a.ValidTo.IsZero() && day.After(DateOf(a.ValidTo)) {
		return AgentExpired
	}
	return AgentValid
}

// StaffRole says what a staff member may do at the kiosk.
type StaffRole string

const (
	StaffCounter  StaffRole = "counter"  // 窗口工作人员: assists at the counter, confirms faces in person
	StaffReviewer StaffRole = "reviewer" // 审核人员: processes appeals
	StaffAdmin    StaffRole = "admin"    // 管理员: every staff right
)

// Label is the name shown to users (an empty role is StaffCounter).
func (r StaffRole) Label() i18n.Text {
	switch r {
	case StaffCounter, "":
		return i18n.T("role.staff.counter")
	case StaffReviewer:
		return i18n.T("role.staff.reviewer")
	case StaffAdmin:
		return i18n.T("role.staff.admin")
	}
	return i18n.T("state.unknown")
}

// Allows reports whether a staff member in role r may act as want:
// StaffAdmin may act as every role, the others only as themselves. An empty
// role is StaffCounter (see Staff.EffectiveRole).
func (r StaffRole) Allows(want StaffRole) bool {
	if r == "" {
		r = StaffCounter
	}
	if want == "" {
		want = StaffCounter
	}
	return r == StaffAdmin || r == want
}

// Staff is a staff member of the service hall (窗口工作人员, 审核人员).
type Staff struct {
	ID           string
	Username     string
	Name         string
	PasswordHash string
	Role         StaffRole // empty in records written before roles: StaffCounter
	Disabled     bool      // a disabled staff member cannot log in or confirm anything
	CreatedAt    time.Time
}

// EffectiveRole is Role, or StaffCounter for a record written before staff
// had roles (every staff member was then a counter clerk).
func (s Staff) EffectiveRole() StaffRole {
	if s.Role == "" {
		return StaffCounter
	}
	return s.Role
}

// Lockout counts consecutive login failures for one principal (model/lockout.go).
type Lockout struct {
	Key         string    // principal key, see LockKey*
	Failures    int       // consecutive failures since the last success or lock
	LockedUntil time.Time // zero when not locked
	Locks       int       // how many times it has been locked; doubles the duration
	UpdatedAt   time.Time
	// LastFailure is the time of the last failed attempt; the count decays
	// DecayWindow after it (and after the end of the lock).
	LastFailure time.Time
	// Pending holds the start of each password check in flight (a slot
	// reserved before the slow verify, released with its outcome; zero is a
	// free slot); a slot older than ReserveTTL belongs to a kiosk that died
	// and no longer counts. An array keeps Lockout comparable.
	Pending [MaxFailures]time.Time
}

// AuditRecord is one entry of the append-only audit log.
type AuditRecord struct {
	Seq     uint64 // assigned by the store: 1, 2, … in the kiosk's own chain
	Time    time.Time
	Kiosk   string // kiosk id where it happened
	Actor   string // who acted: "enterprise:<id>", "agent:<id>", "staff:<id>", "anonymous"
	Action  string // e.g. "login.enterprise"
	Subject string // what it acted on (internal ids only, never PII)
	Outcome string // "ok", "fail", "locked", ...
	Detail  string // short English note, never PII
	// Change is the before/after of a change (JSON, e.g. account.FieldChange
	// rows): sealed with the record at rest, never in Detail, never printed
	// by list or export views.
	Change string
}

// DateOf truncates t to midnight in t's location.
func DateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}
