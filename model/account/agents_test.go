package account_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/rules"
)

// 我的经办人: every use case, its success and each refusal, with what the
// store holds afterwards (the record, its index, the audit log, the
// outbox).

// Demo data (assets/demo/ACCOUNTS.md): demo_corp01's agents and two
// registered natural persons who are nobody's agents.
const (
	adminAgentName = "谢梅" // demo_corp01's only admin agent
	plainAgentName = "郭敏璐"
	plainAgentID   = "220102196404255509"

	jiangName  = "姜军东" // p12, free
	jiangID    = "220105199904308518"
	jiangPhone = "13932004979"
	cuiName    = "崔波勇" // p13, free
	cuiID      = "220102200211091615"
	cuiPhone   = "13186312088"

	agentNewPw = "Agent#New2026"
)

// cst midnight: how the use cases store window dates (the fixture's zone).
func cstDate(y, m, d int) time.Time {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, start.Location())
}

func jiangDoc() model.IDDocument {
	return model.IDDocument{Type: model.IDTypeResident, Number: jiangID, Period: model.Validity20Years,
		ValidFrom: date(2025, 9, 12), ValidTo: date(2045, 9, 12)}
}

func cuiDoc() model.IDDocument {
	return model.IDDocument{Type: model.IDTypeResident, Number: cuiID, Period: model.Validity10Years,
		ValidFrom: date(2025, 6, 3), ValidTo: date(2035, 6, 3)}
}

// jiangInput adds 姜军东 from 2026-12-01 to 2027-11-30, no 管理权限.
func jiangInput() account.AgentInput {
	return account.AgentInput{Name: jiangName, IDDoc: jiangDoc(), From: date(2026, 12, 1), To: date(2027, 11, 30),
		Password: agentNewPw}
}

// agentsEnt is demo_corp01, a login of it, and its agents by name.
func (f *fixture) agentsEnt() (model.Enterprise, model.Session, map[string]model.Agent) {
	f.t.Helper()
	ctx := context.Background()
	ent, err := f.enterpriseByUSCC(activeUSCC)
	if err != nil {
		f.t.Fatal(err)
	}
	who, err := f.auth.LoginEnterprise(ctx, activeAccount, demoPw)
	if err != nil {
		f.t.Fatal(err)
	}
	return ent, who, f.agentsByName(ent.ID)
}

func (f *fixture) agentsByName(entID string) map[string]model.Agent {
	f.t.Helper()
	by := map[string]model.Agent{}
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		clear(by) // the closure may run again
		ags, err := tx.Agents().ListByEnterprise(entID)
		for _, a := range ags {
			by[a.Name] = a
		}
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return by
}

// agentsRecord reads an agent; false when it is gone.
func (f *fixture) agentsRecord(id string) (model.Agent, bool) {
	f.t.Helper()
	var a model.Agent
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		var err error
		a, err = tx.Agents().Get(id)
		return err
	})
	if errors.Is(err, model.ErrNotFound) {
		return a, false
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return a, true
}

// agentsIndexed reads the enterprise + ID number index.
func (f *fixture) agentsIndexed(entID, idNumber string) (model.Agent, bool) {
	f.t.Helper()
	var a model.Agent
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		var err error
		a, err = tx.Agents().ByEnterpriseAndIDNumber(entID, idNumber)
		return err
	})
	if errors.Is(err, model.ErrNotFound) {
		return a, false
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return a, true
}

// agentsNoPII fails when an audit record holds one of values in clear.
func agentsNoPII(t *testing.T, recs []model.AuditRecord, values ...string) {
	t.Helper()
	for _, r := range recs {
		for _, v := range values {
			if v != "" && (strings.Contains(r.Detail, v) || strings.Contains(r.Subject, v) || strings.Contains(r.Actor, v)) {
				t.Errorf("audit record %s holds %q in clear: %+v", r.Action, v, r)
			}
		}
	}
}

// wantWhole checks a refusal that is not a field error.
func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}

