package model_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/pwhash"
)

func (f *fixture) lock(t *testing.T, key string) model.Lockout {
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

func (f *fixture) failEnterprise(t *testing.T, id string, n int) error {
	t.Helper()
	var err error
	for range n {
		_, err = f.auth.LoginEnterprise(context.Background(), id, "wrong-Pass1")
	}
	return err
}

// A lock that ran out a day ago with no failure since is forgotten: the
// next lock is BaseLock again, not double the last one; and a stray
// failure older than a day does not count toward the next five.
func TestLockDecays(t *testing.T) {
	f := newFixture(t)
	var le *model.LockedError
	if err := f.failEnterprise(t, "demo_corp01", 5); !errors.As(err, &le) || !le.Until.Equal(f.clk.Now().Add(model.BaseLock)) {
		t.Fatalf("first lock: %v", err)
	}
	f.clk.Add(model.BaseLock + time.Minute)
	if err := f.failEnterprise(t, "demo_corp01", 5); !errors.As(err, &le) || !le.Until.Equal(f.clk.Now().Add(2*model.BaseLock)) {
		t.Fatalf("second lock, within the day: %v", err)
	}
	f.clk.Set(le.Until.Add(model.DecayWindow))
	if err := f.failEnterprise(t, "demo_corp01", 5); !errors.As(err, &le) || !le.Until.Equal(f.clk.Now().Add(model.BaseLock)) {
		t.Fatalf("lock a day after the last one ran out = %v, want %s again", err, model.BaseLock)
	}
	// Stray failures: four, a day of quiet, then four more do not lock.
	f.clk.Set(le.Until.Add(model.DecayWindow))
	if err := f.failEnterprise(t, "demo_corp01", 4); !errors.Is(err, model.ErrBadCredentials) {
		t.Fatalf("four failures: %v", err)
	}
	f.clk.Add(model.DecayWindow)
	if err := f.failEnterprise(t, "demo_corp01", 4); !errors.Is(err, model.ErrBadCredentials) {
		t.Fatalf("failures older than a day counted: %v", err)
	}
	if _, err := f.auth.LoginEnterprise(context.Background(), "demo_corp01", pw); err != nil {
		t.Fatalf("owner after stray failures: %v", err)
	}
}

// slowCountingHasher counts password checks (safely across goroutines) and makes each one take a while,
// as argon2id does, so that parallel attempts overlap.
type slowCountingHasher struct {
	model.PasswordHasher
	verifies atomic.Int32
}

func (h *slowCountingHasher) Verify(phc, password string) (bool, error) {
	h.verifies.Add(1)
	time.Sleep(20 * time.Millisecond)
	return h.PasswordHasher.Verify(phc, password)
}

// Thirty kiosks guessing at once get no more than five password checks,
// and the account ends locked: the right password is refused.
func TestParallelGuessesCheckAtMostFive(t *testing.T) {
	f := newFixture(t)
	h := &slowCountingHasher{PasswordHasher: f.auth.Hasher}
	f.auth.Hasher = h
	ctx := context.Background()
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		errs  = make([]error, 30)
	)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = f.auth.LoginEnterprise(ctx, f.ent.USCC, "wrong-Pass1")
		}()
	}
	close(start)
	wg.Wait()
	if n := h.verifies.Load(); n > model.MaxFailures {
		t.Errorf("%d password checks for 30 parallel guesses, want at most %d", n, model.MaxFailures)
	}
	var le *model.LockedError
	for _, err := range errs {
		if !errors.Is(err, model.ErrBadCredentials) && !errors.Is(err, model.ErrLoginBusy) && !errors.As(err, &le) {
			t.Errorf("guess: %v", err)
		}
	}
	before := h.verifies.Load()
	if _, err := f.auth.LoginEnterprise(ctx, "demo_corp01", pw); !errors.As(err, &le) || le.Who != model.LockEnterprise {
		t.Fatalf("right password during the lock: %v", err)
	}
	if h.verifies.Load() != before {
		t.Errorf("a locked account's password was checked")
	}
	if l := f.lock(t, "enterprise:e1"); l.Locks != 1 || l.Pending != ([model.MaxFailures]time.Time{}) {
		t.Errorf("lock record %+v: want one lock and no check in flight", l)
	}
}

// A kiosk that died between its reservation and its outcome holds its slot
// only for ReserveTTL.
func TestDeadKioskSlotExpires(t *testing.T) {
	f := newFixture(t)
	l := model.Lockout{Key: "enterprise:e1", Failures: 4, LastFailure: f.clk.Now()}
	l.Pending[0] = f.clk.Now()
	if err := f.store.Update(context.Background(), func(tx model.Tx) error { return tx.Lockouts().Put(l) }); err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.LoginEnterprise(context.Background(), "demo_corp01", pw); !errors.Is(err, model.ErrLoginBusy) {
		t.Fatalf("fifth check while four failed and one in flight: %v", err)
	}
	f.clk.Add(model.ReserveTTL)
	if _, err := f.auth.LoginEnterprise(context.Background(), "demo_corp01", pw); err != nil {
		t.Fatalf("after the dead kiosk's slot expired: %v", err)
	}
}

