package memkv

import (
	"context"
	"sync"
	"time"

	"kiosk/storage/kv"
)

// Leases: memkv is a kv.Leaser so that the code which claims work or shows
// presence through leases runs on it in tests as it does on etcd. A lease
// lives while the context given to Grant lives, then its TTL more; Expire
// ends it at once, as a crashed holder's lease ends on a cluster.

var _ kv.Leaser = (*Engine)(nil)

type lease struct {
	e    *Engine
	id   int64
	ttl  time.Duration
	done chan struct{}
	once sync.Once
	keys map[string]struct{} // guarded by e.mu
}

func (l *lease) ID() int64             { return l.id }
func (l *lease) Done() <-chan struct{} { return l.done }
func (l *lease) Revoke(context.Context) error {
	l.e.endLease(l)
	return nil
}

// Grant starts a lease that ends ttl after ctx ends, on Revoke, or on
// Expire.
func (e *Engine) Grant(ctx context.Context, ttl time.Duration) (kv.Lease, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, kv.ErrClosed
	}
	if e.leases == nil {
		e.leases = make(map[int64]*lease)
	}
	e.leaseSeq++
	l := &lease{e: e, id: e.leaseSeq, ttl: ttl, done: make(chan struct{}), keys: make(map[string]struct{})}
	e.leases[l.id] = l
	go func() {
		select {
		case <-l.done:
		case <-ctx.Done():
			t := time.NewTimer(ttl)
			defer t.Stop()
			select {
			case <-l.done:
			case <-t.C:
				e.endLease(l)
			}
		}
	}()
	return l, nil
}

// Expire ends l at once and deletes its keys, as when its holder died and
// its TTL ran out.
func (e *Engine) Expire(l kv.Lease) {
	if ml, ok := l.(*lease); ok && ml.e == e {
		e.endLease(ml)
	}
}

func (e *Engine) endLease(l *lease) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, live := e.leases[l.id]; !live {
		return
	}
	delete(e.leases, l.id)
	l.once.Do(func() { close(l.done) })
	if e.closed || len(l.keys) == 0 {
		return
	}
	writes := make(map[string]write, len(l.keys))
	for k := range l.keys {
		writes[k] = write{deleted: true}
	}
	e.commit(writes)
}

// PutLeased puts key under l; the commit fails with kv.ErrLeaseExpired if
// l ended before it.
func (t *tx) PutLeased(key, value []byte, l kv.Lease) error {
	if err := t.Put(key, value); err != nil {
		return err
	}
	ml, ok := l.(*lease)
	if !ok || ml.e != t.e {
		return kv.ErrLeaseExpired
	}
	w := t.writes[string(key)]
	w.lease = ml
	t.writes[string(key)] = w
	return nil
}

// leaseOf is the lease key is under, or nil; the caller holds e.mu (it
// runs inside a transaction's closure).
func (e *Engine) leaseOf(k string) *lease {
	for _, l := range e.leases {
		if _, ok := l.keys[k]; ok {
			return l
		}
	}
	return nil
}
