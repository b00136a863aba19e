package account_test

import (
	"context"
	"testing"

	"kiosk/model"
	"kiosk/model/account"
)

// 我的经办人 writes all or nothing, and its transactions may run again.

// A failing outbox rolls every change back: the notice is part of it.
func TestAgentChangesAllOrNothing(t *testing.T) {
	f, fs := newFailingFixture(t)
	ctx := context.Background()
	ent, who, ags := f.agentsEnt()
	plain := ags[plainAgentName]
	run(t, fs, func() error {
		_, err := f.svc.AddAgent(ctx, who, jiangInput(), f.face(activeID, model.FaceForAddAgent))
		return err
	})
	run(t, fs, func() error {
		_, err := f.svc.EditAgent(ctx, who, plain.ID, date(2026, 1, 1), date(2027, 12, 31), true, false)
		return err
	})
	run(t, fs, func() error { _, err := f.svc.SetAgentEnabled(ctx, who, plain.ID, false, false); return err })
	run(t, fs, func() error { return f.svc.RemoveAgent(ctx, who, plain.ID, false) })
	if _, ok := f.agentsIndexed(ent.ID, jiangID); ok {
		t.Error("the failed add left an agent")
	}
	if a, ok := f.agentsRecord(plain.ID); !ok || a.Admin != plain.Admin || !a.Enabled || a.SessionEpoch != plain.SessionEpoch {
		t.Errorf("a failed change left %+v", a)
	}
	for _, act := range []string{account.AuditAgentLookup, account.AuditAgentAdd, account.AuditAgentEdit,
		account.AuditAgentDisable, account.AuditAgentRemove} {
		if n := len(f.auditFor(act)); n != 0 {
			t.Errorf("%d %s records after failures", n, act)
		}
	}
}

// The closures reset what they capture: a re-run commits the change once,
// and a change another kiosk commits between a run and its commit (an
// optimistic engine then re-runs the closure) decides the answer. Every
// closure runs twice (the first run rolled back) and is then interleaved.
func TestAgentClosuresRerun(t *testing.T) {
	f := newConflictFixture(t, conflictMode{twice: true})
	ctx := context.Background()
	ent, who, ags := f.agentsEnt()
	row, err := f.svc.AddAgent(ctx, who, jiangInput(), f.face(activeID, model.FaceForAddAgent))
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := f.agentsIndexed(ent.ID, jiangID); !ok || a.ID != row.ID {
		t.Errorf("indexed %+v, row %+v", a, row)
	}
	if len(f.auditFor(account.AuditAgentAdd)) != 1 || len(f.auditFor(account.AuditAgentLookup)) != 1 || len(f.notices(jiangPhone)) != 1 {
		t.Error("a re-run wrote twice")
	}
	// 崔波勇 is added by another kiosk between the run and its commit: the
	// re-run says so, and the first run's success is not reported.
	conflicts := f.engine.Stats().Conflicts
	cui := account.AgentInput{Name: cuiName, IDDoc: cuiDoc(), From: date(2026, 12, 1), To: date(2027, 11, 30), Password: agentNewPw}
	f.between = func() {
		if _, err := f.svc.AddAgent(ctx, who, cui, f.face(activeID, model.FaceForAddAgent)); err != nil {
			t.Fatal(err)
		}
	}
	row, err = f.svc.AddAgent(ctx, who, cui, f.face(activeID, model.FaceForAddAgent))
	wantField(t, err, account.FieldIDNumber, "agent_exists", model.ErrAgentExists)
	if row.ID != "" {
		t.Errorf("a refused re-run returned %+v", row)
	}
	if f.between != nil || f.engine.Stats().Conflicts != conflicts+1 {
		t.Fatalf("the other kiosk's add did not conflict: %+v", f.engine.Stats())
	}
	// The other way round: a refusal in the first run (郭敏璐 is an agent
	// already), removed by another kiosk before its commit, ends in success.
	plain := ags[plainAgentName]
	again := account.AgentInput{Name: plainAgentName, IDDoc: model.IDDocument{Type: model.IDTypeResident, Number: plainAgentID,
		Period: model.ValidityLongTerm, ValidFrom: date(2018, 9, 23)}, From: date(2026, 12, 1), To: date(2027, 11, 30), Password: agentNewPw}
	f.between = func() {
		if err := f.svc.RemoveAgent(ctx, who, plain.ID, false); err != nil {
			t.Fatal(err)
		}
	}
	row, err = f.svc.AddAgent(ctx, who, again, f.face(activeID, model.FaceForAddAgent))
	if err != nil || row.ID == "" || row.ID == plain.ID {
		t.Errorf("after the removal between the run and its commit: %+v, %v", row, err)
	}
	if a, ok := f.agentsIndexed(ent.ID, plainAgentID); !ok || a.ID != row.ID {
		t.Errorf("indexed %+v", a)
	}
	if f.engine.Stats().Conflicts != conflicts+2 {
		t.Fatalf("the other kiosk's removal did not conflict: %+v", f.engine.Stats())
	}
}
