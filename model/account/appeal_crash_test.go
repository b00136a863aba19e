package account_test

// Crash consistency of filing an appeal (the appeals issue's acceptance:
// "kill -9 during an appeal's submission, 30 kills: every appeal is whole
// with all its materials, or absent with no referenced chunk missing").
//
// As TestCrashDuringRegistration: the parent re-executes this test binary
// as a child that files appeal after appeal through the real use case
// over bbolt (each with seven materials, one of them over three chunks),
// SIGKILLs it at a random moment, reopens the file and checks every
// appeal there: its record, every material read back whole against its
// SHA-256 (so no chunk it references is missing), its audit record and
// its SMS notice.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	mt "kiosk/model/material/materialtest"
	"kiosk/model/pwhash"
	"kiosk/model/registry"
	"kiosk/model/smscode"
)

const (
	appealCrashEnv   = "KIOSK_APPEAL_CRASH_DB"
	appealCrashKills = 30
)

// crashUploads are appeal i's materials: its own bytes in each (so each
// appeal writes chunks of its own), the licence a PDF of 600 KiB (three
// chunks).
func crashUploads(i int) []account.AppealUpload {
	tag := []byte(fmt.Sprintf("\n%% appeal %d\n", i))
	pdf := append(append(mt.PDF(), tag...), bytes.Repeat([]byte{byte(i)}, 600<<10)...)
	pic := mt.JPEG(32+i%16, 24)
	ups := uploads()
	ups[0].Data = pdf
	for j := 2; j < len(ups); j++ {
		ups[j].Name, ups[j].Data = fmt.Sprintf("photo%d.jpg", j), append(append([]byte(nil), pic...), tag...)
	}
	return ups
}

// TestHelperAppealLoop is the child process; it does nothing unless
// started by TestCrashDuringAppeal.
func TestHelperAppealLoop(t *testing.T) {
	path := os.Getenv(appealCrashEnv)
	if path == "" {
		t.Skip("helper process of TestCrashDuringAppeal")
	}
	eng, st, err := openCrashStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	ctx := context.Background()
	h := pwhash.New(pwhash.Fast)
	codes := &smscode.Service{Store: st, Kiosk: "K-crash", Secret: secret, Rand: zeros{}, Captcha: captcha.New(model.SystemClock{}, nil),
		Limits: smscode.Limits{PerMinute: 1 << 30, PerHour: 1 << 30, PerDay: 1 << 30, PerKioskHour: 1 << 30, PerKioskDay: 1 << 30,
			Resend: time.Nanosecond}}
	svc := &account.Service{Store: st, Registry: registry.StoreRegistry{Store: st}, Clock: model.SystemClock{},
		Hasher: h, Codes: codes, Kiosk: "K-crash", AllowDemoFace: true, Limits: account.Limits{Lookups: 1 << 30, IdentifierLookups: 1 << 30},
		Faces: newFaces(t, faceSecret, model.SystemClock{}, demoDevice),
		Auth:  &model.Auth{Store: st, Clock: model.SystemClock{}, Hasher: h, Kiosk: "K-crash"}}
	i := countAppeals(t, st)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); i++ {
		in := account.AppealIdentity{Kind: model.AppealKindRegister,
			Enterprise: account.EnterpriseInput{LegalType: "企业法人", Name: fmt.Sprintf("长春恒久%06d科技有限公司", i), USCC: crashUSCC(i)},
			RepName:    crashRep().Name, IDDoc: crashRep().ID, Account: crashAccount(i), Phone: crashPhone(i)}
		if _, err := svc.SendAppealCode(ctx, passFor(codes), in.Phone); err != nil {
			t.Fatal(err)
		}
		proof, err := svc.VerifyAppealCode(ctx, in.Phone, code)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.CheckAppealIdentity(ctx, in, proof); err != nil {
			t.Fatalf("appeal %d: %v", i, err)
		}
		if _, err := svc.SubmitAppeal(ctx, account.AppealSubmission{Identity: in, Proof: proof, Materials: crashUploads(i)}); err != nil {
			t.Fatalf("appeal %d: %v", i, err)
		}
	}
}

func countAppeals(t *testing.T, st model.Store) int {
	t.Helper()
	n := 0
	err := st.View(context.Background(), func(tx model.Tx) error {
		for cursor := ""; ; {
			as, next, err := tx.Appeals().List(model.AppealFilter{}, cursor, 100)
			if err != nil {
				return err
			}
			n += len(as)
			if next == "" {
				return nil
			}
			cursor = next
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCrashDuringAppeal(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process 30 times; skipped with -short")
	}
	last := killLoop(t, "TestHelperAppealLoop", appealCrashEnv, appealCrashKills, 20, 400, checkAppealStore)
	if last == 0 {
		t.Fatal("no appeal was ever filed: the kills came too early to test anything")
	}
	t.Logf("%d kills, %d appeals filed", appealCrashKills, last)
}

// checkAppealStore reopens the store and checks every appeal is whole; it
// returns how many there are.
func checkAppealStore(t *testing.T, path string) int {
	t.Helper()
	eng, st, err := openCrashStore(path)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer eng.Close()
	ctx := context.Background()
	var all []model.Appeal
	audited, notices := map[string]int{}, map[string]bool{}
	err = st.View(ctx, func(tx model.Tx) error {
		for cursor := ""; ; {
			as, next, err := tx.Appeals().List(model.AppealFilter{}, cursor, 100)
			if err != nil {
				return err
			}
			all = append(all, as...)
			if next == "" {
				break
			}
			cursor = next
		}
		recs, err := tx.Audit().List(0, 1<<30)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if r.Action == account.AuditAppealSubmit && r.Outcome == "ok" {
				audited[r.Subject]++
			}
		}
		msgs, err := tx.Outbox().List(model.OutboxPending, 1<<30)
		for _, m := range msgs {
			notices[m.To+"|"+m.Text] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		byRef, err := readAppealByRef(st, a.Ref)
		if err != nil || byRef.ID != a.ID {
			t.Fatalf("appeal %s: by its reference %v, %v", a.ID, byRef.ID, err)
		}
		if len(a.Materials) != len(model.MaterialKinds) || audited[a.ID] != 1 {
			t.Fatalf("appeal %s: %d materials, %d audit records", a.Ref, len(a.Materials), audited[a.ID])
		}
		for _, m := range a.Materials {
			if _, err := model.ReadMaterial(ctx, st, m); err != nil {
				t.Fatalf("appeal %s, %s: %v", a.Ref, m.Kind, err)
			}
		}
		if !noticeFor(notices, a.Phone, a.Ref) {
			t.Fatalf("appeal %s: no notice", a.Ref)
		}
	}
	return len(all)
}

func readAppealByRef(st model.Store, ref string) (model.Appeal, error) {
	var a model.Appeal
	err := st.View(context.Background(), func(tx model.Tx) error {
		var err error
		a, err = tx.Appeals().ByRef(ref)
		return err
	})
	return a, err
}

func noticeFor(notices map[string]bool, phone, ref string) bool {
	for k := range notices {
		if strings.HasPrefix(k, phone+"|") && strings.Contains(k, ref) {
			return true
		}
	}
	return false
}
