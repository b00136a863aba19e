package account_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/storage"
	"kiosk/storage/kv"
	"kiosk/storage/kv/etcdkv"
	"kiosk/storage/kv/etcdkv/etcdtest"
)

// The account use cases on a 3-member etcd cluster started in-process,
// with several kiosks (each its own client, store and services) on one
// database, as a province of kiosks runs.

// kiosks opens n kiosks on one fresh store of c; the first seeds the demo
// data. They share one fake clock.
func kiosks(t *testing.T, c *etcdtest.Cluster, n int) []*fixture {
	t.Helper()
	prefix, keys := c.Prefix(), storage.NewKeysForTest() // one key file copied to every kiosk
	open := func() model.Store {
		st, err := storage.Open(c.EngineAt(t, prefix, c.Endpoints()), keys)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	first := newFixtureOn(t, open())
	ks := []*fixture{first}
	for i := 1; i < n; i++ {
		ks = append(ks, newKiosk(t, open(), first.clk, fmt.Sprintf("K-%02d", i+7)))
	}
	return ks
}

func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a 3-member etcd cluster")
	}
	c := etcdtest.Start(t, 3)
	t.Run("Journeys", func(t *testing.T) { accountJourneys(t, kiosks(t, c, 1)[0]) })
	t.Run("SharedState", func(t *testing.T) {
		sharedState(t, func(t *testing.T) kv.Engine { return c.Engine(t) })
	})
	t.Run("RaceSameUSCC", func(t *testing.T) { raceSameUSCC(t, kiosks(t, c, 20)) })
	t.Run("RaceSameAccountName", func(t *testing.T) { raceSameAccount(t, kiosks(t, c, 20)) })
	t.Run("RaceWrongPasswords", func(t *testing.T) { raceWrongPasswords(t, kiosks(t, c, 20)) })
	t.Run("RegisterReadsWhatStep2LookedUp", func(t *testing.T) { registerAfterStep2(t, c) })
	// Last: it stops the leader.
	t.Run("RegistrationsThroughFailover", func(t *testing.T) { failover(t, c, kiosks(t, c, 3)) })
}

// failover: three kiosks register enterprises one after another while the
// leader is stopped in the middle. Every registration acknowledged is
// readable afterwards, none is stored twice, and each kiosk registers
// again once a new leader is elected.
func failover(t *testing.T, c *etcdtest.Cluster, ks []*fixture) {
	const each = 12
	ins := make([][]account.RegistrationInput, len(ks))
	for k, f := range ks {
		for j := range each {
			in := f.freshRegistration(100 + k*each + j)
			in.Account = fmt.Sprintf("Fail_Over%02d", k*each+j)
			ins[k] = append(ins[k], in)
		}
	}
	acked := make([][]bool, len(ks))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var once sync.Once
	var slowest struct {
		sync.Mutex
		d time.Duration
	}
	for k, f := range ks {
		acked[k] = make([]bool, each)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j, in := range ins[k] {
				if j == each/3 {
					once.Do(func() { close(stop) })
				}
				time.Sleep(150 * time.Millisecond) // a stream that spans the election
				began := time.Now()
				_, err := f.svc.Register(context.Background(), in)
				took := time.Since(began)
				slowest.Lock()
				slowest.d = max(slowest.d, took)
				slowest.Unlock()
				acked[k][j] = err == nil
				if err != nil && j >= each*2/3 {
					t.Errorf("kiosk %d registration %d after the failover: %v", k, j, err)
				}
			}
		}()
	}
	<-stop
	old := c.Leader()
	old.Kill()
	defer old.Restart()
	if nl := c.WaitLeader(10 * time.Second); nl == old {
		t.Fatal("the stopped member is still leader")
	}
	wg.Wait()
	f := ks[1]
	for k := range ks {
		for j, in := range ins[k] {
			e, err := f.enterpriseByUSCC(in.Enterprise.USCC)
			switch {
			case acked[k][j] && err != nil:
				t.Errorf("acknowledged registration %s is not readable: %v", in.Account, err)
			case err == nil && e.Account != in.Account:
				t.Errorf("%s stored under account %s", in.Enterprise.USCC, e.Account)
			}
		}
	}
	recs := f.auditFor(account.AuditRegister)
	seen := map[string]bool{}
	for _, r := range recs {
		if seen[r.Subject] {
			t.Errorf("enterprise %s registered twice", r.Subject)
		}
		seen[r.Subject] = true
	}
	n := 0
	for k := range acked {
		for _, a := range acked[k] {
			if a {
				n++
			}
		}
	}
	t.Logf("%d of %d registrations acknowledged across the failover, %d stored; the slowest took %s",
		n, len(ks)*each, len(recs), slowest.d)
}

// together runs fn for every kiosk at once and returns the errors.
func together(ks []*fixture, fn func(i int, k *fixture) error) []error {
	errs := make([]error, len(ks))
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i, k := range ks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			errs[i] = fn(i, k)
		}()
	}
	close(gate)
	wg.Wait()
	return errs
}

