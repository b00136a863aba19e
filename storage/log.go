package storage

import (
	"fmt"

	"kiosk/model"
)

const (
	lockPrefix    = "lock/"
	domainLockout = "lockout"
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
