package model_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/model/i18n"
	"kiosk/model/pwhash"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

type fixture struct {
	auth  *model.Auth
	store *storage.Store
	clk   *clocktest.Clock
	ent   model.Enterprise
	agent model.Agent
}

const pw = "Kiosk@2026x"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	h := pwhash.New(pwhash.Fast)
	hash, err := h.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	clk := clocktest.New(time.Date(2026, 11, 27, 10, 0, 0, 0, time.Local))
	ent := model.Enterprise{ID: "e1", USCC: "91220101MA0Y3K8X4E", Name: "长春测试科技有限公司",
		Account: "Demo_Corp01", PasswordHash: hash, Phone: "13812345678", State: model.EnterpriseActive}
	ag := model.Agent{ID: "a1", EnterpriseID: "e1", PersonID: "p1", Name: "李四", IDNumber: "11010519491231002X",
		Phone: "13912345678", ValidFrom: clk.Now().AddDate(0, -1, 0), ValidTo: clk.Now().AddDate(1, 0, 0),
		Enabled: true, PasswordHash: hash}
	err = st.Update(context.Background(), func(tx model.Tx) error {
		if err := tx.Enterprises().Put(ent); err != nil {
			return err
		}
		return tx.Agents().Put(ag)
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{auth: &model.Auth{Store: st, Clock: clk, Hasher: h, Kiosk: "K-07"}, store: st, clk: clk, ent: ent, agent: ag}
}

func (f *fixture) creds() model.AgentCredentials {
	return model.AgentCredentials{Account: f.ent.Account, USCC: f.ent.USCC, Phone: f.agent.Phone,
		IDNumber: f.agent.IDNumber, Password: pw}
}

func (f *fixture) audit(t *testing.T) []model.AuditRecord {
	t.Helper()
	var recs []model.AuditRecord
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		var err error
		recs, err = tx.Audit().List(0, 1000)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestEnterpriseLoginByAccountAndUSCC(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Full width as a Chinese input method types it, too.
	for _, id := range []string{"demo_corp01", "DEMO_CORP01", "91220101ma0y3k8x4e", " 91220101MA0Y3K8X4E ", "９１２２０１０１ＭＡ０Ｙ３Ｋ８Ｘ４Ｅ", "ｄｅｍｏ＿ｃｏｒｐ０１"} {
		s, err := f.auth.LoginEnterprise(ctx, id, pw)
		if err != nil {
			t.Fatalf("%q: %v", id, err)
		}
		if s.EnterpriseID != "e1" || s.Kind != model.SessionEnterprise {
			t.Fatalf("%q: session %+v", id, s)
		}
	}
	recs := f.audit(t)
	if len(recs) != 6 || recs[0].Action != "login.enterprise" || recs[0].Outcome != "ok" || recs[0].Kiosk != "K-07" {
		t.Fatalf("audit %+v", recs)
	}
}

func TestLockoutDoublesAndSuccessResets(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	fail := func(n int) error {
		var err error
		for i := 0; i < n; i++ {
			_, err = f.auth.LoginEnterprise(ctx, "demo_corp01", "wrong-Pass1")
		}
		return err
	}
	if err := fail(4); !errors.Is(err, model.ErrBadCredentials) {
		t.Fatalf("4th failure: %v", err)
	}
	var le *model.LockedError
	if err := fail(1); !errors.As(err, &le) || !le.Until.Equal(f.clk.Now().Add(15*time.Minute)) {
		t.Fatalf("5th failure: %v", err)
	}
	// While locked even the right password is refused, by USCC too.
	if _, err := f.auth.LoginEnterprise(ctx, f.ent.USCC, pw); !errors.As(err, &le) {
		t.Fatalf("locked login: %v", err)
	}
	f.clk.Add(16 * time.Minute)
	if err := fail(5); !errors.As(err, &le) || !le.Until.Equal(f.clk.Now().Add(30*time.Minute)) {
		t.Fatalf("second lock not doubled: %v", err)
	}
	f.clk.Add(31 * time.Minute)
	if _, err := f.auth.LoginEnterprise(ctx, "demo_corp01", pw); err != nil {
		t.Fatalf("after lock: %v", err)
	}
	// Success reset the doubling: the next lock is 15 minutes again.
	if err := fail(5); !errors.As(err, &le) || !le.Until.Equal(f.clk.Now().Add(15*time.Minute)) {
		t.Fatalf("lock after success: %v", err)
	}
}

func TestUnknownAccountLooksLikeKnown(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var err error
	for i := 0; i < 4; i++ {
		if _, err = f.auth.LoginEnterprise(ctx, "nobody_here1", pw); !errors.Is(err, model.ErrBadCredentials) {
			t.Fatalf("unknown: %v", err)
		}
	}
	var le *model.LockedError
	if _, err = f.auth.LoginEnterprise(ctx, "nobody_here1", pw); !errors.As(err, &le) {
		t.Fatalf("unknown account did not lock like a real one: %v", err)
	}
}

func TestPendingAndClosed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pending := f.ent
	pending.State = model.EnterprisePending
	pending.PasswordHash = ""
	closed := f.ent
	closed.State = model.EnterpriseClosed
	for _, c := range []struct {
		e    model.Enterprise
		want error
	}{{pending, model.ErrPendingActivation}, {closed, model.ErrAccountClosed}} {
		err := f.store.Update(ctx, func(tx model.Tx) error { return tx.Enterprises().Put(c.e) })
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.auth.LoginEnterprise(ctx, f.ent.Account, pw); !errors.Is(err, c.want) {
			t.Fatalf("state %s: %v", c.e.State, err)
		}
	}
}

func TestAgentLoginAndWindow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, err := f.auth.LoginAgent(ctx, f.creds())
	if err != nil || s.AgentID != "a1" || s.Kind != model.SessionAgent {
		t.Fatalf("agent login: %+v %v", s, err)
	}
	if _, _, err := f.auth.AgentView(ctx, s); err != nil {
		t.Fatalf("agent view: %v", err)
	}
	f.clk.Set(f.agent.ValidTo.AddDate(0, 0, 2))
	var se *model.AgentStateError
	if _, err := f.auth.LoginAgent(ctx, f.creds()); !errors.As(err, &se) || se.State != model.AgentExpired {
		t.Fatalf("expired agent: %v", err)
	}
	f.clk.Set(f.agent.ValidFrom.AddDate(0, 0, -2))
	if _, err := f.auth.LoginAgent(ctx, f.creds()); !errors.As(err, &se) || se.State != model.AgentNotYet {
		t.Fatalf("not-yet agent: %v", err)
	}
}

