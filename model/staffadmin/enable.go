package staffadmin

import (
	"context"
	"errors"

	"kiosk/model"
)

// AuditStaffEnable is the audit action of Enable.
const AuditStaffEnable = "staff.enable"

// ErrStaffEnabled: the staff member is not disabled.
var ErrStaffEnabled = errors.New("staff member is not disabled")

// Enable lets a disabled staff member log in again (the staff console's
// 启用; the CLI has no twin: a member who left is added anew). Their
// password and failed logins are as they were.
func (a *Admin) Enable(ctx context.Context, username string) (model.Staff, error) {
	var st model.Staff
	err := a.Store.Update(ctx, func(tx model.Tx) error {
		var err error
		if st, err = a.find(tx, username); err != nil {
			return err
		}
		if !st.Disabled {
			return ErrStaffEnabled
		}
		st.Disabled = false
		if err := tx.Staff().Put(st); err != nil {
			return err
		}
		return a.audit(tx, AuditStaffEnable, st, "")
	})
	return st, err
}
