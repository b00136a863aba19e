package storage

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/storage/kv"
	"kiosk/storage/kv/memkv"
)

// schema1Fixture is a store written by the schema-1 code (every record
// sealed JSON), as raw key/value pairs, with the keys
// KeysFromSeed(schema1Seed). It holds schema1Data: the tree of commit
// e64466a (git archive) put schema1Data into a memkv store through
// storage.Open and the repositories, and dumped every pair.
const (
	schema1Fixture = "testdata/schema1.json"
	schema1Seed    = "schema1-fixture"
)

type kvFixture struct {
	Note  string      `json:"note"`
	Pairs [][2]string `json:"pairs"` // key, hex value
}

// schema1Data is what the fixture holds.
type schema1Records struct {
	enterprises []model.Enterprise
	agent       model.Agent
	person      model.NaturalPerson
	staff       model.Staff
	lockout     model.Lockout
	audit       []model.AuditRecord
	registry    model.RegistryRecord
	outbox      model.OutboundSMS
}

func schema1Data() schema1Records {
	utc := time.Date(2025, 6, 30, 8, 15, 0, 123456789, time.UTC)
	east8 := time.Date(2025, 7, 1, 16, 15, 0, 0, time.FixedZone("", 8*3600))
	day := time.Date(2010, 3, 4, 0, 0, 0, 0, time.UTC)
	full := model.Enterprise{
		ID: "e-full", USCC: "91220101MA0Y3K8X4E", Name: "长春测试科技有限公司", LegalType: "企业法人",
		LegalRep: model.LegalRep{Name: "张三", ID: model.IDDocument{Type: model.IDTypeResident,
			Number: "22010219800101123X", Period: model.Validity20Years, ValidFrom: day, ValidTo: day.AddDate(20, 0, 0)}},
		Extended: model.Extended{RegisteredAddress: "吉林省长春市朝阳区人民大街1号", RegisteredCapital: "500万元人民币",
			RegisteredDate: day, BusinessScope: "软件开发；信息技术咨询服务", CodeType: "统一社会信用代码", Industry: "信息技术",
			ApprovalDate: day.AddDate(1, 0, 0), ApprovalAuthority: "长春市市场监督管理局", RegistryStatus: "存续",
			EstablishedDate: day.AddDate(-1, 0, 0), ElectronicLicense: "EL-0001"},
		Account: "Demo_Corp01", PasswordHash: "$argon2id$v=19$m=65536,t=2,p=2$c2FsdHNhbHQ$aGFzaGhhc2g", Phone: "13812345678",
		State: model.EnterpriseActive, SessionEpoch: 7, CreatedAt: utc, UpdatedAt: east8,
	}
	pending := model.Enterprise{ID: "e-pending", USCC: "91220101MA0Y3K8X5C", Name: "待激活有限公司", LegalType: "非企业法人",
		LegalRep: model.LegalRep{Name: "李四", ID: model.IDDocument{Type: model.IDTypeResident, Number: "220102198001011234",
			Period: model.ValidityLongTerm, ValidFrom: day}},
		Phone: "13912345678", State: model.EnterprisePending, CreatedAt: east8}
	closed := model.Enterprise{ID: "e-closed", USCC: "91220101MA0Y3K8X6A", Account: "closed_corp", State: model.EnterpriseClosed,
		SessionEpoch: 2}
	return schema1Records{
		enterprises: []model.Enterprise{full, pending, closed},
		agent: model.Agent{ID: "a1", EnterpriseID: "e-full", PersonID: "p1", Name: "王五", IDNumber: "11010519491231002X",
			Phone: "13700001111", ValidFrom: day, ValidTo: day.AddDate(30, 0, 0), Admin: true, Enabled: true,
			PasswordHash: "$argon2id$agent", CreatedAt: utc, UpdatedAt: utc},
		person: model.NaturalPerson{ID: "p1", Name: "王五", Document: model.IDDocument{Type: model.IDTypeResident,
			Number: "11010519491231002X", Period: model.ValidityLongTerm, ValidFrom: day}, Phone: "13700001111",
			PasswordHash: "$argon2id$person", CreatedAt: utc},
		staff:   model.Staff{ID: "s1", Username: "counter01", Name: "演示客服", PasswordHash: "$argon2id$staff", CreatedAt: utc},
		lockout: model.Lockout{Key: "enterprise:e-full", Failures: 2, Locks: 1, UpdatedAt: utc},
		audit: []model.AuditRecord{
			{Time: utc, Kiosk: "K-1", Actor: "anonymous", Action: "login.enterprise", Subject: "e-full", Outcome: "fail"},
			{Time: east8, Kiosk: "K-1", Actor: "enterprise:e-full", Action: "login.enterprise", Subject: "e-full", Outcome: "ok", Detail: "active"},
		},
		registry: model.RegistryRecord{USCC: "91220101MA0Y3K8X4E", Name: "长春测试科技有限公司", LegalType: "企业法人",
			LegalRep: full.LegalRep, Phone: "13812345678", Extended: full.Extended},
		outbox: model.OutboundSMS{ID: "m1", To: "13812345678", Text: "【统一身份认证】验证码 123456", Kind: model.SMSKindCode,
			State: model.OutboxPending, NextAttempt: utc, CreatedAt: utc},
	}
}

