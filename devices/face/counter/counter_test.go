package counter

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kiosk/devices/face"
	"kiosk/devices/face/facetest"
	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/model/i18n"
	"kiosk/model/pwhash"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

const (
	staffUser = "wangfang"
	staffPass = "Counter#2026"
)

func setup(t *testing.T, more ...model.Staff) (*Verifier, *clocktest.Clock) {
	t.Helper()
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	h := pwhash.New(pwhash.Fast)
	phc, err := h.Hash(staffPass)
	if err != nil {
		t.Fatal(err)
	}
	clock := clocktest.New(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	err = st.Update(context.Background(), func(tx model.Tx) error {
		if err := tx.Staff().Put(model.Staff{ID: "s-001", Username: staffUser, Name: "王芳", PasswordHash: phc,
			CreatedAt: clock.Now()}); err != nil {
			return err
		}
		for _, s := range more {
			s.PasswordHash = phc
			if err := tx.Staff().Put(s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return &Verifier{Auth: &model.Auth{Store: st, Hasher: h, Clock: clock, Kiosk: "JL-TEST-01"}}, clock
}

func auditLog(t *testing.T, v *Verifier) []model.AuditRecord {
	t.Helper()
	var recs []model.AuditRecord
	err := v.Auth.Store.View(context.Background(), func(tx model.Tx) error {
		var err error
		recs, err = tx.Audit().List(0, 100)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func lockout(t *testing.T, v *Verifier, key string) model.Lockout {
	t.Helper()
	var l model.Lockout
	err := v.Auth.Store.View(context.Background(), func(tx model.Tx) error {
		var err error
		l, err = tx.Lockouts().Get(key)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestVerifyNeedsStaff(t *testing.T) {
	v, _ := setup(t)
	_, err := v.Verify(context.Background(), facetest.Request(t))
	if !errors.Is(err, face.ErrNeedsStaff) {
		t.Fatalf("Verify = %v, want ErrNeedsStaff", err)
	}
	if got := zh(face.Message(err)); got != "请窗口工作人员现场核验身份" {
		t.Errorf("message %q", got)
	}
	if v.Name() != "counter" || v.Simulated() {
		t.Errorf("Name %q Simulated %v", v.Name(), v.Simulated())
	}
	if err := v.Check(context.Background()); err != nil {
		t.Errorf("Check: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := v.Verify(ctx, facetest.Request(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("Verify(cancelled) = %v", err)
	}
	if _, err := v.Confirm(ctx, staffUser, staffPass, true); !errors.Is(err, context.Canceled) {
		t.Errorf("Confirm(cancelled) = %v", err)
	}
}

func TestConfirm(t *testing.T) {
	tests := []struct {
		name     string
		user     string
		pass     string
		approve  bool
		wantErr  error
		match    bool
		outcome  string
		actor    string
		subject  string
		failures int
	}{
		{name: "approve", user: staffUser, pass: staffPass, approve: true, match: true,
			outcome: "approved", actor: "staff:s-001"},
		{name: "username is case-insensitive", user: " WangFang ", pass: staffPass, approve: true, match: true,
			outcome: "approved", actor: "staff:s-001"},
		{name: "reject", user: staffUser, pass: staffPass, approve: false,
			outcome: "rejected", actor: "staff:s-001"},
		{name: "wrong password", user: staffUser, pass: "guess", approve: true, wantErr: model.ErrBadCredentials,
			outcome: "fail", actor: "anonymous", subject: "staff:s-001", failures: 1},
		{name: "empty password", user: staffUser, pass: "", approve: true, wantErr: model.ErrBadCredentials,
			outcome: "fail", actor: "anonymous", subject: "staff:s-001", failures: 1},
		{name: "unknown staff", user: "nobody", pass: staffPass, approve: true, wantErr: model.ErrBadCredentials,
			outcome: "fail", actor: "anonymous", failures: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := setup(t)
			res, err := v.Confirm(context.Background(), tt.user, tt.pass, tt.approve)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if got := zh(model.UserMessage(err)); got != "账号或密码错误，还可尝试 4 次" { // the same for an unknown id
					t.Errorf("message %q", got)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				want := "工作人员现场核验未通过，请携带有效证件到窗口办理" // Rejected
				if tt.match {
					want = "工作人员已现场核验身份"
				}
				if res.Match != tt.match || res.Outcome != face.Counter || zh(res.Reason) != want {
					t.Fatalf("result %+v, reason %q", res, zh(res.Reason))
				}
				if tt.match && res.Score != 1 {
					t.Errorf("score %v", res.Score)
				}
			}
			recs := auditLog(t, v)
			if len(recs) != 1 {
				t.Fatalf("%d audit records, want 1", len(recs))
			}
			r := recs[0]
			if r.Action != Action || r.Outcome != tt.outcome || r.Actor != tt.actor || r.Subject != tt.subject ||
				r.Kiosk != "JL-TEST-01" || r.Time.IsZero() {
				t.Errorf("audit %+v", r)
			}
			for _, pii := range []string{staffPass, "guess", "nobody", "王芳"} {
				if strings.Contains(r.Detail+r.Subject+r.Actor, pii) {
					t.Errorf("audit record holds %q: %+v", pii, r)
				}
			}
			key := "staff:" + strings.ToLower(strings.TrimSpace(tt.user))
			if l := lockout(t, v, key); l.Failures != tt.failures {
				t.Errorf("failures %d, want %d", l.Failures, tt.failures)
			}
		})
	}
}

func TestLockout(t *testing.T) {
	v, clock := setup(t)
	ctx := context.Background()
	for i := 1; i < model.MaxFailures; i++ {
		if _, err := v.Confirm(ctx, staffUser, "wrong", true); !errors.Is(err, model.ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	_, err := v.Confirm(ctx, "WANGFANG", "wrong", true) // same key, any case
	var locked *model.LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("failure %d = %v, want LockedError", model.MaxFailures, err)
	}
	if want := clock.Now().Add(model.BaseLock); !locked.Until.Equal(want) {
		t.Fatalf("locked until %v, want %v", locked.Until, want)
	}
	// The right password does not help while locked.
	if _, err := v.Confirm(ctx, staffUser, staffPass, true); !errors.As(err, &locked) {
		t.Fatalf("while locked: %v", err)
	}
	clock.Add(model.BaseLock + time.Second)
	res, err := v.Confirm(ctx, staffUser, staffPass, true)
	if err != nil || !res.Match {
		t.Fatalf("after the lock: %+v, %v", res, err)
	}
	if l := lockout(t, v, "staff:"+staffUser); l.Failures != 0 || !l.LockedUntil.IsZero() {
		t.Fatalf("lockout not cleared: %+v", l)
	}
	var outcomes []string
	for _, r := range auditLog(t, v) {
		outcomes = append(outcomes, r.Outcome)
	}
	want := "fail fail fail fail locked locked approved"
	if got := strings.Join(outcomes, " "); got != want {
		t.Fatalf("audit outcomes %q, want %q", got, want)
	}
}

func TestSecondLockDoubles(t *testing.T) {
	v, clock := setup(t)
	ctx := context.Background()
	for range 2 * model.MaxFailures {
		_, _ = v.Confirm(ctx, staffUser, "wrong", true)
		if l := lockout(t, v, "staff:"+staffUser); l.LockedUntil.After(clock.Now()) && l.Locks == 1 {
			clock.Add(model.BaseLock + time.Second)
		}
	}
	l := lockout(t, v, "staff:"+staffUser)
	if l.Locks != 2 || !l.LockedUntil.Equal(clock.Now().Add(2*model.BaseLock)) {
		t.Fatalf("second lock %+v (now %v)", l, clock.Now())
	}
}

// TestLockCapped: locks double up to model.MaxLock and stay there (it
// asserted lockDuration(40) == MaxLock when the package had its own copy).
func TestLockCapped(t *testing.T) {
	v, clock := setup(t)
	ctx := context.Background()
	var last time.Duration
	for n := 1; n <= 10; n++ {
		var err error
		for range model.MaxFailures {
			_, err = v.Confirm(ctx, staffUser, "wrong", true)
		}
		var locked *model.LockedError
		if !errors.As(err, &locked) {
			t.Fatalf("lock %d: %v", n, err)
		}
		last = locked.Until.Sub(clock.Now())
		if last > model.MaxLock {
			t.Fatalf("lock %d lasts %v, more than MaxLock", n, last)
		}
		clock.Add(last + time.Second)
	}
	if last != model.MaxLock {
		t.Fatalf("tenth lock lasts %v, want MaxLock %v", last, model.MaxLock)
	}
}

// TestConfirmRoles: counter clerks (and staff from before roles) and
// admins confirm faces; a reviewer's right credentials are refused with
// ErrStaffForbidden; a disabled clerk is refused like a wrong password.
func TestConfirmRoles(t *testing.T) {
	tests := []struct {
		name, user string
		wantErr    error
		outcome    string
		actor      string
		subject    string
	}{
		{"role from before roles", staffUser, nil, "approved", "staff:s-001", ""},
		{"counter clerk", "clerk", nil, "approved", "staff:s-002", ""},
		{"admin", "boss", nil, "approved", "staff:s-003", ""},
		{"reviewer", "reviewer", model.ErrStaffForbidden, "forbidden", "staff:s-004", ""},
		{"disabled clerk", "gone", model.ErrBadCredentials, "disabled", "anonymous", "staff:s-005"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := setup(t,
				model.Staff{ID: "s-002", Username: "clerk", Role: model.StaffCounter},
				model.Staff{ID: "s-003", Username: "boss", Role: model.StaffAdmin},
				model.Staff{ID: "s-004", Username: "reviewer", Role: model.StaffReviewer},
				model.Staff{ID: "s-005", Username: "gone", Role: model.StaffCounter, Disabled: true})
			res, err := v.Confirm(context.Background(), tt.user, staffPass, true)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			} else if err != nil || !res.Match {
				t.Fatalf("Confirm = %+v, %v", res, err)
			}
			recs := auditLog(t, v)
			if len(recs) != 1 || recs[0].Action != Action || recs[0].Outcome != tt.outcome ||
				recs[0].Actor != tt.actor || recs[0].Subject != tt.subject {
				t.Fatalf("audit %+v", recs)
			}
		})
	}
}

// zh is t in Chinese, as the screen shows it.
func zh(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }
