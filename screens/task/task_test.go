package task

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

type ping struct{ n int }

// now fires every timer at once.
func now(time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	ch <- time.Time{}
	return ch
}

func TestWrapTagsTheVisitThroughBatches(t *testing.T) {
	s := New(7, now)
	cmd := s.Wrap(tea.Batch(func() tea.Msg { return ping{1} }, nil, func() tea.Msg { return ping{2} }))
	b, ok := cmd().(tea.BatchMsg)
	if !ok || len(b) != 2 {
		t.Fatalf("batch not kept: %#v", cmd())
	}
	for i, c := range b {
		d, ok := c().(Delivery)
		if !ok || d.Visit() != 7 {
			t.Fatalf("member %d not tagged: %#v", i, d)
		}
		if m, ok := s.Open(d); !ok || m != (ping{i + 1}) {
			t.Errorf("member %d opened as %#v, %v", i, m, ok)
		}
	}
	if s.Wrap(nil) != nil {
		t.Error("Wrap(nil) made a command")
	}
	if m := s.Wrap(func() tea.Msg { return nil })(); m != nil {
		t.Errorf("a command yielding nothing yields %#v", m)
	}
}

func TestEndedVisitIsDropped(t *testing.T) {
	old := New(1, now)
	late := old.Do(func(ctx context.Context) tea.Msg { return ping{1} })
	wrapped := old.Wrap(func() tea.Msg { return ping{2} })
	old.End()
	next := New(2, now)
	for _, c := range []tea.Cmd{late, wrapped} {
		if c == nil {
			continue // Do after End makes nothing
		}
		if m, ok := next.Open(c()); ok {
			t.Errorf("the next visit opened %#v", m)
		}
		if m, ok := old.Open(c()); ok {
			t.Errorf("the ended visit opened %#v", m)
		}
	}
	if old.Do(func(context.Context) tea.Msg { return ping{3} }) != nil {
		t.Error("an ended scope starts work")
	}
	// Anything that is not a delivery passes (keys, the root's own messages).
	if m, ok := next.Open(ping{4}); !ok || m != (ping{4}) {
		t.Errorf("a plain message: %#v %v", m, ok)
	}
}

func TestEndCancelsTheWork(t *testing.T) {
	s := New(1, now)
	started := make(chan struct{})
	cmd := s.Do(func(ctx context.Context) tea.Msg {
		close(started)
		<-ctx.Done()
		return ping{1}
	})
	done := make(chan tea.Msg)
	go func() { done <- cmd() }()
	<-started
	s.End()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("End did not cancel the work's context")
	}
}

func TestSlotKeepsOnlyTheNewest(t *testing.T) {
	s := New(1, now)
	first := s.In("check", func(context.Context) tea.Msg { return ping{1} })
	second := s.In("check", func(context.Context) tea.Msg { return ping{2} })
	if !s.Busy("check") {
		t.Fatal("slot not busy")
	}
	if m, ok := s.Open(first()); ok {
		t.Errorf("superseded work delivered %#v", m)
	}
	if m, ok := s.Open(second()); !ok || m != (ping{2}) {
		t.Errorf("newest work: %#v %v", m, ok)
	}
	if s.Busy("check") {
		t.Error("a delivered slot stays busy")
	}
	// A delivery opens once.
	third := s.In("check", func(context.Context) tea.Msg { return ping{3} })
	d := third()
	s.Open(d)
	if _, ok := s.Open(d); ok {
		t.Error("a delivery opened twice")
	}
	dropped := s.In("check", func(context.Context) tea.Msg { return ping{4} })
	s.Drop("check")
	if _, ok := s.Open(dropped()); ok || s.Busy("check") {
		t.Error("dropped work delivered")
	}
}

func TestAfterInASlot(t *testing.T) {
	fire := make(chan time.Time, 1)
	s := New(1, func(time.Duration) <-chan time.Time { return fire })
	tick := s.After("tick", time.Second, ping{1})
	fire <- time.Time{}
	if m, ok := s.Open(tick()); !ok || m != (ping{1}) {
		t.Fatalf("timer: %#v %v", m, ok)
	}
	// A dropped timer ends without a message.
	tick = s.After("tick", time.Second, ping{2})
	s.Drop("tick")
	if m := tick(); m != nil {
		t.Errorf("a dropped timer yielded %#v", m)
	}
	// Timers off: no command at all.
	off := New(2, func(time.Duration) <-chan time.Time { return nil })
	if off.After("tick", time.Second, ping{3}) != nil {
		t.Error("timers off still made a command")
	}
}
