package storage

import (
	"errors"
	"fmt"
	"time"

	"kiosk/model"
	"kiosk/storage/kv"
)

// Meta keys about what the store holds (see doc.go).
const (
	// metaDemo marks a store seeded with demo data; its value is the time
	// of the seed (RFC 3339). Written by the demo seed's last transaction.
	metaDemo = "meta/demo"
	// metaDemoSeeding marks a store whose demo seed has begun: written by
	// the seed's first transaction, before any account, so a seed cut
	// short is resumed by the next demo start and refused by production.
	metaDemoSeeding = "meta/demo-seeding"
	// metaProduction records that a production Open found no demo data, so
	// later opens need not read the audit log again.
	metaProduction = "meta/production"
)

// ErrDemoStore is returned by Open with RefuseDemo when the store holds
// demo data: a demo mark, or a demo-seed audit record of a store seeded
// before the mark existed.
var ErrDemoStore = errors.New("storage: store holds demo data")

// RefuseDemo makes Open refuse a store that holds demo data with
// ErrDemoStore. A production kiosk opens its store with it: demo
// enterprises, agents and the public demo staff password must never serve
// the public. A store found clean is stamped, so the audit log is read for
// an old demo seed only once.
func RefuseDemo() Option {
	return func(c *config) { c.refuseDemo = true }
}

type meta struct{ t *tx }

func (m meta) MarkDemo(at time.Time) error {
	if err := m.t.checkWrite(); err != nil {
		return err
	}
	return m.t.kv.Put([]byte(metaDemo), []byte(at.UTC().Format(time.RFC3339)))
}

func (m meta) DemoMarked() (bool, error) {
	v, err := m.t.kv.Get([]byte(metaDemo))
	return v != nil, err
}

func (m meta) MarkDemoSeeding(at time.Time) error {
	if err := m.t.checkWrite(); err != nil {
		return err
	}
	return m.t.kv.Put([]byte(metaDemoSeeding), []byte(at.UTC().Format(time.RFC3339)))
}

func (m meta) DemoSeeding() (bool, error) {
	v, err := m.t.kv.Get([]byte(metaDemoSeeding))
	return v != nil, err
}

// checkDemoMark is RefuseDemo's first check: the marks are not sealed, so
// they need no keys. A seed that has begun is demo data already.
func checkDemoMark(t kv.Tx) error {
	for _, k := range []string{metaDemo, metaDemoSeeding} {
		v, err := t.Get([]byte(k))
		if err != nil {
			return err
		}
		if v != nil {
			return fmt.Errorf("%w (demo seed of %s)", ErrDemoStore, v)
		}
	}
	return nil
}

// refuseDemo is RefuseDemo's check for a store seeded before the mark
// existed, in Open's transaction after the store is prepared: a demo-seed
// audit record. A store found clean is stamped.
func (s *Store) refuseDemo(t kv.Tx) error {
	if v, err := t.Get([]byte(metaProduction)); err != nil || v != nil {
		return err
	}
	var seeded *model.AuditRecord
	err := t.Scan([]byte(auditPrefix), func(k, v []byte) (bool, error) {
		pt, err := s.keys.open(k, v)
		if err != nil {
			return false, err
		}
		var rec auditRec
		if err := unmarshalRec(k, pt, &rec); err != nil {
			return false, err
		}
		if rec.Action == model.AuditSeedDemo {
			r := rec.model()
			seeded = &r
			return false, nil
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	if seeded != nil {
		return fmt.Errorf("%w (audit record %d: %s at %s)", ErrDemoStore, seeded.Seq, seeded.Action,
			seeded.Time.UTC().Format(time.RFC3339))
	}
	return t.Put([]byte(metaProduction), []byte(time.Now().UTC().Format(time.RFC3339)))
}
