package storage

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"kiosk/model/fleet"
	"kiosk/storage/kv"
)

// Fleet presence (see doc.go): each kiosk's sealed record under
// fleet/kiosk/<C(kiosk)>, and on an engine with leases its empty online
// mark under fleet/online/<C(kiosk)>, put under the kiosk's lease so that
// the store deletes it when the kiosk stops renewing it. A kiosk writes
// only its own two keys, so presence adds no key that kiosks share.
const (
	fleetPrefix       = "fleet/kiosk/"
	fleetOnlinePrefix = "fleet/online/"
)

// Fleet implements fleet.Store over a store. The kiosk that beats holds
// its lease here; a Fleet that only lists holds none.
type Fleet struct {
	s   *Store
	ttl time.Duration

	mu    sync.Mutex
	lease kv.Lease           // this kiosk's, nil until the first Beat
	end   context.CancelFunc // stops renewing lease
}

var _ fleet.Store = (*Fleet)(nil)

// Fleet returns the fleet presence over s; a lease it grants lives ttl
// after its last renewal (fleet.LeaseTTL when ttl <= 0).
func (s *Store) Fleet(ttl time.Duration) *Fleet {
	if ttl <= 0 {
		ttl = fleet.LeaseTTL
	}
	return &Fleet{s: s, ttl: ttl}
}

// fleetRec is the stored form of fleet.Record.
type fleetRec struct {
	Kiosk        string           `json:"kiosk"`
	Hall         string           `json:"hall,omitempty"`
	Version      string           `json:"version,omitempty"`
	Devices      []fleetDeviceRec `json:"devices,omitempty"`
	StartedAt    time.Time        `json:"started"`
	LastActivity time.Time        `json:"activity"`
	LastSeen     time.Time        `json:"seen"`
	Every        time.Duration    `json:"every"`
	Stopped      bool             `json:"stopped,omitempty"`
}

type fleetDeviceRec struct {
	Role      string `json:"role"`
	Adapter   string `json:"adapter,omitempty"`
	Simulated bool   `json:"sim,omitempty"`
	OK        bool   `json:"ok"`
	Problem   string `json:"problem,omitempty"`
}

func newFleetRec(r fleet.Record) fleetRec {
	out := fleetRec{Kiosk: r.Kiosk, Hall: r.Hall, Version: r.Version, StartedAt: r.StartedAt,
		LastActivity: r.LastActivity, LastSeen: r.LastSeen, Every: r.Every, Stopped: r.Stopped}
	for _, d := range r.Devices {
		out.Devices = append(out.Devices, fleetDeviceRec(d))
	}
	return out
}

func (r fleetRec) model() fleet.Record {
	out := fleet.Record{Kiosk: r.Kiosk, Hall: r.Hall, Version: r.Version, StartedAt: r.StartedAt,
		LastActivity: r.LastActivity, LastSeen: r.LastSeen, Every: r.Every, Stopped: r.Stopped}
	for _, d := range r.Devices {
		out.Devices = append(out.Devices, fleet.Device(d))
	}
	return out
}

func fleetKey(kiosk string) string       { return fleetPrefix + auditChainID(kiosk) }
func fleetOnlineKey(kiosk string) string { return fleetOnlinePrefix + auditChainID(kiosk) }

// Beat writes r and, on an engine with leases, puts the online mark under
// this kiosk's lease, granting a new lease when the last one has ended (the
// store was out of reach longer than its TTL). One transaction: the record
// and the mark are written together or not at all.
func (f *Fleet) Beat(ctx context.Context, r fleet.Record) error {
	leaser, ok := f.s.engine.(kv.Leaser)
	if !ok {
		return f.write(ctx, r, nil)
	}
	for try := 0; ; try++ {
		l, err := f.leaseFor(ctx, leaser)
		if err != nil {
			return err
		}
		err = f.write(ctx, r, l)
		if !errors.Is(err, kv.ErrLeaseExpired) || try > 0 {
			return err
		}
		f.drop(l) // ended between the check and the commit: once more
	}
}

