package model

import (
	"context"
	"errors"
)

// Lease is a lease of a store shared by several kiosks (Store.Grant):
// records written under it (an outbox claim, OutboxRepo.Claim) are deleted
// by the store when it ends, which is when its holder revokes it or stops
// renewing it for its TTL because the process died or lost the store. So
// kiosks can hold work without trusting one another's clocks.
type Lease interface {
	// ID identifies the lease within its store.
	ID() int64
	// Done is closed once the lease is known to have ended: what was
	// written under it may be gone.
	Done() <-chan struct{}
	// Revoke ends the lease now; what was written under it is deleted.
	Revoke(ctx context.Context) error
}

// Errors of leases.
var (
	// ErrNoLeases is returned by Store.Grant and by the repositories'
	// leased writes when the store cannot bind records to a lease (one
	// kiosk on bbolt): callers fall back to what a single kiosk needs.
	ErrNoLeases = errors.New("store: no leases")
	// ErrLeaseEnded is returned (wrapped) by an Update that wrote under a
	// lease that had already ended; it wrote nothing.
	ErrLeaseEnded = errors.New("store: lease ended")
)