// The enterprise adds a registered natural person: the record (the
// person's name, ID number and phone, the window as local dates, enabled,
// the initial password), its index, the list, both audit records (without
// PII), the notice to the person's phone in the same commit, and the new
// agent logs in.
func TestAddAgentByEnterprise(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ent, who, _ := f.agentsEnt()
	f.advance(time.Minute) // after the demo agents
	in := jiangInput()
	in.Name = " 姜军东 "               // folded as the other use cases fold
	in.IDDoc.Number = wide(jiangID) // full width from an input method
	row, err := f.svc.AddAgent(ctx, who, in, f.face(activeID, model.FaceForAddAgent))
	if err != nil {
		t.Fatal(err)
	}
	a, ok := f.agentsRecord(row.ID)
	if !ok {
		t.Fatal("no agent record")
	}
	if a.EnterpriseID != ent.ID || a.Name != jiangName || a.IDNumber != jiangID || a.Phone != jiangPhone ||
		a.PersonID == "" || !a.Enabled || a.Admin || a.SessionEpoch != 0 {
		t.Errorf("record %+v", a)
	}
	if !a.ValidFrom.Equal(cstDate(2026, 12, 1)) || !a.ValidTo.Equal(cstDate(2027, 11, 30)) {
		t.Errorf("window %v – %v, want local midnights", a.ValidFrom, a.ValidTo)
	}
	if got := a.State(f.clk.Now()); got != model.AgentNotYet || row.State != model.AgentNotYet {
		t.Errorf("state %s (row %s), want not yet", got, row.State)
	}
	if ix, ok := f.agentsIndexed(ent.ID, jiangID); !ok || ix.ID != a.ID {
		t.Errorf("index finds %+v, %v", ix, ok)
	}
	rows, err := f.svc.ListAgents(ctx, who)
	if err != nil {
		t.Fatal(err)
	}
	if last := rows[len(rows)-1]; last.ID != a.ID || last.Self {
		t.Errorf("the new agent is not last in the list: %+v", last)
	}
	adds, looks := f.auditFor(account.AuditAgentAdd), f.auditFor(account.AuditAgentLookup)
	if len(adds) != 1 || adds[0].Outcome != "ok" || adds[0].Subject != a.ID || adds[0].Actor != "enterprise:"+ent.ID ||
		!strings.Contains(adds[0].Detail, "face=demo") {
		t.Errorf("add audit %+v", adds)
	}
	if len(looks) != 1 || looks[0].Outcome != "ok" || looks[0].Actor != "enterprise:"+ent.ID {
		t.Errorf("look-up audit %+v", looks)
	}
	agentsNoPII(t, append(adds, looks...), jiangID, jiangName, jiangPhone, activeID)
	notes := f.notices(jiangPhone)
	if len(notes) != 1 || !strings.Contains(notes[0].Text, activeAccount) || !strings.Contains(notes[0].Text, "2027-11-30") {
		t.Errorf("notices %+v", notes)
	}
	// Once the window starts the agent logs in with the initial password.
	f.advance(5 * 24 * time.Hour)
	if _, err := f.auth.LoginAgent(ctx, model.AgentCredentials{Account: activeAccount, USCC: activeUSCC,
		Phone: jiangPhone, IDNumber: jiangID, Password: agentNewPw}); err != nil {
		t.Errorf("the new agent cannot log in: %v", err)
	}
}

