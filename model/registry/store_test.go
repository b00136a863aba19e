package registry_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"kiosk/model"
	"kiosk/model/registry"
)

// countingStore counts Update calls to check the batching.
type countingStore struct {
	model.Store
	updates int
}

func (c *countingStore) Update(ctx context.Context, fn func(model.Tx) error) error {
	c.updates++
	return c.Store.Update(ctx, fn)
}

func registryCount(t *testing.T, s model.Store) int {
	t.Helper()
	var n int
	if err := s.View(context.Background(), func(tx model.Tx) error {
		var err error
		n, err = tx.Registry().Count()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportBatchesAndUpserts(t *testing.T) {
	var b strings.Builder
	b.WriteString(testHeader + "\n")
	for i := 0; i < 7; i++ {
		b.WriteString(row(t, fmt.Sprintf("8000000%d", i), nil) + "\n")
	}
	recs, rowErrs, err := registry.ParseCSV(strings.NewReader(b.String()), testNow)
	if err != nil || len(rowErrs) != 0 {
		t.Fatal(err, rowErrs)
	}
	ctx := context.Background()
	for _, tc := range []struct{ batch, updates int }{{3, 3}, {7, 1}, {0, 1}, {1, 7}} {
		cs := &countingStore{Store: newStore(t)}
		n, err := registry.Import(ctx, cs, recs, tc.batch)
		if err != nil || n != 7 || cs.updates != tc.updates {
			t.Errorf("batch %d: n=%d updates=%d err=%v, want 7 records in %d updates", tc.batch, n, cs.updates, err, tc.updates)
		}
		if got := registryCount(t, cs); got != 7 {
			t.Errorf("batch %d: registry has %d records", tc.batch, got)
		}
	}

	// Importing again replaces, it does not add.
	s := newStore(t)
	changed := recs[0]
	changed.Name = "长春改名科技有限公司"
	for _, batch := range [][]model.RegistryRecord{recs, {changed}} {
		if _, err := registry.Import(ctx, s, batch, 2); err != nil {
			t.Fatal(err)
		}
	}
	if got := registryCount(t, s); got != 7 {
		t.Errorf("after re-import registry has %d records, want 7", got)
	}
	got, err := registry.StoreRegistry{Store: s}.LookupUSCC(ctx, recs[0].USCC)
	if err != nil || got.Name != changed.Name {
		t.Errorf("lookup after upsert: %q %v", got.Name, err)
	}
}

func TestImportCancelled(t *testing.T) {
	recs, _, _ := registry.ParseCSV(strings.NewReader(testHeader+"\n"+row(t, "81000001", nil)+"\n"), testNow)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n, err := registry.Import(ctx, newStore(t), recs, 1)
	if n != 0 || !errors.Is(err, context.Canceled) {
		t.Fatalf("n=%d err=%v", n, err)
	}
}

func TestStoreRegistryLookup(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	recs, _, _ := registry.ParseCSV(strings.NewReader(testHeader+"\n"+row(t, "82000001", nil)+"\n"), testNow)
	if _, err := registry.Import(ctx, s, recs, 0); err != nil {
		t.Fatal(err)
	}
	reg := registry.StoreRegistry{Store: s}
	known := recs[0].USCC
	tests := []struct {
		name, in string
		found    bool
	}{
		{"exact", known, true},
		{"lower case, spaces", "  " + strings.ToLower(known) + "\t", true},
		{"unknown valid code", mkUSCC(t, "82000002"), false},
		{"bad check char", known[:17] + "0", known[17] == '0'},
		{"garbage", "not a uscc", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := reg.LookupUSCC(ctx, tc.in)
			if tc.found {
				if err != nil || got.USCC != known || got.LegalRep.ID.Number != recs[0].LegalRep.ID.Number {
					t.Fatalf("got %+v, %v", got, err)
				}
				return
			}
			if !errors.Is(err, model.ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestNewID(t *testing.T) {
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := registry.NewID()
		if !hex32.MatchString(id) || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}
