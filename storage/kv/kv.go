// Package kv is the small transactional key-value interface the storage
// layer is written against. It has one engine per backend (bbolt on a
// kiosk, etcd when several kiosks share one database) and is shaped so both
// fit: a flat, ordered keyspace partitioned by string prefixes, serializable
// transactions, point reads and prefix scans. No engine type leaks out.
package kv

import (
	"context"
	"errors"
	"time"
)

// Engine runs transactions.
//
// The fn passed to View or Update may be called more than once: an engine
// with optimistic concurrency (etcd) re-runs it when another writer touched
// the keys it read. fn must therefore have no effects outside the
// transaction (no I/O, no sending on channels, no mutation of captured
// state that survives a retry) and must not keep the Tx after it returns.
// memkv's conflict modes (RunTwice, Interleave) make tests prove it.
//
// View and Update must not be nested on the same goroutine: an engine may
// hold a lock for the whole transaction.
type Engine interface {
	// View runs fn in a read-only transaction. Put and Delete return
	// ErrReadOnly.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a read-write transaction that commits when fn
	// returns nil and rolls back (writes nothing) when fn returns an error
	// or panics. The error from fn is returned unchanged.
	Update(ctx context.Context, fn func(Tx) error) error
	// Close releases the engine. It is safe to call more than once; View
	// and Update then return ErrClosed.
	Close() error
}

// Tx is one transaction. Reads see the transaction's own writes. Byte
// slices returned by Get and passed to Scan callbacks are copies owned by
// the caller and stay valid after the transaction; slices passed to Put may
// be reused by the caller once Put returns.
type Tx interface {
	// Get returns the value stored under key, or nil, nil when absent. A
	// present key with an empty value returns a non-nil empty slice.
	Get(key []byte) ([]byte, error)
	// Put stores value under key, replacing any previous value. The key
	// must not be empty.
	Put(key, value []byte) error
	// Delete removes key. Deleting an absent key is not an error.
	Delete(key []byte) error
	// Scan calls fn for every key that starts with prefix, in ascending
	// byte order, until fn returns more == false or an error (which Scan
	// returns). fn must not write to the transaction.
	Scan(prefix []byte, fn func(k, v []byte) (more bool, err error)) error
	// ScanFrom is Scan restricted to keys >= from, so a caller can resume
	// after a known key without walking the whole prefix.
	ScanFrom(prefix, from []byte, fn func(k, v []byte) (more bool, err error)) error
}

// Errors shared by all engines.
var (
	ErrReadOnly   = errors.New("kv: write in a read-only transaction")
	ErrClosed     = errors.New("kv: engine closed")
	ErrTxDone     = errors.New("kv: transaction already finished")
	ErrInvalidKey = errors.New("kv: empty key")
	// ErrConflict is returned by optimistic engines when a transaction
	// could not commit after its retries.
	ErrConflict = errors.New("kv: transaction conflict, retries exhausted")
	// ErrUnavailable wraps every error that means the store cannot be
	// reached now (a cluster without quorum, a network cut, a timeout). A
	// read or a write refused with it changed nothing; see ErrUnknownOutcome
	// for the one exception.
	ErrUnavailable = errors.New("kv: store unavailable")
	// ErrUnknownOutcome is returned, wrapped with ErrUnavailable, when an
	// Update's commit was sent but the store became unreachable before its
	// outcome could be learnt: the writes may or may not have been applied
	// (all or nothing). Callers treat it as unavailable; the data stays
	// consistent either way.
	ErrUnknownOutcome = errors.New("kv: commit outcome unknown")
	// ErrTooLarge is returned when one transaction writes or compares more
	// than the engine accepts in one commit (etcd's --max-txn-ops and
	// request size). The transaction wrote nothing; split the work.
	ErrTooLarge = errors.New("kv: transaction too large for the engine")
	// ErrLeaseExpired is returned by a commit that puts a key under a lease
	// that has already expired or been revoked.
	ErrLeaseExpired = errors.New("kv: lease expired")
)

// Pinger is implemented by engines that can lose their store (a network
// engine): Ping answers nil when the store can be read now, an error
// wrapping ErrUnavailable otherwise.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Limiter is implemented by engines that bound one transaction. MaxOps is
// the most compares one Update's commit may carry (each key read or
// created with Create, two per scanned range, the engine's own marker)
// and, counted apart, the most writes (one per key put or created, two per
// key deleted, the marker); bulk writers size their batches by it.
type Limiter interface {
	MaxOps() int
}

