package registry_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"kiosk/assets"
	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/model/pwhash"
	"kiosk/model/registry"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

// limitedEngine is memkv bounded as etcd is by default (128 compares and
// 128 writes per commit, 1.5 MiB per request).
func limitedEngine() *memkv.Engine {
	return memkv.New(memkv.MaxOps(memkv.EtcdDefaultMaxOps), memkv.MaxRequestBytes(memkv.EtcdDefaultMaxRequestBytes))
}

// TestImportAndSeedOnLimitedStore: 5,000 registry records imported with
// the batch of `kiosk import` (1,000) and the demo seed both fit a store
// that bounds a transaction as etcd does, and give what they give on any
// store.
func TestImportAndSeedOnLimitedStore(t *testing.T) {
	ctx := context.Background()
	e := limitedEngine()
	s, err := storage.Open(e, storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString(testHeader + "\n")
	for i := range 5000 {
		csv.WriteString(row(t, fmt.Sprintf("%08d", 30000000+i), nil) + "\n")
	}
	recs, rowErrs, err := registry.ParseCSV(strings.NewReader(csv.String()), testNow)
	if err != nil || len(rowErrs) != 0 || len(recs) != 5000 {
		t.Fatalf("%d records, %d row errors, %v", len(recs), len(rowErrs), err)
	}
	if n, err := registry.Import(ctx, s, recs, 1000); err != nil || n != 5000 {
		t.Fatalf("imported %d, %v", n, err)
	}
	if n := registryCount(t, s); n != 5000 {
		t.Fatalf("registry count %d", n)
	}
	sample, seed := embedded(t)
	if err := seedDemo(t, s, pwhash.New(pwhash.Fast), testNow); err != nil {
		t.Fatal(err)
	}
	checkSeeded(t, s, seed)
	if n := registryCount(t, s); n != 5000+len(sample) {
		t.Fatalf("registry count %d after the seed, want %d", n, 5000+len(sample))
	}
	p := e.Peak()
	t.Logf("largest transaction: %d compares, %d writes, %d bytes", p.Compares, p.Writes, p.Bytes)
}

// checkSeeded checks that s holds the whole demo seed, marked, with one
// seed.demo audit record.
func checkSeeded(t *testing.T, s model.Store, seed registry.Seed) {
	t.Helper()
	err := s.View(context.Background(), func(tx model.Tx) error {
		if marked, err := tx.Meta().DemoMarked(); err != nil || !marked {
			t.Errorf("demo mark %v, %v", marked, err)
		}
		if n, err := tx.Enterprises().Count(); err != nil || n != len(seed.Enterprises) {
			t.Errorf("%d enterprises, want %d (%v)", n, len(seed.Enterprises), err)
		}
		agents := 0
		for _, se := range seed.Enterprises {
			e, err := tx.Enterprises().ByUSCC(se.USCC)
			if err != nil {
				return fmt.Errorf("enterprise %s: %w", se.USCC, err)
			}
			ags, err := tx.Agents().ListByEnterprise(e.ID)
			if err != nil {
				return err
			}
			agents += len(ags)
		}
		if agents != len(seed.Agents) {
			t.Errorf("%d agents, want %d", agents, len(seed.Agents))
		}
		for _, sp := range seed.Persons {
			if _, err := tx.Persons().ByIDNumber(sp.IDNumber); err != nil {
				t.Errorf("person %s: %v", sp.Key, err)
			}
		}
		for _, st := range seed.Staff {
			if _, err := tx.Staff().ByUsername(st.Username); err != nil {
				t.Errorf("staff %s: %v", st.Username, err)
			}
		}
		recs, err := tx.Audit().List(0, 100)
		seeds := 0
		for _, r := range recs {
			if r.Action == registry.AuditSeedDemo {
				seeds++
			}
		}
		if seeds != 1 {
			t.Errorf("%d seed.demo audit records, want 1", seeds)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// cutStore fails the first Update after the demo seed has begun (the
// store is marked as being seeded), as a kiosk killed between two of the
// seed's transactions. It passes the store's limit on.
type cutStore struct {
	*storage.Store
	armed, cut bool
}

var errCut = errors.New("test: power cut")

func (s *cutStore) Update(ctx context.Context, fn func(model.Tx) error) error {
	if s.armed && !s.cut {
		var seeding bool
		if err := s.View(ctx, func(tx model.Tx) (err error) { seeding, err = tx.Meta().DemoSeeding(); return }); err != nil {
			return err
		}
		if seeding {
			s.cut = true
			return errCut
		}
	}
	return s.Store.Update(ctx, fn)
}

// TestSeedDemoResumes: a demo seed cut between its transactions (on a
// store that bounds a transaction, so it takes several) leaves a store
// that production refuses and the next demo start completes, keeping what
// the first run wrote and writing nothing twice.
func TestSeedDemoResumes(t *testing.T) {
	ctx := context.Background()
	e, keys := limitedEngine(), storage.NewKeysForTest()
	st, err := storage.Open(e, keys)
	if err != nil {
		t.Fatal(err)
	}
	s := &cutStore{Store: st, armed: true}
	h := pwhash.New(pwhash.Fast)
	seedWith := func() error {
		return registry.SeedDemo(ctx, s, h, clocktest.New(testNow),
			bytes.NewReader(assets.SampleRegistryCSV), bytes.NewReader(assets.DemoSeedJSON))
	}
	if err := seedWith(); !errors.Is(err, errCut) {
		t.Fatalf("first seed: %v, want the cut", err)
	}
	_, seed := embedded(t)
	var first model.Enterprise
	err = st.View(ctx, func(tx model.Tx) error {
		marked, err1 := tx.Meta().DemoMarked()
		seeding, err2 := tx.Meta().DemoSeeding()
		n, err3 := tx.Enterprises().Count()
		var err4 error
		first, err4 = tx.Enterprises().ByUSCC(seed.Enterprises[0].USCC)
		if marked || !seeding || n == 0 || n >= len(seed.Enterprises) {
			t.Errorf("cut seed: marked %v, seeding %v, %d enterprises (want some of %d)", marked, seeding, n, len(seed.Enterprises))
		}
		return errors.Join(err1, err2, err3, err4)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storage.Open(e, keys, storage.RefuseDemo()); !errors.Is(err, storage.ErrDemoStore) {
		t.Fatalf("production open of a seed cut short: %v, want ErrDemoStore", err)
	}
	if err := seedWith(); err != nil {
		t.Fatalf("resumed seed: %v", err)
	}
	checkSeeded(t, st, seed)
	err = st.View(ctx, func(tx model.Tx) error {
		again, err := tx.Enterprises().ByUSCC(seed.Enterprises[0].USCC)
		if err == nil && again.ID != first.ID {
			t.Errorf("the first run's enterprise was written again: %s → %s", first.ID, again.ID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A restart of the seeded store writes nothing.
	before := e.Stats().Updates
	if err := seedWith(); err != nil || e.Stats().Updates != before {
		t.Fatalf("restart: %v, %d Updates", err, e.Stats().Updates-before)
	}
}