// write puts r's record, and its online mark under l when l is not nil.
func (f *Fleet) write(ctx context.Context, r fleet.Record, l kv.Lease) error {
	if r.Kiosk == "" {
		return ErrInvalidRecord
	}
	rec := newFleetRec(r)
	return f.s.engine.Update(ctx, func(t kv.Tx) error {
		tx := &tx{kv: t, keys: f.s.keys, writable: true}
		if err := tx.putRec(fleetKey(r.Kiosk), rec); err != nil {
			return err
		}
		if l == nil {
			return nil
		}
		lt, ok := t.(kv.LeaseTx)
		if !ok {
			return errors.New("storage: engine grants leases but its transactions cannot use them")
		}
		return lt.PutLeased([]byte(fleetOnlineKey(r.Kiosk)), []byte{}, l)
	})
}

// leaseFor is this kiosk's live lease, granted afresh when there is none.
// The lease is renewed until Leave (or the engine's Close), whatever ctx
// (one beat's) does.
func (f *Fleet) leaseFor(ctx context.Context, leaser kv.Leaser) (kv.Lease, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lease != nil {
		select {
		case <-f.lease.Done():
			f.end()
			f.lease, f.end = nil, nil
		default:
			return f.lease, nil
		}
	}
	lctx, end := context.WithCancel(context.WithoutCancel(ctx))
	l, err := leaser.Grant(lctx, f.ttl)
	if err != nil {
		end()
		return nil, err
	}
	f.lease, f.end = l, end
	return l, nil
}

// Lease is this kiosk's lease while it holds one (nil before the first
// Beat, after Leave, and on an engine without leases). Tests end it as a
// crash would (memkv's Expire).
func (f *Fleet) Lease() kv.Lease {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lease
}

// drop forgets l if it is still the kiosk's lease.
func (f *Fleet) drop(l kv.Lease) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lease == l {
		f.end()
		f.lease, f.end = nil, nil
	}
}

// Leave writes r (stopped) and deletes the online mark in one
// transaction, then revokes the lease.
func (f *Fleet) Leave(ctx context.Context, r fleet.Record) error {
	if r.Kiosk == "" {
		return ErrInvalidRecord
	}
	r.Stopped = true
	rec := newFleetRec(r)
	err := f.s.engine.Update(ctx, func(t kv.Tx) error {
		tx := &tx{kv: t, keys: f.s.keys, writable: true}
		if err := tx.putRec(fleetKey(r.Kiosk), rec); err != nil {
			return err
		}
		return t.Delete([]byte(fleetOnlineKey(r.Kiosk)))
	})
	f.mu.Lock()
	l, end := f.lease, f.end
	f.lease, f.end = nil, nil
	f.mu.Unlock()
	if l != nil {
		err = errors.Join(err, l.Revoke(ctx))
		end()
	}
	return err
}

// List reads every kiosk's record and online mark in one read
// transaction.
func (f *Fleet) List(ctx context.Context) ([]fleet.Seen, error) {
	_, leases := f.s.engine.(kv.Leaser)
	var out []fleet.Seen
	err := f.s.engine.View(ctx, func(t kv.Tx) error {
		out = out[:0]
		online := map[string]bool{}
		err := t.Scan([]byte(fleetOnlinePrefix), func(k, _ []byte) (bool, error) {
			online[strings.TrimPrefix(string(k), fleetOnlinePrefix)] = true
			return true, nil
		})
		if err != nil {
			return err
		}
		return t.Scan([]byte(fleetPrefix), func(k, v []byte) (bool, error) {
			pt, err := f.s.keys.open(k, v)
			if err != nil {
				return false, err
			}
			var rec fleetRec
			if err := unmarshalRec(k, pt, &rec); err != nil {
				return false, err
			}
			s := fleet.Seen{Record: rec.model()}
			if leases {
				s.Live = fleet.LiveGone
				if online[strings.TrimPrefix(string(k), fleetPrefix)] {
					s.Live = fleet.LiveLeased
				}
			}
			out = append(out, s)
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
