package account_test

// Crash consistency of registration (issue 4's acceptance: "a kill -9 of
// the process at random points during registration, 50 times, leaves the
// store consistent: either the whole account or nothing").
//
// The parent test re-executes this test binary as a child that opens a
// bbolt file and registers enterprise after enterprise through the real
// use case (account.Service over storage.Store over bboltkv, the code the
// kiosk binary runs for 立即注册; only the clock, the password cost and the
// demo face verdict differ), and SIGKILLs it at a random moment. After
// every kill it reopens the file and checks that each enterprise present
// is whole: record, USCC and account indexes, audit record, SMS notice;
// that no index points to a missing record; and that the counts agree.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/pwhash"
	"kiosk/model/registry"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/storage"
	"kiosk/storage/kv"
	"kiosk/storage/kv/bboltkv"
)

const (
	crashEnv   = "KIOSK_ACCOUNT_CRASH_DB" // set in the child: the bbolt file
	crashKeys  = "account-crash-test"     // storage.KeysFromSeed, shared by parent and child
	crashKills = 50
	crashPw    = "Crash#2026ok"
	crashRepID = "220102197001010018" // born 1970-01-01: 长期有效 from 2020
)

func crashUSCC(i int) string {
	body := fmt.Sprintf("%08d", i)
	oc, _ := rules.OrgCodeCheckChar(body)
	first := "91220104" + body + string(oc)
	c, _ := rules.USCCCheckChar(first)
	return first + string(c)
}

func crashAccount(i int) string { return fmt.Sprintf("Crash_%06d", i) }
func crashPhone(i int) string   { return fmt.Sprintf("139%08d", i) }

func crashRep() model.LegalRep {
	return model.LegalRep{Name: "张伟", ID: model.IDDocument{Type: model.IDTypeResident, Number: crashRepID,
		Period: model.ValidityLongTerm, ValidFrom: date(2020, 1, 1)}}
}

func openCrashStore(path string) (*bboltkv.Engine, *storage.Store, error) {
	eng, err := bboltkv.Open(path, bboltkv.Options{LockTimeout: 5 * time.Second})
	if err != nil {
		return nil, nil, err
	}
	st, err := storage.Open(eng, storage.KeysFromSeed(crashKeys))
	if err != nil {
		_ = eng.Close()
		return nil, nil, err
	}
	return eng, st, nil
}

// TestHelperRegisterLoop is the child process; it does nothing unless
// started by TestCrashDuringRegistration.
func TestHelperRegisterLoop(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("helper process of TestCrashDuringRegistration")
	}
	eng, st, err := openCrashStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	ctx := context.Background()
	h := pwhash.New(pwhash.Fast)
	codes := &smscode.Service{Store: st, Kiosk: "K-crash", Secret: secret, Rand: zeros{}, Captcha: captcha.New(model.SystemClock{}, nil),
		// No rate limits: a killed child may have sent the code of the
		// enterprise the next child starts with.
		Limits: smscode.Limits{PerMinute: 1 << 30, PerHour: 1 << 30, PerDay: 1 << 30, PerKioskHour: 1 << 30, PerKioskDay: 1 << 30,
			Resend: time.Nanosecond}}
	svc := &account.Service{Store: st, Registry: registry.StoreRegistry{Store: st}, Clock: model.SystemClock{},
		Hasher: h, Codes: codes, Kiosk: "K-crash", AllowDemoFace: true, Limits: account.Limits{Lookups: 1 << 30, IdentifierLookups: 1 << 30},
		Faces: newFaces(t, faceSecret, model.SystemClock{}, demoDevice),
		Auth:  &model.Auth{Store: st, Clock: model.SystemClock{}, Hasher: h, Kiosk: "K-crash"}}
	var i int
	if err := st.View(ctx, func(tx model.Tx) error { i, err = tx.Enterprises().Count(); return err }); err != nil {
		t.Fatal(err)
	}
	// The parent kills this loop; the deadline only stops an orphan.
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); i++ {
		if err := registerOne(ctx, st, svc, i); err != nil {
			t.Fatalf("enterprise %d: %v", i, err)
		}
	}
}

// registerOne goes through the registration form's steps for enterprise i.
func registerOne(ctx context.Context, st model.Store, svc *account.Service, i int) error {
	rec := model.RegistryRecord{USCC: crashUSCC(i), Name: fmt.Sprintf("长春恒久%06d科技有限公司", i), LegalType: "企业法人",
		LegalRep: crashRep(), Phone: crashPhone(i), Extended: model.Extended{RegisteredAddress: "吉林省长春市测试路1号"}}
	if err := st.Update(ctx, func(tx model.Tx) error { return tx.Registry().Put(rec) }); err != nil {
		return err
	}
	ent := account.EnterpriseInput{LegalType: rec.LegalType, Name: rec.Name, USCC: rec.USCC}
	rep := account.LegalRepInput{Name: rec.LegalRep.Name, IDDoc: rec.LegalRep.ID, Phone: rec.Phone}
	if err := svc.CheckEnterprise(ctx, ent); err != nil {
		return err
	}
	if _, err := svc.SendRegisterCode(ctx, passFor(svc.Codes), rec.Phone); err != nil {
		return err
	}
	proof, err := svc.VerifyRegisterCode(ctx, rec.Phone, code)
	if err != nil {
		return err
	}
	err = svc.CheckLegalRep(ctx, ent, rep, proof)
	if errors.Is(err, model.ErrAlreadyRegistered) {
		return nil // committed just before the previous kill
	}
	if err := errors.Join(err, svc.CheckAccount(ctx, crashAccount(i))); err != nil {
		return err
	}
	_, err = svc.Register(ctx, account.RegistrationInput{Enterprise: ent, LegalRep: rep, Account: crashAccount(i),
		Password: crashPw, PhoneProof: proof, Face: faceFor(svc.Faces, crashRepID, model.FaceForRegister)})
	return err
}