// An admin agent adds agents too: its own face, a window within its own,
// audited as the agent; the same person in another enterprise is no
// duplicate.
func TestAddAgentByAdminAgent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ent, _, ags := f.agentsEnt()
	admin := ags[adminAgentName]
	who := agentSession(ent, admin)
	op, err := f.svc.AgentOperator(ctx, who)
	if err != nil || op.Name != adminAgentName || op.IDNumber != admin.IDNumber {
		t.Fatalf("operator %+v, %v", op, err)
	}
	in := jiangInput()
	in.Admin = true
	// The legal representative's face is not the operator's.
	_, err = f.svc.AddAgent(ctx, who, in, f.face(activeID, model.FaceForAddAgent))
	wantField(t, err, account.FieldForm, "face_other_person", model.ErrFaceOtherPerson)
	// Beyond the admin's own window.
	in.To = admin.ValidTo.AddDate(0, 0, 1)
	_, err = f.svc.AddAgent(ctx, who, in, f.face(admin.IDNumber, model.FaceForAddAgent))
	wantField(t, err, account.FieldAgentTo, "agent_window_beyond", model.ErrAgentWindowBeyond)
	in.To = admin.ValidTo
	row, err := f.svc.AddAgent(ctx, who, in, f.face(admin.IDNumber, model.FaceForAddAgent))
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := f.agentsRecord(row.ID); !a.Admin || a.EnterpriseID != ent.ID {
		t.Errorf("record %+v", a)
	}
	if adds := f.auditFor(account.AuditAgentAdd); len(adds) != 1 || adds[0].Actor != "agent:"+admin.ID {
		t.Errorf("audit %+v", adds)
	}
	// demo_corp02 adds the same person: a duplicate is per enterprise.
	other, err := f.enterpriseByUSCC("91220102347661289M")
	if err != nil {
		t.Fatal(err)
	}
	otherWho, err := f.auth.LoginEnterprise(ctx, "demo_corp02", demoPw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddAgent(ctx, otherWho, jiangInput(), f.face(other.LegalRep.ID.Number, model.FaceForAddAgent)); err != nil {
		t.Errorf("another enterprise cannot add the same person: %v", err)
	}
}

