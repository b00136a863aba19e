// Package captcha issues and checks picture captchas: single use, short
// lived, case-insensitive, drawn from characters that cannot be confused.
package captcha

import (
	"crypto/rand"
	"encoding/hex"
	"math/big"
	"strings"
	"sync"
	"time"

	"kiosk/model"
)

// Alphabet leaves out look-alikes (0/O/Q/D, 1/I/L/J, 2/Z, 5/S, 8/B, U/V, G/6).
const Alphabet = "34679ACEFHKMNPRTWXY"

// TTL is how long a challenge stays valid.
const TTL = 2 * time.Minute

// maxLive bounds the outstanding challenges kept in memory.
const maxLive = 256

// Challenge is one captcha to show.
type Challenge struct {
	ID      string
	Text    string
	Expires time.Time
}

// Service keeps outstanding challenges in memory; they never need to survive
// a restart.
type Service struct {
	clock model.Clock
	gen   func() string
	mu    sync.Mutex
	live  map[string]Challenge
}

// New returns a Service. gen makes the text; nil means crypto-random 4–5
// characters from Alphabet.
func New(clock model.Clock, gen func() string) *Service {
	if gen == nil {
		gen = Random
	}
	return &Service{clock: clock, gen: gen, live: map[string]Challenge{}}
}

// Random returns 4 or 5 random characters from Alphabet.
func Random() string {
	n := 4 + randInt(2)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(Alphabet[randInt(len(Alphabet))])
	}
	return b.String()
}

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic("captcha: crypto/rand failed: " + err.Error())
	}
	return int(v.Int64())
}

// Issue creates a new challenge.
func (s *Service) Issue() Challenge {
	var id [12]byte
	if _, err := rand.Read(id[:]); err != nil {
		panic("captcha: crypto/rand failed: " + err.Error())
	}
	now := s.clock.Now()
	c := Challenge{ID: hex.EncodeToString(id[:]), Text: strings.ToUpper(s.gen()), Expires: now.Add(TTL)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	if len(s.live) >= maxLive {
		for k := range s.live { // drop an arbitrary one: a kiosk shows one at a time
			delete(s.live, k)
			break
		}
	}
	s.live[c.ID] = c
	return c
}

// Verify checks an answer. The challenge is consumed whatever the outcome.
func (s *Service) Verify(id, answer string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.live[id]
	delete(s.live, id)
	if !ok || s.clock.Now().After(c.Expires) {
		return false
	}
	return strings.EqualFold(strings.TrimSpace(answer), c.Text)
}

// Discard forgets a challenge (screen left).
func (s *Service) Discard(id string) {
	s.mu.Lock()
	delete(s.live, id)
	s.mu.Unlock()
}

func (s *Service) sweep(now time.Time) {
	for k, c := range s.live {
		if now.After(c.Expires) {
			delete(s.live, k)
		}
	}
}
