package storage

import (
	"fmt"
	"strings"

	"kiosk/model"
)

// List walks lock/ in key order from just after cursor, a stored key
// returned by the previous call.
func (r lockouts) List(cursor string, limit int) ([]model.Lockout, string, error) {
	if limit <= 0 {
		return nil, "", nil
	}
	from := lockPrefix
	if cursor != "" {
		if !strings.HasPrefix(cursor, lockPrefix) {
			return nil, "", fmt.Errorf("%w: lockout cursor %q", ErrInvalidRecord, cursor)
		}
		from = cursor + "\x00" // the smallest key after cursor
	}
	var (
		out  []model.Lockout
		last string
	)
	err := r.t.kv.ScanFrom([]byte(lockPrefix), []byte(from), func(k, v []byte) (bool, error) {
		pt, err := r.t.keys.open(k, v)
		if err != nil {
			return false, err
		}
		var rec lockoutRec
		if err := unmarshalRec(k, pt, &rec); err != nil {
			return false, err
		}
		out, last = append(out, rec.model()), string(k)
		return len(out) < limit, nil
	})
	if err != nil || len(out) < limit {
		return out, "", err
	}
	return out, last, nil
}
