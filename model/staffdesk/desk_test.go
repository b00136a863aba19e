package staffdesk_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/model/pwhash"
	"kiosk/model/staffadmin"
	"kiosk/model/staffdesk"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

const (
	staffPw = "Counter#2026x"
	entPw   = "Kiosk@2026x"
	uscc    = "91220101MA0Y3K8X4E"
	account = "Demo_Corp01"
)

// fixture: an enterprise, one staff member of each role (and a second
// 管理员, and a disabled one), each logged in through the real LoginStaff.
type fixture struct {
	t     *testing.T
	store *storage.Store
	clk   *clocktest.Clock
	auth  *model.Auth
	desk  *staffdesk.Desk
	who   map[string]model.Session // by principal name
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clk := clocktest.New(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	h := pwhash.New(pwhash.Fast)
	f := &fixture{t: t, store: st, clk: clk, auth: &model.Auth{Store: st, Clock: clk, Hasher: h, Kiosk: "K-1"},
		desk: &staffdesk.Desk{Store: st, Clock: clk, Hasher: h, Kiosk: "K-1"}, who: map[string]model.Session{}}
	hash, err := h.Hash(entPw)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(tx model.Tx) error {
		return tx.Enterprises().Put(model.Enterprise{ID: "e1", USCC: uscc, Name: "长春测试科技有限公司", Account: account,
			PasswordHash: hash, Phone: "13812345678", State: model.EnterpriseActive,
			LegalRep: model.LegalRep{Name: "王建国", ID: model.IDDocument{Number: "11010519491231002X"}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	cli := &staffadmin.Admin{Store: st, Clock: clk, Hasher: h, Kiosk: "K-1", Actor: "cli"}
	for _, s := range []struct {
		user string
		role model.StaffRole
	}{{"counter01", model.StaffCounter}, {"reviewer01", model.StaffReviewer}, {"admin0001", model.StaffAdmin},
		{"admin0002", model.StaffAdmin}} {
		if _, err := cli.Add(context.Background(), staffadmin.NewStaff{Username: s.user, Name: "测试员", Role: s.role, Password: staffPw}); err != nil {
			t.Fatal(err)
		}
		sess, err := f.auth.LoginStaff(context.Background(), s.user, staffPw)
		if err != nil {
			t.Fatal(err)
		}
		f.who[s.user] = sess
	}
	f.who["visitor"] = model.Session{}
	f.who["enterprise"] = model.Session{Kind: model.SessionEnterprise, EnterpriseID: "e1", Admin: true}
	f.who["agent"] = model.Session{Kind: model.SessionAgent, EnterpriseID: "e1", AgentID: "a1", Admin: true}
	return f
}

func (f *fixture) audit() []model.AuditRecord {
	f.t.Helper()
	var out []model.AuditRecord
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		var err error
		out, err = tx.Audit().List(0, 100000)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

// last is the newest record of this kiosk's chain.
func (f *fixture) last() model.AuditRecord {
	var last model.AuditRecord
	for _, r := range f.audit() {
		if r.Kiosk == "K-1" {
			last = r
		}
	}
	return last
}

// dead puts a dead message in the outbox.
func (f *fixture) dead(id, kind, to, lastErr string, created time.Time) {
	f.t.Helper()
	err := f.store.Update(context.Background(), func(tx model.Tx) error {
		m := model.OutboundSMS{ID: id, To: to, Text: "【统一身份认证平台】验证码 123456", Kind: kind, State: model.OutboxPending,
			NextAttempt: created, CreatedAt: created}
		if err := tx.Outbox().Enqueue(m); err != nil {
			return err
		}
		m.State, m.Attempts, m.LastError = model.OutboxDead, 5, lastErr
		return tx.Outbox().Put(m)
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// The use cases of the staff console refuse whoever staffdesk.Roles does
// not allow, with ErrStaffForbidden and nothing written, whatever the
// screens did: a visitor, an enterprise, an agent, and every staff role
// outside the use case's. The allowed ones get past the gate.
func TestUseCasesRefuseTheWrongPrincipal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.dead("m1", model.SMSKindNotice, "13812345678", "+CMS ERROR: 500", f.clk.Now())
	n := 0
	cases := []struct {
		name string
		svc  staffdesk.Service
		call func(s model.Session) error
	}{
		{"Check", staffdesk.Home, func(s model.Session) error { return f.desk.Check(ctx, s) }},
		{"LookupEnterprise", staffdesk.Enterprises, func(s model.Session) error {
			_, err := f.auth.LookupEnterprise(ctx, s, uscc)
			return err
		}},
		{"UnlockEnterprise", staffdesk.Unlock, func(s model.Session) error { return f.auth.UnlockEnterprise(ctx, s, uscc) }},
		{"DeadMessages", staffdesk.Outbox, func(s model.Session) error {
			_, err := f.desk.DeadMessages(ctx, s)
			return err
		}},
		{"RetrySMS", staffdesk.Outbox, func(s model.Session) error {
			err := f.desk.RetrySMS(ctx, s, "none")
			if errors.Is(err, staffdesk.ErrNotDead) {
				return nil // past the gate
			}
			return err
		}},
		{"Audit", staffdesk.Audit, func(s model.Session) error {
			_, err := f.desk.Audit(ctx, s, staffdesk.AuditQuery{})
			return err
		}},
		{"AuditChange", staffdesk.AuditChange, func(s model.Session) error {
			_, err := f.desk.AuditChange(ctx, s, "K-1", 1)
			return err
		}},
		{"Members", staffdesk.Members, func(s model.Session) error {
			_, err := f.desk.Members(ctx, s)
			return err
		}},
		{"AddMember", staffdesk.Members, func(s model.Session) error {
			n++
			_, err := f.desk.AddMember(ctx, s, staffadmin.NewStaff{Username: "newstaff" + string(rune('a'+n)), Name: "新人",
				Role: model.StaffCounter, Password: staffPw})
			return err
		}},
		{"SetMemberDisabled", staffdesk.Members, func(s model.Session) error {
			err := f.desk.SetMemberDisabled(ctx, s, "reviewer01", false)
			if errors.Is(err, staffdesk.ErrAlready) {
				return nil
			}
			return err
		}},
		{"ResetMemberPassword", staffdesk.Members, func(s model.Session) error {
			n++
			return f.desk.ResetMemberPassword(ctx, s, "reviewer01", "Another#2026"+string(rune('a'+n)))
		}},
	}
	principals := []string{"visitor", "enterprise", "agent", "counter01", "reviewer01", "admin0001"}
	for _, c := range cases {
		for _, p := range principals {
			s := f.who[p]
			want := staffdesk.Allowed(&s, c.svc)
			if p == "visitor" {
				want = false
			}
			before := len(f.audit())
			err := c.call(s)
			switch {
			case want && err != nil:
				t.Errorf("%s as %s: %v, want it allowed", c.name, p, err)
			case !want && !errors.Is(err, model.ErrStaffForbidden):
				t.Errorf("%s as %s: %v, want ErrStaffForbidden", c.name, p, err)
			case !want && len(f.audit()) != before:
				t.Errorf("%s as %s: refused but wrote %d audit record(s)", c.name, p, len(f.audit())-before)
			}
		}
	}
	// The table itself: what the issue asks of the roles.
	rev, adm, cnt := f.who["reviewer01"], f.who["admin0001"], f.who["counter01"]
	if staffdesk.Allowed(&rev, staffdesk.Members) || staffdesk.Allowed(&cnt, staffdesk.Members) || !staffdesk.Allowed(&adm, staffdesk.Members) {
		t.Error("only 管理员 may manage staff")
	}
	if !staffdesk.Allowed(&rev, staffdesk.Appeals) || staffdesk.Allowed(&cnt, staffdesk.Appeals) {
		t.Error("appeals are the reviewers'")
	}
}

// A staff member disabled (or removed from a role) while logged in is
// refused at their next action with ErrSessionEnded.
func TestDisabledStaffLoginEnds(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.desk.SetMemberDisabled(ctx, f.who["admin0001"], "admin0002", true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.desk.Members(ctx, f.who["admin0002"]); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("disabled admin's Members: %v", err)
	}
	if _, err := f.auth.LookupEnterprise(ctx, f.who["admin0002"], uscc); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("disabled admin's look-up: %v", err)
	}
	if r := f.last(); r.Action != staffadmin.AuditStaffDisable || r.Actor != "staff:"+f.who["admin0001"].StaffID {
		t.Errorf("disable audited as %+v", r)
	}
	// Enabled again, the same login works.
	if err := f.desk.SetMemberDisabled(ctx, f.who["admin0001"], "admin0002", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.desk.Members(ctx, f.who["admin0002"]); err != nil {
		t.Errorf("enabled again: %v", err)
	}
	if r := f.last(); r.Action != staffadmin.AuditStaffEnable {
		t.Errorf("enable audited as %+v", r)
	}
}

// The counter looks an enterprise up (locked, with its failures) and
// unlocks it: the lock is gone and both are audited with the staff id.
func TestLookupAndUnlock(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := 0; i < model.MaxFailures; i++ {
		_, _ = f.auth.LoginEnterprise(ctx, account, "Wrong#2026x")
	}
	c := f.who["counter01"]
	got, err := f.auth.LookupEnterprise(ctx, c, strings.ToLower(uscc))
	if err != nil {
		t.Fatal(err)
	}
	if got.Enterprise.ID != "e1" || !got.Lock.Locked(f.clk.Now()) || got.Lock.Locks != 1 ||
		!got.Lock.LockedUntil.Equal(f.clk.Now().Add(model.BaseLock)) {
		t.Fatalf("look-up: %+v", got)
	}
	if r := f.last(); r.Action != "staff.enterprise_lookup" || r.Actor != "staff:"+c.StaffID || r.Subject != "e1" || r.Outcome != "ok" {
		t.Errorf("look-up audited as %+v", r)
	}
	if err := f.auth.UnlockEnterprise(ctx, f.who["reviewer01"], uscc); !errors.Is(err, model.ErrStaffForbidden) {
		t.Errorf("reviewer unlock: %v", err)
	}
	if err := f.auth.UnlockEnterprise(ctx, c, uscc); err != nil {
		t.Fatal(err)
	}
	if r := f.last(); r.Action != "lock.clear" || r.Actor != "staff:"+c.StaffID || r.Subject != "e1" || r.Outcome != "ok" {
		t.Errorf("unlock audited as %+v", r)
	}
	got, _ = f.auth.LookupEnterprise(ctx, c, account)
	if !got.Lock.Clear(f.clk.Now()) {
		t.Errorf("after unlock: %+v", got.Lock)
	}
	if _, err := f.auth.LoginEnterprise(ctx, account, entPw); err != nil {
		t.Errorf("login after unlock: %v", err)
	}
	// Unknown: said plainly to staff, and audited as such.
	if _, err := f.auth.LookupEnterprise(ctx, c, "nobody_here1"); !errors.Is(err, model.ErrEnterpriseNotFound) {
		t.Errorf("unknown: %v", err)
	}
	if r := f.last(); r.Subject != "unknown" || r.Outcome != "none" {
		t.Errorf("unknown look-up audited as %+v", r)
	}
	if err := f.auth.UnlockEnterprise(ctx, c, "nobody_here1"); !errors.Is(err, model.ErrEnterpriseNotFound) {
		t.Errorf("unlock of nobody: %v", err)
	}
}

// Dead messages show a masked number and a short error code, never the
// text; 重试 puts one back in the queue, audited; a stale code is refused.
func TestDeadMessagesAndRetry(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.who["counter01"]
	f.dead("old-code", model.SMSKindCode, "13912345678", "gave up after 5 attempts: modem: no answer in time", f.clk.Now().Add(-time.Hour))
	f.dead("notice1", model.SMSKindNotice, "13812345678", "+CMS ERROR: 500", f.clk.Now())
	list, err := f.desk.DeadMessages(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != "notice1" || list[0].To != "138****5678" || list[0].Error != "CMS-500" ||
		list[1].Error != "timeout" || list[1].Attempts != 5 {
		t.Fatalf("dead: %+v", list)
	}
	if err := f.desk.RetrySMS(ctx, c, "old-code"); !errors.Is(err, staffdesk.ErrStaleCode) {
		t.Errorf("stale code retried: %v", err)
	}
	if err := f.desk.RetrySMS(ctx, c, "notice1"); err != nil {
		t.Fatal(err)
	}
	var m model.OutboundSMS
	_ = f.store.View(ctx, func(tx model.Tx) error { m, err = tx.Outbox().Get("notice1"); return err })
	if m.State != model.OutboxPending || m.Attempts != 0 || !m.NextAttempt.Equal(f.clk.Now()) || m.LastError != "" {
		t.Errorf("after retry: %+v", m)
	}
	if r := f.last(); r.Action != "outbox.retry" || r.Actor != "staff:"+c.StaffID || r.Subject != "notice1" {
		t.Errorf("retry audited as %+v", r)
	}
	if err := f.desk.RetrySMS(ctx, c, "notice1"); !errors.Is(err, staffdesk.ErrNotDead) {
		t.Errorf("second retry: %v", err)
	}
}

func TestErrorCode(t *testing.T) {
	for in, want := range map[string]string{
		"":                               "",
		"+CMS ERROR: 500":                "CMS-500",
		"modem: AT+CMGS: +CME ERROR: 10": "CME-10",
		"gave up after 8 attempts: modem: no answer in time":        "timeout",
		"send in progress or interrupted: outcome unknown":          "unknown",
		"modem: SIM not ready":                                      "sim",
		"modem: submitted but not confirmed, may have been sent: x": "unconfirmed",
		"modem: open: permission denied":                            "port",
		"something [redacted] odd":                                  "error",
	} {
		if got := staffdesk.ErrorCode(in); got != want {
			t.Errorf("ErrorCode(%q) = %q, want %q", in, got, want)
		}
	}
}

// The audit query: filters, newest first across kiosks, Change never in
// it; AuditChange is 管理员's and audited.
func TestAuditQuery(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	err := f.store.Update(ctx, func(tx model.Tx) error {
		for _, r := range []model.AuditRecord{
			{Time: t0, Kiosk: "K-2", Actor: "anonymous", Action: "login.enterprise", Outcome: "fail"},
			{Time: t0.Add(time.Hour), Kiosk: "K-2", Actor: "enterprise:e1", Action: "enterprise.change", Outcome: "ok",
				Change: `[{"field":"name","before":"旧","after":"新"}]`},
			{Time: t0.Add(48 * time.Hour), Kiosk: "K-3", Actor: "anonymous", Action: "login.agent", Outcome: "fail"},
		} {
			if _, err := tx.Audit().Append(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rev := f.who["reviewer01"]
	page, err := f.desk.Audit(ctx, rev, staffdesk.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != len(f.audit()) || page.Entries[0].Record.Time.Before(page.Entries[len(page.Entries)-1].Record.Time) {
		t.Errorf("all: %d of %d, not newest first", page.Total, len(f.audit()))
	}
	for _, e := range page.Entries {
		if e.Record.Change != "" {
			t.Fatalf("Change in the list: %+v", e)
		}
	}
	named := false
	for _, e := range page.Entries {
		if e.Record.Action == "login.staff" && e.Record.Actor == "staff:"+rev.StaffID {
			named = e.Staff == "reviewer01"
		}
		if e.Record.Actor == "anonymous" && e.Staff != "" {
			t.Errorf("a staff name for %+v", e)
		}
	}
	if !named {
		t.Error("a staff actor is not named by username")
	}
	page, _ = f.desk.Audit(ctx, rev, staffdesk.AuditQuery{Action: "LOGIN.", Kiosk: "k-2"})
	if page.Total != 1 || page.Entries[0].Record.Action != "login.enterprise" {
		t.Errorf("action+kiosk: %+v", page)
	}
	page, _ = f.desk.Audit(ctx, rev, staffdesk.AuditQuery{Kiosk: "K-2", From: t0.Add(time.Minute), Before: t0.Add(2 * time.Hour)})
	if page.Total != 1 || !page.Entries[0].HasChange || page.Entries[0].Record.Change != "" {
		t.Errorf("range: %+v", page)
	}
	page, _ = f.desk.Audit(ctx, rev, staffdesk.AuditQuery{Limit: 2})
	if len(page.Entries) != 2 || page.Total != len(f.audit()) {
		t.Errorf("limit: %d entries of %d", len(page.Entries), page.Total)
	}
	// The Change: 管理员 only, and the reading is audited.
	if _, err := f.desk.AuditChange(ctx, rev, "K-2", 2); !errors.Is(err, model.ErrStaffForbidden) {
		t.Errorf("reviewer read a Change: %v", err)
	}
	adm := f.who["admin0001"]
	ch, err := f.desk.AuditChange(ctx, adm, "K-2", 2)
	if err != nil || !strings.Contains(ch, "新") {
		t.Errorf("admin Change: %q %v", ch, err)
	}
	if r := f.last(); r.Action != "audit.view_change" || r.Subject != "K-2#2" || r.Actor != "staff:"+adm.StaffID {
		t.Errorf("Change read audited as %+v", r)
	}
	if _, err := f.desk.AuditChange(ctx, adm, "K-9", 1); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("no such record: %v", err)
	}
}

// Staff management: add (the policy, no duplicates), disable/enable,
// reset (the new password works, the old does not); never oneself.
func TestMembers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	adm := f.who["admin0001"]
	m, err := f.desk.AddMember(ctx, adm, staffadmin.NewStaff{Username: "window07", Name: "刘窗", Role: model.StaffReviewer, Password: staffPw})
	if err != nil || m.Role != model.StaffReviewer {
		t.Fatalf("add: %+v %v", m, err)
	}
	if r := f.last(); r.Action != staffadmin.AuditStaffAdd || r.Actor != "staff:"+adm.StaffID || r.Detail != "role=reviewer" {
		t.Errorf("add audited as %+v", r)
	}
	if _, err := f.desk.AddMember(ctx, adm, staffadmin.NewStaff{Username: "WINDOW07", Name: "刘窗", Role: model.StaffCounter, Password: staffPw}); !errors.Is(err, staffdesk.ErrUsernameTaken) {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := f.desk.AddMember(ctx, adm, staffadmin.NewStaff{Username: "window08", Name: "刘窗", Role: model.StaffCounter, Password: "password"}); err == nil || model.UserMessage(err).ID == "" {
		t.Errorf("weak password: %v", err)
	}
	all, _ := f.desk.Members(ctx, adm)
	self := 0
	for _, x := range all {
		if x.Self {
			self++
		}
	}
	if len(all) != 5 || self != 1 {
		t.Errorf("members: %+v", all)
	}
	if err := f.desk.SetMemberDisabled(ctx, adm, "admin0001", true); !errors.Is(err, staffdesk.ErrSelf) {
		t.Errorf("self disable: %v", err)
	}
	if err := f.desk.ResetMemberPassword(ctx, adm, "admin0001", "Another#2026x"); !errors.Is(err, staffdesk.ErrSelf) {
		t.Errorf("self reset: %v", err)
	}
	if err := f.desk.SetMemberDisabled(ctx, adm, "ghost0001", true); !errors.Is(err, staffdesk.ErrNoSuchStaff) {
		t.Errorf("nobody: %v", err)
	}
	if err := f.desk.ResetMemberPassword(ctx, adm, "window07", "Another#2026x"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.LoginStaff(ctx, "window07", "Another#2026x"); err != nil {
		t.Errorf("new password: %v", err)
	}
	if _, err := f.auth.LoginStaff(ctx, "window07", staffPw); err == nil {
		t.Error("old password still works")
	}
}
