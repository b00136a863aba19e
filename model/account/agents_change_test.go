package account_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"kiosk/model"
	"kiosk/model/account"
)

// 编辑, 停用/启用 and 删除 of an existing agent, and the last admin agent.

// 编辑: the window and 管理权限 change, with audit and notice; an admin
// agent cannot go beyond its own window nor edit itself; another
// enterprise's agent is not found; nothing changed writes nothing.
func TestEditAgent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ent, who, ags := f.agentsEnt()
	plain := ags[plainAgentName]
	row, err := f.svc.EditAgent(ctx, who, plain.ID, date(2026, 11, 1), date(2028, 6, 30), true, false)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := f.agentsRecord(plain.ID)
	if !a.Admin || !a.ValidFrom.Equal(cstDate(2026, 11, 1)) || !a.ValidTo.Equal(cstDate(2028, 6, 30)) ||
		a.PasswordHash != plain.PasswordHash || !row.Admin {
		t.Errorf("record %+v", a)
	}
	recs := f.auditFor(account.AuditAgentEdit)
	if len(recs) != 1 || recs[0].Subject != plain.ID || agentsDetail(recs[0].Detail)["to"] != "2028-06-30" || agentsDetail(recs[0].Detail)["admin"] != "true" {
		t.Errorf("audit %+v", recs)
	}
	if n := f.notices(plain.Phone); len(n) != 1 || !strings.Contains(n[0].Text, "2028-06-30") {
		t.Errorf("notices %+v", n)
	}
	// The same values again: nothing to write, nothing to tell.
	if _, err := f.svc.EditAgent(ctx, who, plain.ID, date(2026, 11, 1), date(2028, 6, 30), true, false); err != nil {
		t.Fatal(err)
	}
	if len(f.auditFor(account.AuditAgentEdit)) != 1 || len(f.notices(plain.Phone)) != 1 {
		t.Error("an edit without a change was written")
	}
	_, err = f.svc.EditAgent(ctx, who, plain.ID, date(2026, 11, 1), date(2026, 10, 1), true, false)
	wantField(t, err, account.FieldAgentTo, "agent_window_order", model.ErrAgentWindowOrder)
	_, err = f.svc.EditAgent(ctx, who, "no-such-agent", date(2026, 11, 1), date(2027, 1, 1), true, false)
	wantField(t, err, account.FieldForm, "agent_not_found", model.ErrAgentNotFound)
	// An admin agent of demo_corp01.
	admin := ags[adminAgentName]
	aw := agentSession(ent, admin)
	_, err = f.svc.EditAgent(ctx, aw, plain.ID, date(2026, 11, 1), admin.ValidTo.AddDate(0, 1, 0), false, false)
	wantField(t, err, account.FieldAgentTo, "agent_window_beyond", model.ErrAgentWindowBeyond)
	_, err = f.svc.EditAgent(ctx, aw, admin.ID, date(2026, 11, 1), date(2027, 1, 1), true, false)
	wantField(t, err, account.FieldForm, "agent_self", model.ErrAgentSelf)
	_, err = f.svc.EditableAgent(ctx, aw, admin.ID)
	wantField(t, err, account.FieldForm, "agent_self", model.ErrAgentSelf)
	// demo_corp02's agents are not demo_corp01's to edit, nor to read.
	other, err := f.enterpriseByUSCC("91220102347661289M")
	if err != nil {
		t.Fatal(err)
	}
	theirs := f.agentsByName(other.ID)["刘东"]
	_, err = f.svc.EditAgent(ctx, who, theirs.ID, date(2026, 11, 1), date(2027, 1, 1), true, false)
	wantField(t, err, account.FieldForm, "agent_not_found", model.ErrAgentNotFound)
	_, err = f.svc.EditableAgent(ctx, who, theirs.ID)
	wantField(t, err, account.FieldForm, "agent_not_found", model.ErrAgentNotFound)
	if r, err := f.svc.EditableAgent(ctx, who, plain.ID); err != nil || r.ID != plain.ID || !r.Admin {
		t.Errorf("EditableAgent %+v, %v", r, err)
	}
	if a, _ := f.agentsRecord(theirs.ID); a.Admin != theirs.Admin || !a.ValidTo.Equal(theirs.ValidTo) {
		t.Error("another enterprise's agent changed")
	}
}

