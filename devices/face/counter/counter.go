// Package counter is face verification by a person: a counter staff member
// (窗口工作人员) checks the visitor against the ID card in person and
// confirms with staff credentials. Verify never decides on its own: it
// returns face.ErrNeedsStaff so the screen shows the staff confirmation
// form, whose submit calls Confirm. Every confirmation attempt is audited
// as "face.counter_confirm"; five wrong passwords lock the staff username
// like any login (model.MaxFailures, model.BaseLock doubling).
package counter

import (
	"context"
	"errors"
	"strings"
	"time"

	"kiosk/devices/face"
	"kiosk/model"
)

// Action is the audit action of a confirmation attempt.
const Action = "face.counter_confirm"

// Verifier is the counter adapter. Clock nil means the system clock.
type Verifier struct {
	Store  model.Store
	Hasher model.PasswordHasher
	Clock  model.Clock
	Kiosk  string
}

var _ face.Verifier = (*Verifier)(nil)

// Name implements face.Verifier.
func (v *Verifier) Name() string { return "counter" }

// Simulated implements face.Verifier: false, a real person decides.
func (v *Verifier) Simulated() bool { return false }

// Check implements face.Verifier: the store holding staff must answer.
func (v *Verifier) Check(ctx context.Context) error {
	return v.Store.View(ctx, func(model.Tx) error { return nil })
}

// Verify implements face.Verifier: it always asks for staff.
func (v *Verifier) Verify(ctx context.Context, _ face.Request) (face.Result, error) {
	if err := ctx.Err(); err != nil {
		return face.Result{}, err
	}
	return face.Result{}, face.ErrNeedsStaff
}

// Rejected is the reason shown when the staff member does not confirm.
const Rejected = "工作人员现场核验未通过，请携带有效证件到窗口办理"

// Confirm checks the staff credentials and records the staff member's
// decision. approve says whether the staff member confirmed that the
// visitor is the holder of the ID. Wrong credentials give
// model.ErrBadCredentials (or *model.LockedError once locked), never a
// Result.
func (v *Verifier) Confirm(ctx context.Context, username, password string, approve bool) (face.Result, error) {
	if err := ctx.Err(); err != nil {
		return face.Result{}, err
	}
	username = strings.TrimSpace(username)
	key := "staff:" + strings.ToLower(username)
	var (
		staff model.Staff
		found bool
		lock  model.Lockout
	)
	err := v.Store.View(ctx, func(tx model.Tx) error {
		var err error
		if lock, err = tx.Lockouts().Get(key); err != nil {
			return err
		}
		staff, err = tx.Staff().ByUsername(username)
		switch {
		case err == nil:
			found = true
		case errors.Is(err, model.ErrNotFound):
			err = nil
		}
		return err
	})
	if err != nil {
		return face.Result{}, err
	}
	now := v.now()
	if lock.LockedUntil.After(now) {
		locked := &model.LockedError{Until: lock.LockedUntil}
		if err := v.audit(ctx, "anonymous", subject(staff, found), "locked", "staff locked"); err != nil {
			return face.Result{}, err
		}
		return face.Result{}, locked
	}
	if !v.verify(found, staff.PasswordHash, password) {
		return face.Result{}, v.fail(ctx, key, subject(staff, found))
	}
	outcome, res := "rejected", face.Result{Match: false, Reason: Rejected, Outcome: face.Counter}
	if approve {
		outcome, res = "approved", face.ResultFor(face.Counter, 1)
		res.Match = true
	}
	err = v.Store.Update(ctx, func(tx model.Tx) error {
		if err := tx.Lockouts().Delete(key); err != nil {
			return err
		}
		_, err := tx.Audit().Append(v.record("staff:"+staff.ID, "", outcome, "in-person identity check"))
		return err
	})
	if err != nil {
		return face.Result{}, err
	}
	return res, nil
}

// verify spends the same effort for an unknown username, so timing does
// not tell which staff usernames exist.
func (v *Verifier) verify(found bool, phc, password string) bool {
	if !found || phc == "" || password == "" {
		if d, ok := v.Hasher.(interface{ DummyVerify(string) }); ok {
			d.DummyVerify(password)
		}
		return false
	}
	ok, err := v.Hasher.Verify(phc, password)
	return err == nil && ok
}

// fail counts a failed confirmation and locks the username after
// model.MaxFailures in a row.
func (v *Verifier) fail(ctx context.Context, key, subj string) error {
	now := v.now()
	var locked *model.LockedError
	err := v.Store.Update(ctx, func(tx model.Tx) error {
		locked = nil
		l, err := tx.Lockouts().Get(key)
		if err != nil {
			return err
		}
		l.Key, l.UpdatedAt = key, now
		l.Failures++
		outcome := "fail"
		if l.Failures >= model.MaxFailures {
			l.Locks++
			l.Failures = 0
			l.LockedUntil = now.Add(lockDuration(l.Locks))
			locked = &model.LockedError{Until: l.LockedUntil}
			outcome = "locked"
		}
		if err := tx.Lockouts().Put(l); err != nil {
			return err
		}
		_, err = tx.Audit().Append(v.record("anonymous", subj, outcome, "bad staff credentials"))
		return err
	})
	if err != nil {
		return err
	}
	if locked != nil {
		return locked
	}
	return model.ErrBadCredentials
}

func (v *Verifier) audit(ctx context.Context, actor, subj, outcome, detail string) error {
	return v.Store.Update(ctx, func(tx model.Tx) error {
		_, err := tx.Audit().Append(v.record(actor, subj, outcome, detail))
		return err
	})
}

func (v *Verifier) record(actor, subj, outcome, detail string) model.AuditRecord {
	return model.AuditRecord{Time: v.now(), Kiosk: v.Kiosk, Actor: actor, Action: Action,
		Subject: subj, Outcome: outcome, Detail: detail}
}

func (v *Verifier) now() time.Time {
	if v.Clock == nil {
		return time.Now()
	}
	return v.Clock.Now()
}

// subject names the staff record by internal id; unknown usernames are
// never written down (they may be a mistyped password).
func subject(s model.Staff, found bool) string {
	if !found {
		return ""
	}
	return "staff:" + s.ID
}

// lockDuration mirrors the login policy: BaseLock doubling per lock,
// capped at MaxLock.
func lockDuration(n int) time.Duration {
	d := model.BaseLock
	for i := 1; i < n && d < model.MaxLock; i++ {
		d *= 2
	}
	return min(d, model.MaxLock)
}
