package registry_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"kiosk/assets"
	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/model/pwhash"
	"kiosk/model/registry"
	"kiosk/model/rules"
)

func embedded(t *testing.T) ([]model.RegistryRecord, registry.Seed) {
	t.Helper()
	recs, rowErrs, err := registry.ParseCSV(bytes.NewReader(assets.SampleRegistryCSV), testNow)
	if err != nil || len(rowErrs) != 0 {
		t.Fatalf("sample.csv: err=%v, %d row errors: %v", err, len(rowErrs), rowErrs)
	}
	seed, err := registry.DecodeSeed(bytes.NewReader(assets.DemoSeedJSON))
	if err != nil {
		t.Fatal(err)
	}
	return recs, seed
}

func TestEmbeddedSampleRegistry(t *testing.T) {
	recs, _ := embedded(t)
	if len(recs) < 200 {
		t.Fatalf("sample has %d records, want ≥ 200", len(recs))
	}
	later := day(2030, 12, 31) // the demo data must outlive the release by years
	for _, r := range recs {
		if u, err := rules.NormalizeUSCC(r.USCC); err != nil || u != r.USCC || r.USCC[2:4] != "22" {
			t.Errorf("%s: bad or non-Jilin uscc: %v", r.USCC, err)
		}
		id := r.LegalRep.ID
		for _, now := range []time.Time{testNow, later} {
			if err := rules.CheckIDDocument(id, now); err != nil {
				t.Errorf("%s: legal rep card at %s: %v", r.USCC, now.Format(time.DateOnly), err)
			}
		}
		p, err := rules.ParseResidentID(id.Number, testNow)
		if err != nil || p.Region[:2] != "22" || rules.AgeOn(p.Birth, testNow) < 18 {
			t.Errorf("%s: legal rep id %s: %v", r.USCC, id.Number, err)
		}
		if err := rules.ValidMobile(r.Phone); err != nil {
			t.Errorf("%s: phone %q", r.USCC, r.Phone)
		}
		x := r.Extended
		for _, s := range []string{x.RegisteredAddress, x.RegisteredCapital, x.BusinessScope, x.CodeType,
			x.Industry, x.ApprovalAuthority, x.RegistryStatus, x.ElectronicLicense} {
			if s == "" {
				t.Errorf("%s: empty extended field in %+v", r.USCC, x)
			}
		}
		if x.RegisteredDate.IsZero() || x.ApprovalDate.IsZero() || x.EstablishedDate.IsZero() {
			t.Errorf("%s: missing extended date", r.USCC)
		}
		if !strings.HasPrefix(x.RegisteredAddress, "吉林省") {
			t.Errorf("%s: address %q outside Jilin", r.USCC, x.RegisteredAddress)
		}
	}
}

func TestEmbeddedDemoSeed(t *testing.T) {
	recs, seed := embedded(t)
	if err := registry.ValidateSeed(seed, recs, testNow); err != nil {
		t.Fatal(err)
	}
	inCSV := map[string]bool{}
	for _, r := range recs {
		inCSV[r.USCC] = true
	}
	states := map[string]int{}
	for _, e := range seed.Enterprises {
		if !inCSV[e.USCC] {
			t.Errorf("seed enterprise %s not in sample.csv", e.USCC)
		}
		states[e.State]++
	}
	if states["active"] < 1 || states["pending"] < 1 {
		t.Errorf("seed states %v, want active and pending ones", states)
	}
	if len(recs)-len(seed.Enterprises) < 200 {
		t.Errorf("only %d registry enterprises left to register", len(recs)-len(seed.Enterprises))
	}
	if len(seed.Persons) < 20 || len(seed.Staff) != 1 {
		t.Errorf("%d persons, %d staff", len(seed.Persons), len(seed.Staff))
	}
	var admin, disabled, expired, notYet int
	for _, a := range seed.Agents {
		switch {
		case !a.Enabled:
			disabled++
		case a.ToDays < 0:
			expired++
		case a.FromDays > 0:
			notYet++
		case a.Admin:
			admin++
		}
	}
	if admin < 1 || disabled != 1 || expired != 1 || notYet != 1 {
		t.Errorf("agents: admin %d disabled %d expired %d not-yet %d", admin, disabled, expired, notYet)
	}
	e := seed.Enterprises[0]
	if e.Account != "demo_corp01" || e.Password != "Kiosk@2026" {
		t.Errorf("first demo account %s/%s, ACCOUNTS.md promises demo_corp01/Kiosk@2026", e.Account, e.Password)
	}
	if md := string(readAsset(t, "demo/ACCOUNTS.md")); !strings.Contains(md, e.USCC) || !strings.Contains(md, "Kiosk@2026") {
		t.Error("ACCOUNTS.md does not match seed.json; run go generate ./assets")
	}
}

