// Package clocktest is the one fake clock of the kiosk's tests: a
// model.Clock and model.Timer whose time moves only when the test moves it.
// Production code never imports it.
package clocktest

import (
	"sort"
	"sync"
	"time"

	"kiosk/model"
)

// Clock is a settable clock with timers. It is safe for concurrent use: a
// program under test may read it and arm timers from its own goroutines
// while the test moves it.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*timer
	armed  chan struct{} // closed and replaced whenever a timer is armed
}

type timer struct {
	at time.Time
	ch chan time.Time
}

var (
	_ model.Clock = (*Clock)(nil)
	_ model.Timer = (*Clock)(nil)
)

// New returns a clock standing at t.
func New(t time.Time) *Clock {
	return &Clock{now: t, armed: make(chan struct{})}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t (backwards too) and fires every timer whose
// deadline is at or before t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	c.fire()
}

// Add moves the clock by d and fires every timer whose deadline has passed.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.fire()
}

// After is time.After on this clock: the channel (buffered, capacity 1)
// receives the clock's time once the clock is moved to or past Now()+d, or
// at once when d <= 0.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.timers = append(c.timers, &timer{at: c.now.Add(d), ch: ch})
	close(c.armed)
	c.armed = make(chan struct{})
	return ch
}

// Waiting returns how many timers are armed and not yet fired.
func (c *Clock) Waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// WaitTimers blocks until at least n timers wait, so that a test knows the
// program has armed its timer before it moves the clock. It reports false
// when timeout (real time) passes first.
func (c *Clock) WaitTimers(n int, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		waiting, armed := len(c.timers), c.armed
		c.mu.Unlock()
		if waiting >= n {
			return true
		}
		select {
		case <-armed:
		case <-deadline.C:
			return c.Waiting() >= n
		}
	}
}

// fire sends on every timer that is due, earliest deadline first. The
// channels are buffered and fire once, so the sends never block. c.mu is
// held.
func (c *Clock) fire() {
	sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
	n := 0
	for n < len(c.timers) && !c.timers[n].at.After(c.now) {
		c.timers[n].ch <- c.now
		n++
	}
	c.timers = append(c.timers[:0:0], c.timers[n:]...)
}
