// Package counter is face verification by a person: a counter staff member
// (窗口工作人员) checks the visitor against the ID card in person and
// confirms with staff credentials. Verify never decides on its own: it
// returns face.ErrNeedsStaff so the screen shows the staff confirmation
// form, whose submit calls Confirm. The credentials, their lockout and the
// audit are model.Auth's (CheckStaff): every confirmation attempt is one
// audit record "face.counter_confirm"; five wrong passwords lock the staff
// username like any login (model.MaxFailures, model.BaseLock doubling).
package counter

import (
	"context"

	"kiosk/devices/face"
	"kiosk/model"
	"kiosk/model/i18n"
)

// Action is the audit action of a confirmation attempt.
const Action = "face.counter_confirm"

// Verifier is the counter adapter. Auth checks the staff credentials; its
// Store, Clock, Hasher and Kiosk are the ones of the kiosk's logins.
type Verifier struct {
	Auth *model.Auth
}

var (
	_ face.Verifier   = (*Verifier)(nil)
	_ model.FaceStaff = (*Verifier)(nil)
)

// Name implements face.Verifier.
func (v *Verifier) Name() string { return "counter" }

// Simulated implements face.Verifier: false, a real person decides.
func (v *Verifier) Simulated() bool { return false }

// Check implements face.Verifier: the store holding staff must answer.
func (v *Verifier) Check(ctx context.Context) error {
	return v.Auth.Store.View(ctx, func(model.Tx) error { return nil })
}

// Verify implements face.Verifier: it always asks for staff.
func (v *Verifier) Verify(ctx context.Context, _ face.Request) (face.Result, error) {
	if err := ctx.Err(); err != nil {
		return face.Result{}, err
	}
	return face.Result{}, face.ErrNeedsStaff
}

// Rejected is the reason shown when the staff member does not confirm.
var Rejected = i18n.T("face.counter_rejected")

// Confirm checks the staff credentials and records the staff member's
// decision. approve says whether the staff member confirmed that the
// visitor is the holder of the ID. Wrong credentials (or a disabled staff
// member) give model.ErrBadCredentials, or *model.LockedError once locked,
// never a Result; a staff member whose role does not confirm faces (a
// reviewer) gets model.ErrStaffForbidden.
func (v *Verifier) Confirm(ctx context.Context, username, password string, approve bool) (face.Result, error) {
	res, _, err := v.confirm(ctx, username, password, approve)
	return res, err
}

// ConfirmFace implements model.FaceStaff (Confirm for the model's
// FaceService): the verdict's Ref is the staff member's username as stored.
func (v *Verifier) ConfirmFace(ctx context.Context, username, password string, approve bool) (model.FaceVerdict, error) {
	res, st, err := v.confirm(ctx, username, password, approve)
	if err != nil {
		return model.FaceVerdict{}, err
	}
	verdict := face.Verdict(res)
	verdict.Ref = st.Username
	return verdict, nil
}

func (v *Verifier) confirm(ctx context.Context, username, password string, approve bool) (face.Result, model.Staff, error) {
	if err := ctx.Err(); err != nil {
		return face.Result{}, model.Staff{}, err
	}
	outcome, res := "rejected", face.Result{Match: false, Reason: Rejected, Outcome: face.Counter}
	if approve {
		outcome, res = "approved", face.ResultFor(face.Counter, 1)
		res.Match = true
	}
	st, err := v.Auth.CheckStaff(ctx, model.StaffAttempt{Username: username, Password: password, Action: Action,
		Roles: []model.StaffRole{model.StaffCounter}, Outcome: outcome, Detail: "in-person identity check"})
	if err != nil {
		return face.Result{}, model.Staff{}, err
	}
	return res, st, nil
}