// 停用 ends every login of the agent at once (its epoch moves on); 启用
// lets it log in again but the old logins stay ended. Each is audited
// and told by SMS; asking for the state it has changes nothing.
func TestSetAgentEnabled(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ent, who, ags := f.agentsEnt()
	plain := ags[plainAgentName]
	login := agentSession(ent, plain)
	if _, err := f.svc.ListAgents(ctx, login); !errors.Is(err, model.ErrNotPermitted) {
		t.Fatalf("the plain agent's login: %v", err)
	}
	row, err := f.svc.SetAgentEnabled(ctx, who, plain.ID, false, false)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := f.agentsRecord(plain.ID)
	if a.Enabled || a.SessionEpoch != plain.SessionEpoch+1 || row.State != model.AgentDisabled {
		t.Errorf("record %+v, row %+v", a, row)
	}
	if _, _, err := f.auth.AgentView(ctx, login); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("the disabled agent's login goes on: %v", err)
	}
	if _, err := f.svc.SetAgentEnabled(ctx, who, plain.ID, false, false); err != nil {
		t.Fatal(err)
	}
	if recs := f.auditFor(account.AuditAgentDisable); len(recs) != 1 || recs[0].Subject != plain.ID {
		t.Errorf("disable audit %+v", recs)
	}
	if _, err := f.svc.SetAgentEnabled(ctx, who, plain.ID, true, false); err != nil {
		t.Fatal(err)
	}
	a, _ = f.agentsRecord(plain.ID)
	if !a.Enabled || a.State(f.clk.Now()) != model.AgentValid {
		t.Errorf("record %+v", a)
	}
	if _, _, err := f.auth.AgentView(ctx, login); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("a login from before 停用 came back: %v", err)
	}
	if _, err := f.auth.LoginAgent(ctx, model.AgentCredentials{Account: activeAccount, USCC: activeUSCC,
		Phone: plain.Phone, IDNumber: plain.IDNumber, Password: agentPw}); err != nil {
		t.Errorf("the enabled agent cannot log in: %v", err)
	}
	if recs := f.auditFor(account.AuditAgentEnable); len(recs) != 1 {
		t.Errorf("enable audit %+v", recs)
	}
	if n := len(f.notices(plain.Phone)); n != 2 {
		t.Errorf("%d notices, want 2", n)
	}
	// An admin agent may not disable itself.
	admin := ags[adminAgentName]
	_, err = f.svc.SetAgentEnabled(ctx, agentSession(ent, admin), admin.ID, false, false)
	wantField(t, err, account.FieldForm, "agent_self", model.ErrAgentSelf)
}

