package account_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/smscode"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

// The account use cases on a store that behaves like an optimistic engine
// (etcd, kiosks sharing one database): every transaction closure is run
// twice, or re-run after another writer committed between its run and its
// commit (memkv's conflict modes). The outcomes must be those of a plain
// store, and every effect must happen once.

// conflictFixture is a fixture on memkv in a conflict mode; the seeding
// runs in it too.
type conflictFixture struct {
	*fixture
	engine *memkv.Engine
	touch  bool // every Update is interleaved with memkv.Touch
	// between, when set, is another kiosk's write: it is committed between
	// the next Update's run and that run's commit (once).
	between func()
}

type conflictMode struct {
	name         string
	twice, touch bool
	limit        bool // bounded as etcd bounds a transaction (memkv.MaxOps)
}

var conflictModes = []conflictMode{
	{"Plain", false, false, false},
	{"RunTwice", true, false, false},
	{"Interleave", false, true, false},
	{"Limited", false, false, true},
	{"LimitedInterleave", false, true, true},
}

func newConflictFixture(t *testing.T, m conflictMode) *conflictFixture {
	t.Helper()
	c := &conflictFixture{touch: m.touch}
	opts := []memkv.Option{memkv.Interleave(c.compete)}
	if m.twice {
		opts = append(opts, memkv.RunTwice())
	}
	if m.limit {
		opts = append(opts, memkv.MaxOps(memkv.EtcdDefaultMaxOps), memkv.MaxRequestBytes(memkv.EtcdDefaultMaxRequestBytes))
	}
	c.engine = memkv.New(opts...)
	st, err := storage.Open(c.engine, storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	c.fixture = newFixtureOn(t, st)
	return c
}

func (c *conflictFixture) compete(e *memkv.Engine, r memkv.Reads) error {
	if b := c.between; b != nil {
		c.between = nil
		b()
		return nil
	}
	if c.touch {
		return memkv.Touch(e, r)
	}
	return nil
}

// once checks that exactly one audit record of each action is stored,
// each with outcome "ok".
func (f *fixture) once(actions ...string) {
	f.t.Helper()
	for _, a := range actions {
		if recs := f.auditFor(a); len(recs) != 1 || recs[0].Outcome != "ok" {
			f.t.Errorf("%s: %d audit records %+v, want one, ok", a, len(recs), recs)
		}
	}
}

// noticesTo checks the number of notices queued to phone.
func (f *fixture) noticesTo(phone string, want int) {
	f.t.Helper()
	if n := f.notices(phone); len(n) != want {
		f.t.Errorf("%d notices to %s, want %d: %+v", len(n), phone, want, n)
	}
}

// TestJourneysUnderConflicts replays the main account journeys
// (registration, activation, agents added and edited, phone change, appeal
// filed, password reset) on a plain store, one that runs every closure
// twice, one that re-runs every closure after a competing write, and
// stores that bound a transaction as etcd does (memkv.MaxOps). Each
// journey's effects are checked to happen once (one record, one audit
// record, one message), and the stores end up holding the same (ids
// aside).
func TestJourneysUnderConflicts(t *testing.T) {
	var want string
	for _, m := range conflictModes {
		t.Run(m.name, func(t *testing.T) {
			f := newConflictFixture(t, m)
			before := f.engine.Stats()
			accountJourneys(t, f.fixture)
			got := f.holds()
			if want == "" {
				want = got
			} else if got != want {
				t.Errorf("the store holds, against a plain one:\n%s", lineDiff(want, got))
			}
			st := f.engine.Stats()
			updates := st.Updates - before.Updates
			switch {
			case updates < 20:
				t.Fatalf("only %d Updates: the journeys did not run", updates)
			case m.twice && st.Discarded-before.Discarded != updates:
				t.Errorf("%d of %d Updates ran twice", st.Discarded-before.Discarded, updates)
			case m.touch && st.Conflicts-before.Conflicts != updates:
				t.Errorf("%d of %d Updates were re-run after a conflict", st.Conflicts-before.Conflicts, updates)
			}
			if p := f.engine.Peak(); m.limit {
				t.Logf("largest transaction: %d compares, %d writes, %d bytes", p.Compares, p.Writes, p.Bytes)
			}
		})
	}
}

// accountJourneys is the journeys of TestJourneysUnderConflicts, each
// checked.
func accountJourneys(t *testing.T, f *fixture) {
	ctx := context.Background()
	entCount := func() int {
		var n int
		if err := f.store.View(ctx, func(tx model.Tx) (err error) { n, err = tx.Enterprises().Count(); return }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	ents := entCount()

	// 企业注册.
	done, err := f.svc.Register(ctx, f.registration())
	if err != nil {
		t.Fatal(err)
	}
	if e, err := f.enterpriseByUSCC(freeUSCC); err != nil || e.ID != done.ID || e.Account != "Tonghua_Farm1" {
		t.Fatalf("registered %+v, %v (done %+v)", e, err, done)
	}
	if n := entCount(); n != ents+1 {
		t.Errorf("%d enterprises after a registration, want %d", n, ents+1)
	}
	f.once(account.AuditRegister)
	f.noticesTo(freePhone, 1)

	// 账号激活.
	tk, err := f.svc.ConfirmActivation(ctx, pendingInput())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Activate(ctx, tk, f.proof(smscode.PurposeActivate, pendingPhone), "Borun_Tech1", "Borun#2026x"); err != nil {
		t.Fatal(err)
	}
	if e, _ := f.enterpriseByUSCC(pendingUSCC); e.State != model.EnterpriseActive || e.Account != "Borun_Tech1" {
		t.Errorf("activated %+v", e)
	}
	f.once(account.AuditActivate)
	f.noticesTo(pendingPhone, 1)

	// 我的经办人: an agent added, another edited.
	ent, who, ags := f.agentsEnt()
	row, err := f.svc.AddAgent(ctx, who, jiangInput(), f.face(activeID, model.FaceForAddAgent))
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := f.agentsIndexed(ent.ID, jiangID); !ok || a.ID != row.ID {
		t.Errorf("added %+v, indexed %+v", row, a)
	}
	f.once(account.AuditAgentLookup, account.AuditAgentAdd)
	f.noticesTo(jiangPhone, 1)
	plain := ags[plainAgentName]
	if _, err := f.svc.EditAgent(ctx, who, plain.ID, date(2026, 11, 1), date(2028, 6, 30), true, false); err != nil {
		t.Fatal(err)
	}
	if a, _ := f.agentsRecord(plain.ID); !a.Admin || !a.ValidTo.Equal(cstDate(2028, 6, 30)) {
		t.Errorf("edited %+v", a)
	}
	f.once(account.AuditAgentEdit)
	f.noticesTo(plain.Phone, 1)
	if n := len(f.agentsByName(ent.ID)); n != len(ags)+1 {
		t.Errorf("%d agents, want %d", n, len(ags)+1)
	}

	// 修改预留手机号.
	const newPhone = "13912345678"
	pt := f.phoneTicket(who)
	if _, err := f.svc.ChangePhone(ctx, who, pt, newPhone, f.phoneProof(who, pt, newPhone)); err != nil {
		t.Fatal(err)
	}
	if e, _ := f.enterpriseByUSCC(activeUSCC); e.Phone != newPhone {
		t.Errorf("phone %s, want %s", e.Phone, newPhone)
	}
	f.once(account.AuditChangePhone)
	f.noticesTo(activePhone, 1)
	f.noticesTo(newPhone, 1)

	// 账号申诉: a change appeal filed with its seven materials.
	const appealPhone = "13933334444"
	in, proof := f.changeAppeal(appealPhone)
	if err := f.svc.CheckAppealIdentity(ctx, in, proof); err != nil {
		t.Fatal(err)
	}
	ad, err := f.svc.SubmitAppeal(ctx, account.AppealSubmission{Identity: in, Proof: proof, Materials: uploads()})
	if err != nil {
		t.Fatal(err)
	}
	if a := f.appealByRef(ad.Ref); a.State != model.AppealPending || len(a.Materials) != 7 {
		t.Errorf("filed %+v", a)
	}
	f.once(account.AuditAppealSubmit)
	f.noticesTo(appealPhone, 1)
	err = f.store.View(ctx, func(tx model.Tx) error {
		all, _, err1 := tx.Appeals().List(model.AppealFilter{}, "", 10)
		loose, _, err2 := tx.Blobs().Unreferenced(f.clk.Now().Add(time.Hour), "", 10)
		if len(all) != 1 || len(loose) != 0 {
			t.Errorf("%d appeals (want 1), %d chunks no appeal references", len(all), len(loose))
		}
		return firstErr(err1, err2)
	})
	if err != nil {
		t.Fatal(err)
	}

	// 忘记密码, to the new reserved phone.
	before, _ := f.enterpriseByUSCC(activeUSCC)
	rt, err := f.svc.ConfirmAccount(ctx, activeAccount, activeRep, activeID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ResetPassword(ctx, rt, f.proof(smscode.PurposeReset, newPhone), newPw); err != nil {
		t.Fatal(err)
	}
	if after, _ := f.enterpriseByUSCC(activeUSCC); after.SessionEpoch != before.SessionEpoch+1 {
		t.Errorf("epoch %d after a reset, want %d", after.SessionEpoch, before.SessionEpoch+1)
	}
	f.once(account.AuditReset)
	f.noticesTo(newPhone, 2)
	if _, err := f.auth.LoginEnterprise(ctx, activeAccount, newPw); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// holds describes what the store holds without what differs between
// fixtures (ids, blind indexes, appeal references, so the SMS texts): the
// audit log's kiosk, actor kind, action and outcome in order, the outbox
// by recipient, kind and state, and the counts.
func (f *fixture) holds() string {
	f.t.Helper()
	var b strings.Builder
	for _, r := range f.audit() {
		actor, _, _ := strings.Cut(r.Actor, ":")
		fmt.Fprintf(&b, "audit %s %s %s %s\n", r.Kiosk, actor, r.Action, r.Outcome)
	}
	var lines []string
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		lines = nil
		for _, s := range []model.OutboxState{model.OutboxPending, model.OutboxSent, model.OutboxDead} {
			msgs, err := tx.Outbox().List(s, 100000)
			if err != nil {
				return err
			}
			for _, m := range msgs {
				lines = append(lines, fmt.Sprintf("sms %s %s %s", m.To, m.Kind, m.State))
			}
		}
		ents, err1 := tx.Enterprises().Count()
		regs, err2 := tx.Registry().Count()
		appeals, _, err3 := tx.Appeals().List(model.AppealFilter{}, "", 1000)
		lines = append(lines, fmt.Sprintf("enterprises %d, registry %d, appeals %d", ents, regs, len(appeals)))
		return firstErr(err1, err2, err3)
	})
	if err != nil {
		f.t.Fatal(err)
	}
	slices.Sort(lines)
	b.WriteString(strings.Join(lines, "\n"))
	return b.String()
}

// lineDiff lists the lines only one of a and b has.
func lineDiff(a, b string) string {
	count := map[string]int{}
	for _, l := range strings.Split(a, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(b, "\n") {
		count[l]--
	}
	var out []string
	for l, n := range count {
		switch {
		case n > 0:
			out = append(out, fmt.Sprintf("- %s (×%d)", l, n))
		case n < 0:
			out = append(out, fmt.Sprintf("+ %s (×%d)", l, -n))
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		return "(same lines, other order)"
	}
	return strings.Join(out, "\n")
}
