package registry

import (
	"context"
	"fmt"
	"reflect"

	"kiosk/model"
	"kiosk/model/rules"
)

// DefaultBatch is the number of records Import writes per transaction when
// given a batch size of zero or less.
const DefaultBatch = 500

// What one registry record costs a transaction (one write, no read), and
// what a batch keeps free for its commit and for a Put that grows.
const (
	importOps     = 1
	importReserve = 8
)

// Import upserts records into the store's registry, batch records per
// Update so a large registry neither holds one huge transaction nor pays
// one per record; on a store that bounds a transaction (etcd) the batches
// are made to fit it (model.BatchSize: a record is one write). It returns
// how many records were written; on an error the batches before the
// failing one stay written (Put is an upsert, so running the import again
// is safe).
func Import(ctx context.Context, store model.Store, recs []model.RegistryRecord, batch int) (int, error) {
	if batch <= 0 {
		batch = DefaultBatch
	}
	batch = model.BatchSize(store, batch, importOps, importReserve)
	n := 0
	for start := 0; start < len(recs); start += batch {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		chunk := recs[start:min(start+batch, len(recs))]
		err := store.Update(ctx, func(tx model.Tx) error {
			reg := tx.Registry()
			for _, r := range chunk {
				if err := reg.Put(r); err != nil {
					return fmt.Errorf("registry put: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		n += len(chunk)
	}
	return n, nil
}

// StoreRegistry is the model.Registry kept inside the store, so that kiosks
// sharing one database share one registry.
type StoreRegistry struct {
	Store model.Store
}

var _ model.StoredRegistry = StoreRegistry{}

// LookupUSCC normalises the code (trim, upper case, check characters) and
// reads the record. A code that is not a valid USCC cannot be in the
// registry and gives model.ErrNotFound too.
func (s StoreRegistry) LookupUSCC(ctx context.Context, uscc string) (model.RegistryRecord, error) {
	if _, err := rules.NormalizeUSCC(uscc); err != nil {
		return model.RegistryRecord{}, model.ErrNotFound
	}
	var rec model.RegistryRecord
	err := s.Store.View(ctx, func(tx model.Tx) error {
		var err error
		rec, err = s.LookupUSCCIn(tx, uscc)
		return err
	})
	if err != nil {
		return model.RegistryRecord{}, err
	}
	return rec, nil
}

// LookupUSCCIn is LookupUSCC within tx, a transaction of s.Store
// (model.StoredRegistry).
func (s StoreRegistry) LookupUSCCIn(tx model.Tx, uscc string) (model.RegistryRecord, error) {
	u, err := rules.NormalizeUSCC(uscc)
	if err != nil {
		return model.RegistryRecord{}, model.ErrNotFound
	}
	return tx.Registry().Get(u)
}

// StoredIn reports whether st is s.Store (model.StoredRegistry): the same
// pointer; a store of any other kind is never taken for it.
func (s StoreRegistry) StoredIn(st model.Store) bool {
	if s.Store == nil || st == nil {
		return false
	}
	a, b := reflect.ValueOf(s.Store), reflect.ValueOf(st)
	return a.Kind() == reflect.Pointer && a.Type() == b.Type() && a.Pointer() == b.Pointer()
}

// NewID returns a random internal identifier (model.NewID).
func NewID() string { return model.NewID() }
