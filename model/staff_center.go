package model

import (
	"context"
	"time"

	"kiosk/model/i18n"
)

// The reads and checks of the staff console (staff mode) that need the
// model's own lock keys; the console's other use cases are in
// model/staffdesk.

// ErrEnterpriseNotFound: a staff look-up found no enterprise with that
// account or USCC. Staff are told plainly; nobody else ever is.
var ErrEnterpriseNotFound = &DomainError{Code: "enterprise_not_found", Msg: i18n.T("staff.error.enterprise_not_found")}

// StaffStands checks, inside tx, that s is a staff login of one of roles
// (any staff member when none are given) whose staff record still stands:
// ErrStaffForbidden for anyone else or a role that does not allow it,
// ErrSessionEnded when the staff member was disabled, removed or given a
// role that no longer allows it since logging in. Every staff use case
// calls it first, whatever the route guard already checked.
func StaffStands(tx Tx, s Session, roles ...StaffRole) error {
	if !s.IsStaff(roles...) || s.StaffID == "" {
		return ErrStaffForbidden
	}
	all, err := tx.Staff().List()
	if err != nil {
		return err
	}
	for _, st := range all {
		if st.ID != s.StaffID {
			continue
		}
		if st.Disabled || !allowsAny(st.EffectiveRole(), roles) {
			return ErrSessionEnded
		}
		return nil
	}
	return ErrSessionEnded
}

// LockState is a principal's login lock as it stands now (the count decayed
// and dead kiosks' checks dropped, as the next attempt would see it).
type LockState struct {
	Failures    int       // consecutive failures since the last success or lock
	Locks       int       // locks so far within the decay window
	LockedUntil time.Time // zero when not locked
	LastFailure time.Time // zero when none counts
}

// Locked reports whether the lock is in force at now.
func (l LockState) Locked(now time.Time) bool { return l.LockedUntil.After(now) }

// Clear reports whether there is nothing to unlock: no lock, no failures.
func (l LockState) Clear(now time.Time) bool { return !l.Locked(now) && l.Failures == 0 }

// EnterpriseLock is what a staff member sees of an enterprise at the
// counter: the record and its login lock.
type EnterpriseLock struct {
	Enterprise Enterprise
	Lock       LockState
}

// LookupEnterprise finds the enterprise whose account or USCC is identifier
// (typed as at 企业登录: trimmed, full width folded, a USCC in any case) for
// a staff member at the counter, with its login lock. Any staff role may
// look; the look-up is audited ("staff.enterprise_lookup", outcome "ok" or
// "none") with the staff member as actor. ErrEnterpriseNotFound when there
// is none.
func (a *Auth) LookupEnterprise(ctx context.Context, staff Session, identifier string) (EnterpriseLock, error) {
	identifier = fold(identifier)
	if identifier == "" {
		return EnterpriseLock{}, errNoIdentifier
	}
	now := a.Clock.Now()
	var out EnterpriseLock
	found := false
	err := a.Store.Update(ctx, func(tx Tx) error {
		out, found = EnterpriseLock{}, false
		if err := StaffStands(tx, staff); err != nil {
			return err
		}
		ent, ok, err := findEnterprise(tx, identifier)
		if err != nil {
			return err
		}
		subject, outcome := "unknown", "none"
		if ok {
			l, err := tx.Lockouts().Get(enterpriseLockKey(ent, true, ""))
			if err != nil {
				return err
			}
			l = settled(l, now)
			out = EnterpriseLock{Enterprise: ent, Lock: LockState{Failures: l.Failures, Locks: l.Locks,
				LockedUntil: l.LockedUntil, LastFailure: l.LastFailure}}
			found, subject, outcome = true, ent.ID, "ok"
		}
		_, err = tx.Audit().Append(a.record("staff:"+staff.StaffID, "staff.enterprise_lookup", subject, outcome, ""))
		return err
	})
	if err != nil {
		return EnterpriseLock{}, err
	}
	if !found {
		return EnterpriseLock{}, ErrEnterpriseNotFound
	}
	return out, nil
}

// UnlockEnterprise is ClearLock for the staff console: the staff member's
// record must still stand and allow the counter's work (StaffCounter or
// StaffAdmin), and the enterprise must exist (the console unlocks what it
// looked up; ClearLock alone takes any identifier, so that nothing tells
// the two apart at the CLI).
func (a *Auth) UnlockEnterprise(ctx context.Context, staff Session, identifier string) error {
	identifier = fold(identifier)
	err := a.Store.View(ctx, func(tx Tx) error {
		if err := StaffStands(tx, staff, StaffCounter); err != nil {
			return err
		}
		_, ok, err := findEnterprise(tx, identifier)
		if err == nil && !ok {
			err = ErrEnterpriseNotFound
		}
		return err
	})
	if err != nil {
		return err
	}
	return a.ClearLock(ctx, staff, identifier)
}
