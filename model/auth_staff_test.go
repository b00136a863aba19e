package model_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/model/pwhash"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

// countingHasher counts the password derivations Auth asks for, to show
// that every path costs one, known username or not.
type countingHasher struct {
	*pwhash.Hasher
	verifies, dummies int
}

func (h *countingHasher) Verify(phc, pw string) (bool, error) {
	h.verifies++
	return h.Hasher.Verify(phc, pw)
}

func (h *countingHasher) DummyVerify(pw string) {
	h.dummies++
	h.Hasher.DummyVerify(pw)
}

const staffPw = "Counter#2026"

type staffFixture struct {
	auth  *model.Auth
	store *storage.Store
	clk   *clocktest.Clock
	h     *countingHasher
}

func newStaffFixture(t *testing.T) *staffFixture {
	t.Helper()
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	h := &countingHasher{Hasher: pwhash.New(pwhash.Fast)}
	phc, err := h.Hash(staffPw)
	if err != nil {
		t.Fatal(err)
	}
	clk := clocktest.New(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	staff := []model.Staff{
		{ID: "s1", Username: "WangFang", Name: "王芳", PasswordHash: phc}, // stored before roles
		{ID: "s2", Username: "reviewer1", Name: "李审", PasswordHash: phc, Role: model.StaffReviewer},
		{ID: "s3", Username: "admin1", Name: "张管", PasswordHash: phc, Role: model.StaffAdmin},
		{ID: "s4", Username: "gone1", Name: "赵离", PasswordHash: phc, Role: model.StaffCounter, Disabled: true},
	}
	err = st.Update(context.Background(), func(tx model.Tx) error {
		for _, s := range staff {
			if err := tx.Staff().Put(s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return &staffFixture{auth: &model.Auth{Store: st, Clock: clk, Hasher: h, Kiosk: "K-07"}, store: st, clk: clk, h: h}
}

func (f *staffFixture) audit(t *testing.T) []model.AuditRecord {
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

func (f *staffFixture) lockout(t *testing.T, key string) model.Lockout {
	t.Helper()
	var l model.Lockout
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		var err error
		l, err = tx.Lockouts().Get(key)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestAuthenticateStaff(t *testing.T) {
	tests := []struct {
		name, user, pass string
		wantID           string
		wantErr          error
		outcome, actor   string
		subject          string
		failures         int
		verifies         int // real derivations against a stored hash
	}{
		{"right password", "wangfang", staffPw, "s1", nil, "ok", "staff:s1", "", 0, 1},
		{"username trimmed, any case", " WANGFANG ", staffPw, "s1", nil, "ok", "staff:s1", "", 0, 1},
		{"reviewer", "reviewer1", staffPw, "s2", nil, "ok", "staff:s2", "", 0, 1},
		{"wrong password", "wangfang", "guess", "", model.ErrBadCredentials, "fail", "anonymous", "staff:s1", 1, 1},
		{"empty password", "wangfang", "", "", model.ErrBadCredentials, "fail", "anonymous", "staff:s1", 1, 1},
		{"unknown username costs a dummy derivation", "nobody", staffPw, "", model.ErrBadCredentials, "fail", "anonymous", "", 1, 0},
		{"disabled, right password", "gone1", staffPw, "", model.ErrBadCredentials, "disabled", "anonymous", "staff:s4", 1, 1},
		{"disabled, wrong password", "gone1", "guess", "", model.ErrBadCredentials, "disabled", "anonymous", "staff:s4", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newStaffFixture(t)
			st, err := f.auth.AuthenticateStaff(context.Background(), tt.user, tt.pass, "staff.test")
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || st.ID != "" {
					t.Fatalf("AuthenticateStaff = %+v, %v; want %v", st, err, tt.wantErr)
				}
				// The tries left before the lock, the same for an unknown name.
				if got := zh(model.UserMessage(err)); got != "账号或密码错误，还可尝试 4 次" {
					t.Errorf("message %q", got)
				}
			} else if err != nil || st.ID != tt.wantID {
				t.Fatalf("AuthenticateStaff = %+v, %v; want %s", st, err, tt.wantID)
			}
			if got := f.h.verifies + f.h.dummies; got != 1 {
				t.Errorf("%d derivations, want exactly 1 on every path", got)
			}
			if f.h.verifies != tt.verifies {
				t.Errorf("%d verifies against a stored hash, want %d", f.h.verifies, tt.verifies)
			}
			recs := f.audit(t)
			if len(recs) != 1 {
				t.Fatalf("%d audit records, want 1: %+v", len(recs), recs)
			}
			r := recs[0]
			if r.Action != "staff.test" || r.Outcome != tt.outcome || r.Actor != tt.actor || r.Subject != tt.subject ||
				r.Kiosk != "K-07" || !r.Time.Equal(f.clk.Now()) {
				t.Errorf("audit %+v", r)
			}
			for _, pii := range []string{staffPw, "guess", "nobody", "王芳", "wangfang", "gone1"} {
				if strings.Contains(strings.ToLower(r.Actor+r.Subject+r.Detail), strings.ToLower(pii)) {
					t.Errorf("audit record holds %q: %+v", pii, r)
				}
			}
			key := "staff:" + strings.ToLower(strings.TrimSpace(tt.user))
			if key != model.StaffLockKey(tt.user) {
				t.Errorf("StaffLockKey(%q) = %q", tt.user, model.StaffLockKey(tt.user))
			}
			if l := f.lockout(t, key); l.Failures != tt.failures {
				t.Errorf("failures %d, want %d", l.Failures, tt.failures)
			}
		})
	}
}

func TestStaffLockoutSharesTheLoginRules(t *testing.T) {
	f := newStaffFixture(t)
	ctx := context.Background()
	fail := func(user string, n int) error {
		var err error
		for range n {
			_, err = f.auth.AuthenticateStaff(ctx, user, "wrong-Pass1", "login.staff")
		}
		return err
	}
	if err := fail("wangfang", model.MaxFailures-1); !errors.Is(err, model.ErrBadCredentials) {
		t.Fatalf("before the lock: %v", err)
	}
	var le *model.LockedError
	if err := fail("WANGFANG", 1); !errors.As(err, &le) || !le.Until.Equal(f.clk.Now().Add(model.BaseLock)) {
		t.Fatalf("5th failure: %v", err)
	}
	if _, err := f.auth.LoginStaff(ctx, "WangFang", staffPw); !errors.As(err, &le) {
		t.Fatalf("locked staff logged in: %v", err)
	}
	f.clk.Add(model.BaseLock + time.Second)
	if err := fail("wangfang", model.MaxFailures); !errors.As(err, &le) || !le.Until.Equal(f.clk.Now().Add(2*model.BaseLock)) {
		t.Fatalf("second lock not doubled: %v", err)
	}
	f.clk.Add(2*model.BaseLock + time.Second)
	if _, err := f.auth.LoginStaff(ctx, "wangfang", staffPw); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	if l := f.lockout(t, "staff:wangfang"); l != (model.Lockout{Key: "staff:wangfang"}) {
		t.Fatalf("success left %+v", l)
	}
	// Unknown usernames lock like known ones; disabled staff too.
	for _, user := range []string{"nobody", "gone1"} {
		if err := fail(user, model.MaxFailures); !errors.As(err, &le) {
			t.Fatalf("%s did not lock: %v", user, err)
		}
	}
	var outcomes []string
	for _, r := range f.audit(t) {
		outcomes = append(outcomes, r.Outcome)
	}
	want := "fail fail fail fail locked locked fail fail fail fail locked ok " +
		"fail fail fail fail locked disabled disabled disabled disabled locked"
	if got := strings.Join(outcomes, " "); got != want {
		t.Fatalf("audit outcomes\n got %q\nwant %q", got, want)
	}
}

func TestLoginStaff(t *testing.T) {
	f := newStaffFixture(t)
	ctx := context.Background()
	for _, c := range []struct {
		user string
		id   string
		role model.StaffRole
	}{
		{"wangfang", "s1", model.StaffCounter}, // stored without a role
		{"reviewer1", "s2", model.StaffReviewer},
		{"admin1", "s3", model.StaffAdmin},
	} {
		s, err := f.auth.LoginStaff(ctx, c.user, staffPw)
		if err != nil {
			t.Fatalf("%s: %v", c.user, err)
		}
		if s.Kind != model.SessionStaff || s.StaffID != c.id || s.StaffRole != c.role || s.StaffName == "" ||
			!s.Started.Equal(f.clk.Now()) || s.EnterpriseID != "" || s.AgentID != "" || s.Admin {
			t.Fatalf("%s: session %+v", c.user, s)
		}
		if !s.IsStaff() || s.IsEnterprise() || s.IsAgent() || s.CanManageAgents() {
			t.Fatalf("%s: predicates wrong for %+v", c.user, s)
		}
		if err := f.auth.Logout(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	recs := f.audit(t)
	if len(recs) != 6 {
		t.Fatalf("%d records: %+v", len(recs), recs)
	}
	for i, r := range recs {
		wantAction, wantActor := "login.staff", "staff:"+[]string{"s1", "s2", "s3"}[i/2]
		if i%2 == 1 {
			wantAction = "logout"
		}
		if r.Action != wantAction || r.Actor != wantActor || r.Outcome != "ok" {
			t.Errorf("record %d: %+v", i, r)
		}
	}
	if _, err := f.auth.LoginStaff(ctx, "gone1", staffPw); !errors.Is(err, model.ErrBadCredentials) {
		t.Fatalf("disabled staff: %v", err)
	}
}

func TestCheckStaffRoles(t *testing.T) {
	f := newStaffFixture(t)
	ctx := context.Background()
	attempt := model.StaffAttempt{Password: staffPw, Action: "appeal.decide", Roles: []model.StaffRole{model.StaffReviewer},
		Outcome: "approved", Detail: "appeal A-1"}
	for user, want := range map[string]error{"wangfang": model.ErrStaffForbidden, "reviewer1": nil, "admin1": nil} {
		a := attempt
		a.Username = user
		if _, err := f.auth.CheckStaff(ctx, a); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", user, err, want)
		}
	}
	got := map[string]string{}
	for _, r := range f.audit(t) {
		got[r.Actor] = r.Outcome + "/" + r.Detail
	}
	want := map[string]string{"staff:s1": "forbidden/counter", "staff:s2": "approved/appeal A-1", "staff:s3": "approved/appeal A-1"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("audit of %s: %q, want %q", k, got[k], v)
		}
	}
}

// failingUpdates is a store whose writes fail, as a full disk would.
type failingUpdates struct{ model.Store }

func (failingUpdates) Update(context.Context, func(model.Tx) error) error {
	return errors.New("disk full")
}

// TestAuditFailureIsNotIgnored: an attempt whose audit record cannot be
// written fails, on every path, instead of answering without a record.
func TestAuditFailureIsNotIgnored(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sf := newStaffFixture(t)
	for range model.MaxFailures {
		_, _ = f.auth.LoginEnterprise(ctx, f.ent.Account, "wrong-Pass1")
		_, _ = sf.auth.AuthenticateStaff(ctx, "wangfang", "wrong-Pass1", "login.staff")
	}
	c := f.creds()
	c.Password = "wrong-Pass1"
	for range model.MaxFailures {
		_, _ = f.auth.LoginAgent(ctx, c)
	}
	broken, sbroken := *f.auth, *sf.auth
	broken.Store, sbroken.Store = failingUpdates{f.store}, failingUpdates{sf.store}
	checks := map[string]error{}
	_, checks["locked enterprise"] = broken.LoginEnterprise(ctx, f.ent.Account, pw)
	_, checks["locked agent"] = broken.LoginAgent(ctx, f.creds())
	_, checks["locked staff"] = sbroken.AuthenticateStaff(ctx, "wangfang", staffPw, "login.staff")
	_, checks["staff success"] = sbroken.AuthenticateStaff(ctx, "admin1", staffPw, "login.staff")
	for name, err := range checks {
		var le *model.LockedError
		if err == nil || errors.As(err, &le) || !reflect.DeepEqual(model.UserMessage(err), model.ErrUnavailable.Msg) {
			t.Errorf("%s with a failing audit: %v", name, err)
		}
	}
}