// jsonRT is what the schema-1 code read back for m: its JSON round trip.
func jsonRT[M, R any](t *testing.T, toRec func(M) R, back func(R) M, m M) M {
	t.Helper()
	b, err := json.Marshal(toRec(m))
	if err != nil {
		t.Fatal(err)
	}
	var r R
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return back(r)
}

// loadFixture puts the fixture's raw pairs into a fresh engine.
func loadFixture(t *testing.T, path string) *memkv.Engine {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fx kvFixture
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	e := memkv.New()
	err = e.Update(context.Background(), func(tx kv.Tx) error {
		for _, p := range fx.Pairs {
			v, err := hex.DecodeString(p[1])
			if err != nil {
				return err
			}
			if err := tx.Put([]byte(p[0]), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func rawGet(t *testing.T, e kv.Engine, key string) []byte {
	t.Helper()
	var v []byte
	if err := e.View(context.Background(), func(tx kv.Tx) error {
		var err error
		v, err = tx.Get([]byte(key))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestOpenSchema1Store opens a store written by the schema-1 code: Open
// upgrades it to BaseSchemaVersion, every record reads back as the old code
// read it, the blind indexes still find them, and enterprise records are
// now in the binary form.
func TestOpenSchema1Store(t *testing.T) {
	ctx := context.Background()
	e := loadFixture(t, schema1Fixture)
	if v := string(rawGet(t, e, metaSchema)); v != "1" {
		t.Fatalf("fixture schema %q, want 1", v)
	}
	s, err := Open(e, KeysFromSeed(schema1Seed))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != BaseSchemaVersion {
		t.Fatalf("schema after upgrade %d, %v", v, err)
	}
	d := schema1Data()
	err = s.View(ctx, func(tx model.Tx) error {
		for _, ent := range d.enterprises {
			want := jsonRT(t, enterpriseToRec, enterpriseRec.model, ent)
			byID, e1 := tx.Enterprises().Get(ent.ID)
			byUSCC, e2 := tx.Enterprises().ByUSCC(ent.USCC)
			if err := errors.Join(e1, e2); err != nil {
				return fmt.Errorf("%s: %w", ent.ID, err)
			}
			if !reflect.DeepEqual(byID, want) || !reflect.DeepEqual(byUSCC, want) {
				return fmt.Errorf("%s after upgrade:\n got %+v\nwant %+v", ent.ID, byID, want)
			}
			if ent.Account != "" {
				if byAcct, err := tx.Enterprises().ByAccount(strings.ToUpper(ent.Account)); err != nil || byAcct.ID != ent.ID {
					return fmt.Errorf("%s by account: %v", ent.ID, err)
				}
			}
		}
		if n, err := tx.Enterprises().Count(); err != nil || n != len(d.enterprises) {
			return fmt.Errorf("count %d, %v", n, err)
		}
		ag, e1 := tx.Agents().Get(d.agent.ID)
		per, e2 := tx.Persons().ByIDNumber(d.person.Document.Number)
		st, e3 := tx.Staff().ByUsername(d.staff.Username)
		lo, e4 := tx.Lockouts().Get(d.lockout.Key)
		aud, e5 := tx.Audit().List(0, 10)
		reg, e6 := tx.Registry().Get(d.registry.USCC)
		out, e7 := tx.Outbox().Get(d.outbox.ID)
		if err := errors.Join(e1, e2, e3, e4, e5, e6, e7); err != nil {
			return err
		}
		var wantAudit []model.AuditRecord
		for i, r := range d.audit {
			r.Seq = uint64(i + 1)
			wantAudit = append(wantAudit, jsonRT(t, auditToRec, auditRec.model, r))
		}
		for _, c := range []struct {
			what      string
			got, want any
		}{
			{"agent", ag, jsonRT(t, agentToRec, agentRec.model, d.agent)},
			{"person", per, jsonRT(t, personToRec, personRec.model, d.person)},
			{"staff", st, jsonRT(t, staffToRec, staffRec.model, d.staff)},
			{"lockout", lo, jsonRT(t, lockoutToRec, lockoutRec.model, d.lockout)},
			{"audit", aud, wantAudit},
			{"registry", reg, jsonRT(t, registryToRec, registryRec.model, d.registry)},
			{"outbox", out, jsonRT(t, outboxToRec, outboxRec.model, d.outbox)},
		} {
			if !reflect.DeepEqual(c.got, c.want) {
				return fmt.Errorf("%s after upgrade:\n got %+v\nwant %+v", c.what, c.got, c.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The stored counts are gone (schema 4): Count walked the records.
	for _, k := range []string{legacyCountEnt, legacyCountRegistry} {
		if v := rawGet(t, e, k); v != nil {
			t.Fatalf("%s left after the upgrade: %x", k, v)
		}
	}
	// On disk the enterprises are binary now, still sealed.
	keys := KeysFromSeed(schema1Seed)
	for _, ent := range d.enterprises {
		k := []byte(entPrefix + ent.ID)
		sealed := rawGet(t, e, string(k))
		if strings.Contains(string(sealed), ent.Name) && ent.Name != "" {
			t.Fatalf("%s: plaintext name on disk", k)
		}
		pt, err := keys.open(k, sealed)
		if err != nil || len(pt) == 0 || pt[0] != binV1 {
			t.Fatalf("%s: not a sealed binary record (%v)", k, err)
		}
	}
	// The upgraded store takes new records, and reopening runs nothing.
	err = s.Update(ctx, func(tx model.Tx) error {
		ent := d.enterprises[0]
		ent.ID, ent.USCC, ent.Account = "e-new", "91220101MA0Y3K8X7Y", "new_corp01"
		return tx.Enterprises().Put(ent)
	})
	if err != nil {
		t.Fatal(err)
	}
	before := rawGet(t, e, entPrefix+"e-full")
	if _, err := Open(e, KeysFromSeed(schema1Seed)); err != nil {
		t.Fatal(err)
	}
	if after := rawGet(t, e, entPrefix+"e-full"); string(after) != string(before) {
		t.Fatal("reopening an upgraded store re-sealed its records")
	}
}

// TestSchema1UpgradeAllOrNothing: a record the upgrade cannot read stops
// Open, and the store stays at schema 1 with every record as it was.
func TestSchema1UpgradeAllOrNothing(t *testing.T) {
	e := loadFixture(t, schema1Fixture)
	last := entPrefix + "e-pending" // upgraded last: the others were re-sealed in the failed tx
	bad := rawGet(t, e, last)
	bad[len(bad)-1] ^= 1
	if err := e.Update(context.Background(), func(tx kv.Tx) error { return tx.Put([]byte(last), bad) }); err != nil {
		t.Fatal(err)
	}
	first := rawGet(t, e, entPrefix+"e-closed")
	if _, err := Open(e, KeysFromSeed(schema1Seed)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open = %v, want ErrCorrupt", err)
	}
	if v := string(rawGet(t, e, metaSchema)); v != "1" {
		t.Fatalf("schema %q after a failed upgrade", v)
	}
	if got := rawGet(t, e, entPrefix+"e-closed"); string(got) != string(first) {
		t.Fatal("a failed upgrade left a re-sealed record")
	}
}