func seedDemo(t *testing.T, s model.Store, h model.PasswordHasher, now time.Time) error {
	t.Helper()
	return registry.SeedDemo(context.Background(), s, h, clocktest.New(now),
		bytes.NewReader(assets.SampleRegistryCSV), bytes.NewReader(assets.DemoSeedJSON))
}

func TestSeedDemo(t *testing.T) {
	recs, seed := embedded(t)
	shanghai := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 11, 27, 7, 30, 0, 0, shanghai) // early morning: UTC is still the day before
	s := newStore(t)
	h := pwhash.New(pwhash.Fast)
	if err := seedDemo(t, s, h, now); err != nil {
		t.Fatal(err)
	}

	var firstID string
	check := func(t *testing.T) {
		t.Helper()
		err := s.View(context.Background(), func(tx model.Tx) error {
			if n, _ := tx.Registry().Count(); n != len(recs) {
				t.Errorf("registry count %d, want %d", n, len(recs))
			}
			if n, _ := tx.Enterprises().Count(); n != len(seed.Enterprises) {
				t.Errorf("enterprise count %d, want %d", n, len(seed.Enterprises))
			}
			e, err := tx.Enterprises().ByAccount("DEMO_CORP01")
			if err != nil {
				return err
			}
			if ok, _ := h.Verify(e.PasswordHash, "Kiosk@2026"); !ok || e.State != model.EnterpriseActive || e.Phone == "" {
				t.Errorf("demo_corp01: state %s, password ok %v", e.State, ok)
			}
			if firstID == "" {
				firstID = e.ID
			} else if e.ID != firstID {
				t.Errorf("demo_corp01 re-created: %s → %s", firstID, e.ID)
			}
			for _, se := range seed.Enterprises {
				got, err := tx.Enterprises().ByUSCC(se.USCC)
				if err != nil || string(got.State) != se.State {
					t.Errorf("%s: %+v %v", se.USCC, got.State, err)
				}
				if se.State == "pending" && (got.PasswordHash != "" || got.Account != "") {
					t.Errorf("pending %s has credentials", se.USCC)
				}
			}
			for _, sp := range seed.Persons {
				p, err := tx.Persons().ByIDNumber(sp.IDNumber)
				if err != nil || p.Phone != sp.Phone {
					t.Errorf("person %s: %v", sp.Key, err)
				}
			}
			agents, err := tx.Agents().ListByEnterprise(e.ID)
			if err != nil {
				return err
			}
			states := map[model.AgentState]int{}
			for _, a := range agents {
				states[a.State(now)]++
			}
			want := map[model.AgentState]int{model.AgentValid: 2, model.AgentDisabled: 1, model.AgentExpired: 1, model.AgentNotYet: 1}
			if len(states) != len(want) {
				t.Errorf("demo_corp01 agent states %v, want %v", states, want)
			}
			for k, v := range want {
				if states[k] != v {
					t.Errorf("demo_corp01 agent states %v, want %v", states, want)
				}
			}
			if st, err := tx.Staff().ByUsername("counter01"); err != nil || st.PasswordHash == "" {
				t.Errorf("staff: %+v %v", st, err)
			}
			audit, err := tx.Audit().List(0, 100)
			if err != nil {
				return err
			}
			if len(audit) != 1 || audit[0].Action != registry.AuditSeedDemo || audit[0].Outcome != "ok" {
				t.Errorf("audit %+v, want one seed.demo record", audit)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check(t)

	// A restart keeps the state: nothing is seeded twice.
	if err := seedDemo(t, s, h, now.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	check(t)
}

func TestSeedDemoKeepsExistingStore(t *testing.T) {
	s := newStore(t)
	e := model.Enterprise{ID: registry.NewID(), USCC: mkUSCC(t, "90000001"), Name: "已有企业", State: model.EnterpriseActive}
	if err := s.Update(context.Background(), func(tx model.Tx) error { return tx.Enterprises().Put(e) }); err != nil {
		t.Fatal(err)
	}
	// Garbage inputs prove nothing is even read.
	err := registry.SeedDemo(context.Background(), s, pwhash.New(pwhash.Fast), clocktest.New(testNow),
		strings.NewReader("garbage"), strings.NewReader("garbage"))
	if err != nil {
		t.Fatal(err)
	}
	if n := registryCount(t, s); n != 0 {
		t.Fatalf("registry imported into a used store: %d", n)
	}
}

func TestSeedDemoRejectsBadSeed(t *testing.T) {
	recs, _ := embedded(t)
	u := recs[0].USCC
	p := `{"key":"p1","name":"王五","id_number":"` + mkID(t, "19800512", 123) +
		`","id_period":"20y","id_from":"2015-03-02","id_to":"2035-03-02","phone":"13912345678","password":"Person@2026"}`
	tests := []struct{ name, seed, want string }{
		{"unknown field", `{"enterprises":[],"bogus":1}`, "unknown field"},
		{"trailing data", `{} {}`, "trailing"},
		{"uscc not in registry", `{"enterprises":[{"uscc":"` + mkUSCC(t, "99999999") + `","state":"pending"}]}`, "not in the registry"},
		{"pending with password", `{"enterprises":[{"uscc":"` + u + `","state":"pending","password":"Kiosk@2026"}]}`, "pending"},
		{"weak password", `{"enterprises":[{"uscc":"` + u + `","state":"active","account":"demo_test01","password":"password"}]}`, "password"},
		{"bad account", `{"enterprises":[{"uscc":"` + u + `","state":"active","account":"1abc","password":"Kiosk@2026"}]}`, "account"},
		{"unknown state", `{"enterprises":[{"uscc":"` + u + `","state":"frozen"}]}`, "unknown state"},
		{"agent of unknown person", `{"enterprises":[{"uscc":"` + u + `","state":"pending"}],"agents":[{"person":"px","enterprise":"` + u + `","password":"Agent@2026","to_days":1}]}`, "person"},
		{"person bad period", `{"persons":[` + strings.Replace(p, `"20y"`, `"10y"`, 1) + `]}`, "id_period"},
		{"person twice", `{"persons":[` + p + `,` + p + `]}`, "twice"},
		{"agent window reversed", `{"enterprises":[{"uscc":"` + u + `","state":"pending"}],"persons":[` + p + `],"agents":[{"person":"p1","enterprise":"` + u + `","password":"Agent@2026","from_days":5,"to_days":1}]}`, "from_days"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			err := registry.SeedDemo(context.Background(), s, pwhash.New(pwhash.Fast), clocktest.New(testNow),
				bytes.NewReader(assets.SampleRegistryCSV), strings.NewReader(tc.seed))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
			if n := registryCount(t, s); n != 0 {
				t.Errorf("bad seed still imported %d registry records", n)
			}
		})
	}
}

func BenchmarkParseSample(b *testing.B) {
	for b.Loop() {
		if _, _, err := registry.ParseCSV(bytes.NewReader(assets.SampleRegistryCSV), testNow); err != nil {
			b.Fatal(err)
		}
	}
}
