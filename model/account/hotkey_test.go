package account_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"kiosk/devices/sms"
	"kiosk/model"
	"kiosk/model/account"
	mt "kiosk/model/material/materialtest"
	"kiosk/model/smscode"
	"kiosk/storage"
	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
)

// No hot key (issue 13): kiosks sharing one database must not write a key
// that every kiosk's ordinary writes bump (a global counter, sequence or
// head), or each write would conflict with every other kiosk's.

// recordingEngine records the keys that the committed transactions of
// each kiosk write (Put or Delete). The test says whose transactions run.
type recordingEngine struct {
	kv.Engine
	mu    sync.Mutex
	as    string                     // the kiosk whose transactions run now
	wrote map[string]map[string]bool // kiosk → keys written
}

func (e *recordingEngine) Update(ctx context.Context, fn func(kv.Tx) error) error {
	var keys map[string]bool // of the last run, the one that commits
	err := e.Engine.Update(ctx, func(tx kv.Tx) error {
		keys = map[string]bool{}
		return fn(recordingTx{tx, keys})
	})
	if err == nil {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.wrote[e.as] == nil {
			e.wrote[e.as] = map[string]bool{}
		}
		for k := range keys {
			e.wrote[e.as][k] = true
		}
	}
	return err
}

type recordingTx struct {
	kv.Tx
	keys map[string]bool
}

func (t recordingTx) Put(k, v []byte) error {
	t.keys[string(k)] = true
	return t.Tx.Put(k, v)
}

func (t recordingTx) Delete(k []byte) error {
	t.keys[string(k)] = true
	return t.Tx.Delete(k)
}

// sentBy is an SMS sender that accepts every message.
type sentBy struct{ n *int }

func (s sentBy) Send(context.Context, string, string) error { *s.n++; return nil }
func (sentBy) Name() string                                 { return "test" }
func (sentBy) Simulated() bool                              { return true }
func (sentBy) Check(context.Context) error                  { return nil }
func (sentBy) Close() error                                 { return nil }

// asKiosk is f's services as kiosk id sees them: the same store and clock,
// their own kiosk id.
func (f *fixture) asKiosk(id string) *fixture {
	g := *f
	codes := *f.codes
	codes.Kiosk = id
	auth := *f.auth
	auth.Kiosk = id
	svc := *f.svc
	svc.Kiosk, svc.Codes, svc.Auth = id, &codes, &auth
	g.codes, g.auth, g.svc = &codes, &auth, &svc
	return &g
}

// kioskWork is one kiosk's representative mix of writes.
type kioskWork struct {
	uscc, name, phone string // the enterprise it registers
	rep               model.LegalRep
	appeal            func(f *fixture) (account.AppealIdentity, smscode.Proof)
	uploads           []account.AppealUpload
}

