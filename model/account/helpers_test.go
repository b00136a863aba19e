package account_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kiosk/assets"
	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/clocktest"
	"kiosk/model/i18n"
	"kiosk/model/pwhash"
	"kiosk/model/registry"
	"kiosk/model/smscode"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

// cst is the kiosk's time zone; start is the fake clock's first reading.
var (
	cst    = time.FixedZone("CST", 8*3600)
	start  = time.Date(2026, 11, 27, 10, 0, 0, 0, cst)
	secret = []byte("account-test-secret-0123456789")
)

// code is what every send issues: the code source yields zero bytes.
const (
	code      = "000000"
	wrongCode = "123456"
	newPw     = "Fresh#Pass2027"
	demoPw    = "Kiosk@2026"
)

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

type fixture struct {
	t     testing.TB
	store model.Store
	clk   *clocktest.Clock
	codes *smscode.Service
	svc   *account.Service
	auth  *model.Auth
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	return newFixtureOn(t, st)
}

// newFixtureOn seeds the demo registry and accounts (assets/demo/ACCOUNTS.md)
// into st and builds the services on it.
func newFixtureOn(t testing.TB, st model.Store) *fixture {
	t.Helper()
	clk := clocktest.New(start)
	err := registry.SeedDemo(context.Background(), st, pwhash.New(pwhash.Fast), clk,
		bytes.NewReader(assets.SampleRegistryCSV), bytes.NewReader(assets.DemoSeedJSON))
	if err != nil {
		t.Fatal(err)
	}
	return newKiosk(t, st, clk, "K-07")
}

// newKiosk builds one kiosk's services on st, which may be shared with
// other kiosks.
func newKiosk(t testing.TB, st model.Store, clk model.Clock, kiosk string) *fixture {
	h := pwhash.New(pwhash.Fast)
	codes := &smscode.Service{Store: st, Clock: clk, Kiosk: kiosk, Secret: secret, Rand: zeros{}, Captcha: captcha.New(clk, nil)}
	auth := &model.Auth{Store: st, Clock: clk, Hasher: h, Kiosk: kiosk}
	svc := &account.Service{Store: st, Registry: registry.StoreRegistry{Store: st}, Clock: clk, Hasher: h,
		Codes: codes, Kiosk: kiosk, AllowDemoFace: true, Faces: newFaces(t, faceSecret, clk, demoDevice), Auth: auth}
	f := &fixture{t: t, store: st, codes: codes, svc: svc, auth: auth}
	f.clk, _ = clk.(*clocktest.Clock)
	return f
}

func (f *fixture) advance(d time.Duration) { f.clk.Add(d) }

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// Demo data (assets/demo/ACCOUNTS.md).
const (
	freeUSCC  = "91220502076366391J" // 通化弘诚农业科技有限责任公司, no account
	freeName  = "通化弘诚农业科技有限责任公司"
	freeRep   = "冯强"
	freeID    = "220502200106123816" // born 2001-06-12
	freePhone = "18750182385"

	activeUSCC    = "9122012283957419XU" // demo_corp01
	activeAccount = "demo_corp01"
	activeRep     = "谢国勇"
	activeID      = "22070219700525539X"
	activePhone   = "18554652289"

	pendingUSCC  = "912201024464976990" // 长春博润科技股份有限公司
	pendingName  = "长春博润科技股份有限公司"
	pendingRep   = "梁芳"
	pendingID    = "220102195905050347"
	pendingPhone = "15654490776"

	closedUSCC    = "9122010242500412XA"
	closedAccount = "demo_closed01"
	closedRep     = "崔雪"

	personFreeID = "220105199904308518" // 姜军东, a registered natural person
)

func freeEnterprise() account.EnterpriseInput {
	return account.EnterpriseInput{LegalType: "企业法人", Name: freeName, USCC: freeUSCC}
}

func freeDoc() model.IDDocument {
	return model.IDDocument{Type: model.IDTypeResident, Number: freeID, Period: model.Validity10Years,
		ValidFrom: date(2023, 11, 25), ValidTo: date(2033, 11, 25)}
}

