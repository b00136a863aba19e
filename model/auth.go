package model

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"golang.org/x/text/width"

	"kiosk/model/i18n"
)

// Lockout policy (SPEC §2): MaxFailures consecutive failures lock the
// principal for BaseLock, doubling with every further lock, capped at MaxLock.
const (
	MaxFailures = 5
	BaseLock    = 15 * time.Minute
	MaxLock     = 24 * time.Hour
)

// SessionKind says who is logged in.
type SessionKind string

const (
	SessionEnterprise SessionKind = "enterprise"
	SessionAgent      SessionKind = "agent"
	SessionStaff      SessionKind = "staff"
)

// Session is a logged-in visit at the kiosk. It holds ids, never PII (the
// names are display names for the header). The predicates in session.go
// say who it is.
type Session struct {
	Kind           SessionKind
	EnterpriseID   string
	AgentID        string
	StaffID        string
	EnterpriseName string
	AgentName      string
	StaffName      string
	Admin          bool      // enterprise, or agent with 管理权限
	StaffRole      StaffRole // SessionStaff only
	Epoch          int       // Enterprise.SessionEpoch at login
	AgentEpoch     int       // Agent.SessionEpoch at login (agents only)
	Started        time.Time
}

// Auth holds the login use cases.
type Auth struct {
	Store  Store
	Clock  Clock
	Hasher PasswordHasher
	Kiosk  string
}

// AgentCredentials are the five fields of the agent login (manual §一(二)).
type AgentCredentials struct {
	Account, USCC, Phone, IDNumber, Password string
}

// lockDuration is the lock length for the n-th lock (n ≥ 1).
func lockDuration(n int) time.Duration {
	d := BaseLock
	for i := 1; i < n && d < MaxLock; i++ {
		d *= 2
	}
	if d > MaxLock {
		d = MaxLock
	}
	return d
}

// anonKey is the lockout key for an identifier that names no account, so
// that guessing an unknown account locks exactly like a known one and the
// lock itself reveals nothing.
func anonKey(kind string, parts ...string) string {
	h := sha256.Sum256([]byte(strings.ToLower(strings.Join(parts, "\x00"))))
	return kind + "-unknown:" + hex.EncodeToString(h[:12])
}

// BadCredentialsError is a wrong password (or an unknown account: the two
// read the same, so nothing tells whether an account exists) with the
// tries left before the principal is locked. errors.Is matches its base,
// ErrBadCredentials or ErrAgentBadCredentials.
type BadCredentialsError struct {
	Base *DomainError
	Left int // tries before the lock, 1..MaxFailures-1
}

func (e *BadCredentialsError) Error() string     { return e.Base.Code }
func (e *BadCredentialsError) Unwrap() error     { return e.Base }
func (e *BadCredentialsError) ErrorCode() string { return e.Base.Code }

// Message is the base sentence with the tries left (catalog id
// <base>_left, placeholder N).
func (e *BadCredentialsError) Message() i18n.Text {
	return i18n.T(e.Base.Msg.ID+"_left", "N", e.Left)
}

// badCredentials is the failure of a check that left failures counted.
func badCredentials(failures int) error {
	return &BadCredentialsError{Base: ErrBadCredentials, Left: MaxFailures - failures}
}

