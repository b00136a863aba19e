package storage

import (
	"fmt"
	"math"

	"kiosk/model"
)

const (
	lockPrefix    = "lock/"
	domainLockout = "lockout"
	auditPrefix   = "aud/"
	auditSeq      = "meta/seq/audit"
)

type lockouts struct{ t *tx }

// Lockout keys embed principals (accounts, ID numbers), so the stored key
// is their blind hash; the record itself keeps the clear key, sealed.
func (r lockouts) key(k string) string { return lockPrefix + r.t.keys.blind(domainLockout, k) }

// Get returns the counter for key, or a zero Lockout{Key: key} when none.
func (r lockouts) Get(key string) (model.Lockout, error) {
	var rec lockoutRec
	ok, err := r.t.getRec(r.key(key), &rec)
	if err != nil {
		return model.Lockout{}, err
	}
	if !ok {
		return model.Lockout{Key: key}, nil
	}
	return rec.model(), nil
}

func (r lockouts) Put(l model.Lockout) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	if l.Key == "" {
		return fmt.Errorf("%w: empty lockout key", ErrInvalidRecord)
	}
	return r.t.putRec(r.key(l.Key), lockoutToRec(l))
}

// Delete resets the counter; deleting an absent one is not an error.
func (r lockouts) Delete(key string) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	return r.t.kv.Delete([]byte(r.key(key)))
}

type auditLog struct{ t *tx }

// auditKey is zero-padded hex so that key order is Seq order.
func auditKey(seq uint64) string { return fmt.Sprintf("%s%016x", auditPrefix, seq) }

// Append stores r under the next sequence number (r.Seq is ignored) and
// returns it. The counter lives in the same transaction, so a rolled-back
// append leaves no gap-filling record behind and committed Seqs increase.
func (a auditLog) Append(r model.AuditRecord) (uint64, error) {
	if err := a.t.checkWrite(); err != nil {
		return 0, err
	}
	n, err := a.t.counter(auditSeq)
	if err != nil {
		return 0, err
	}
	r.Seq = n + 1
	if err := a.t.putRec(auditKey(r.Seq), auditToRec(r)); err != nil {
		return 0, err
	}
	if err := a.t.setCounter(auditSeq, r.Seq); err != nil {
		return 0, err
	}
	return r.Seq, nil
}

// List returns up to limit records with Seq > after, oldest first; none
// when limit <= 0.
func (a auditLog) List(after uint64, limit int) ([]model.AuditRecord, error) {
	if limit <= 0 || after == math.MaxUint64 {
		return nil, nil
	}
	var out []model.AuditRecord
	err := a.t.kv.ScanFrom([]byte(auditPrefix), []byte(auditKey(after+1)), func(k, v []byte) (bool, error) {
		pt, err := a.t.keys.open(k, v)
		if err != nil {
			return false, err
		}
		var rec auditRec
		if err := unmarshalRec(k, pt, &rec); err != nil {
			return false, err
		}
		out = append(out, rec.model())
		return len(out) < limit, nil
	})
	return out, err
}