// soleWinner is the kiosk whose registration of a race succeeded (errs
// from together): exactly one did (won: what it won, for the message) and
// every other was refused on the field key with code and cause.
func soleWinner(t *testing.T, errs []error, won, key, code string, cause error) int {
	t.Helper()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner < 0:
			winner = i
		case err == nil:
			t.Fatalf("kiosks %d and %d both %s", winner, i, won)
		default:
			wantField(t, err, key, code, cause)
		}
	}
	if winner < 0 {
		t.Fatalf("nobody registered: %v", errs)
	}
	return winner
}

// raceSameUSCC: twenty kiosks submit the same enterprise at once, each
// with its own account name. One registers it; every other is told the
// enterprise is already registered; one enterprise, one set of indexes,
// one audit record, one notice.
func raceSameUSCC(t *testing.T, ks []*fixture) {
	base := ks[0].registration()
	errs := together(ks, func(i int, k *fixture) error {
		in := base
		in.Account = fmt.Sprintf("Tonghua_Farm%02d", i)
		_, err := k.svc.Register(context.Background(), in)
		return err
	})
	winner := soleWinner(t, errs, "registered "+freeUSCC, account.FieldUSCC, "already_registered", model.ErrAlreadyRegistered)
	f := ks[0]
	e, err := f.enterpriseByUSCC(freeUSCC)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Tonghua_Farm%02d", winner); e.Account != want {
		t.Fatalf("stored account %s, the winner registered %s", e.Account, want)
	}
	for i := range ks {
		name := fmt.Sprintf("Tonghua_Farm%02d", i)
		byAcct, err := f.enterpriseByAccount(name)
		if i == winner && (err != nil || byAcct.ID != e.ID) {
			t.Fatalf("winner's account index: %+v, %v", byAcct, err)
		}
		if i != winner && !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("a refused kiosk's account %s is indexed: %v", name, err)
		}
	}
	f.once(account.AuditRegister)
	f.noticesTo(freePhone, 1)
}

// raceSameAccount: twenty kiosks register twenty different enterprises
// under one account name at once: one gets it, every other is told the
// name is taken, and nothing of theirs is stored.
func raceSameAccount(t *testing.T, ks []*fixture) {
	ins := make([]account.RegistrationInput, len(ks))
	for i, k := range ks {
		ins[i] = k.freshRegistration(i)
		ins[i].Account = "Shared_Name1"
	}
	errs := together(ks, func(i int, k *fixture) error {
		_, err := k.svc.Register(context.Background(), ins[i])
		return err
	})
	winner := soleWinner(t, errs, "got the account name", account.FieldAccount, "account_taken", model.ErrAccountTaken)
	f := ks[0]
	byAcct, err := f.enterpriseByAccount("shared_name1")
	if err != nil || byAcct.USCC != ins[winner].Enterprise.USCC {
		t.Fatalf("account index: %+v, %v; the winner registered %s", byAcct, err, ins[winner].Enterprise.USCC)
	}
	for i, in := range ins {
		_, err := f.enterpriseByUSCC(in.Enterprise.USCC)
		if (i == winner) != (err == nil) {
			t.Fatalf("kiosk %d (winner %d): enterprise by USCC: %v", i, winner, err)
		}
	}
	if recs := f.auditFor(account.AuditRegister); len(recs) != 1 {
		t.Fatalf("%d registration audit records, want 1", len(recs))
	}
}

// raceWrongPasswords: twenty kiosks try one wrong password each against
// one account at once. Exactly MaxFailures are counted, and the account is
// then locked: the right password is refused as locked.
func raceWrongPasswords(t *testing.T, ks []*fixture) {
	errs := together(ks, func(i int, k *fixture) error {
		_, err := k.auth.LoginEnterprise(context.Background(), activeAccount, "Wrong#Pass2026")
		return err
	})
	var bad, locked, busy int
	left := map[int]bool{}
	for _, err := range errs {
		var le *model.LockedError
		var bc *model.BadCredentialsError
		switch {
		case errors.As(err, &bc):
			bad++
			left[bc.Left] = true
		case errors.As(err, &le):
			locked++
		case errors.Is(err, model.ErrLoginBusy):
			busy++
		default:
			t.Fatalf("unexpected answer: %v", err)
		}
	}
	// Failures are counted one after another: the first four tell 4, 3, 2
	// and 1 tries left, the fifth locks; every other attempt was refused
	// before its password was checked (busy while five were in flight,
	// locked after).
	if bad != model.MaxFailures-1 || len(left) != model.MaxFailures-1 || locked < 1 || bad+locked+busy != len(ks) {
		t.Fatalf("bad=%d (tries left %v) locked=%d busy=%d", bad, left, locked, busy)
	}
	fails := 0
	for _, r := range ks[0].auditFor("login.enterprise") {
		if r.Outcome == "fail" {
			fails++
		}
	}
	if fails != model.MaxFailures-1 {
		t.Fatalf("%d failures audited before the lock, want %d", fails, model.MaxFailures-1)
	}
	var le *model.LockedError
	if _, err := ks[3].auth.LoginEnterprise(context.Background(), activeAccount, demoPw); !errors.As(err, &le) {
		t.Fatalf("the right password after the race: %v, want locked", err)
	}
}

