package account_test

import (
	"context"
	"errors"
	"testing"

	"kiosk/model"
	"kiosk/model/account"
)

const agentPw = "Agent@2026" // the demo agents' password (assets/demo)

// agentsOf are the demo enterprise's agents: the enterprise, and each
// agent by its state at the fixture's clock.
func (f *fixture) agentsOf(uscc string) (model.Enterprise, map[model.AgentState]model.Agent) {
	f.t.Helper()
	ent, err := f.enterpriseByUSCC(uscc)
	if err != nil {
		f.t.Fatal(err)
	}
	by := map[model.AgentState]model.Agent{}
	err = f.store.View(context.Background(), func(tx model.Tx) error {
		ags, err := tx.Agents().ListByEnterprise(ent.ID)
		for _, a := range ags {
			if _, seen := by[a.State(f.clk.Now())]; !seen {
				by[a.State(f.clk.Now())] = a
			}
		}
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return ent, by
}

// agentSession is a login of a as its enterprise's current epochs give it.
func agentSession(ent model.Enterprise, a model.Agent) model.Session {
	return model.Session{Kind: model.SessionAgent, EnterpriseID: ent.ID, AgentID: a.ID, Admin: a.Admin,
		Epoch: ent.SessionEpoch, AgentEpoch: a.SessionEpoch}
}

// 修改密码 by the enterprise: the other login ends, this one stays, the new
// password logs in, the old does not; a notice and an audit record.
func TestChangePasswordEnterprise(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	here, err := f.auth.LoginEnterprise(ctx, activeAccount, demoPw)
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, err := f.auth.LoginEnterprise(ctx, activeUSCC, demoPw)
	if err != nil {
		t.Fatal(err)
	}
	stays, err := f.svc.ChangePassword(ctx, here, demoPw, newPw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.EnterpriseView(ctx, stays); err != nil {
		t.Errorf("the changing login ended: %v", err)
	}
	if _, err := f.auth.EnterpriseView(ctx, elsewhere); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("the other login goes on: %v", err)
	}
	if _, err := f.auth.LoginEnterprise(ctx, activeAccount, newPw); err != nil {
		t.Errorf("the new password does not log in: %v", err)
	}
	if _, err := f.auth.LoginEnterprise(ctx, activeAccount, demoPw); err == nil {
		t.Error("the old password still logs in")
	}
	if n := len(f.notices(activePhone)); n != 1 {
		t.Errorf("%d notices to the reserved phone, want 1", n)
	}
	if recs := f.auditFor(account.AuditChangePassword); len(recs) != 1 || recs[0].Outcome != "ok" {
		t.Errorf("audit %+v", recs)
	}
}

// 修改密码 by an agent changes the agent's own password and ends only the
// agent's other logins: the enterprise's go on.
func TestChangePasswordAgent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ent, ags := f.agentsOf(activeUSCC)
	ag := ags[model.AgentValid]
	here, elsewhere := agentSession(ent, ag), agentSession(ent, ag)
	entLogin, err := f.auth.LoginEnterprise(ctx, activeAccount, demoPw)
	if err != nil {
		t.Fatal(err)
	}
	stays, err := f.svc.ChangePassword(ctx, here, agentPw, newPw)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.auth.AgentView(ctx, stays); err != nil {
		t.Errorf("the changing login ended: %v", err)
	}
	if _, _, err := f.auth.AgentView(ctx, elsewhere); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("the agent's other login goes on: %v", err)
	}
	if _, err := f.auth.EnterpriseView(ctx, entLogin); err != nil {
		t.Errorf("the enterprise's login ended by an agent's change: %v", err)
	}
	if _, err := f.auth.LoginEnterprise(ctx, activeAccount, demoPw); err != nil {
		t.Errorf("the enterprise password changed: %v", err)
	}
	if n := len(f.notices(ag.Phone)); n != 1 {
		t.Errorf("%d notices to the agent, want 1", n)
	}
}

