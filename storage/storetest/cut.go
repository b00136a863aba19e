package storetest

import (
	"context"
	"fmt"
	"sync/atomic"

	"kiosk/storage/kv"
)

// Cut is an engine whose store can be cut off and given back, as a kiosk
// loses and regains the cluster it shares: while cut, View, Update and
// Ping fail with an error wrapping kv.ErrUnavailable and touch nothing.
// It is a kv.Pinger. Safe for concurrent use.
type Cut struct {
	kv.Engine
	down    atomic.Bool
	refused atomic.Int64
}

// NewCut wraps e, reachable.
func NewCut(e kv.Engine) *Cut { return &Cut{Engine: e} }

// SetDown cuts the store off (true) or gives it back (false).
func (c *Cut) SetDown(down bool) { c.down.Store(down) }

// Refused counts the transactions and pings refused so far.
func (c *Cut) Refused() int64 { return c.refused.Load() }

func (c *Cut) cut() error {
	if !c.down.Load() {
		return nil
	}
	c.refused.Add(1)
	return fmt.Errorf("storetest: cluster cut off: %w", kv.ErrUnavailable)
}

// View runs fn on the engine unless the store is cut off.
func (c *Cut) View(ctx context.Context, fn func(kv.Tx) error) error {
	if err := c.cut(); err != nil {
		return err
	}
	return c.Engine.View(ctx, fn)
}

// Update runs fn on the engine unless the store is cut off.
func (c *Cut) Update(ctx context.Context, fn func(kv.Tx) error) error {
	if err := c.cut(); err != nil {
		return err
	}
	return c.Engine.Update(ctx, fn)
}

// Ping answers nil unless the store is cut off.
func (c *Cut) Ping(context.Context) error { return c.cut() }

var _ kv.Pinger = (*Cut)(nil)
