package storage

import (
	"context"
	"encoding/binary"
	"strings"
	"testing"

	"kiosk/model"
	"kiosk/storage/kv"
)

// schema3Fixture is a store written by the schema-3 code, which kept the
// counts meta/count/ent and meta/count/reg: three enterprises (schema1Data),
// two registry records (one put twice), an agent, a person, a staff member,
// a lockout, an outbox message, an appeal with a chunk, and two audit
// records in each of the chains of K-1 and K-2, with the keys
// KeysFromSeed(schema3Seed). The tree of commit b010ddb (git archive) wrote
// them into a memkv store through Open and the repositories and dumped
// every pair.
const (
	schema3Fixture = "testdata/schema3.json"
	schema3Seed    = "schema3-fixture"
)

// TestOpenSchema3Store: Open drops the stored counts (schema 3 → 4), the
// counts are derived from the records and agree with what the old code
// kept, the admin agent enters the admin index (4 → 5), and nothing else
// in the store changes.
func TestOpenSchema3Store(t *testing.T) {
	ctx := context.Background()
	e := loadFixture(t, schema3Fixture)
	before := dump(t, e)
	if v := string(before[metaSchema]); v != "3" {
		t.Fatalf("fixture schema %q, want 3", v)
	}
	oldEnt, oldReg := before[legacyCountEnt], before[legacyCountRegistry]
	if len(oldEnt) != 8 || len(oldReg) != 8 || binary.BigEndian.Uint64(oldEnt) != 3 || binary.BigEndian.Uint64(oldReg) != 2 {
		t.Fatalf("fixture counts %x %x, want 3 and 2", oldEnt, oldReg)
	}
	s, err := Open(e, KeysFromSeed(schema3Seed))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != BaseSchemaVersion {
		t.Fatalf("schema after upgrade %d, %v", v, err)
	}
	after := dump(t, e)
	for k, v := range before {
		switch k {
		case legacyCountEnt, legacyCountRegistry, metaSchema:
			if _, ok := after[k]; ok != (k == metaSchema) {
				t.Errorf("%s present %v after the upgrade", k, ok)
			}
		default:
			if string(after[k]) != string(v) {
				t.Errorf("%s changed by the upgrade", k)
			}
		}
	}
	var admins []string
	for k := range after {
		if strings.HasPrefix(k, idxEntAdmins) {
			admins = append(admins, k)
		}
	}
	if len(admins) != 1 || len(after) != len(before)-2+len(admins) {
		t.Errorf("%d keys after the upgrade, %d before, admin entries %q", len(after), len(before), admins)
	}
	err = s.View(ctx, func(tx model.Tx) error {
		for _, k := range admins {
			entID, id, _ := strings.Cut(k[len(idxEntAdmins):], "/")
			a, err := tx.Agents().Get(id)
			if err != nil {
				return err
			}
			list, err := tx.Agents().Admins(entID)
			if err != nil {
				return err
			}
			if len(list) != 1 || !a.Admin || list[0].ID != a.ID || list[0].Enabled != a.Enabled ||
				!list[0].ValidFrom.Equal(a.ValidFrom) || !list[0].ValidTo.Equal(a.ValidTo) {
				t.Errorf("admin index %+v, agent %+v", list, a)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	counts := func() (ents, regs int) {
		t.Helper()
		err := s.View(ctx, func(tx model.Tx) error {
			var err1, err2 error
			ents, err1 = tx.Enterprises().Count()
			regs, err2 = tx.Registry().Count()
			return firstErr(err1, err2)
		})
		if err != nil {
			t.Fatal(err)
		}
		return ents, regs
	}
	if ents, regs := counts(); ents != 3 || regs != 2 {
		t.Fatalf("derived counts %d, %d; the old code kept 3, 2", ents, regs)
	}
	if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() || len(rep.Chains) != 2 {
		t.Fatalf("audit after the upgrade: %+v, %v", rep, err)
	}
	// New records are counted without a counter, and reopening runs nothing.
	d := schema1Data()
	err = s.Update(ctx, func(tx model.Tx) error {
		ent := d.enterprises[0]
		ent.ID, ent.USCC, ent.Account = "e-new", "91220101MA0Y3K8X7Y", "new_corp01"
		rec := d.registry
		rec.USCC = ent.USCC
		return firstErr(tx.Enterprises().Put(ent), tx.Registry().Put(rec))
	})
	if err != nil {
		t.Fatal(err)
	}
	if ents, regs := counts(); ents != 4 || regs != 3 {
		t.Fatalf("counts after a new enterprise %d, %d", ents, regs)
	}
	upgraded := dump(t, e)
	if _, err := Open(e, KeysFromSeed(schema3Seed)); err != nil {
		t.Fatal(err)
	}
	again := dump(t, e)
	for _, k := range []string{legacyCountEnt, legacyCountRegistry} {
		if _, ok := again[k]; ok {
			t.Errorf("%s written again", k)
		}
	}
	if len(again) != len(upgraded) {
		t.Error("reopening an upgraded store changed it")
	}
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// dump returns every pair of e.
func dump(t *testing.T, e kv.Engine) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := e.View(context.Background(), func(tx kv.Tx) error {
		clear(out)
		return tx.Scan(nil, func(k, v []byte) (bool, error) { out[string(k)] = v; return true, nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