func TestAgentLockDoesNotLockEnterprise(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.creds()
	c.Phone = "13700000000" // wrong phone counts as a failure on this agent
	var err error
	for i := 0; i < 5; i++ {
		_, err = f.auth.LoginAgent(ctx, c)
	}
	var le *model.LockedError
	if !errors.As(err, &le) {
		t.Fatalf("agent not locked: %v", err)
	}
	if _, err := f.auth.LoginAgent(ctx, f.creds()); !errors.As(err, &le) {
		t.Fatalf("locked agent logged in: %v", err)
	}
	if _, err := f.auth.LoginEnterprise(ctx, f.ent.Account, pw); err != nil {
		t.Fatalf("enterprise locked by its agent: %v", err)
	}
}

func TestSessionEndsOnEpochChange(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, err := f.auth.LoginEnterprise(ctx, f.ent.Account, pw)
	if err != nil {
		t.Fatal(err)
	}
	e := f.ent
	e.SessionEpoch++
	if err := f.store.Update(ctx, func(tx model.Tx) error { return tx.Enterprises().Put(e) }); err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.EnterpriseView(ctx, s); !errors.Is(err, model.ErrSessionEnded) {
		t.Fatalf("old session still valid: %v", err)
	}
}

func TestUserMessage(t *testing.T) {
	le := &model.LockedError{Until: time.Date(2026, 11, 27, 10, 15, 0, 0, time.Local)}
	for err, want := range map[error]string{
		model.ErrBadCredentials:    "账号或密码错误",
		le:                         "连续登录失败次数过多，账号已锁定，请于 2026-11-27 10:15 后重试",
		errors.New("disk on fire"): "系统繁忙，请稍后再试或咨询窗口工作人员",
		context.DeadlineExceeded:   "操作超时，请重试或咨询窗口工作人员",
		context.Canceled:           "操作已取消",
	} {
		if got := zh(model.UserMessage(err)); got != want {
			t.Errorf("%v: %q", err, got)
		}
	}
	// The unlock time is a value of the text, so each language places it.
	if got, want := model.UserMessage(le), i18n.T("error.locked", "Until", "2026-11-27 10:15"); !reflect.DeepEqual(got, want) {
		t.Errorf("locked: %+v, want %+v", got, want)
	}
	if got := model.UserMessage(nil); !got.IsZero() {
		t.Errorf("UserMessage(nil) = %+v", got)
	}
}