// LoginEnterprise logs an enterprise in by account or USCC and password.
func (a *Auth) LoginEnterprise(ctx context.Context, identifier, password string) (Session, error) {
	identifier = fold(identifier)
	var (
		ent   Enterprise
		found bool
	)
	r, err := a.reserve(ctx, "login.enterprise", LockEnterprise, func(tx Tx) (string, string, error) {
		var err error
		ent, found, err = findEnterprise(tx, identifier)
		if err != nil {
			return "", "", err
		}
		subject := "unknown"
		if found {
			subject = ent.ID
		}
		return enterpriseLockKey(ent, found, identifier), subject, nil
	})
	if err != nil {
		return Session{}, err
	}
	if found && ent.State == EnterprisePending && ent.PasswordHash == "" {
		a.dummyVerify(password)
		if err := a.finish(ctx, r, verdictNone, "anonymous", "pending", "", nil); err != nil {
			return Session{}, err
		}
		return Session{}, ErrPendingActivation
	}
	if !a.verify(found, ent.PasswordHash, password) {
		return Session{}, a.finish(ctx, r, verdictFail, "", "fail", "", nil)
	}
	rehash, err := a.rehash(ent.PasswordHash, password)
	if err != nil {
		return Session{}, a.finishRefused(ctx, r, err)
	}
	err = a.finish(ctx, r, verdictOK, "enterprise:"+ent.ID, "ok", string(ent.State), func(tx Tx) error {
		if rehash == "" {
			return nil
		}
		cur, err := tx.Enterprises().Get(ent.ID)
		if err != nil || cur.PasswordHash != ent.PasswordHash {
			return err // changed meanwhile (a reset): keep the newer hash
		}
		cur.PasswordHash = rehash
		return tx.Enterprises().Put(cur)
	})
	if err != nil {
		return Session{}, err
	}
	switch ent.State {
	case EnterprisePending:
		return Session{}, ErrPendingActivation
	case EnterpriseClosed:
		return Session{}, ErrAccountClosed
	}
	return Session{Kind: SessionEnterprise, EnterpriseID: ent.ID, EnterpriseName: ent.Name,
		Admin: true, Epoch: ent.SessionEpoch, Started: a.Clock.Now()}, nil
}

// LoginAgent logs an agent in with the five fields. Failures lock that one
// agent, never the enterprise.
func (a *Auth) LoginAgent(ctx context.Context, c AgentCredentials) (Session, error) {
	acct := fold(c.Account)
	uscc := strings.ToUpper(fold(c.USCC))
	idn := strings.ToUpper(fold(c.IDNumber))
	phone := fold(c.Phone)
	var (
		ent   Enterprise
		ag    Agent
		found bool
	)
	r, err := a.reserve(ctx, "login.agent", LockAgent, func(tx Tx) (string, string, error) {
		ent, ag, found = Enterprise{}, Agent{}, false
		e, err := tx.Enterprises().ByAccount(acct)
		if err == nil && e.USCC == uscc {
			g, err := tx.Agents().ByEnterpriseAndIDNumber(e.ID, idn)
			if err == nil {
				ent, ag, found = e, g, true
			} else if !errors.Is(err, ErrNotFound) {
				return "", "", err
			}
		} else if err != nil && !errors.Is(err, ErrNotFound) {
			return "", "", err
		}
		subject := "unknown"
		if found {
			subject = ag.ID
		}
		return agentLockKey(ag, found, acct, idn), subject, nil
	})
	if err != nil {
		return Session{}, err
	}
	// The phone is part of the credentials: a wrong one is a failed attempt
	// on that agent, checked after the (constant-cost) password verify.
	if ok := a.verify(found, ag.PasswordHash, c.Password) && found && ag.Phone == phone; !ok {
		err := a.finish(ctx, r, verdictFail, "", "fail", "", nil)
		if bad := (*BadCredentialsError)(nil); errors.As(err, &bad) {
			err = &BadCredentialsError{Base: ErrAgentBadCredentials, Left: bad.Left}
		}
		return Session{}, err
	}
	rehash, err := a.rehash(ag.PasswordHash, c.Password)
	if err != nil {
		return Session{}, a.finishRefused(ctx, r, err)
	}
	now := a.Clock.Now()
	err = a.finish(ctx, r, verdictOK, "agent:"+ag.ID, "ok", string(ag.State(now)), func(tx Tx) error {
		if rehash == "" {
			return nil
		}
		cur, err := tx.Agents().Get(ag.ID)
		if err != nil || cur.PasswordHash != ag.PasswordHash {
			return err
		}
		cur.PasswordHash = rehash
		return tx.Agents().Put(cur)
	})
	if err != nil {
		return Session{}, err
	}
	if ent.State != EnterpriseActive {
		return Session{}, ErrEnterpriseNotActive
	}
	if st := ag.State(now); st != AgentValid {
		return Session{}, &AgentStateError{State: st}
	}
	return Session{Kind: SessionAgent, EnterpriseID: ent.ID, AgentID: ag.ID, EnterpriseName: ent.Name,
		AgentName: ag.Name, Admin: ag.Admin, Epoch: ent.SessionEpoch, AgentEpoch: ag.SessionEpoch, Started: now}, nil
}

