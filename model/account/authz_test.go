package account_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/smscode"
)

// Outcomes of a cell of the permission matrix.
const (
	allowed = "ok"
	denied  = "not_permitted" // model.ErrNotPermitted
	ended   = "session_ended" // model.ErrSessionEnded
)

// principals are who may knock on a center: the enterprise, and agents of
// it in every state, each with its login as it was when it logged in.
type principals struct {
	f   *fixture
	ent model.Enterprise
	who map[string]model.Session
}

// newPrincipals adds an agent of demo_corp01 for each principal of the
// matrix and logs each in (the removed one is removed after its login).
func newPrincipals(f *fixture) principals {
	f.t.Helper()
	ent, err := f.enterpriseByUSCC(activeUSCC)
	if err != nil {
		f.t.Fatal(err)
	}
	today := model.DateOf(f.clk.Now())
	window := func(from, to int) (time.Time, time.Time) { return today.AddDate(0, 0, from), today.AddDate(0, 0, to) }
	p := principals{f: f, ent: ent, who: map[string]model.Session{
		"enterprise": {Kind: model.SessionEnterprise, EnterpriseID: ent.ID, Admin: true, Epoch: ent.SessionEpoch},
	}}
	add := func(name string, admin, enabled bool, from, to int) {
		a := model.Agent{ID: "matrix-" + name, EnterpriseID: ent.ID, PersonID: "matrix-p-" + name, Name: "测试" + name,
			IDNumber: fmt.Sprintf("M%017d", len(p.who)), Phone: "1390000000" + fmt.Sprint(len(p.who)),
			Admin: admin, Enabled: enabled}
		a.ValidFrom, a.ValidTo = window(from, to)
		if err := f.store.Update(context.Background(), func(tx model.Tx) error { return tx.Agents().Put(a) }); err != nil {
			f.t.Fatal(err)
		}
		p.who[name] = model.Session{Kind: model.SessionAgent, EnterpriseID: ent.ID, AgentID: a.ID, Admin: admin,
			Epoch: ent.SessionEpoch, AgentEpoch: a.SessionEpoch}
	}
	// Every agent that cannot act claims 管理权限: its state alone refuses it.
	add("admin_agent", true, true, -10, 10)
	add("agent", false, true, -10, 10)
	add("expired_agent", true, true, -30, -1)
	add("not_yet_agent", true, true, 1, 30)
	add("disabled_agent", true, false, -10, 10)
	add("removed_agent", true, true, -10, 10)
	if err := f.store.Update(context.Background(), func(tx model.Tx) error {
		return tx.Agents().Delete("matrix-removed_agent")
	}); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// The permission matrix of the centers (issue: enterprise center, agent
// center and agent management): every principal × every center use case,
// one row per cell, checked where the use cases check it (Permit is the
// gate each of them calls first and again inside its write).
func TestPermissionMatrix(t *testing.T) {
	// Columns in the order of account.Uses: view_enterprise, view_agent,
	// change_password, change_phone, change_enterprise, change_legal_rep,
	// list_agents, add_agent, edit_agent, enable_agent, remove_agent.
	o, n, e := allowed, denied, ended
	matrix := []struct {
		who   string
		cells []string
	}{
		{"enterprise", []string{o, n, o, o, o, o, o, o, o, o, o}},
		{"admin_agent", []string{n, o, o, n, n, n, o, o, o, o, o}},
		{"agent", []string{n, o, o, n, n, n, n, n, n, n, n}},
		{"expired_agent", []string{e, e, e, e, e, e, e, e, e, e, e}},
		{"not_yet_agent", []string{e, e, e, e, e, e, e, e, e, e, e}},
		{"disabled_agent", []string{e, e, e, e, e, e, e, e, e, e, e}},
		{"removed_agent", []string{e, e, e, e, e, e, e, e, e, e, e}},
		{"staff", []string{n, n, n, n, n, n, n, n, n, n, n}},
		{"nobody", []string{n, n, n, n, n, n, n, n, n, n, n}},
	}
	type cell struct {
		who  string
		use  account.Use
		want string
	}
	var cells []cell
	for _, row := range matrix {
		if len(row.cells) != len(account.Uses) {
			t.Fatalf("row %s has %d cells for %d uses", row.who, len(row.cells), len(account.Uses))
		}
		for i, u := range account.Uses {
			cells = append(cells, cell{row.who, u, row.cells[i]})
		}
	}
	f := newFixture(t)
	p := newPrincipals(f)
	p.who["staff"] = model.Session{Kind: model.SessionStaff, StaffID: "staff-1", StaffRole: model.StaffAdmin}
	p.who["nobody"] = model.Session{}
	calls := useCases(f)
	for _, c := range cells {
		t.Run(c.who+"/"+string(c.use)+"/Permit", func(t *testing.T) {
			err := f.svc.Permit(context.Background(), p.who[c.who], c.use)
			if got := outcome(err); got != c.want {
				t.Errorf("%s %s: %s (%v), want %s", c.who, c.use, got, err, c.want)
			}
		})
		// Each use case of the column answers the same: a refused cell
		// with exactly the refusal, before anything else is looked at;
		// an allowed one gets past the gate (its dummy input is refused
		// later, or it reads).
		for _, uc := range calls[c.use] {
			t.Run(c.who+"/"+string(c.use)+"/"+uc.name, func(t *testing.T) {
				err := uc.call(context.Background(), p.who[c.who])
				got := outcome(err)
				if c.want == allowed {
					if got == denied || got == ended {
						t.Errorf("%s %s: refused at the gate: %v", c.who, uc.name, err)
					}
					return
				}
				if got != c.want {
					t.Errorf("%s %s: %s (%v), want %s", c.who, uc.name, got, err, c.want)
				}
			})
		}
	}
	for _, u := range account.Uses {
		if len(calls[u]) == 0 {
			t.Errorf("no use case of %s is called", u)
		}
	}
}

// useCase is a center use case called with inputs that change nothing.
type useCase struct {
	name string
	call func(ctx context.Context, who model.Session) error
}

// useCases are every exported center use case of the package, by the Use
// it is authorised as.
func useCases(f *fixture) map[account.Use][]useCase {
	svc := f.svc
	var none captcha.Pass
	ret := func(_ any, err error) error { return err }
	return map[account.Use][]useCase{
		account.UseViewEnterprise: {
			{"EnterpriseInfo", func(ctx context.Context, w model.Session) error { return ret(svc.EnterpriseInfo(ctx, w)) }},
		},
		account.UseViewAgent: {
			{"AgentInfo", func(ctx context.Context, w model.Session) error { return ret(svc.AgentInfo(ctx, w)) }},
		},
		account.UseChangePassword: {
			{"ChangePassword", func(ctx context.Context, w model.Session) error { return ret(svc.ChangePassword(ctx, w, "", "")) }},
		},
		account.UseChangePhone: {
			{"VerifyPhoneChangePassword", func(ctx context.Context, w model.Session) error {
				return ret(svc.VerifyPhoneChangePassword(ctx, w, ""))
			}},
			{"SendPhoneChangeCode", func(ctx context.Context, w model.Session) error {
				return ret(svc.SendPhoneChangeCode(ctx, w, none, account.PhoneTicket{}, "13900000000"))
			}},
			{"VerifyPhoneChangeCode", func(ctx context.Context, w model.Session) error {
				return ret(svc.VerifyPhoneChangeCode(ctx, w, account.PhoneTicket{}, "13900000000", "000000"))
			}},
			{"ChangePhone", func(ctx context.Context, w model.Session) error {
				return ret(svc.ChangePhone(ctx, w, account.PhoneTicket{}, "13900000000", smscode.Proof{}))
			}},
		},
		account.UseChangeEnterprise: {
			{"EnterpriseForChange", func(ctx context.Context, w model.Session) error { return ret(svc.EnterpriseForChange(ctx, w)) }},
			{"ChangeEnterprise", func(ctx context.Context, w model.Session) error {
				return ret(svc.ChangeEnterprise(ctx, w, account.EnterpriseChange{}))
			}},
		},
		account.UseChangeLegalRep: {
			{"CheckNewLegalRep", func(ctx context.Context, w model.Session) error {
				return ret(svc.CheckNewLegalRep(ctx, w, account.LegalRepInput{}))
			}},
			{"SendLegalRepPhoneCode", func(ctx context.Context, w model.Session) error {
				return ret(svc.SendLegalRepPhoneCode(ctx, w, none, "13900000000"))
			}},
			{"VerifyLegalRepPhoneCode", func(ctx context.Context, w model.Session) error {
				return ret(svc.VerifyLegalRepPhoneCode(ctx, w, "13900000000", "000000"))
			}},
			{"ChangeLegalRep", func(ctx context.Context, w model.Session) error {
				return ret(svc.ChangeLegalRep(ctx, w, account.LegalRepInput{}, model.FaceEvidence{}, "", smscode.Proof{}))
			}},
		},
		account.UseListAgents: {
			{"ListAgents", func(ctx context.Context, w model.Session) error { return ret(svc.ListAgents(ctx, w)) }},
		},
		account.UseAddAgent: {
			{"AgentOperator", func(ctx context.Context, w model.Session) error { return ret(svc.AgentOperator(ctx, w)) }},
			{"AddAgent", func(ctx context.Context, w model.Session) error {
				return ret(svc.AddAgent(ctx, w, account.AgentInput{}, model.FaceEvidence{}))
			}},
		},
		account.UseEditAgent: {
			{"EditableAgent", func(ctx context.Context, w model.Session) error {
				return ret(svc.EditableAgent(ctx, w, "no-such-agent"))
			}},
			{"EditAgent", func(ctx context.Context, w model.Session) error {
				return ret(svc.EditAgent(ctx, w, "no-such-agent", time.Time{}, time.Time{}, false, false))
			}},
		},
		account.UseEnableAgent: {
			{"SetAgentEnabled", func(ctx context.Context, w model.Session) error {
				return ret(svc.SetAgentEnabled(ctx, w, "no-such-agent", false, false))
			}},
		},
		account.UseRemoveAgent: {
			{"RemoveAgent", func(ctx context.Context, w model.Session) error {
				return svc.RemoveAgent(ctx, w, "no-such-agent", false)
			}},
		},
	}
}

// outcome names an authorisation answer.
func outcome(err error) string {
	switch {
	case err == nil:
		return allowed
	case errors.Is(err, model.ErrNotPermitted):
		return denied
	case errors.Is(err, model.ErrSessionEnded):
		return ended
	}
	return "error: " + err.Error()
}

// A right is read as stored now, not as the login had it: an agent
// demoted after its login loses 我的经办人 at once; one promoted gains it.
func TestPermitReadsRightsNow(t *testing.T) {
	f := newFixture(t)
	p := newPrincipals(f)
	ctx := context.Background()
	set := func(id string, admin bool) {
		err := f.store.Update(ctx, func(tx model.Tx) error {
			a, err := tx.Agents().Get(id)
			if err != nil {
				return err
			}
			a.Admin = admin
			return tx.Agents().Put(a)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	set("matrix-admin_agent", false)
	set("matrix-agent", true)
	if err := f.svc.Permit(ctx, p.who["admin_agent"], account.UseListAgents); !errors.Is(err, model.ErrNotPermitted) {
		t.Errorf("demoted agent: %v", err)
	}
	if err := f.svc.Permit(ctx, p.who["agent"], account.UseListAgents); err != nil {
		t.Errorf("promoted agent: %v", err)
	}
}

// Center shows an agent its enterprise's basic information only: no legal
// representative, reserved phone, 拓展信息 or password hash.
func TestCenterViewOfAnAgent(t *testing.T) {
	f := newFixture(t)
	p := newPrincipals(f)
	v, err := f.svc.Center(context.Background(), p.who["agent"])
	if err != nil {
		t.Fatal(err)
	}
	e := v.Enterprise
	if e.Name == "" || e.USCC != activeUSCC || e.State != model.EnterpriseActive {
		t.Errorf("basic information missing: %+v", e)
	}
	if e.LegalRep != (model.LegalRep{}) || e.Phone != "" || e.Extended != (model.Extended{}) || e.PasswordHash != "" ||
		e.Account != "" || v.Agent.PasswordHash != "" {
		t.Errorf("an agent sees more than the basic information: %+v", v)
	}
	w, err := f.svc.Center(context.Background(), p.who["enterprise"])
	if err != nil {
		t.Fatal(err)
	}
	if w.Enterprise.LegalRep.Name != activeRep || w.Enterprise.Phone != activePhone || w.Enterprise.PasswordHash != "" {
		t.Errorf("the enterprise's own view: %+v", w.Enterprise)
	}
}
