package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"kiosk/model"
	"kiosk/storage/kv"
)

// Leases pass through from an engine that has them (kv.Leaser: etcd, and
// memkv for tests); a kv.Lease is a model.Lease. bbolt has none: one kiosk
// needs none.

// Grant starts a lease on the engine, or returns model.ErrNoLeases.
func (s *Store) Grant(ctx context.Context, ttl time.Duration) (model.Lease, error) {
	l, ok := s.engine.(kv.Leaser)
	if !ok {
		return nil, model.ErrNoLeases
	}
	return l.Grant(ctx, ttl)
}

// putLeased puts value under key bound to l, or returns model.ErrNoLeases
// when the engine (or l) cannot.
func (t *tx) putLeased(key, value []byte, l model.Lease) error {
	if err := t.checkWrite(); err != nil {
		return err
	}
	lt, ok := t.kv.(kv.LeaseTx)
	kl, lok := l.(kv.Lease)
	if !ok || !lok || l == nil {
		return model.ErrNoLeases
	}
	return lt.PutLeased(key, value, kl)
}

// leaseMark is what a leased record holds to name its lease, so that only
// its holder releases it.
func leaseMark(l model.Lease) []byte { return strconv.AppendInt(nil, l.ID(), 16) }

// leaseErr tells the model an Update that wrote under an ended lease.
func leaseErr(err error) error {
	if err != nil && errors.Is(err, kv.ErrLeaseExpired) && !errors.Is(err, model.ErrLeaseEnded) {
		return fmt.Errorf("%w: %w", model.ErrLeaseEnded, err)
	}
	return err
}