// Logout ends a session and records it.
func (a *Auth) Logout(ctx context.Context, s Session) error {
	actor, subject := "enterprise:"+s.EnterpriseID, s.EnterpriseID
	switch s.Kind {
	case SessionAgent:
		actor, subject = "agent:"+s.AgentID, s.AgentID
	case SessionStaff:
		actor, subject = "staff:"+s.StaffID, s.StaffID
	}
	return a.appendAudit(ctx, actor, "logout", subject, "ok", "")
}

// EnterpriseView loads the logged-in enterprise, refusing a session that a
// password reset or closure has ended.
func (a *Auth) EnterpriseView(ctx context.Context, s Session) (Enterprise, error) {
	var ent Enterprise
	err := a.Store.View(ctx, func(tx Tx) error {
		var err error
		ent, err = tx.Enterprises().Get(s.EnterpriseID)
		return err
	})
	if err != nil {
		return Enterprise{}, err
	}
	if ent.SessionEpoch != s.Epoch || ent.State != EnterpriseActive {
		return Enterprise{}, ErrSessionEnded
	}
	return ent, nil
}

// Check reports whether the login s still stands: nil, ErrSessionEnded
// (the enterprise closed or its password changed; the agent disabled,
// removed, outside its window or its password changed) or the store's
// failure. A staff login is checked where staff act.
func (a *Auth) Check(ctx context.Context, s Session) error {
	var err error
	switch s.Kind {
	case SessionEnterprise:
		_, err = a.EnterpriseView(ctx, s)
	case SessionAgent:
		_, _, err = a.AgentView(ctx, s)
	}
	if errors.Is(err, ErrNotFound) {
		return ErrSessionEnded // removed under the login
	}
	return err
}

// ErrPasswordAgain is the base of a wrong password given again by the
// login itself (Reverify): its sentence names the field, not the account
// (catalog id error.password_again_left with the tries left).
var ErrPasswordAgain = &DomainError{Code: "password_again", Msg: i18n.T("error.password_again")}

// Reverify checks the password of the login s again (修改密码's 原密码,
// 修改手机号码's 登录密码) as a login attempt of that principal: it counts
// toward the same lockout, so a stranger at a kiosk left logged in cannot
// guess at the password through it; a locked principal is refused without
// a check; each attempt is audited as action. It returns nil when the
// password is right, a *BadCredentialsError (base ErrPasswordAgain, with
// the tries left) or a *LockedError when not, ErrSessionEnded when the
// login no longer stands, ErrNotPermitted for a login that has no password
// of its own here (staff, nobody).
func (a *Auth) Reverify(ctx context.Context, s Session, action, password string) error {
	var (
		hash, actor string
		kind        LockKind
	)
	switch s.Kind {
	case SessionEnterprise:
		kind = LockEnterprise
	case SessionAgent:
		kind = LockAgent
	default:
		return ErrNotPermitted
	}
	now := a.Clock.Now()
	r, err := a.reserve(ctx, action, kind, func(tx Tx) (string, string, error) {
		ent, err := tx.Enterprises().Get(s.EnterpriseID)
		if err != nil {
			return "", "", endedBy(err)
		}
		if ent.SessionEpoch != s.Epoch || ent.State != EnterpriseActive {
			return "", "", ErrSessionEnded
		}
		if kind == LockEnterprise {
			hash, actor = ent.PasswordHash, "enterprise:"+ent.ID
			return enterpriseLockKey(ent, true, ""), ent.ID, nil
		}
		ag, err := tx.Agents().Get(s.AgentID)
		if errors.Is(err, ErrNotFound) || err == nil && ag.EnterpriseID != ent.ID {
			return "", "", ErrAgentRemoved
		} else if err != nil {
			return "", "", err
		}
		if err := AgentEnded(ag, now); err != nil {
			return "", "", err
		}
		if ag.SessionEpoch != s.AgentEpoch {
			return "", "", ErrSessionEnded
		}
		hash, actor = ag.PasswordHash, "agent:"+ag.ID
		return agentLockKey(ag, true, "", ""), ag.ID, nil
	})
	if err != nil {
		return err
	}
	if !a.verify(true, hash, password) {
		err := a.finish(ctx, r, verdictFail, "", "fail", "", nil)
		var bad *BadCredentialsError
		if errors.As(err, &bad) {
			bad.Base = ErrPasswordAgain
		}
		return err
	}
	return a.finish(ctx, r, verdictOK, actor, "ok", "", nil)
}

