// Package task scopes the work a screen starts to the visit that started it.
//
// A kiosk is shared by strangers: a result that arrives after its visitor
// left must never reach the next one. The root opens a Scope for every
// visit (every time a screen is shown) and ends it when the screen is
// replaced. Every command a screen returns is tagged with its visit (Wrap),
// and the work a screen starts (Do, In, After) runs under the visit's
// context, cancelled when the visit ends. The root opens each Delivery
// against the current scope and drops it when its visit (or, for work in a
// slot, its slot) has moved on, before any screen or the root acts on it.
//
// Slots replace the per-screen nonce/sequence/generation counters: work
// started in a slot supersedes the slot's earlier work, Drop abandons it,
// and only the newest result of a slot is ever delivered.
package task

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Delivery is a message produced by work of a scope, on its way back to
// the event loop. Only Open unwraps it.
type Delivery struct {
	visit uint64
	slot  string
	token uint64
	msg   tea.Msg
}

// Visit is the visit the delivery belongs to.
func (d Delivery) Visit() uint64 { return d.visit }

// Slot is the slot of the work that produced it ("" for a plain command).
func (d Delivery) Slot() string { return d.slot }

// AfterFunc returns a channel that fires once d has passed (time.After, or
// a test clock's After); a nil channel turns timers off.
type AfterFunc func(d time.Duration) <-chan time.Time

// Scope is the work of one visit. It is used from the event loop only; the
// commands it returns run on their own goroutines and touch nothing of it.
type Scope struct {
	visit  uint64
	ctx    context.Context
	cancel context.CancelFunc
	after  AfterFunc
	next   uint64
	slots  map[string]slot
	ended  bool
}

type slot struct {
	token  uint64
	cancel context.CancelFunc
}

// New opens the scope of visit. after nil means time.After.
func New(visit uint64, after AfterFunc) *Scope {
	if after == nil {
		after = time.After
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Scope{visit: visit, ctx: ctx, cancel: cancel, after: after, slots: map[string]slot{}}
}

// Visit is the scope's visit id.
func (s *Scope) Visit() uint64 { return s.visit }

// End cancels every piece of work of the visit; nothing it started is
// delivered afterwards.
func (s *Scope) End() {
	s.ended = true
	s.cancel()
	for k, sl := range s.slots {
		sl.cancel()
		delete(s.slots, k)
	}
}

// Ended reports whether End was called.
func (s *Scope) Ended() bool { return s.ended }

// Wrap tags every message cmd yields with the visit, through batches.
func (s *Scope) Wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	visit := s.visit
	return wrap(visit, cmd)
}

func wrap(visit uint64, cmd tea.Cmd) tea.Cmd {
	return func() tea.Msg {
		switch m := cmd().(type) {
		case nil:
			return nil
		case Delivery:
			return m
		case tea.BatchMsg:
			out := make(tea.BatchMsg, 0, len(m))
			for _, c := range m {
				if c != nil {
					out = append(out, wrap(visit, c))
				}
			}
			return out
		default:
			return Delivery{visit: visit, msg: m}
		}
	}
}

// Do runs fn off the event loop under the visit's context; its message is
// delivered while the visit lasts.
func (s *Scope) Do(fn func(ctx context.Context) tea.Msg) tea.Cmd {
	if s.ended {
		return nil
	}
	ctx, visit := s.ctx, s.visit
	return func() tea.Msg {
		m := fn(ctx)
		if m == nil {
			return nil
		}
		return Delivery{visit: visit, msg: m}
	}
}

// In runs fn in slot: it supersedes (and cancels) the slot's earlier work,
// and its message is delivered only while it is the slot's newest work.
func (s *Scope) In(name string, fn func(ctx context.Context) tea.Msg) tea.Cmd {
	if s.ended {
		return nil
	}
	ctx, token := s.claim(name)
	visit := s.visit
	return func() tea.Msg {
		m := fn(ctx)
		return Delivery{visit: visit, slot: name, token: token, msg: m}
	}
}

// After delivers msg once d has passed, in slot: a newer After or In of
// the slot, or Drop, cancels it.
func (s *Scope) After(name string, d time.Duration, msg tea.Msg) tea.Cmd {
	if s.ended {
		return nil
	}
	ctx, token := s.claim(name)
	fire := s.after(d)
	if fire == nil {
		return nil // timers are off: the caller feeds the message by hand (pure tests)
	}
	visit := s.visit
	return func() tea.Msg {
		select {
		case <-fire:
			return Delivery{visit: visit, slot: name, token: token, msg: msg}
		case <-ctx.Done():
			return nil
		}
	}
}

func (s *Scope) claim(name string) (context.Context, uint64) {
	if old, ok := s.slots[name]; ok {
		old.cancel()
	}
	s.next++
	ctx, cancel := context.WithCancel(s.ctx)
	s.slots[name] = slot{token: s.next, cancel: cancel}
	return ctx, s.next
}

// Drop abandons the slot's work: it is cancelled and never delivered.
func (s *Scope) Drop(name string) {
	if sl, ok := s.slots[name]; ok {
		sl.cancel()
		delete(s.slots, name)
	}
}

// Busy reports whether work of the slot is under way.
func (s *Scope) Busy(name string) bool {
	_, ok := s.slots[name]
	return ok
}

// Open unwraps a Delivery of this visit. ok is false when the message
// belongs to an ended visit or to superseded or dropped work of a slot;
// such a message must be dropped. A delivered slot is free again. Any
// other message is returned as it is.
func (s *Scope) Open(msg tea.Msg) (inner tea.Msg, ok bool) {
	d, isDelivery := msg.(Delivery)
	if !isDelivery {
		return msg, true
	}
	if d.visit != s.visit || s.ended {
		return nil, false
	}
	if d.slot != "" {
		sl, live := s.slots[d.slot]
		if !live || sl.token != d.token {
			return nil, false
		}
		sl.cancel()
		delete(s.slots, d.slot)
	}
	return d.msg, true
}