// registerAfterStep2: the registration's last step on etcd sends the
// cluster its commit and nothing else when the kiosk looked the enterprise
// up at step 2 (CheckLegalRep's registry read, which the engine keeps);
// one that did not reads the registry record once. The registry records
// are put by another kiosk, so that they are not the kiosk's own writes.
func registerAfterStep2(t *testing.T, c *etcdtest.Cluster) {
	ctx := context.Background()
	prefix, keys := c.Prefix(), storage.NewKeysForTest()
	open := func() (model.Store, *etcdkv.Engine) {
		e := c.EngineAt(t, prefix, c.Endpoints())
		st, err := storage.Open(e, keys)
		if err != nil {
			t.Fatal(err)
		}
		return st, e
	}
	ls, _ := open()
	loader := newFixtureOn(t, ls)
	ks, e := open()
	counts := new(kvCounts)
	e.Client().KV = countKV{KV: e.Client().KV, n: counts}
	k := newKiosk(t, ks, loader.clk, "K-20")

	for i, step2 := range []bool{true, false} {
		in := loader.freshRegistration(i)
		in.Account = fmt.Sprintf("Looked_up%d", i)
		if step2 {
			if err := k.svc.CheckLegalRep(ctx, in.Enterprise, in.LegalRep, in.PhoneProof); err != nil {
				t.Fatal(err)
			}
		}
		reads := counts.reads.Load()
		if _, err := k.svc.Register(ctx, in); err != nil {
			t.Fatal(err)
		}
		want := int64(1)
		if step2 {
			want = 0
		}
		if got := counts.reads.Load() - reads; got != want {
			t.Errorf("step 2 looked up: %v; Register read %d times, want %d", step2, got, want)
		}
		if _, err := loader.enterpriseByAccount(in.Account); err != nil {
			t.Errorf("registered %s: %v", in.Account, err)
		}
	}
}

// freshRegistration is a registration of a new registry enterprise number
// i (its own USCC, legal representative and phone), proved at kiosk f.
func (f *fixture) freshRegistration(i int) account.RegistrationInput {
	f.t.Helper()
	ctx := context.Background()
	org := fmt.Sprintf("%08d", 51000000+i)
	oc, err := rules.OrgCodeCheckChar(org)
	if err != nil {
		f.t.Fatal(err)
	}
	body := "91220502" + org + string(oc)
	cc, err := rules.USCCCheckChar(body)
	if err != nil {
		f.t.Fatal(err)
	}
	uscc := body + string(cc)
	idBody := fmt.Sprintf("22050219900101%03d", 100+i%900)
	ic, err := rules.IDCheckChar(idBody)
	if err != nil {
		f.t.Fatal(err)
	}
	id := idBody + string(ic)
	phone := fmt.Sprintf("139000%05d", i)
	digits := []rune("零一二三四五六七八九")
	var num []rune
	for _, d := range fmt.Sprint(i) {
		num = append(num, digits[d-'0'])
	}
	name := "通化第" + string(num) + "农业有限公司"
	doc := model.IDDocument{Type: model.IDTypeResident, Number: id, Period: model.Validity20Years,
		ValidFrom: date(2017, 1, 1), ValidTo: date(2037, 1, 1)}
	rec := model.RegistryRecord{USCC: uscc, Name: name, LegalType: "企业法人", Phone: phone,
		LegalRep: model.LegalRep{Name: "王建", ID: doc}}
	if err := f.store.Update(ctx, func(tx model.Tx) error { return tx.Registry().Put(rec) }); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.svc.SendRegisterCode(ctx, passFor(f.svc.Codes), phone); err != nil {
		f.t.Fatal(err)
	}
	p, err := f.svc.VerifyRegisterCode(ctx, phone, code)
	if err != nil {
		f.t.Fatal(err)
	}
	return account.RegistrationInput{Enterprise: account.EnterpriseInput{LegalType: "企业法人", Name: name, USCC: uscc},
		LegalRep: account.LegalRepInput{Name: "王建", IDDoc: doc, Phone: phone},
		Account:  "Shared_Name1", Password: "Farm#2026ok", PhoneProof: p, Face: f.face(id, model.FaceForRegister)}
}

func (f *fixture) enterpriseByAccount(name string) (model.Enterprise, error) {
	var e model.Enterprise
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		var err error
		e, err = tx.Enterprises().ByAccount(name)
		return err
	})
	return e, err
}
