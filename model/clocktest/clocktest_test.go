package clocktest_test

import (
	"sync"
	"testing"
	"time"

	"kiosk/model/clocktest"
)

var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func fired(ch <-chan time.Time) (time.Time, bool) {
	select {
	case t := <-ch:
		return t, true
	default:
		return time.Time{}, false
	}
}

func TestNowSetAdd(t *testing.T) {
	c := clocktest.New(t0)
	if !c.Now().Equal(t0) {
		t.Fatalf("Now %v", c.Now())
	}
	c.Add(90 * time.Second)
	if want := t0.Add(90 * time.Second); !c.Now().Equal(want) {
		t.Fatalf("after Add: %v, want %v", c.Now(), want)
	}
	c.Set(t0.Add(-time.Hour))
	if want := t0.Add(-time.Hour); !c.Now().Equal(want) {
		t.Fatalf("after Set: %v, want %v", c.Now(), want)
	}
}

func TestAfterFiresAtDeadline(t *testing.T) {
	c := clocktest.New(t0)
	ch := c.After(10 * time.Second)
	if cap(ch) != 1 {
		t.Fatalf("capacity %d, want 1", cap(ch))
	}
	if c.Waiting() != 1 {
		t.Fatalf("Waiting %d, want 1", c.Waiting())
	}
	c.Add(9 * time.Second)
	if _, ok := fired(ch); ok {
		t.Fatal("fired 1 s early")
	}
	c.Add(time.Second) // exactly at the deadline
	got, ok := fired(ch)
	if !ok || !got.Equal(t0.Add(10*time.Second)) {
		t.Fatalf("at the deadline: fired %v, value %v", ok, got)
	}
	if c.Waiting() != 0 {
		t.Fatalf("Waiting %d after firing", c.Waiting())
	}
	c.Add(time.Hour)
	if _, ok := fired(ch); ok {
		t.Fatal("fired twice")
	}
}

func TestAfterNonPositiveFiresAtOnce(t *testing.T) {
	c := clocktest.New(t0)
	for _, d := range []time.Duration{0, -time.Second} {
		got, ok := fired(c.After(d))
		if !ok || !got.Equal(t0) {
			t.Errorf("After(%v): fired %v, value %v", d, ok, got)
		}
	}
	if c.Waiting() != 0 {
		t.Fatalf("Waiting %d", c.Waiting())
	}
}

func TestAddFiresEveryDueTimer(t *testing.T) {
	c := clocktest.New(t0)
	early, mid, late := c.After(time.Second), c.After(5*time.Second), c.After(time.Minute)
	c.Add(5 * time.Second)
	if _, ok := fired(early); !ok {
		t.Error("early timer did not fire")
	}
	if _, ok := fired(mid); !ok {
		t.Error("timer due exactly now did not fire")
	}
	if _, ok := fired(late); ok {
		t.Error("late timer fired")
	}
	if c.Waiting() != 1 {
		t.Fatalf("Waiting %d, want 1", c.Waiting())
	}
}

func TestSetFiresAndBackwardsDoesNot(t *testing.T) {
	c := clocktest.New(t0)
	ch := c.After(time.Minute)
	c.Set(t0.Add(-time.Hour))
	if _, ok := fired(ch); ok {
		t.Fatal("moving back fired a timer")
	}
	// The deadline stays t0+1m, not "a minute after the new time".
	c.Set(t0.Add(time.Minute))
	if _, ok := fired(ch); !ok {
		t.Fatal("Set to the deadline did not fire")
	}
}

func TestWaitTimers(t *testing.T) {
	c := clocktest.New(t0)
	if c.WaitTimers(1, 10*time.Millisecond) {
		t.Fatal("WaitTimers(1) true with no timer")
	}
	if !c.WaitTimers(0, 0) {
		t.Fatal("WaitTimers(0) false")
	}
	done := make(chan time.Time)
	go func() {
		done <- <-c.After(30 * time.Second)
	}()
	if !c.WaitTimers(1, 5*time.Second) {
		t.Fatal("the goroutine's timer was never seen")
	}
	c.Add(30 * time.Second)
	select {
	case got := <-done:
		if !got.Equal(t0.Add(30 * time.Second)) {
			t.Fatalf("fired with %v", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("timer armed by a goroutine did not fire")
	}
}

// TestConcurrent is for the race detector: timers armed, the clock moved
// and read from many goroutines at once.
func TestConcurrent(t *testing.T) {
	c := clocktest.New(t0)
	const n = 50
	var wg sync.WaitGroup
	chans := make(chan (<-chan time.Time), n)
	for i := range n {
		wg.Add(3)
		go func() { defer wg.Done(); chans <- c.After(time.Duration(i+1) * time.Second) }()
		go func() { defer wg.Done(); c.Add(time.Millisecond); _ = c.Now() }()
		go func() { defer wg.Done(); _ = c.Waiting(); c.WaitTimers(1, time.Millisecond) }()
	}
	wg.Wait()
	close(chans)
	c.Add(time.Hour)
	for ch := range chans {
		if _, ok := fired(ch); !ok {
			t.Fatal("a timer did not fire after the clock passed every deadline")
		}
	}
	if c.Waiting() != 0 {
		t.Fatalf("Waiting %d", c.Waiting())
	}
}