func staffSession() model.Session {
	return model.Session{Kind: model.SessionStaff, StaffID: "s-007", StaffRole: model.StaffCounter}
}

// Counter staff clear a lock; the record names them; the owner gets in.
func TestClearLockByStaff(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var le *model.LockedError
	if err := f.failEnterprise(t, f.ent.USCC, 5); !errors.As(err, &le) {
		t.Fatalf("not locked: %v", err)
	}
	reviewer := staffSession()
	reviewer.StaffRole = model.StaffReviewer
	for _, s := range []model.Session{reviewer, {Kind: model.SessionEnterprise, EnterpriseID: "e1"}} {
		if err := f.auth.ClearLock(ctx, s, "demo_corp01"); !errors.Is(err, model.ErrStaffForbidden) {
			t.Fatalf("%s %s cleared a lock: %v", s.Kind, s.StaffRole, err)
		}
	}
	if err := f.auth.ClearLock(ctx, staffSession(), " DEMO_CORP01 "); err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.LoginEnterprise(ctx, "demo_corp01", pw); err != nil {
		t.Fatalf("owner after the counter's unlock: %v", err)
	}
	recs := f.audit(t)
	var found bool
	for _, r := range recs {
		if r.Action == "lock.clear" {
			found = r.Actor == "staff:s-007" && r.Subject == "e1" && r.Outcome == "ok" && r.Kiosk == "K-07"
		}
	}
	if !found {
		t.Errorf("no audit record of the unlock naming the staff member: %+v", recs)
	}
}

// A login whose stored hash has outdated parameters stores a new hash made
// with the current ones, in the success transaction.
func TestLoginRehashesOutdatedHash(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := pwhash.Fast
	p.Time++
	newer := pwhash.New(p)
	f.auth.Hasher = newer
	if !newer.NeedsRehash(f.ent.PasswordHash) {
		t.Fatal("fixture hash does not need a rehash")
	}
	if _, err := f.auth.LoginEnterprise(ctx, "demo_corp01", pw); err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.LoginAgent(ctx, f.creds()); err != nil {
		t.Fatal(err)
	}
	var (
		e  model.Enterprise
		ag model.Agent
	)
	err := f.store.View(ctx, func(tx model.Tx) error {
		var err1, err2 error
		e, err1 = tx.Enterprises().Get("e1")
		ag, err2 = tx.Agents().Get("a1")
		return errors.Join(err1, err2)
	})
	if err != nil {
		t.Fatal(err)
	}
	for what, phc := range map[string]string{"enterprise": e.PasswordHash, "agent": ag.PasswordHash} {
		if newer.NeedsRehash(phc) {
			t.Errorf("%s hash not rehashed: %s", what, phc)
		}
		if ok, err := newer.Verify(phc, pw); !ok || err != nil {
			t.Errorf("%s rehash lost the password: %v", what, err)
		}
	}
	if e.SessionEpoch != f.ent.SessionEpoch {
		t.Errorf("a rehash ended sessions")
	}
	// With current parameters nothing is written again.
	if _, err := f.auth.LoginEnterprise(ctx, "demo_corp01", pw); err != nil {
		t.Fatal(err)
	}
}

var errAudit = errors.New("injected audit failure")

// auditFailStore fails every Audit().Append inside Update while armed.
type auditFailStore struct {
	model.Store
	armed atomic.Bool
}

func (s *auditFailStore) Update(ctx context.Context, fn func(model.Tx) error) error {
	return s.Store.Update(ctx, func(tx model.Tx) error {
		if s.armed.Load() {
			tx = auditFailTx{tx}
		}
		return fn(tx)
	})
}

type auditFailTx struct{ model.Tx }

func (t auditFailTx) Audit() model.AuditLog { return auditFailLog{t.Tx.Audit()} }

type auditFailLog struct{ model.AuditLog }

func (auditFailLog) Append(model.AuditRecord) (uint64, error) { return 0, errAudit }

