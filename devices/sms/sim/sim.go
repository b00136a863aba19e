// Package sim is the simulated SMS sender for demo mode and tests: messages
// go to an in-memory phone that the screen shows as a panel labelled
// 模拟手机, never to a real network. It applies the same number and text
// rules as the modem (it encodes the PDUs and throws them away), so a flow
// that works in the demo also works with the modem.
package sim

import (
	"context"
	"sync"
	"time"

	"kiosk/devices/sms"
	"kiosk/devices/sms/pdu"
	"kiosk/model"
)

// Message is one message the simulated phone received.
type Message struct {
	Seq   uint64    // 1, 2, … in order of sending
	To    string    // normalised: "+8613800138000"
	Text  string    // shown on the panel; may hold a one-time code
	Parts int       // SMS parts the text would take on a real network
	At    time.Time // when it was sent
}

// Options tune the simulated phone.
type Options struct {
	Capacity int         // messages kept, oldest dropped first; default 100
	Clock    model.Clock // default the system clock
}

// Sender is the simulated phone. It is safe for concurrent use.
type Sender struct {
	clock model.Clock

	mu     sync.Mutex
	ring   []Message
	next   int // ring slot for the next message
	full   bool
	seq    uint64
	subs   map[int]chan Message
	subID  int
	fail   error
	failN  int // sends left to fail; <0: until cleared
	closed bool
}

var _ sms.Sender = (*Sender)(nil)

// New returns an empty simulated phone.
func New(opt Options) *Sender {
	if opt.Capacity <= 0 {
		opt.Capacity = 100
	}
	if opt.Clock == nil {
		opt.Clock = model.SystemClock{}
	}
	return &Sender{clock: opt.Clock, ring: make([]Message, opt.Capacity), subs: map[int]chan Message{}}
}

// Name identifies the sender in logs and the device check.
func (s *Sender) Name() string { return "simulated phone" }

// Simulated is true: nothing leaves the kiosk.
func (s *Sender) Simulated() bool { return true }

// Check answers unless the sender is closed.
func (s *Sender) Check(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return sms.ErrClosed
	}
	return ctx.Err()
}

// Send "delivers" text to the simulated phone and notifies subscribers.
func (s *Sender) Send(ctx context.Context, to, text string) error {
	parts, err := pdu.Encode(to, text, pdu.Options{})
	if err != nil {
		return err
	}
	num, _ := pdu.ParseNumber(to) // valid: Encode accepted it
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return sms.ErrClosed
	case ctx.Err() != nil:
		return ctx.Err()
	case s.failN != 0:
		if s.failN > 0 {
			s.failN--
		}
		return s.fail
	}
	s.seq++
	m := Message{Seq: s.seq, To: num.String(), Text: text, Parts: len(parts), At: s.clock.Now()}
	s.ring[s.next] = m
	s.next = (s.next + 1) % len(s.ring)
	s.full = s.full || s.next == 0
	for _, ch := range s.subs {
		select {
		case ch <- m:
		default: // a slow screen misses the push, not the message: Messages() has it
		}
	}
	return nil
}

// Messages returns the kept messages, oldest first.
func (s *Sender) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.full {
		return append([]Message(nil), s.ring[:s.next]...)
	}
	return append(append([]Message(nil), s.ring[s.next:]...), s.ring[:s.next]...)
}

// Subscribe returns a channel that receives each new message (dropped when
// the buffer is full) and a function that ends the subscription and closes
// the channel. A Bubble Tea screen reads it with a command that waits for
// one message and is issued again.
func (s *Sender) Subscribe(buffer int) (<-chan Message, func()) {
	if buffer < 1 {
		buffer = 1
	}
	ch := make(chan Message, buffer)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		close(ch)
		return ch, func() {}
	}
	s.subID++
	id := s.subID
	s.subs[id] = ch
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if c, ok := s.subs[id]; ok {
			delete(s.subs, id)
			close(c)
		}
	}
}

// FailNext makes the next n sends return err (n < 0: until FailNext(nil, 0)),
// for tests of what happens when a device fails.
func (s *Sender) FailNext(err error, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail, s.failN = err, n
	if err == nil {
		s.failN = 0
	}
}

// Close ends all subscriptions; Send fails afterwards.
func (s *Sender) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	for id, ch := range s.subs {
		delete(s.subs, id)
		close(ch)
	}
	return nil
}
