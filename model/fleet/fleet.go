// Package fleet is the presence of the kiosks that share one store (issue
// 13, item 5): each kiosk keeps a record of itself — its id, hall, software
// version, the health of its devices, when it started, when a person last
// used it and when it last said it was alive — and, on a store with leases
// (etcd), an "online" mark bound to a lease that the store deletes when the
// kiosk stops renewing it. `kiosk fleet` and the staff console's 终端状态
// list the kiosks, online and offline.
//
// Heartbeat keeps this kiosk's record; List says who is online. The store
// side (Store) is storage.Fleet.
package fleet

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// Device roles of Device.Role.
const (
	Camera = "camera" // document and face capture
	Face   = "face"   // face verification (identity authority, counter or demo)
	SMS    = "sms"    // the GSM modem, or the simulated phone
	Audio  = "audio"  // voice prompts
	USB    = "usb"    // the visitors' USB port (its mount folder)
)

// Device is one device's health as the kiosk last checked it.
type Device struct {
	Role      string // Camera, Face, SMS, Audio, USB
	Adapter   string // the adapter's name, as `kiosk devices check` prints it
	Simulated bool   // a demo simulation, not a real device
	OK        bool
	// Problem is the check's error when !OK: short, technical, English,
	// never personal data (devices hold none), at most MaxProblem bytes.
	Problem string
}

// MaxProblem bounds Device.Problem.
const MaxProblem = 160

// Record is what a kiosk says of itself. It is durable: a kiosk that has
// stopped or died stays listed, with when it was last seen.
type Record struct {
	Kiosk   string // config kiosk_id, the id of its audit chain
	Hall    string // config hall
	Version string // the kiosk's software version
	// Devices as last checked, in a fixed order; nil until the first check.
	Devices   []Device
	StartedAt time.Time // when this run of the kiosk started
	// LastActivity is when a person last pressed a key or tapped, to the
	// minute; never what they did. Zero: nobody since the start.
	LastActivity time.Time
	LastSeen     time.Time     // the last heartbeat (or the stop)
	Every        time.Duration // the kiosk's heartbeat interval
	Stopped      bool          // the kiosk stopped cleanly at LastSeen
}

// Live is what the store knows of a kiosk's online mark.
type Live int

const (
	// LiveUnknown: the store has no leases (bbolt); the heartbeat's age
	// decides.
	LiveUnknown Live = iota
	// LiveLeased: the kiosk's leased online mark is there.
	LiveLeased
	// LiveGone: the store has leases and the mark is gone (revoked, or
	// not renewed for its TTL: the kiosk died or lost the store).
	LiveGone
)

// Seen is a kiosk's record as the store holds it, with its online mark.
type Seen struct {
	Record
	Live Live
}

// Kiosk is a kiosk as the lists show it.
type Kiosk struct {
	Record
	Online bool
}

// Failing are the devices that did not answer their last check.
func (r Record) Failing() []Device {
	var out []Device
	for _, d := range r.Devices {
		if !d.OK {
			out = append(out, d)
		}
	}
	return out
}

// Lister lists the kiosks' records (storage.Fleet).
type Lister interface {
	// List returns every kiosk's record with its online mark, in no
	// particular order.
	List(ctx context.Context) ([]Seen, error)
}

// Store keeps the fleet's records (storage.Fleet). Each kiosk writes only
// its own keys, so kiosks never conflict over them.
type Store interface {
	Lister
	// Beat writes r as its kiosk's record and, on a store with leases,
	// puts the kiosk's online mark under the kiosk's lease (a new one when
	// the last has ended).
	Beat(ctx context.Context, r Record) error
	// Leave writes r (Stopped) and removes the online mark at once,
	// ending the lease.
	Leave(ctx context.Context, r Record) error
}

// DefaultEvery is the heartbeat interval; a lease lives LeaseTTL (two
// heartbeats), so a dead kiosk's online mark vanishes 15–20 s after its
// last renewal.
const (
	DefaultEvery = 10 * time.Second
	LeaseTTL     = 2 * DefaultEvery
)

// MissedBeats is how many heartbeat intervals a kiosk on a store without
// leases may stay silent and still count as online.
const MissedBeats = 3

// Online says whether s is online at now: by its leased mark where the
// store has leases (no clocks compared), else by a heartbeat within
// MissedBeats intervals of now. A kiosk that stopped cleanly is offline.
func Online(s Seen, now time.Time) bool {
	switch s.Live {
	case LiveLeased:
		return true
	case LiveGone:
		return false
	}
	if s.Stopped || s.LastSeen.IsZero() {
		return false
	}
	every := s.Every
	if every <= 0 {
		every = DefaultEvery
	}
	return now.Sub(s.LastSeen) <= MissedBeats*every
}

// List is every kiosk with whether it is online at now, by hall, then by
// kiosk id.
func List(ctx context.Context, st Lister, now time.Time) ([]Kiosk, error) {
	seen, err := st.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Kiosk, len(seen))
	for i, s := range seen {
		out[i] = Kiosk{Record: s.Record, Online: Online(s, now)}
	}
	slices.SortFunc(out, func(a, b Kiosk) int {
		return cmp.Or(cmp.Compare(a.Hall, b.Hall), cmp.Compare(a.Kiosk, b.Kiosk))
	})
	return out, nil
}

// Count is how many of ks are online and offline.
func Count(ks []Kiosk) (online, offline int) {
	for _, k := range ks {
		if k.Online {
			online++
		} else {
			offline++
		}
	}
	return online, offline
}