// Each refusal of 添加经办人, on its field; none writes an agent or sends a
// notice. Look-ups that were made are audited with their outcome.
func TestAddAgentRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ent, who, ags := f.agentsEnt()
	face := func() model.FaceEvidence { return f.face(activeID, model.FaceForAddAgent) }
	check, err := rules.IDCheckChar("22010419900101001")
	if err != nil {
		t.Fatal(err)
	}
	unregistered := model.IDDocument{Type: model.IDTypeResident, Number: "22010419900101001" + string(check),
		Period: model.Validity20Years, ValidFrom: date(2020, 1, 1), ValidTo: date(2040, 1, 1)}
	plain := ags[plainAgentName]
	with := func(mod func(*account.AgentInput)) account.AgentInput {
		in := jiangInput()
		mod(&in)
		return in
	}
	cases := []struct {
		name  string
		in    account.AgentInput
		face  model.FaceEvidence
		field string
		code  string
	}{
		{"not a registered person", with(func(in *account.AgentInput) { in.Name = "王小二"; in.IDDoc = unregistered }),
			face(), account.FieldIDNumber, "agent_not_person"},
		{"another name", with(func(in *account.AgentInput) { in.Name = "姜军" }), face(), account.FieldIDNumber, "agent_not_person"},
		{"agent already", with(func(in *account.AgentInput) {
			in.Name, in.IDDoc = plainAgentName, model.IDDocument{Type: model.IDTypeResident, Number: plainAgentID,
				Period: model.ValidityLongTerm, ValidFrom: date(2018, 9, 23)}
		}), face(), account.FieldIDNumber, "agent_exists"},
		{"end before start", with(func(in *account.AgentInput) { in.From, in.To = date(2027, 1, 2), date(2027, 1, 1) }),
			face(), account.FieldAgentTo, "agent_window_order"},
		{"end in the past", with(func(in *account.AgentInput) { in.From, in.To = date(2026, 1, 1), date(2026, 11, 26) }),
			face(), account.FieldAgentTo, "agent_window_past"},
		{"no start", with(func(in *account.AgentInput) { in.From = time.Time{} }), face(), account.FieldAgentFrom, "agent_window_missing"},
		{"no end", with(func(in *account.AgentInput) { in.To = time.Time{} }), face(), account.FieldAgentTo, "agent_window_missing"},
		{"bad ID check digit", with(func(in *account.AgentInput) { in.IDDoc.Number = "220105199904308519" }), face(),
			account.FieldIDNumber, "id_check"},
		{"wrong validity period", with(func(in *account.AgentInput) { in.IDDoc.Period = model.Validity10Years }), face(),
			account.FieldIDPeriod, "id_period"},
		{"weak password", with(func(in *account.AgentInput) { in.Password = "abc12345" }), face(), account.FieldPassword, ""},
		{"no face", jiangInput(), model.FaceEvidence{}, account.FieldForm, "face_required"},
		{"face of the agent", jiangInput(), f.face(jiangID, model.FaceForAddAgent), account.FieldForm, "face_other_person"},
		{"face for another use", jiangInput(), f.face(activeID, model.FaceForRegister), account.FieldForm, "face_other_purpose"},
		{"stale face", jiangInput(), f.faceAgo(time.Hour, activeID, model.FaceForAddAgent), account.FieldForm, "face_stale"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.svc.AddAgent(ctx, who, c.in, c.face)
			code := c.code
			if code == "" { // the policy says which rule
				var fe *account.FieldErrors
				if !errors.As(err, &fe) || fe.Code(c.field) == "" {
					t.Fatalf("err %v, want a refusal on %s", err, c.field)
				}
				code = fe.Code(c.field)
			}
			wantField(t, err, c.field, code, nil)
		})
	}
	// "Not a person" and "another name" say the same sentence.
	_, e1 := f.svc.AddAgent(ctx, who, cases[0].in, face())
	_, e2 := f.svc.AddAgent(ctx, who, cases[1].in, face())
	var f1, f2 *account.FieldErrors
	if !errors.As(e1, &f1) || !errors.As(e2, &f2) || zh(f1.Fields[account.FieldIDNumber]) != zh(f2.Fields[account.FieldIDNumber]) {
		t.Errorf("an existence oracle: %v / %v", e1, e2)
	}
	if got := f.agentsByName(ent.ID); len(got) != len(ags) {
		t.Errorf("%d agents after refusals, want %d", len(got), len(ags))
	}
	if n := len(f.notices(jiangPhone)) + len(f.notices(plain.Phone)); n != 0 {
		t.Errorf("%d notices after refusals", n)
	}
	outcomes := map[string]int{}
	for _, r := range f.auditFor(account.AuditAgentLookup) {
		outcomes[r.Outcome]++
	}
	// Three answers per person: the field refusals looked nothing up.
	if outcomes["no_person"] != 2 || outcomes["mismatch"] != 2 || outcomes["exists"] != 1 || len(f.auditFor(account.AuditAgentAdd)) != 0 {
		t.Errorf("look-up outcomes %v", outcomes)
	}
}

// Who may add: nobody and staff are not permitted, nor an agent without
// 管理权限; an agent whose login stands no more has its session ended.
func TestAgentsWho(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ent, _, ags := f.agentsEnt()
	staff := model.Session{Kind: model.SessionStaff, StaffID: "s1", EnterpriseID: ent.ID}
	disabled := ags["姜建"]
	for _, c := range []struct {
		name string
		who  model.Session
		err  error
	}{
		{"nobody", model.Session{}, model.ErrNotPermitted},
		{"staff", staff, model.ErrNotPermitted},
		{"agent without 管理权限", agentSession(ent, ags[plainAgentName]), model.ErrNotPermitted},
		{"disabled agent", agentSession(ent, disabled), model.ErrSessionEnded},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.svc.ListAgents(ctx, c.who)
			wantErr(t, err, c.err)
			_, err = f.svc.AgentOperator(ctx, c.who)
			wantErr(t, err, c.err)
			_, err = f.svc.AddAgent(ctx, c.who, jiangInput(), f.face(activeID, model.FaceForAddAgent))
			wantErr(t, err, c.err)
			_, err = f.svc.EditAgent(ctx, c.who, ags[plainAgentName].ID, date(2026, 1, 1), date(2027, 1, 1), false, false)
			wantErr(t, err, c.err)
			_, err = f.svc.SetAgentEnabled(ctx, c.who, ags[plainAgentName].ID, false, false)
			wantErr(t, err, c.err)
			wantErr(t, f.svc.RemoveAgent(ctx, c.who, ags[plainAgentName].ID, false), c.err)
		})
	}
	if len(f.auditFor(account.AuditAgentLookup)) != 0 || len(f.notices(jiangPhone)) != 0 {
		t.Error("a refused principal looked a person up or sent a notice")
	}
}

