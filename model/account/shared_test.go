package account_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/smscode"
	"kiosk/storage"
	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
)

// Shared state is shared (issue 13): what limits or locks a person or a
// number is kept in the store, per subject, so it holds across the kiosks
// of one database; what limits a kiosk stays that kiosk's. Each kiosk
// here has its own store handle (storage.Open on the one engine, with the
// one key file) and its own services, as separate processes would; only
// the engine and the clock are shared.
//
// In process memory, by design, stays only what belongs to one visit at
// one kiosk: the picture captcha's challenges and the key of its passes
// (model/captcha: the person answers at the kiosk that drew it), and the
// SMS worker's view of its own modem (devices/sms).

func TestSharedStateAcrossKiosks(t *testing.T) {
	for _, m := range []struct {
		name string
		opts []memkv.Option
	}{
		{"memkv", nil},
		{"memkv interleaved", []memkv.Option{memkv.Interleave(memkv.Touch)}},
		{"memkv run twice", []memkv.Option{memkv.RunTwice()}},
	} {
		t.Run(m.name, func(t *testing.T) {
			sharedState(t, func(t *testing.T) kv.Engine {
				e := memkv.New(m.opts...)
				t.Cleanup(func() { e.Close() })
				return e
			})
		})
	}
}

// sharedState runs the cases on kiosks sharing an engine from newEngine
// (fresh and empty; it registers its own cleanup), so that other engines
// (etcd) can run them too.
func sharedState(t *testing.T, newEngine func(t *testing.T) kv.Engine) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, a, b *fixture)
	}{
		{"EnterpriseLoginLockout", sharedEnterpriseLockout},
		{"AgentLoginLockout", sharedAgentLockout},
		{"StaffLoginLockout", sharedStaffLockout},
		{"ReverifyCountsWithLogins", sharedReverify},
		{"SMSNumberLimits", sharedSMSNumberLimits},
		{"SMSKioskLimitStaysPerKiosk", sharedSMSKioskLimit},
		{"LookupLimits", sharedLookupLimits},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := twoKiosks(t, newEngine(t))
			tc.fn(t, a, b)
		})
	}
}

// twoKiosks opens two kiosks, K-A and K-B, on e: the first seeds the demo
// data. They share the fake clock.
func twoKiosks(t *testing.T, e kv.Engine) (a, b *fixture) {
	t.Helper()
	keys := storage.NewKeysForTest()
	open := func() model.Store {
		st, err := storage.Open(e, keys)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	a = newFixtureOn(t, open())
	a.svc.Kiosk, a.auth.Kiosk, a.codes.Kiosk = "K-A", "K-A", "K-A"
	b = newKiosk(t, open(), a.clk, "K-B")
	if a.store == b.store {
		t.Fatal("the kiosks share a store handle")
	}
	return a, b
}

// wantLeft asserts a counted wrong password with left tries left.
func wantLeft(t *testing.T, who string, err error, left int) {
	t.Helper()
	var bad *model.BadCredentialsError
	if !errors.As(err, &bad) || bad.Left != left {
		t.Fatalf("%s: %v, want a wrong password with %d left", who, err, left)
	}
}

func wantLocked(t *testing.T, who string, err error) {
	t.Helper()
	var locked *model.LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("%s: %v, want locked", who, err)
	}
}

// 3 wrong passwords at K-A and 2 at K-B lock the enterprise at both.
func sharedEnterpriseLockout(t *testing.T, a, b *fixture) {
	ctx := context.Background()
	for i, k := range []*fixture{a, a, a, b} {
		_, err := k.auth.LoginEnterprise(ctx, activeAccount, "Wrong#Pass2026")
		wantLeft(t, k.auth.Kiosk, err, model.MaxFailures-1-i)
	}
	_, err := b.auth.LoginEnterprise(ctx, activeUSCC, "Wrong#Pass2026") // by USCC: the same account
	wantLocked(t, "fifth failure at K-B", err)
	for _, k := range []*fixture{a, b} {
		_, err := k.auth.LoginEnterprise(ctx, activeAccount, demoPw)
		wantLocked(t, "right password at "+k.auth.Kiosk, err)
	}
	a.advance(model.BaseLock)
	if _, err := b.auth.LoginEnterprise(ctx, activeAccount, demoPw); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
}

// An agent's failures count across kiosks too, and lock that agent only.
func sharedAgentLockout(t *testing.T, a, b *fixture) {
	ctx := context.Background()
	agent := model.AgentCredentials{Account: activeAccount, USCC: activeUSCC, Phone: "13197472314",
		IDNumber: "220104199805211482", Password: "Wrong#Pass2026"}
	for i, k := range []*fixture{b, b, b, a} {
		_, err := k.auth.LoginAgent(ctx, agent)
		wantLeft(t, k.auth.Kiosk, err, model.MaxFailures-1-i)
	}
	_, err := a.auth.LoginAgent(ctx, agent)
	wantLocked(t, "fifth failure at K-A", err)
	agent.Password = agentPw
	for _, k := range []*fixture{a, b} {
		_, err := k.auth.LoginAgent(ctx, agent)
		wantLocked(t, "right password at "+k.auth.Kiosk, err)
	}
	if _, err := b.auth.LoginEnterprise(ctx, activeAccount, demoPw); err != nil {
		t.Fatalf("the enterprise was locked with its agent: %v", err)
	}
}

// Counter staff are locked across kiosks (the console opens at any).
func sharedStaffLockout(t *testing.T, a, b *fixture) {
	ctx := context.Background()
	for _, k := range []*fixture{a, b, a, b} {
		if _, err := k.auth.LoginStaff(ctx, "counter01", "Wrong#Pass2026"); !errors.Is(err, model.ErrBadCredentials) {
			t.Fatalf("%s: %v", k.auth.Kiosk, err)
		}
	}
	_, err := a.auth.LoginStaff(ctx, "counter01", "Wrong#Pass2026")
	wantLocked(t, "fifth failure at K-A", err)
	_, err = b.auth.LoginStaff(ctx, "counter01", "Staff@2026")
	wantLocked(t, "right password at K-B", err)
}

