package storage

import (
	"context"
	"errors"
	"fmt"

	"kiosk/model"
	"kiosk/storage/kv"
)

// An engine that can lose its store (etcd) says so with kv.ErrUnavailable;
// the model and the screens know it as model.ErrServiceDown, which puts the
// 服务暂不可用 page up. The engine's error stays wrapped beside it for the
// log.

// outageErr tells the model a transaction the store could not take (nil
// and every other error pass unchanged).
func outageErr(err error) error {
	if err != nil && errors.Is(err, kv.ErrUnavailable) && !errors.Is(err, model.ErrServiceDown) {
		return fmt.Errorf("%w: %w", model.ErrServiceDown, err)
	}
	return err
}

// Ping answers nil when the store can be read now, and an error matching
// model.ErrServiceDown otherwise. An engine that cannot lose its store
// (bbolt, memkv) always answers nil.
func (s *Store) Ping(ctx context.Context) error {
	p, ok := s.engine.(kv.Pinger)
	if !ok {
		return nil
	}
	err := p.Ping(ctx)
	if err == nil {
		return nil
	}
	if !errors.Is(err, kv.ErrUnavailable) { // a ping that failed otherwise (its context) is no answer either
		err = fmt.Errorf("%w: %w", kv.ErrUnavailable, err)
	}
	return outageErr(err)
}

// Pings reports whether the engine can lose its store (it is a kv.Pinger):
// only then is Ping worth asking.
func (s *Store) Pings() bool {
	_, ok := s.engine.(kv.Pinger)
	return ok
}