func freeRepInput() account.LegalRepInput {
	return account.LegalRepInput{Name: freeRep, IDDoc: freeDoc(), Phone: freePhone}
}

func pendingDoc() model.IDDocument {
	return model.IDDocument{Type: model.IDTypeResident, Number: pendingID, Period: model.ValidityLongTerm,
		ValidFrom: date(2009, 12, 26)}
}

func activeRepDoc() model.IDDocument {
	return model.IDDocument{Type: model.IDTypeResident, Number: activeID, Period: model.Validity20Years,
		ValidFrom: date(2013, 7, 8), ValidTo: date(2033, 7, 8)}
}

// proof lets the resend time of an earlier send pass, then sends and
// answers a code for purpose and phone.
func (f *fixture) proof(purpose, phone string) smscode.Proof {
	f.t.Helper()
	ctx := context.Background()
	f.advance(61 * time.Second) // past the previous send's resend time
	if _, err := f.codes.Send(ctx, passFor(f.codes), purpose, phone); err != nil {
		f.t.Fatal(err)
	}
	p, err := f.codes.Verify(ctx, purpose, phone, code)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// registration is a complete valid registration of the free enterprise.
func (f *fixture) registration() account.RegistrationInput {
	f.t.Helper()
	ctx := context.Background()
	if _, err := f.svc.SendRegisterCode(ctx, passFor(f.svc.Codes), freePhone); err != nil {
		f.t.Fatal(err)
	}
	p, err := f.svc.VerifyRegisterCode(ctx, freePhone, code)
	if err != nil {
		f.t.Fatal(err)
	}
	return account.RegistrationInput{Enterprise: freeEnterprise(), LegalRep: freeRepInput(),
		Account: "Tonghua_Farm1", Password: "Farm#2026ok", PhoneProof: p, Face: f.face(freeID, model.FaceForRegister)}
}

func (f *fixture) enterpriseByUSCC(uscc string) (model.Enterprise, error) {
	var e model.Enterprise
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		var err error
		e, err = tx.Enterprises().ByUSCC(uscc)
		return err
	})
	return e, err
}

func (f *fixture) audit() []model.AuditRecord {
	f.t.Helper()
	var recs []model.AuditRecord
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		var err error
		recs, err = tx.Audit().List(0, 100000)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return recs
}

func (f *fixture) auditFor(action string) []model.AuditRecord {
	var out []model.AuditRecord
	for _, r := range f.audit() {
		if r.Action == action {
			out = append(out, r)
		}
	}
	return out
}

// notices returns the pending notices (not codes) to phone.
func (f *fixture) notices(phone string) []model.OutboundSMS {
	f.t.Helper()
	var out []model.OutboundSMS
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		out = nil // the closure may run again
		msgs, err := tx.Outbox().List(model.OutboxPending, 100000)
		for _, m := range msgs {
			if m.To == phone && m.Kind == model.SMSKindNotice {
				out = append(out, m)
			}
		}
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

// zh is t in Chinese, as the screen shows it.
func zh(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }

// wantField checks that err is a *FieldErrors with code on key (and, when
// cause is set, that errors.Is finds it).
func wantField(t *testing.T, err error, key, code string, cause error) {
	t.Helper()
	var fe *account.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v (%T), want *FieldErrors with %s=%s", err, err, key, code)
	}
	if got := fe.Code(key); got != code {
		t.Fatalf("%s: code %q, want %q (all: %v)", key, got, code, fe)
	}
	if msg := zh(fe.Fields[key]); msg == "" || strings.ContainsAny(msg, "abcdefghijklmnopqrstuvwxyz_⟦") {
		t.Fatalf("%s: message %q is not a Chinese sentence", key, msg)
	}
	if cause != nil && !errors.Is(err, cause) {
		t.Fatalf("errors.Is(%v, %v) = false", err, cause)
	}
}
