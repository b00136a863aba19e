package fleet

import (
	"context"
	"slices"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"kiosk/model"
)

// DefaultCheckEvery is how often Heartbeat asks the devices whether they
// answer: a check opens the camera when it is idle and sends the modem an
// AT, so it runs far less often than the heartbeat.
const DefaultCheckEvery = time.Minute

// LeaveTimeout bounds the last write at shutdown.
const LeaveTimeout = 3 * time.Second

// Heartbeat keeps this kiosk's record in the fleet: written at start,
// every Every, and at once when a device's health changes; on shutdown the
// record is marked stopped and the online mark removed. The root model
// feeds the last activity through Touch, which only notes the minute: the
// next heartbeat carries it, so input never causes a write of its own.
type Heartbeat struct {
	Store   Store
	Clock   model.Clock
	Timer   model.Timer   // nil: the wall clock
	Every   time.Duration // DefaultEvery when 0
	Kiosk   string
	Hall    string
	Version string
	// Check asks every device whether it answers; it runs in a goroutine
	// of its own (a device may be slow to answer), at the start and every
	// CheckEvery (DefaultCheckEvery when 0). nil: the kiosk lists no
	// devices.
	Check      func(ctx context.Context) []Device
	CheckEvery time.Duration
	// OnState, when set, hears when writing the record starts failing
	// (with the error) and when it works again (nil), not every failure.
	OnState func(err error)

	activity atomic.Int64 // LastActivity's minute as Unix nanoseconds; 0: none
	failing  bool         // the last write failed (Run's goroutine only)
}

// Touch notes a person's key or tap at t, to the minute. It is cheap and
// safe from any goroutine (the root model calls it on every input).
func (h *Heartbeat) Touch(t time.Time) {
	if m := t.Truncate(time.Minute).UnixNano(); h.activity.Load() != m {
		h.activity.Store(m)
	}
}

// LastActivity is what Touch noted last (zero: nothing).
func (h *Heartbeat) LastActivity() time.Time {
	if n := h.activity.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

func (h *Heartbeat) every() time.Duration {
	if h.Every > 0 {
		return h.Every
	}
	return DefaultEvery
}

func (h *Heartbeat) timer() model.Timer {
	if h.Timer != nil {
		return h.Timer
	}
	return model.SystemClock{}
}

// Run keeps the record until ctx ends, then marks it stopped and returns
// ctx's error. A write that fails (the store cannot be reached) is tried
// again at the next heartbeat.
func (h *Heartbeat) Run(ctx context.Context) error {
	every, timer := h.every(), h.timer()
	rec := Record{Kiosk: h.Kiosk, Hall: h.Hall, Version: h.Version, StartedAt: h.Clock.Now(), Every: every}
	health := make(chan []Device, 1)
	wctx, stop := context.WithCancel(ctx)
	watched := make(chan struct{})
	go func() { defer close(watched); h.watch(wctx, health) }()
	defer func() { stop(); <-watched }()

	h.beat(ctx, &rec)
	tick := timer.After(every)
	for {
		select {
		case <-ctx.Done():
			h.leave(ctx, rec)
			return ctx.Err()
		case devs := <-health:
			if !slices.Equal(devs, rec.Devices) {
				rec.Devices = devs
				h.beat(ctx, &rec)
			}
		case <-tick:
			h.beat(ctx, &rec)
			tick = timer.After(every)
		}
	}
}

// beat writes rec as of now.
func (h *Heartbeat) beat(ctx context.Context, rec *Record) {
	rec.LastSeen, rec.LastActivity = h.Clock.Now(), h.LastActivity()
	bctx, cancel := context.WithTimeout(ctx, h.every())
	err := h.Store.Beat(bctx, *rec)
	cancel()
	if ctx.Err() != nil {
		return // shutting down: leave says the last word
	}
	h.report(err)
}

// leave marks rec stopped, after ctx (the kiosk's) has ended.
func (h *Heartbeat) leave(ctx context.Context, rec Record) {
	rec.LastSeen, rec.LastActivity, rec.Stopped = h.Clock.Now(), h.LastActivity(), true
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), LeaveTimeout)
	defer cancel()
	if err := h.Store.Leave(lctx, rec); err != nil && h.OnState != nil {
		h.OnState(err)
	}
}

func (h *Heartbeat) report(err error) {
	if (err != nil) == h.failing {
		return
	}
	h.failing = err != nil
	if h.OnState != nil {
		h.OnState(err)
	}
}

// watch checks the devices at once and every CheckEvery until ctx ends,
// keeping only the newest result in out (capacity 1).
func (h *Heartbeat) watch(ctx context.Context, out chan []Device) {
	if h.Check == nil {
		return
	}
	every := h.CheckEvery
	if every <= 0 {
		every = DefaultCheckEvery
	}
	timer := h.timer()
	for {
		devs := h.Check(ctx)
		if ctx.Err() != nil {
			return
		}
		for i := range devs {
			devs[i].Problem = Problem(devs[i].Problem)
		}
		select {
		case <-out: // a result Run has not taken yet is stale
		default:
		}
		out <- devs
		select {
		case <-ctx.Done():
			return
		case <-timer.After(every):
		}
	}
}

// Problem is a check's error text cut to MaxProblem bytes on a rune
// boundary.
func Problem(s string) string {
	if len(s) <= MaxProblem {
		return s
	}
	cut := MaxProblem
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
