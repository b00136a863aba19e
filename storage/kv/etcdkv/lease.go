package etcdkv

import (
	"context"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"kiosk/storage/kv"
)

type lease struct {
	e    *Engine
	id   clientv3.LeaseID
	done chan struct{}
	once sync.Once
}

func (l *lease) ID() int64             { return int64(l.id) }
func (l *lease) Done() <-chan struct{} { return l.done }
func (l *lease) end()                  { l.once.Do(func() { close(l.done) }) }

// Revoke ends the lease; the cluster deletes its keys.
func (l *lease) Revoke(ctx context.Context) error {
	defer l.end()
	rctx, cancel := context.WithTimeout(ctx, l.e.opts.RequestTimeout)
	defer cancel()
	_, err := l.e.cli.Revoke(rctx, l.id)
	return l.e.callErr(ctx, err)
}

// Grant implements kv.Leaser with an etcd lease kept alive by the client
// until ctx ends. Done closes when the keep-alive stops: ctx ended, the
// lease expired, or the cluster could not be reached to renew it.
func (e *Engine) Grant(ctx context.Context, ttl time.Duration) (kv.Lease, error) {
	if e.closed.Load() {
		return nil, kv.ErrClosed
	}
	secs := int64((ttl + time.Second - 1) / time.Second)
	rctx, cancel := context.WithTimeout(ctx, e.opts.RequestTimeout)
	resp, err := e.cli.Grant(rctx, max(secs, 2))
	cancel()
	if err != nil {
		return nil, e.callErr(ctx, err)
	}
	ch, err := e.cli.KeepAlive(ctx, resp.ID)
	if err != nil {
		return nil, e.callErr(ctx, err)
	}
	l := &lease{e: e, id: resp.ID, done: make(chan struct{})}
	go func() {
		defer l.end()
		for range ch { // drained so the client keeps renewing
		}
	}()
	return l, nil
}