// endedBy turns a record gone under a login into the login's end.
func endedBy(err error) error {
	if errors.Is(err, ErrNotFound) {
		return ErrSessionEnded
	}
	return err
}

// AgentView loads the logged-in agent and its enterprise.
func (a *Auth) AgentView(ctx context.Context, s Session) (Agent, Enterprise, error) {
	ent, err := a.EnterpriseView(ctx, s)
	if err != nil {
		return Agent{}, Enterprise{}, err
	}
	var ag Agent
	err = a.Store.View(ctx, func(tx Tx) error {
		var err error
		ag, err = tx.Agents().Get(s.AgentID)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return Agent{}, Enterprise{}, ErrAgentRemoved
	}
	if err != nil {
		return Agent{}, Enterprise{}, err
	}
	if ag.EnterpriseID != ent.ID {
		return Agent{}, Enterprise{}, ErrAgentRemoved
	}
	if err := AgentEnded(ag, a.Clock.Now()); err != nil {
		return Agent{}, Enterprise{}, err
	}
	if ag.SessionEpoch != s.AgentEpoch {
		return Agent{}, Enterprise{}, ErrSessionEnded
	}
	return ag, ent, nil
}

// fold trims an identifier and folds full-width characters (ＡＢＣ１２３,
// as a Chinese input method types them) to their ASCII forms, so every
// caller of a login use case gets the same answer as the screens, which
// fold as they draw (model/rules cannot be used here: it imports model).
func fold(s string) string { return width.Fold.String(strings.TrimSpace(s)) }

func findEnterprise(tx Tx, identifier string) (Enterprise, bool, error) {
	if identifier == "" {
		return Enterprise{}, false, nil
	}
	// An 18-char identifier may be a USCC or an account; try the USCC first.
	if len(identifier) == 18 {
		e, err := tx.Enterprises().ByUSCC(strings.ToUpper(identifier))
		if err == nil {
			return e, true, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return Enterprise{}, false, err
		}
	}
	e, err := tx.Enterprises().ByAccount(identifier)
	if errors.Is(err, ErrNotFound) {
		return Enterprise{}, false, nil
	}
	return e, err == nil, err
}

func enterpriseLockKey(e Enterprise, found bool, identifier string) string {
	if found {
		return "enterprise:" + e.ID
	}
	return anonKey("enterprise", identifier)
}

func agentLockKey(ag Agent, found bool, account, idNumber string) string {
	if found {
		return "agent:" + ag.ID
	}
	return anonKey("agent", account, idNumber)
}

// verify checks a password; for an unknown principal it spends the same time
// so that timing does not reveal whether the account exists.
func (a *Auth) verify(found bool, phc, password string) bool {
	if !found || phc == "" {
		a.dummyVerify(password)
		return false
	}
	ok, err := a.Hasher.Verify(phc, password)
	return err == nil && ok
}

func (a *Auth) dummyVerify(password string) {
	if d, ok := a.Hasher.(interface{ DummyVerify(string) }); ok {
		d.DummyVerify(password)
	}
}

// rehash is the password hashed anew when phc was made with parameters
// the hasher no longer uses (pwhash.Hasher.NeedsRehash), else "". It runs
// outside any transaction: argon2id is slow.
func (a *Auth) rehash(phc, password string) (string, error) {
	n, ok := a.Hasher.(interface{ NeedsRehash(string) bool })
	if !ok || phc == "" || !n.NeedsRehash(phc) {
		return "", nil
	}
	return a.Hasher.Hash(password)
}

// finishRefused gives the slot of r back after a failure of the kiosk
// itself (not a verdict on the credentials) and returns err.
func (a *Auth) finishRefused(ctx context.Context, r reservation, err error) error {
	if ferr := a.finish(ctx, r, verdictNone, "anonymous", "error", "", nil); ferr != nil {
		return errors.Join(err, ferr)
	}
	return err
}

func (a *Auth) record(actor, action, subject, outcome, detail string) AuditRecord {
	return AuditRecord{Time: a.Clock.Now(), Kiosk: a.Kiosk, Actor: actor, Action: action,
		Subject: subject, Outcome: outcome, Detail: detail}
}

func (a *Auth) appendAudit(ctx context.Context, actor, action, subject, outcome, detail string) error {
	return a.Store.Update(ctx, func(tx Tx) error {
		_, err := tx.Audit().Append(a.record(actor, action, subject, outcome, detail))
		return err
	})
}