// MaxOps is e's limit, or 0 when it has none.
func MaxOps(e Engine) int {
	if l, ok := e.(Limiter); ok {
		return l.MaxOps()
	}
	return 0
}

// Leaser is implemented by engines whose keys can be bound to a lease: a
// key put under a lease is deleted by the store when the lease ends, which
// is when its holder revokes it or stops renewing it (the process died or
// lost the store) for its TTL. Several kiosks use it to claim work and to
// show that they are alive without trusting one another's clocks.
type Leaser interface {
	// Grant starts a lease of at least ttl, renewed in the background
	// until ctx ends or the lease is revoked.
	Grant(ctx context.Context, ttl time.Duration) (Lease, error)
}

// Lease is a granted lease.
type Lease interface {
	// ID identifies the lease within its engine.
	ID() int64
	// Done is closed once the lease is known to have ended (revoked,
	// expired, or not renewed in time): keys under it may be gone.
	Done() <-chan struct{}
	// Revoke ends the lease now; its keys are deleted.
	Revoke(ctx context.Context) error
}

// LeaseTx is implemented by the read-write Tx of a Leaser engine. A plain
// Put or Delete of the key later takes it out of the lease.
type LeaseTx interface {
	PutLeased(key, value []byte, l Lease) error
}

// Creator is implemented by the Tx of the engines: etcd's requires the key
// absent at commit instead of reading it first (every read is a round trip
// to the cluster), bbolt's and memkv's read it (CreateByGet). Call it
// through Create, which also serves a Tx without it (a test's wrapper).
type Creator interface {
	Create(key, value []byte) error
}

// ErrExists is Create's answer for a key that is present.
var ErrExists = errors.New("kv: key exists")

// Create stores value under key, which must be absent: a present key gives
// ErrExists and writes nothing. For conflicts and for an engine's bound
// (Limiter) it counts as a read of key's absence: the transaction commits
// only if key is still absent then, and another writer creating it
// meanwhile re-runs the closure, as a Get that found it absent would.
//
// An engine that implements Creator may not look at the key when Create
// is called: Create then returns nil whether or not the key is there, and
// the commit fails if it is; the engine re-runs the closure, and on that
// run Create reads the key and returns ErrExists. So Create suits a key
// that is absent but for a rare accident (a fresh random id, the next slot
// of a chain whose head was read), where the closure does not need the
// answer before its commit. Anything the closure returns before its commit
// is returned as is, so the closure must not depend on Create's nil to
// choose between refusals. Engines without Creator, and a Create of a key
// the transaction already read or wrote, answer at once (a Get then a Put).
func Create(tx Tx, key, value []byte) error {
	if c, ok := tx.(Creator); ok {
		return c.Create(key, value)
	}
	return CreateByGet(tx, key, value)
}

// CreateByGet is Create made of a Get and a Put, for engines whose reads
// are local (and the fallback of Create).
func CreateByGet(tx Tx, key, value []byte) error {
	v, err := tx.Get(key)
	switch {
	case err != nil:
		return err
	case v != nil:
		return ErrExists
	}
	return tx.Put(key, value)
}

// Batcher is implemented by the Tx of the engines: etcd's reads several
// keys in one round trip, bbolt's and memkv's one by one (GetEach). Call
// it through GetMany, which also serves a Tx without it.
type Batcher interface {
	GetMany(keys [][]byte) ([][]byte, error)
}

// GetMany returns the values of keys, in order, as that many Gets would
// (nil for an absent key), and records them as read exactly as Get does
// (for conflicts and for an engine's bound), in one round trip where the
// engine can. Use it for keys a transaction reads anyway and that do not
// depend on one another: a key read ahead but not needed still counts as
// read.
func GetMany(tx Tx, keys ...[]byte) ([][]byte, error) {
	if b, ok := tx.(Batcher); ok {
		return b.GetMany(keys)
	}
	return GetEach(tx, keys)
}

// GetEach is GetMany made of Gets, for engines whose reads are local (and
// the fallback of GetMany).
func GetEach(tx Tx, keys [][]byte) ([][]byte, error) {
	vals := make([][]byte, len(keys))
	for i, k := range keys {
		v, err := tx.Get(k)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return vals, nil
}

// PrefixEnd returns the smallest key greater than every key that starts
// with prefix, or nil when there is none (prefix empty or all 0xff). Range
// engines use it as the exclusive end of a prefix scan.
func PrefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// Clone returns a copy of b that is non-nil even when b is empty, so that
// "present with an empty value" stays distinguishable from "absent".
func Clone(b []byte) []byte {
	c := make([]byte, len(b))
	copy(c, b)
	return c
}