// The list: every agent of the enterprise, oldest first, with its state;
// an admin agent's own row says so; another enterprise's agents never
// show.
func TestListAgents(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ent, who, ags := f.agentsEnt()
	rows, err := f.svc.ListAgents(ctx, who)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(ags) {
		t.Fatalf("%d rows, want %d", len(rows), len(ags))
	}
	states := map[model.AgentState]int{}
	for i, r := range rows {
		a := ags[r.Name]
		if a.ID != r.ID || r.State != a.State(f.clk.Now()) || r.Phone != a.Phone || r.Self {
			t.Errorf("row %+v for %+v", r, a)
		}
		if i > 0 && (rows[i-1].CreatedAt.After(r.CreatedAt) ||
			rows[i-1].CreatedAt.Equal(r.CreatedAt) && rows[i-1].ID > r.ID) {
			t.Errorf("rows out of order at %d", i)
		}
		states[r.State]++
	}
	if len(states) != 4 {
		t.Errorf("states %v, want all four", states)
	}
	mine, err := f.svc.ListAgents(ctx, agentSession(ent, ags[adminAgentName]))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range mine {
		if r.Self != (r.Name == adminAgentName) {
			t.Errorf("Self %v on %s", r.Self, r.Name)
		}
	}
	otherWho, err := f.auth.LoginEnterprise(ctx, "demo_corp02", demoPw)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := f.svc.ListAgents(ctx, otherWho)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range theirs {
		if _, ours := ags[r.Name]; ours && r.Name != adminAgentName { // 谢梅 is an agent of both
			t.Errorf("demo_corp02 sees %s", r.Name)
		}
		if r.ID == ags[adminAgentName].ID {
			t.Error("demo_corp02 sees demo_corp01's record")
		}
	}
}

// Look-ups of 添加经办人 are rationed per ID number (3 per window, across
// kiosks) and audited; the limit says nothing else.
func TestAddAgentLookupLimit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, who, _ := f.agentsEnt()
	in := jiangInput()
	in.Name = "姜军"
	for range 3 {
		_, err := f.svc.AddAgent(ctx, who, in, f.face(activeID, model.FaceForAddAgent))
		wantField(t, err, account.FieldIDNumber, "agent_not_person", nil)
	}
	_, err := f.svc.AddAgent(ctx, who, jiangInput(), f.face(activeID, model.FaceForAddAgent))
	wantField(t, err, account.FieldForm, "lookup_limited", model.ErrLookupLimited)
	recs := f.auditFor(account.AuditAgentLookup)
	if len(recs) != 4 || recs[3].Outcome != "limited" || !strings.Contains(recs[3].Detail, "limit=identifier") {
		t.Errorf("audit %+v", recs)
	}
	// Another person is not limited by 姜军东's window.
	cui := account.AgentInput{Name: cuiName, IDDoc: cuiDoc(), From: date(2026, 12, 1), To: date(2027, 11, 30), Password: agentNewPw}
	if _, err := f.svc.AddAgent(ctx, who, cui, f.face(activeID, model.FaceForAddAgent)); err != nil {
		t.Errorf("another person: %v", err)
	}
	if n := len(f.notices(cuiPhone)); n != 1 {
		t.Errorf("%d notices to 崔波勇", n)
	}
	// The window passes.
	f.advance(11 * time.Minute)
	if _, err := f.svc.AddAgent(ctx, who, jiangInput(), f.face(activeID, model.FaceForAddAgent)); err != nil {
		t.Errorf("after the window: %v", err)
	}
}

func agentsDetail(d string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Fields(d) {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out[k] = v
		}
	}
	return out
}
