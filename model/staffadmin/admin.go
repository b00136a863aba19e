// Package staffadmin holds the operator's staff-account use cases.
package staffadmin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"kiosk/model"
	"kiosk/model/rules"
)

// Audit actions of Admin.
const (
	AuditStaffAdd           = "staff.add"
	AuditStaffDisable       = "staff.disable"
	AuditStaffResetPassword = "staff.reset_password"
)

// Admin manages staff accounts for the operator (`kiosk staff …`):
// production has no demo staff, so this is how the first and every later
// staff account is made. Each action is one transaction with its audit
// record (Actor, never the password); passwords follow the platform policy
// and are hashed before the transaction, whose closure may be re-run.
type Admin struct {
	Store  model.Store
	Clock  model.Clock
	Hasher model.PasswordHasher
	Kiosk  string
	// Actor is the audit actor of every action ("cli").
	Actor string
}

// NewStaff is what Add needs.
type NewStaff struct {
	Username string
	Name     string
	Role     model.StaffRole
	Password string
}

// ErrStaffDisabled: the staff member is already disabled.
var ErrStaffDisabled = errors.New("staff member is already disabled")

// ParseStaffRole reads a role as the operator types it: the Chinese title
// (窗口人员, 审核员, 管理员) or the English value (counter, reviewer, admin).
func ParseStaffRole(s string) (model.StaffRole, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "counter", "窗口人员", "窗口工作人员": // i18n:data, operator input
		return model.StaffCounter, true
	case "reviewer", "审核员", "审核人员": // i18n:data, operator input
		return model.StaffReviewer, true
	case "admin", "管理员": // i18n:data, operator input
		return model.StaffAdmin, true
	}
	return "", false
}

// Add creates an enabled staff member. The username is an account name
// (rules.ValidAccount), unique case-insensitively (*DuplicateError
// "username"); the password must pass rules.CheckPassword.
func (a *Admin) Add(ctx context.Context, n NewStaff) (model.Staff, error) {
	n.Username, n.Name = rules.NormalizeInput(n.Username), strings.TrimSpace(n.Name)
	if err := rules.ValidAccount(n.Username); err != nil {
		return model.Staff{}, fmt.Errorf("username: %w", err)
	}
	if err := rules.ValidName(n.Name); err != nil {
		return model.Staff{}, fmt.Errorf("name: %w", err)
	}
	switch n.Role {
	case model.StaffCounter, model.StaffReviewer, model.StaffAdmin:
	default:
		return model.Staff{}, fmt.Errorf("role %q is not counter, reviewer or admin", n.Role)
	}
	hash, err := a.hash(n.Password, n.Username, n.Name)
	if err != nil {
		return model.Staff{}, err
	}
	now := a.Clock.Now()
	st := model.Staff{ID: model.NewID(), Username: n.Username, Name: n.Name, PasswordHash: hash, Role: n.Role, CreatedAt: now}
	err = a.Store.Update(ctx, func(tx model.Tx) error {
		if err := tx.Staff().Put(st); err != nil {
			return err
		}
		return a.audit(tx, AuditStaffAdd, st, "role="+string(st.Role))
	})
	if err != nil {
		return model.Staff{}, err
	}
	return st, nil
}

// Disable stops a staff member from logging in or confirming anything
// (AuthenticateStaff refuses a disabled member). The record stays, so the
// audit trail keeps naming who they were.
func (a *Admin) Disable(ctx context.Context, username string) (model.Staff, error) {
	var st model.Staff
	err := a.Store.Update(ctx, func(tx model.Tx) error {
		var err error
		if st, err = a.find(tx, username); err != nil {
			return err
		}
		if st.Disabled {
			return ErrStaffDisabled
		}
		st.Disabled = true
		if err := tx.Staff().Put(st); err != nil {
			return err
		}
		return a.audit(tx, AuditStaffDisable, st, "")
	})
	return st, err
}

// ResetPassword sets a new password (not the current one, model.ErrSamePassword)
// and clears the member's failed logins, so a locked-out member can log in
// with it at once. A disabled member stays disabled.
func (a *Admin) ResetPassword(ctx context.Context, username, password string) (model.Staff, error) {
	var st model.Staff
	err := a.Store.View(ctx, func(tx model.Tx) error {
		var err error
		st, err = a.find(tx, username)
		return err
	})
	if err != nil {
		return model.Staff{}, err
	}
	if ok, _ := a.Hasher.Verify(st.PasswordHash, password); ok {
		return model.Staff{}, model.ErrSamePassword
	}
	hash, err := a.hash(password, st.Username, st.Name)
	if err != nil {
		return model.Staff{}, err
	}
	err = a.Store.Update(ctx, func(tx model.Tx) error {
		cur, err := a.find(tx, username)
		if err != nil {
			return err
		}
		if cur.ID != st.ID {
			return fmt.Errorf("staff %s changed meanwhile; try again", username)
		}
		st = cur
		st.PasswordHash = hash
		if err := tx.Staff().Put(st); err != nil {
			return err
		}
		if err := tx.Lockouts().Delete(model.StaffLockKey(st.Username)); err != nil {
			return err
		}
		return a.audit(tx, AuditStaffResetPassword, st, "")
	})
	return st, err
}

// List returns every staff member, ordered by username. The records carry
// their password hashes; a caller that shows them prints the other fields.
func (a *Admin) List(ctx context.Context) ([]model.Staff, error) {
	var out []model.Staff
	err := a.Store.View(ctx, func(tx model.Tx) error {
		var err error
		out, err = tx.Staff().List()
		return err
	})
	return out, err
}

// hash applies the password policy (the username and the staff member's
// name as zxcvbn's user inputs) and hashes.
func (a *Admin) hash(password, username, name string) (string, error) {
	if err := rules.CheckPassword(password, username, name); err != nil {
		return "", fmt.Errorf("password: %w", err)
	}
	h, err := a.Hasher.Hash(password)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

func (a *Admin) find(tx model.Tx, username string) (model.Staff, error) {
	st, err := tx.Staff().ByUsername(strings.TrimSpace(username))
	if errors.Is(err, model.ErrNotFound) {
		return model.Staff{}, fmt.Errorf("no staff member %q: %w", username, model.ErrNotFound)
	}
	return st, err
}

// audit records an action on st by internal id only: the username is
// chosen by people and may be personal.
func (a *Admin) audit(tx model.Tx, action string, st model.Staff, detail string) error {
	_, err := tx.Audit().Append(model.AuditRecord{Time: a.Clock.Now(), Kiosk: a.Kiosk, Actor: a.Actor,
		Action: action, Subject: "staff:" + st.ID, Outcome: "ok", Detail: detail})
	return err
}