// Every principal × 修改密码, one row per cell, and each refusal of input.
func TestChangePasswordWhoAndWhat(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ent, ags := f.agentsOf(activeUSCC)
	for _, st := range []model.AgentState{model.AgentValid, model.AgentNotYet, model.AgentExpired, model.AgentDisabled} {
		if _, ok := ags[st]; !ok {
			t.Fatalf("the demo data has no %s agent", st)
		}
	}
	entLogin := model.Session{Kind: model.SessionEnterprise, EnterpriseID: ent.ID, Admin: true, Epoch: ent.SessionEpoch}
	staff := model.Session{Kind: model.SessionStaff, StaffID: "s1", EnterpriseID: ent.ID}
	removed := agentSession(ent, model.Agent{ID: "gone", EnterpriseID: ent.ID})
	stale := entLogin
	stale.Epoch--
	cases := []struct {
		name     string
		who      model.Session
		old, new string
		field    string // refused on this field with code, or
		code     string
		err      error // refused as a whole
	}{
		{"nobody", model.Session{}, demoPw, newPw, "", "", model.ErrNotPermitted},
		{"staff", staff, demoPw, newPw, "", "", model.ErrNotPermitted},
		{"enterprise, ended elsewhere", stale, demoPw, newPw, "", "", model.ErrSessionEnded},
		{"agent not yet valid", agentSession(ent, ags[model.AgentNotYet]), agentPw, newPw, "", "", model.ErrSessionEnded},
		{"agent expired", agentSession(ent, ags[model.AgentExpired]), agentPw, newPw, "", "", model.ErrSessionEnded},
		{"agent disabled", agentSession(ent, ags[model.AgentDisabled]), agentPw, newPw, "", "", model.ErrSessionEnded},
		{"agent removed", removed, agentPw, newPw, "", "", model.ErrSessionEnded},
		{"wrong old password", entLogin, "Wrong#2026x", newPw, account.FieldOldPassword, "password_again", nil},
		{"no old password", entLogin, "", newPw, account.FieldOldPassword, "old_password_wrong", nil},
		{"same password", entLogin, demoPw, demoPw, account.FieldPassword, "same_password", nil},
		{"too short", entLogin, demoPw, "Ab#1", account.FieldPassword, "password_length", nil},
		{"contains the account", entLogin, demoPw, "Demo_corp01#x", account.FieldPassword, "password_account", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.svc.ChangePassword(ctx, c.who, c.old, c.new)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err %v, want %v", err, c.err)
				}
				return
			}
			wantField(t, err, c.field, c.code, nil)
		})
	}
	// Nothing changed: the demo password still logs in, no notice went out.
	if _, err := f.auth.LoginEnterprise(ctx, activeAccount, demoPw); err != nil {
		t.Errorf("a refusal changed the password: %v", err)
	}
	if n := len(f.notices(activePhone)); n != 0 {
		t.Errorf("%d notices after refusals", n)
	}
	// A wrong old password is audited as a failed check (an empty one is
	// refused before anything is checked); no change is audited.
	fails := 0
	for _, r := range f.auditFor(account.AuditChangePasswordCheck) {
		if r.Outcome == "fail" {
			fails++
		}
	}
	if fails != 1 || len(f.auditFor(account.AuditChangePassword)) != 0 {
		t.Errorf("audit %+v, want the one wrong old password", f.audit())
	}
}

// 原密码 is a login attempt of the account: five wrong ones lock its
// logins (a stranger at a kiosk left logged in cannot guess through it),
// and while locked the right one is refused too, without a check.
func TestChangePasswordOldPasswordCountsTowardLockout(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	here, err := f.auth.LoginEnterprise(ctx, activeAccount, demoPw)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= model.MaxFailures; i++ {
		_, err := f.svc.ChangePassword(ctx, here, "Wrong#2026x", newPw)
		var bad *model.BadCredentialsError
		var locked *model.LockedError
		switch {
		case i < model.MaxFailures && (!errors.As(err, &bad) || bad.Left != model.MaxFailures-i):
			t.Fatalf("try %d: %v, want %d tries left", i, err, model.MaxFailures-i)
		case i == model.MaxFailures && !errors.As(err, &locked):
			t.Fatalf("try %d: %v, want locked", i, err)
		}
	}
	if _, err := f.svc.ChangePassword(ctx, here, demoPw, newPw); !errors.As(err, new(*model.LockedError)) {
		t.Errorf("the right old password while locked: %v", err)
	}
	if _, err := f.auth.LoginEnterprise(ctx, activeAccount, demoPw); !errors.As(err, new(*model.LockedError)) {
		t.Errorf("the login is not locked: %v", err)
	}
}
