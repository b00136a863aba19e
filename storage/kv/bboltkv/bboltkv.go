// Package bboltkv is the kv engine over a single bbolt file, the default
// store of a stand-alone kiosk. All keys live in one bucket; the layout
// above it is the storage package's business.
package bboltkv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"kiosk/storage/kv"
)

// bucket holds every key; a flat keyspace keeps the engine swappable.
var bucket = []byte("kiosk")

// DefaultLockTimeout is how long Open waits for another process to release
// the file lock before giving up.
const DefaultLockTimeout = 2 * time.Second

// ErrLocked is returned by Open when another process holds the file.
var ErrLocked = errors.New("bboltkv: database file is in use by another process")

// Options tune Open. The zero value is the production setting.
type Options struct {
	// LockTimeout bounds the wait for the file lock; zero means
	// DefaultLockTimeout.
	LockTimeout time.Duration
	// NoSync skips fsync on commit. Only for tests and bulk loads whose
	// result is thrown away on a crash.
	NoSync bool
}

// Engine is a kv.Engine backed by one bbolt file.
type Engine struct {
	db     *bolt.DB
	closed atomic.Bool
}

var _ kv.Engine = (*Engine)(nil)

// Open opens or creates the bbolt file at path with mode 0600.
func Open(path string, opts Options) (*Engine, error) {
	timeout := opts.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:      timeout,
		NoSync:       opts.NoSync,
		FreelistType: bolt.FreelistMapType,
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (waited %s)", ErrLocked, path, timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("bboltkv: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucket)
		return err
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("bboltkv: init %s: %w", path, err)
	}
	return &Engine{db: db}, nil
}

// Path returns the file the engine uses.
func (e *Engine) Path() string { return e.db.Path() }

// View runs fn in a read-only bbolt transaction.
func (e *Engine) View(ctx context.Context, fn func(kv.Tx) error) error {
	if err := e.check(ctx); err != nil {
		return err
	}
	return e.mapErr(e.db.View(func(btx *bolt.Tx) error {
		t := &tx{b: btx.Bucket(bucket)}
		defer t.done.Store(true)
		return fn(t)
	}))
}

// Update runs fn in a read-write bbolt transaction. bbolt serialises
// writers, so fn runs exactly once.
func (e *Engine) Update(ctx context.Context, fn func(kv.Tx) error) error {
	if err := e.check(ctx); err != nil {
		return err
	}
	return e.mapErr(e.db.Update(func(btx *bolt.Tx) error {
		t := &tx{b: btx.Bucket(bucket), writable: true}
		defer t.done.Store(true)
		return fn(t)
	}))
}

// Close closes the file and releases its lock.
func (e *Engine) Close() error {
	if e.closed.Swap(true) {
		return nil
	}
	return e.db.Close()
}

func (e *Engine) check(ctx context.Context) error {
	if e.closed.Load() {
		return kv.ErrClosed
	}
	return ctx.Err()
}

func (e *Engine) mapErr(err error) error {
	if errors.Is(err, bolterrors.ErrDatabaseNotOpen) {
		return kv.ErrClosed
	}
	return err
}

type tx struct {
	b        *bolt.Bucket
	writable bool
	done     atomic.Bool // set when fn returns; bbolt would crash on reuse
}

func (t *tx) Get(key []byte) ([]byte, error) {
	if t.done.Load() {
		return nil, kv.ErrTxDone
	}
	v := t.b.Get(key)
	if v == nil {
		return nil, nil
	}
	return kv.Clone(v), nil // bbolt's slice points into the mmap
}

func (t *tx) Put(key, value []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	// bbolt copies the key but keeps the value slice until commit; copy it
	// so callers may reuse their buffer.
	return t.b.Put(key, kv.Clone(value))
}

func (t *tx) Delete(key []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	return t.b.Delete(key)
}

func (t *tx) checkWrite(key []byte) error {
	switch {
	case t.done.Load():
		return kv.ErrTxDone
	case !t.writable:
		return kv.ErrReadOnly
	case len(key) == 0:
		return kv.ErrInvalidKey
	}
	return nil
}

func (t *tx) Scan(prefix []byte, fn func(k, v []byte) (bool, error)) error {
	return t.ScanFrom(prefix, nil, fn)
}

func (t *tx) ScanFrom(prefix, from []byte, fn func(k, v []byte) (bool, error)) error {
	if t.done.Load() {
		return kv.ErrTxDone
	}
	start := prefix
	if bytes.Compare(from, prefix) > 0 {
		start = from
	}
	c := t.b.Cursor()
	for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		more, err := fn(kv.Clone(k), kv.Clone(v))
		if err != nil || !more {
			return err
		}
	}
	return nil
}
