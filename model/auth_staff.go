package model

import (
	"context"
	"errors"
	"strings"

	"kiosk/model/i18n"
)

// ErrStaffForbidden: the staff credentials are right but the staff member's
// role does not allow what was asked (a reviewer confirming a face).
var ErrStaffForbidden = &DomainError{Code: "staff_forbidden", Msg: i18n.T("error.staff_forbidden")}

// StaffAttempt is one check of staff credentials (AuthenticateStaff).
type StaffAttempt struct {
	Username, Password string
	// Action is the audit action of the attempt ("login.staff",
	// "face.counter_confirm").
	Action string
	// Roles the staff member must hold one of (StaffAdmin holds all); none
	// means any staff member.
	Roles []StaffRole
	// Outcome and Detail of the audit record of a successful attempt;
	// "ok" and "" when empty. A use case that checks the credentials to
	// confirm a decision records the decision here ("approved"), so the
	// attempt stays one record.
	Outcome, Detail string
}

// AuthenticateStaff checks a staff member's credentials for action and
// writes one audit record for the attempt under that action. The lock key
// is "staff:"+lower(username), with the login lockout rules (MaxFailures,
// BaseLock doubling to MaxLock). An unknown username costs the same as a
// known one, and a disabled staff member is refused like a wrong password
// (ErrBadCredentials; audited "disabled").
func (a *Auth) AuthenticateStaff(ctx context.Context, username, password, action string) (Staff, error) {
	return a.CheckStaff(ctx, StaffAttempt{Username: username, Password: password, Action: action})
}

// LoginStaff logs a staff member in (staff mode): AuthenticateStaff with the
// action "login.staff", then a staff Session.
func (a *Auth) LoginStaff(ctx context.Context, username, password string) (Session, error) {
	st, err := a.AuthenticateStaff(ctx, username, password, "login.staff")
	if err != nil {
		return Session{}, err
	}
	return Session{Kind: SessionStaff, StaffID: st.ID, StaffName: st.Name, StaffRole: st.EffectiveRole(),
		Started: a.Clock.Now()}, nil
}

// CheckStaff is AuthenticateStaff with the options of StaffAttempt. Audit
// records name the staff member by internal id only ("staff:<id>"); an
// unknown username is never written down (it may be a mistyped password).
// Failures are audited as "anonymous" with the staff record as subject;
// success as the staff member, with no subject.
func (a *Auth) CheckStaff(ctx context.Context, at StaffAttempt) (Staff, error) {
	username := strings.TrimSpace(at.Username)
	key := StaffLockKey(username)
	var (
		st    Staff
		found bool
		lock  Lockout
	)
	err := a.Store.View(ctx, func(tx Tx) error {
		var err error
		if lock, err = tx.Lockouts().Get(key); err != nil {
			return err
		}
		st, err = tx.Staff().ByUsername(username)
		found = err == nil
		if errors.Is(err, ErrNotFound) {
			err = nil
		}
		return err
	})
	if err != nil {
		return Staff{}, err
	}
	subject := ""
	if found {
		subject = "staff:" + st.ID
	}
	if lock.LockedUntil.After(a.Clock.Now()) {
		if err := a.appendAudit(ctx, "anonymous", at.Action, subject, "locked", ""); err != nil {
			return Staff{}, err
		}
		return Staff{}, &LockedError{Until: lock.LockedUntil}
	}
	// Always verify, so that a disabled staff member costs what an active one does.
	ok := a.verify(found, st.PasswordHash, at.Password)
	switch {
	case found && st.Disabled:
		return Staff{}, a.fail(ctx, key, at.Action, subject, "disabled")
	case !ok:
		return Staff{}, a.fail(ctx, key, at.Action, subject, "fail")
	}
	if !allowsAny(st.EffectiveRole(), at.Roles) {
		// The credentials were right: the failures end, the refusal is recorded.
		if err := a.succeed(ctx, key, "staff:"+st.ID, at.Action, "", "forbidden", string(st.EffectiveRole())); err != nil {
			return Staff{}, err
		}
		return Staff{}, ErrStaffForbidden
	}
	outcome := at.Outcome
	if outcome == "" {
		outcome = "ok"
	}
	if err := a.succeed(ctx, key, "staff:"+st.ID, at.Action, "", outcome, at.Detail); err != nil {
		return Staff{}, err
	}
	return st, nil
}

// StaffLockKey is the lockout key of a staff username: usernames are
// unique case-insensitively, so the key is lower case.
func StaffLockKey(username string) string {
	return "staff:" + strings.ToLower(strings.TrimSpace(username))
}

// allowsAny reports whether role r may act as one of roles (any role when
// none is given).
func allowsAny(r StaffRole, roles []StaffRole) bool {
	if len(roles) == 0 {
		return true
	}
	for _, want := range roles {
		if r.Allows(want) {
			return true
		}
	}
	return false
}