// TestNoHotKeys: two kiosks on one store each register an enterprise
// (with its SMS code), fail a login (audited, counted on the same
// enterprise's lock), file an appeal and send their outbox. The keys both
// kiosks' transactions write are those of the subject both acted on (the
// lock of the enterprise both failed to log in to), never a global one:
// no count, no sequence, no meta key but each kiosk's own audit head.
func TestNoHotKeys(t *testing.T) {
	ctx := context.Background()
	rec := &recordingEngine{Engine: memkv.New(), wrote: map[string]map[string]bool{}, as: "setup"}
	st, err := storage.Open(rec, storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	base := newFixtureOn(t, st) // the demo seed, written by "setup"
	photos := func(w int) []account.AppealUpload {
		return []account.AppealUpload{
			{Kind: model.MaterialLicense, Name: "执照.jpg", Data: mt.JPEG(w, 50)},
			{Kind: model.MaterialAuthorization, Name: "授权书.png", Data: mt.PNG(w, 51)},
			{Kind: model.MaterialRepIDFront, Name: "a.jpg", Data: mt.JPEG(w, 52)},
			{Kind: model.MaterialRepIDBack, Name: "b.jpg", Data: mt.JPEG(w, 53)},
			{Kind: model.MaterialAgentIDFront, Name: "c.jpg", Data: mt.JPEG(w, 54)},
			{Kind: model.MaterialAgentIDBack, Name: "d.jpg", Data: mt.JPEG(w, 55)},
			{Kind: model.MaterialAgentHoldingID, Name: "e.jpg", Data: mt.JPEG(w, 56)},
		}
	}
	work := map[string]kioskWork{
		"K-A": {uscc: crashUSCC(900001), name: "长春恒久甲科技有限公司", phone: "13900000001", rep: crashRep(),
			appeal:  func(f *fixture) (account.AppealIdentity, smscode.Proof) { return f.changeAppeal("13911110001") },
			uploads: uploads()},
		"K-B": {uscc: crashUSCC(900002), name: "长春恒久乙科技有限公司", phone: "13900000002",
			rep: model.LegalRep{Name: "唐欣", ID: model.IDDocument{Type: model.IDTypeResident, Number: "220104197211186305",
				Period: model.Validity20Years, ValidFrom: date(2014, 9, 7), ValidTo: date(2034, 9, 7)}},
			appeal: (*fixture).registerAppeal, uploads: photos(70)},
	}
	err = st.Update(ctx, func(tx model.Tx) error { // the registry import, by the administrator
		for _, w := range work {
			r := model.RegistryRecord{USCC: w.uscc, Name: w.name, LegalType: "企业法人", LegalRep: w.rep, Phone: w.phone}
			if err := tx.Registry().Put(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	shared, err := base.enterpriseByUSCC(activeUSCC) // both kiosks fail to log in to it
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"K-A", "K-B"} {
		w, f := work[k], base.asKiosk(k)
		rec.as = k
		// 企业注册, with its SMS code.
		ent := account.EnterpriseInput{LegalType: "企业法人", Name: w.name, USCC: w.uscc}
		rep := account.LegalRepInput{Name: w.rep.Name, IDDoc: w.rep.ID, Phone: w.phone}
		if _, err := f.svc.Register(ctx, account.RegistrationInput{Enterprise: ent, LegalRep: rep,
			Account: "Acct_" + strings.TrimPrefix(k, "K-") + "2026", Password: "Hot#Key2026x",
			PhoneProof: f.proof(smscode.PurposeRegister, w.phone), Face: f.face(w.rep.ID.Number, model.FaceForRegister)}); err != nil {
			t.Fatalf("%s: register: %v", k, err)
		}
		// An audited login failure.
		if _, err := f.auth.LoginEnterprise(ctx, activeAccount, "Wrong#Pass2026"); !errors.Is(err, model.ErrBadCredentials) {
			t.Fatalf("%s: login failure: %v", k, err)
		}
		// An appeal filed.
		in, proof := w.appeal(f)
		if _, err := f.svc.SubmitAppeal(ctx, account.AppealSubmission{Identity: in, Proof: proof, Materials: w.uploads}); err != nil {
			t.Fatalf("%s: appeal: %v", k, err)
		}
		// The outbox sent by this kiosk's worker.
		sent := 0
		worker := &sms.Worker{Store: f.store, Sender: sentBy{&sent}, Clock: f.clk, Batch: 100}
		if _, err := worker.RunOnce(ctx); err != nil || sent < 3 {
			t.Fatalf("%s: %d sent, %v", k, sent, err)
		}
	}

	a, b := rec.wrote["K-A"], rec.wrote["K-B"]
	if len(a) < 20 || len(b) < 20 {
		t.Fatalf("only %d and %d keys written: the work did not run", len(a), len(b))
	}
	var both []string
	for k := range a {
		if b[k] {
			both = append(both, k)
		}
	}
	slices.Sort(both)
	// The one subject both kiosks acted on: demo_corp01's login lock.
	if len(both) != 1 || !strings.HasPrefix(both[0], "lock/") {
		t.Errorf("keys written by both kiosks: %q; want only the lock of the enterprise both failed to log in to", both)
	}
	var lockRec model.Lockout
	if err := st.View(ctx, func(tx model.Tx) (err error) {
		lockRec, err = tx.Lockouts().Get("enterprise:" + shared.ID)
		return err
	}); err != nil || lockRec.Failures != 2 {
		t.Errorf("the shared lock holds %+v (%v), want the 2 failures", lockRec, err)
	}
	// No kiosk writes a meta key but the head of its own audit chain.
	for kiosk, keys := range map[string]map[string]bool{"K-A": a, "K-B": b} {
		for k := range keys {
			if strings.HasPrefix(k, "meta/") && k != "meta/audit/"+kiosk {
				t.Errorf("%s wrote %s", kiosk, k)
			}
		}
		if !keys["meta/audit/"+kiosk] {
			t.Errorf("%s never wrote its audit head: the recording missed its writes", kiosk)
		}
	}
	if t.Failed() {
		for _, k := range []string{"K-A", "K-B"} {
			t.Logf("%s wrote %s", k, fmt.Sprint(slices.Sorted(maps.Keys(rec.wrote[k]))))
		}
	}
}