// Every agent state that refuses a login has its own sentence.
func TestAgentStateErrorMessage(t *testing.T) {
	for state, want := range map[model.AgentState]string{
		model.AgentNotYet:   "经办人授权尚未生效，请在授权有效期内登录",
		model.AgentExpired:  "经办人授权已过期，请联系企业重新授权",
		model.AgentDisabled: "经办人账号已停用，请联系企业管理员",
		model.AgentValid:    "经办人状态异常，请联系企业管理员",
		"bogus":             "经办人状态异常，请联系企业管理员",
	} {
		if got := zh(model.UserMessage(&model.AgentStateError{State: state})); got != want {
			t.Errorf("%s: %q, want %q", state, got, want)
		}
	}
}

// BenchmarkLoginEnterprise is the whole login use case: look-up, lockout
// check, argon2id verify with the production parameters, audit write.
func BenchmarkLoginEnterprise(b *testing.B) {
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		b.Fatal(err)
	}
	h := pwhash.New(pwhash.Default)
	hash, err := h.Hash(pw)
	if err != nil {
		b.Fatal(err)
	}
	ent := model.Enterprise{ID: "e1", USCC: "91220101MA0Y3K8X4E", Name: "长春测试科技有限公司",
		Account: "Demo_Corp01", PasswordHash: hash, Phone: "13812345678", State: model.EnterpriseActive}
	ctx := context.Background()
	if err := st.Update(ctx, func(tx model.Tx) error { return tx.Enterprises().Put(ent) }); err != nil {
		b.Fatal(err)
	}
	a := &model.Auth{Store: st, Clock: model.SystemClock{}, Hasher: h, Kiosk: "BENCH"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.LoginEnterprise(ctx, "demo_corp01", pw); err != nil {
			b.Fatal(err)
		}
	}
}

// A wrong password says how many tries are left before the lock, counting
// down; an unknown account says exactly the same (no existence oracle);
// the agent login too, in its own words.
func TestBadCredentialsTriesLeft(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, id := range []string{"demo_corp01", "nobody_here1"} {
		for i := 1; i < model.MaxFailures; i++ {
			_, err := f.auth.LoginEnterprise(ctx, id, "wrong-Pass1")
			var bad *model.BadCredentialsError
			if !errors.As(err, &bad) || bad.Left != model.MaxFailures-i || !errors.Is(err, model.ErrBadCredentials) {
				t.Fatalf("%s, failure %d: %v", id, i, err)
			}
			want := "账号或密码错误，还可尝试 " + strconv.Itoa(model.MaxFailures-i) + " 次"
			if got := zh(model.UserMessage(err)); got != want {
				t.Errorf("%s, failure %d: %q, want %q", id, i, got, want)
			}
		}
	}
	c := f.creds()
	c.Password = "wrong-Pass1"
	_, err := f.auth.LoginAgent(ctx, c)
	if !errors.Is(err, model.ErrAgentBadCredentials) || zh(model.UserMessage(err)) != "登录信息或密码错误，还可尝试 4 次，请核对后重试" {
		t.Errorf("agent: %v %q", err, zh(model.UserMessage(err)))
	}
}