// Reverify (修改密码's 原密码) at K-A counts with wrong logins at K-B.
func sharedReverify(t *testing.T, a, b *fixture) {
	ctx := context.Background()
	s := a.entLogin()
	for range 2 {
		if err := a.auth.Reverify(ctx, s, "password.change", "Wrong#Pass2026"); !errors.Is(err, model.ErrPasswordAgain) {
			t.Fatalf("reverify at K-A: %v", err)
		}
	}
	for i := range 2 {
		_, err := b.auth.LoginEnterprise(ctx, activeAccount, "Wrong#Pass2026")
		wantLeft(t, "K-B", err, model.MaxFailures-3-i)
	}
	if _, err := b.auth.LoginEnterprise(ctx, activeAccount, "Wrong#Pass2026"); err == nil {
		t.Fatal("fifth failure accepted")
	}
	wantLocked(t, "reverify at K-A with the right password", a.auth.Reverify(ctx, s, "password.change", demoPw))
}

// The per-number limits hold across kiosks: one a minute, five an hour.
func sharedSMSNumberLimits(t *testing.T, a, b *fixture) {
	ctx := context.Background()
	const phone = "13900001111"
	send := func(k *fixture, at time.Duration) error {
		k.clk.Set(start.Add(at))
		_, err := k.codes.Send(ctx, passFor(k.codes), smscode.PurposeRegister, phone)
		return err
	}
	if err := send(a, 0); err != nil {
		t.Fatal(err)
	}
	if err := send(b, 30*time.Second); !errors.Is(err, smscode.ErrTooSoon) {
		t.Fatalf("second code within the minute at K-B: %v", err)
	}
	for i, k := range []*fixture{b, a, b, a} {
		if err := send(k, time.Duration(i+1)*time.Minute); err != nil {
			t.Fatalf("send %d at %s: %v", i+2, k.codes.Kiosk, err)
		}
	}
	if err := send(b, 5*time.Minute); !errors.Is(err, smscode.ErrHourLimit) {
		t.Fatalf("sixth code within the hour at K-B: %v", err)
	}
	if err := send(a, 6*time.Minute); !errors.Is(err, smscode.ErrHourLimit) {
		t.Fatalf("sixth code within the hour at K-A: %v", err)
	}
}

// The cap per kiosk (SMS pumping) is the kiosk's own: K-A at its cap
// does not stop K-B.
func sharedSMSKioskLimit(t *testing.T, a, b *fixture) {
	ctx := context.Background()
	for _, k := range []*fixture{a, b} {
		k.codes.Limits = smscode.Limits{PerKioskHour: 3}
	}
	send := func(k *fixture, i int) error {
		_, err := k.codes.Send(ctx, passFor(k.codes), smscode.PurposeRegister, fmt.Sprintf("1390000%04d", i))
		return err
	}
	for i := range 3 {
		if err := send(a, i); err != nil {
			t.Fatal(err)
		}
	}
	if err := send(a, 3); !errors.Is(err, smscode.ErrKioskLimit) {
		t.Fatalf("K-A past its cap: %v", err)
	}
	for i := 4; i < 7; i++ {
		if err := send(b, i); err != nil {
			t.Fatalf("K-B while K-A is at its cap: %v", err)
		}
	}
	if err := send(b, 7); !errors.Is(err, smscode.ErrKioskLimit) {
		t.Fatalf("K-B past its cap: %v", err)
	}
}

// The per-identifier look-up limit holds across kiosks; the per-kiosk
// one stays per kiosk.
func sharedLookupLimits(t *testing.T, a, b *fixture) {
	ctx := context.Background()
	lim := account.DefaultLimits()
	wrong := freeRepInput()
	wrong.IDDoc.Number = otherRepID(t)
	proof := a.proof(smscode.PurposeRegister, freePhone) // proved at K-A, good at K-B too (one secret)
	for i := range lim.IdentifierLookups {
		k := []*fixture{a, b}[i%2]
		wantField(t, k.svc.CheckLegalRep(ctx, freeEnterprise(), wrong, proof), account.FieldRepName, "registry_mismatch", model.ErrRegistryMismatch)
	}
	for _, k := range []*fixture{a, b} {
		wantField(t, k.svc.CheckLegalRep(ctx, freeEnterprise(), freeRepInput(), proof), account.FieldForm, "lookup_limited", model.ErrLookupLimited)
	}

	// The kiosk's own limit: K-A spends it on other enterprises, K-B
	// still answers.
	for _, k := range []*fixture{a, b} {
		k.svc.Limits = account.Limits{Lookups: 3, IdentifierLookups: 2}
	}
	a.advance(lim.LookupWindow)
	proof = a.proof(smscode.PurposeRegister, freePhone)
	for i := range 3 {
		e := freeEnterprise()
		e.USCC = validUSCC(t, fmt.Sprintf("7777777%d", i))
		wantField(t, a.svc.CheckLegalRep(ctx, e, freeRepInput(), proof), account.FieldUSCC, "registry_mismatch", model.ErrRegistryMismatch)
	}
	wantField(t, a.svc.CheckLegalRep(ctx, freeEnterprise(), freeRepInput(), proof), account.FieldForm, "lookup_limited", model.ErrLookupLimited)
	if err := b.svc.CheckLegalRep(ctx, freeEnterprise(), freeRepInput(), proof); err != nil {
		t.Fatalf("K-B while K-A is at its limit: %v", err)
	}
}