// An attempt that cannot be audited does not happen: no session, and for a
// failure no count either.
func TestAuditFailureFailsLogin(t *testing.T) {
	f := newFixture(t)
	fs := &auditFailStore{Store: f.store}
	f.auth.Store = fs
	ctx := context.Background()
	fs.armed.Store(true)
	if s, err := f.auth.LoginEnterprise(ctx, "demo_corp01", pw); !errors.Is(err, errAudit) || s.Kind != "" {
		t.Fatalf("login with a failing audit log: %+v %v", s, err)
	}
	if _, err := f.auth.LoginAgent(ctx, f.creds()); !errors.Is(err, errAudit) {
		t.Fatalf("agent login with a failing audit log: %v", err)
	}
	if _, err := f.auth.LoginEnterprise(ctx, "demo_corp01", "wrong-Pass1"); !errors.Is(err, errAudit) {
		t.Fatalf("failure with a failing audit log: %v", err)
	}
	if err := f.auth.Logout(ctx, model.Session{Kind: model.SessionEnterprise, EnterpriseID: "e1"}); !errors.Is(err, errAudit) {
		t.Fatalf("logout with a failing audit log: %v", err)
	}
	if err := f.auth.ClearLock(ctx, staffSession(), "demo_corp01"); !errors.Is(err, errAudit) {
		t.Fatalf("unlock with a failing audit log: %v", err)
	}
	fs.armed.Store(false)
	if l := f.lock(t, "enterprise:e1"); l.Failures != 0 {
		t.Errorf("an unaudited failure was counted: %+v", l)
	}
	if n := len(f.audit(t)); n != 0 {
		t.Errorf("%d audit records", n)
	}
}

// PurgeExpiredLocks removes the records that say nothing any more and
// keeps every one that still counts.
func TestPurgeExpiredLocks(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := f.clk.Now()
	day := model.DecayWindow
	inFlight := model.Lockout{Key: "k:in-flight", LockedUntil: now.Add(-2 * day), Locks: 1}
	inFlight.Pending[0] = now.Add(-time.Second)
	recs := map[string]model.Lockout{
		// go
		"k:old-lock":     {Key: "k:old-lock", LockedUntil: now.Add(-day - time.Minute), Locks: 3, LastFailure: now.Add(-day - time.Hour)},
		"k:old-failures": {Key: "k:old-failures", Failures: 3, LastFailure: now.Add(-day)},
		"k:legacy":       {Key: "k:legacy", Failures: 2, UpdatedAt: now.Add(-2 * day)},
		"k:empty":        {Key: "k:empty"},
		// stay
		"k:locked":         {Key: "k:locked", LockedUntil: now.Add(time.Minute), Locks: 1},
		"k:recent-lock":    {Key: "k:recent-lock", LockedUntil: now.Add(-time.Hour), Locks: 2},
		"k:recent-failure": {Key: "k:recent-failure", Failures: 1, LastFailure: now.Add(-day + time.Minute)},
		"k:in-flight":      inFlight,
	}
	for i := range 450 { // more than one batch of unknown identifiers' records
		k := "k:unknown-" + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + time.Duration(i).String()
		recs[k] = model.Lockout{Key: k, Failures: 1, LastFailure: now.Add(-day - time.Duration(i)*time.Minute)}
	}
	err := f.store.Update(ctx, func(tx model.Tx) error {
		for _, l := range recs {
			if err := tx.Lockouts().Put(l); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := f.auth.PurgeExpiredLocks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(recs) - 4; n != want {
		t.Errorf("purged %d, want %d", n, want)
	}
	for k, l := range recs {
		stays := strings.HasPrefix(k, "k:locked") || strings.HasPrefix(k, "k:recent") || k == "k:in-flight"
		got := f.lock(t, k)
		if stays && utc(got) != utc(l) {
			t.Errorf("%s: purged or changed: %+v", k, got)
		}
		if !stays && got != (model.Lockout{Key: k}) {
			t.Errorf("%s: not purged: %+v", k, got)
		}
	}
	if n, err := f.auth.PurgeExpiredLocks(ctx); n != 0 || err != nil {
		t.Errorf("second purge: %d %v", n, err)
	}
}

// utc is l with its times in UTC, to compare records read back.
func utc(l model.Lockout) model.Lockout {
	l.LockedUntil, l.UpdatedAt, l.LastFailure = l.LockedUntil.UTC(), l.UpdatedAt.UTC(), l.LastFailure.UTC()
	for i := range l.Pending {
		l.Pending[i] = l.Pending[i].UTC()
	}
	return l
}

// The lock message says until when and how to get in now.
func TestLockedMessageSaysTheWayIn(t *testing.T) {
	until := time.Date(2026, 11, 27, 10, 15, 0, 0, time.Local)
	ent := zh(model.UserMessage(&model.LockedError{Until: until, Who: model.LockEnterprise}))
	for _, want := range []string{"2026-11-27 10:15", "“忘记密码”", "窗口工作人员"} {
		if !strings.Contains(ent, want) {
			t.Errorf("enterprise lock message %q lacks %q", ent, want)
		}
	}
	ag := zh(model.UserMessage(&model.LockedError{Until: until, Who: model.LockAgent}))
	for _, want := range []string{"2026-11-27 10:15", "企业管理员", "窗口工作人员"} {
		if !strings.Contains(ag, want) {
			t.Errorf("agent lock message %q lacks %q", ag, want)
		}
	}
	en := i18n.Default().Render(i18n.English, (&model.LockedError{Until: until, Who: model.LockEnterprise}).Message())
	if !strings.Contains(en, `"Forgot password"`) || !strings.Contains(en, "10:15") {
		t.Errorf("English enterprise lock message: %q", en)
	}
}
