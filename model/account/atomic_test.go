package account_test

import (
	"context"
	"errors"
	"testing"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/smscode"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

var errInjected = errors.New("injected outbox failure")

// failingStore makes Outbox().Enqueue fail inside Update while armed: the
// outbox is the last write of every final step, so everything before it
// must roll back.
type failingStore struct {
	model.Store
	armed  bool
	before func() // run once at the next Update: another kiosk commits first
}

func (s *failingStore) Update(ctx context.Context, fn func(model.Tx) error) error {
	if b := s.before; b != nil {
		s.before = nil
		b()
	}
	return s.Store.Update(ctx, func(tx model.Tx) error {
		if s.armed {
			tx = failTx{tx}
		}
		return fn(tx)
	})
}

type failTx struct{ model.Tx }

func (t failTx) Outbox() model.OutboxRepo { return failOutbox{t.Tx.Outbox()} }

type failOutbox struct{ model.OutboxRepo }

func (failOutbox) Enqueue(model.OutboundSMS) error { return errInjected }

func newFailingFixture(t *testing.T) (*fixture, *failingStore) {
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	fs := &failingStore{Store: st}
	return newFixtureOn(t, fs), fs
}

// run arms the failure around fn, checks fn failed with it, then disarms.
func run(t *testing.T, fs *failingStore, fn func() error) {
	t.Helper()
	fs.armed = true
	err := fn()
	fs.armed = false
	if !errors.Is(err, errInjected) {
		t.Fatalf("err = %v, want the injected failure", err)
	}
}

func (f *fixture) counts() (ents, audit int) {
	f.t.Helper()
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		var err error
		ents, err = tx.Enterprises().Count()
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return ents, len(f.audit())
}

func TestRegisterAllOrNothing(t *testing.T) {
	f, fs := newFailingFixture(t)
	ctx := context.Background()
	in := f.registration()
	ents, audits := f.counts()
	run(t, fs, func() error { _, err := f.svc.Register(ctx, in); return err })

	if e, a := f.counts(); e != ents || a != audits {
		t.Fatalf("counts %d/%d, want %d/%d", e, a, ents, audits)
	}
	err := f.store.View(ctx, func(tx model.Tx) error {
		if _, err := tx.Enterprises().ByUSCC(freeUSCC); !errors.Is(err, model.ErrNotFound) {
			return errors.New("USCC index left behind")
		}
		if _, err := tx.Enterprises().ByAccount(in.Account); !errors.Is(err, model.ErrNotFound) {
			return errors.New("account index left behind")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.auditFor(account.AuditRegister)) != 0 || len(f.notices(freePhone)) != 0 {
		t.Fatal("audit record or notice left behind")
	}
	// Nothing half-written stands in the way of the retry.
	if _, err := f.svc.Register(ctx, in); err != nil {
		t.Fatal(err)
	}
	if e, a := f.counts(); e != ents+1 || a != audits+1 {
		t.Fatalf("after retry %d/%d", e, a)
	}
}

func TestResetPasswordAllOrNothing(t *testing.T) {
	f, fs := newFailingFixture(t)
	ctx := context.Background()
	before, _ := f.enterpriseByUSCC(activeUSCC)
	lockKey := "enterprise:" + before.ID
	err := f.store.Update(ctx, func(tx model.Tx) error {
		return tx.Lockouts().Put(model.Lockout{Key: lockKey, Failures: 3})
	})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := f.svc.ConfirmAccount(ctx, activeAccount, activeRep, activeID)
	if err != nil {
		t.Fatal(err)
	}
	proof := f.proof(smscode.PurposeReset, activePhone)
	run(t, fs, func() error { _, err := f.svc.ResetPassword(ctx, tk, proof, newPw); return err })

	after, _ := f.enterpriseByUSCC(activeUSCC)
	var lock model.Lockout
	_ = f.store.View(ctx, func(tx model.Tx) error { lock, err = tx.Lockouts().Get(lockKey); return err })
	if after.PasswordHash != before.PasswordHash || after.SessionEpoch != before.SessionEpoch || lock.Failures != 3 ||
		len(f.auditFor(account.AuditReset)) != 0 || len(f.notices(activePhone)) != 0 {
		t.Fatalf("partial reset: %+v, lock %+v", after, lock)
	}
	if _, err := f.svc.ResetPassword(ctx, tk, proof, newPw); err != nil {
		t.Fatal(err)
	}
}

func TestActivateAllOrNothing(t *testing.T) {
	f, fs := newFailingFixture(t)
	ctx := context.Background()
	tk, err := f.svc.ConfirmActivation(ctx, pendingInput())
	if err != nil {
		t.Fatal(err)
	}
	proof := f.proof(smscode.PurposeActivate, pendingPhone)
	run(t, fs, func() error { _, err := f.svc.Activate(ctx, tk, proof, "Borun_Tech1", "Borun#2026x"); return err })
	e, _ := f.enterpriseByUSCC(pendingUSCC)
	if e.State != model.EnterprisePending || e.Account != "" || len(f.auditFor(account.AuditActivate)) != 0 {
		t.Fatalf("partial activation: %+v", e)
	}
	if err := f.svc.CheckAccount(ctx, "Borun_Tech1"); err != nil {
		t.Fatalf("account index left behind: %v", err)
	}
	if _, err := f.svc.Activate(ctx, tk, proof, "Borun_Tech1", "Borun#2026x"); err != nil {
		t.Fatal(err)
	}
}

func TestRegisterPersonAllOrNothing(t *testing.T) {
	f, fs := newFailingFixture(t)
	ctx := context.Background()
	in := account.PersonRegistration{Person: newPerson(), Password: "Ouyang#2026",
		PhoneProof: f.proof(smscode.PurposePerson, newPersonPhone), Face: f.face(newPersonID, model.FaceForPerson)}
	run(t, fs, func() error { _, err := f.svc.RegisterPerson(ctx, in); return err })
	if err := f.svc.CheckPerson(ctx, in.Person, in.PhoneProof); err != nil {
		t.Fatalf("person left behind: %v", err)
	}
	if len(f.auditFor(account.AuditRegisterPerson)) != 0 {
		t.Fatal("audit record left behind")
	}
	if _, err := f.svc.RegisterPerson(ctx, in); err != nil {
		t.Fatal(err)
	}
}

// TestRegisterRace: another kiosk commits the same account name, or the
// same USCC, between Register's checks and its transaction; the unique
// indexes refuse the second one and it writes nothing.
func TestRegisterRace(t *testing.T) {
	for _, tt := range []struct {
		name, uscc, account string
		key, code           string
	}{
		{"same account", validUSCC(t, "12345678"), "TONGHUA_FARM1", account.FieldAccount, "account_taken"},
		{"same USCC", freeUSCC, "Other_Kiosk1", account.FieldUSCC, "already_registered"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, fs := newFailingFixture(t)
			ctx := context.Background()
			in := f.registration()
			ents, _ := f.counts()
			fs.before = func() {
				err := fs.Store.Update(ctx, func(tx model.Tx) error {
					return tx.Enterprises().Put(model.Enterprise{ID: model.NewID(), USCC: tt.uscc, Account: tt.account,
						State: model.EnterpriseActive})
				})
				if err != nil {
					t.Error(err)
				}
			}
			_, err := f.svc.Register(ctx, in)
			wantField(t, err, tt.key, tt.code, nil)
			if e, _ := f.counts(); e != ents+1 || len(f.auditFor(account.AuditRegister)) != 0 || len(f.notices(freePhone)) != 0 {
				t.Fatalf("%d enterprises (want %d), or a record of the refused one", e, ents+1)
			}
		})
	}
}
