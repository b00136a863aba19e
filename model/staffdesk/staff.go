package staffdesk

import (
	"context"
	"errors"
	"time"

	"kiosk/model"
	"kiosk/model/staffadmin"
)

// Member is a staff account as 工作人员管理 lists it (never its password
// hash).
type Member struct {
	Username  string
	Name      string
	Role      model.StaffRole
	Disabled  bool
	Self      bool // the staff member logged in
	CreatedAt time.Time
}

// Staff management is 管理员's, through model/staffadmin (what the CLI
// `kiosk staff …` uses), with the staff member as the audit actor. Each
// call checks the login first; a 管理员 may not disable or reset
// themselves (ErrSelf): another 管理员 does, or the operator at the CLI.

// admin is staffadmin's Admin acting for s.
func (d *Desk) admin(s model.Session) *staffadmin.Admin {
	return &staffadmin.Admin{Store: d.Store, Clock: d.Clock, Hasher: d.Hasher, Kiosk: d.Kiosk, Actor: actor(s)}
}

// Members lists every staff account, ordered by username.
func (d *Desk) Members(ctx context.Context, s model.Session) ([]Member, error) {
	var out []Member
	err := d.Store.View(ctx, func(tx model.Tx) error {
		out = nil
		if err := model.StaffStands(tx, s, Roles(Members)...); err != nil {
			return err
		}
		all, err := tx.Staff().List()
		if err != nil {
			return err
		}
		for _, st := range all {
			out = append(out, Member{Username: st.Username, Name: st.Name, Role: st.EffectiveRole(),
				Disabled: st.Disabled, Self: st.ID == s.StaffID, CreatedAt: st.CreatedAt})
		}
		return nil
	})
	return out, err
}

// AddMember creates an enabled staff account (staffadmin.Add: the username
// an account name, the name a person's name, the password policy).
// ErrUsernameTaken when the username is in use.
func (d *Desk) AddMember(ctx context.Context, s model.Session, n staffadmin.NewStaff) (Member, error) {
	if err := d.stands(ctx, s, Members); err != nil {
		return Member{}, err
	}
	st, err := d.admin(s).Add(ctx, n)
	if err != nil {
		return Member{}, refusal(err)
	}
	return Member{Username: st.Username, Name: st.Name, Role: st.EffectiveRole(), CreatedAt: st.CreatedAt}, nil
}

// SetMemberDisabled disables (or enables) a staff account. ErrAlready when
// it already is; ErrSelf for the staff member logged in.
func (d *Desk) SetMemberDisabled(ctx context.Context, s model.Session, username string, disabled bool) error {
	if err := d.notSelf(ctx, s, username); err != nil {
		return err
	}
	var err error
	if disabled {
		_, err = d.admin(s).Disable(ctx, username)
	} else {
		_, err = d.admin(s).Enable(ctx, username)
	}
	return refusal(err)
}

// ResetMemberPassword sets a staff member's password (the policy; not the
// current one) and clears their failed logins. ErrSelf for the staff
// member logged in: a password is not changed without the old one.
func (d *Desk) ResetMemberPassword(ctx context.Context, s model.Session, username, password string) error {
	if err := d.notSelf(ctx, s, username); err != nil {
		return err
	}
	_, err := d.admin(s).ResetPassword(ctx, username, password)
	return refusal(err)
}

// notSelf checks the login for staff management and that username is
// someone else's (ErrNoSuchStaff when nobody's).
func (d *Desk) notSelf(ctx context.Context, s model.Session, username string) error {
	return d.Store.View(ctx, func(tx model.Tx) error {
		if err := model.StaffStands(tx, s, Roles(Members)...); err != nil {
			return err
		}
		st, err := tx.Staff().ByUsername(username)
		if errors.Is(err, model.ErrNotFound) {
			return ErrNoSuchStaff
		}
		if err != nil {
			return err
		}
		if st.ID == s.StaffID {
			return ErrSelf
		}
		return nil
	})
}

// refusal turns staffadmin's plain errors into the console's refusals;
// the policy's own errors (rules) already carry their sentences.
func refusal(err error) error {
	var dup *model.DuplicateError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &dup):
		return ErrUsernameTaken
	case errors.Is(err, staffadmin.ErrStaffDisabled), errors.Is(err, staffadmin.ErrStaffEnabled):
		return ErrAlready
	case errors.Is(err, model.ErrNotFound):
		return ErrNoSuchStaff
	}
	return err
}
