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
	var (
		st    Staff
		found bool
	)
	r, err := a.reserve(ctx, at.Action, "", func(tx Tx) (string, string, error) {
		var err error
		st, err = tx.Staff().ByUsername(username)
		found = err == nil
		if errors.Is(err, ErrNotFound) {
			st, err = Staff{}, nil
		}
		if err != nil {
			return "", "", err
		}
		subject := ""
		if found {
			subject = "staff:" + st.ID
		}
		return StaffLockKey(username), subject, nil
	})
	if err != nil {
		return Staff{}, err
	}
	// Always verify, so that a disabled staff member costs what an active one does.
	ok := a.verify(found, st.PasswordHash, at.Password)
	switch {
	case found && st.Disabled:
		return Staff{}, a.finish(ctx, r, verdictFail, "", "disabled", "", nil)
	case !ok:
		return Staff{}, a.finish(ctx, r, verdictFail, "", "fail", "", nil)
	}
	r.subject = "" // success is audited as the staff member, with no subject
	if !allowsAny(st.EffectiveRole(), at.Roles) {
		// The credentials were right: the failures end, the refusal is recorded.
		if err := a.finish(ctx, r, verdictOK, "staff:"+st.ID, "forbidden", string(st.EffectiveRole()), nil); err != nil {
			return Staff{}, err
		}
		return Staff{}, ErrStaffForbidden
	}
	rehash, err := a.rehash(st.PasswordHash, at.Password)
	if err != nil {
		return Staff{}, a.finishRefused(ctx, r, err)
	}
	outcome := at.Outcome
	if outcome == "" {
		outcome = "ok"
	}
	err = a.finish(ctx, r, verdictOK, "staff:"+st.ID, outcome, at.Detail, func(tx Tx) error {
		if rehash == "" {
			return nil
		}
		cur, err := tx.Staff().ByUsername(st.Username)
		if err != nil || cur.ID != st.ID || cur.PasswordHash != st.PasswordHash {
			return err
		}
		cur.PasswordHash = rehash
		return tx.Staff().Put(cur)
	})
	if err != nil {
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