func TestCrashDuringRegistration(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process 50 times; skipped with -short")
	}
	last := killLoop(t, "TestHelperRegisterLoop", crashEnv, crashKills, 10, 300, checkCrashStore)
	if last == 0 {
		t.Fatal("no registration ever committed: the kills came too early to test anything")
	}
	t.Logf("%d kills, %d enterprises registered", crashKills, last)
}

// killLoop starts the child test helper with env naming a fresh bbolt
// file, SIGKILLs it after a random lo..hi milliseconds, kills times, and
// after each kill has check reopen the file and count what is whole; the
// count must never go down. It returns the last count.
func killLoop(t *testing.T, helper, env string, kills, lo, hi int, check func(t *testing.T, path string) int) int {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	seed := uint64(time.Now().UnixNano())
	t.Logf("random seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0x6b696f736b))
	last := 0
	for k := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^"+helper+"$", "-test.count=1")
		cmd.Env = append(os.Environ(), env+"="+path)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(lo+rng.IntN(hi-lo+1)) * time.Millisecond)
		_ = cmd.Process.Kill() // SIGKILL on Unix: no deferred code, no bbolt close
		err := cmd.Wait()
		if err == nil || cmd.ProcessState.Exited() {
			t.Fatalf("kill %d: child ended by itself (%v):\n%s", k, err, out.String())
		}
		n := check(t, path)
		if n < last {
			t.Fatalf("kill %d: %d whole, had %d", k, n, last)
		}
		last = n
	}
	return last
}

// checkCrashStore reopens the store and checks every enterprise is whole;
// it returns how many there are.
func checkCrashStore(t *testing.T, path string) int {
	t.Helper()
	eng, st, err := openCrashStore(path)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer eng.Close()
	ctx := context.Background()

	// Raw keys (layout in storage/doc.go): records and both unique indexes.
	ids, uscIdx, acctIdx := map[string]bool{}, map[string]string{}, map[string]string{}
	err = eng.View(ctx, func(tx kv.Tx) error {
		for prefix, into := range map[string]func(k, v string){
			"ent/":             func(k, _ string) { ids[k] = true },
			"idx/ent/uscc/":    func(k, v string) { uscIdx[k] = v },
			"idx/ent/account/": func(k, v string) { acctIdx[k] = v },
		} {
			err := tx.Scan([]byte(prefix), func(k, v []byte) (bool, error) {
				into(strings.TrimPrefix(string(k), prefix), string(v))
				return true, nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, idx := range []map[string]string{uscIdx, acctIdx} {
		for k, id := range idx {
			if !ids[id] {
				t.Fatalf("index %s points to missing enterprise %s", k, id)
			}
		}
	}

	err = st.View(ctx, func(tx model.Tx) error {
		n, err := tx.Enterprises().Count()
		if err != nil {
			return err
		}
		if n != len(ids) || len(uscIdx) != n || len(acctIdx) != n {
			return fmt.Errorf("counts: Count %d, records %d, USCC index %d, account index %d", n, len(ids), len(uscIdx), len(acctIdx))
		}
		audits, err := tx.Audit().List(0, 1<<30)
		if err != nil {
			return err
		}
		registered := map[string]int{}
		for _, r := range audits {
			if r.Action == account.AuditRegister {
				registered[r.Subject]++
			}
		}
		msgs, err := tx.Outbox().List(model.OutboxPending, 1<<30)
		if err != nil {
			return err
		}
		notices := map[string]bool{}
		for _, m := range msgs {
			if m.Kind == model.SMSKindNotice {
				notices[m.To+"|"+m.Text] = true
			}
		}
		if len(registered) != n || len(notices) != n {
			return fmt.Errorf("%d enterprises, %d register audits, %d notices", n, len(registered), len(notices))
		}
		for i := range n { // registrations commit in order: 0..n-1, each whole
			e, err := tx.Enterprises().ByUSCC(crashUSCC(i))
			if err != nil {
				return fmt.Errorf("enterprise %d by USCC: %w", i, err)
			}
			byAcct, err := tx.Enterprises().ByAccount(crashAccount(i))
			if err != nil || byAcct.ID != e.ID || !ids[e.ID] {
				return fmt.Errorf("enterprise %d by account: %v, %v", i, byAcct.ID, err)
			}
			if e.State != model.EnterpriseActive || e.Phone != crashPhone(i) || e.PasswordHash == "" || registered[e.ID] != 1 {
				return fmt.Errorf("enterprise %d incomplete: %+v, %d audit records", i, e, registered[e.ID])
			}
			text := model.SMSSignature + fmt.Sprintf("您的企业账号%s已注册成功，请妥善保管账号和密码。如非本人操作，请立即联系窗口工作人员。", e.Account)
			if !notices[e.Phone+"|"+text] {
				return fmt.Errorf("enterprise %d: no notice", i)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return len(ids)
}