// 删除: the record and its index go, the agent's login ends, audit and
// notice; the person can be added again; an admin agent cannot remove
// itself.
func TestRemoveAgent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ent, who, ags := f.agentsEnt()
	plain := ags[plainAgentName]
	login := agentSession(ent, plain)
	if err := f.svc.RemoveAgent(ctx, who, plain.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.agentsRecord(plain.ID); ok {
		t.Error("the record is still there")
	}
	if _, ok := f.agentsIndexed(ent.ID, plain.IDNumber); ok {
		t.Error("the index still finds it")
	}
	if err := f.svc.Permit(ctx, login, account.UseViewAgent); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("the removed agent's login goes on: %v", err)
	}
	if recs := f.auditFor(account.AuditAgentRemove); len(recs) != 1 || recs[0].Subject != plain.ID || recs[0].Outcome != "ok" {
		t.Errorf("audit %+v", recs)
	}
	if n := f.notices(plain.Phone); len(n) != 1 || !strings.Contains(n[0].Text, activeAccount) {
		t.Errorf("notices %+v", n)
	}
	wantField(t, f.svc.RemoveAgent(ctx, who, plain.ID, false), account.FieldForm, "agent_not_found", model.ErrAgentNotFound)
	in := account.AgentInput{Name: plainAgentName, IDDoc: model.IDDocument{Type: model.IDTypeResident, Number: plainAgentID,
		Period: model.ValidityLongTerm, ValidFrom: date(2018, 9, 23)}, From: date(2026, 11, 27), To: date(2027, 11, 27), Password: agentNewPw}
	if _, err := f.svc.AddAgent(ctx, who, in, f.face(activeID, model.FaceForAddAgent)); err != nil {
		t.Errorf("the removed agent cannot be added again: %v", err)
	}
	admin := ags[adminAgentName]
	wantField(t, f.svc.RemoveAgent(ctx, agentSession(ent, admin), admin.ID, false), account.FieldForm, "agent_self", model.ErrAgentSelf)
}

// The last enabled admin agent: disabling, removing or demoting it is
// refused with ErrLastAdmin (nothing written) until asked again; with a
// second admin it is not the last.
func TestLastAdminAgent(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		action string
		do     func(f *fixture, who model.Session, id string, ok bool) error
		after  func(a model.Agent, there bool) bool // the change happened
	}{
		{"disable", account.AuditAgentDisable, func(f *fixture, who model.Session, id string, ok bool) error {
			_, err := f.svc.SetAgentEnabled(ctx, who, id, false, ok)
			return err
		}, func(a model.Agent, there bool) bool { return there && !a.Enabled }},
		{"remove", account.AuditAgentRemove, func(f *fixture, who model.Session, id string, ok bool) error {
			return f.svc.RemoveAgent(ctx, who, id, ok)
		}, func(_ model.Agent, there bool) bool { return !there }},
		{"demote", account.AuditAgentEdit, func(f *fixture, who model.Session, id string, ok bool) error {
			_, err := f.svc.EditAgent(ctx, who, id, date(2026, 1, 1), date(2027, 12, 31), false, ok)
			return err
		}, func(a model.Agent, there bool) bool { return there && !a.Admin }},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			_, who, ags := f.agentsEnt()
			admin := ags[adminAgentName]
			err := c.do(f, who, admin.ID, false)
			wantField(t, err, account.FieldForm, "last_admin", model.ErrLastAdmin)
			if a, there := f.agentsRecord(admin.ID); c.after(a, there) || len(f.auditFor(c.action)) != 0 || len(f.notices(admin.Phone)) != 0 {
				t.Fatal("the first answer changed something")
			}
			if err := c.do(f, who, admin.ID, true); err != nil {
				t.Fatal(err)
			}
			if a, there := f.agentsRecord(admin.ID); !c.after(a, there) {
				t.Errorf("asked twice, not done: %+v", a)
			}
			recs := f.auditFor(c.action)
			if len(recs) != 1 || !strings.Contains(recs[0].Detail, "last_admin_confirmed") || len(f.notices(admin.Phone)) != 1 {
				t.Errorf("audit %+v", recs)
			}
		})
	}
	t.Run("not the last", func(t *testing.T) {
		f := newFixture(t)
		_, who, ags := f.agentsEnt()
		if _, err := f.svc.EditAgent(ctx, who, ags[plainAgentName].ID, date(2026, 1, 1), date(2027, 12, 31), true, false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SetAgentEnabled(ctx, who, ags[adminAgentName].ID, false, false); err != nil {
			t.Errorf("with a second admin: %v", err)
		}
		// Now the promoted one is the last.
		err := f.svc.RemoveAgent(ctx, who, ags[plainAgentName].ID, false)
		wantField(t, err, account.FieldForm, "last_admin", model.ErrLastAdmin)
	})
}
