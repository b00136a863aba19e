// Package captcha issues and checks picture captchas: single use, short
// lived, case-insensitive, drawn from characters that cannot be confused.
package captcha

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"image"
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

// Challenge is one captcha to show. Image is drawn once at Issue and must
// not be modified (it is shared with the service).
type Challenge struct {
	ID      string
	Text    string
	Expires time.Time
	Image   *image.Gray
}

// Service keeps outstanding challenges in memory; they never need to survive
// a restart.
type Service struct {
	clock model.Clock
	gen   func() string
	seed  func() uint64
	w, h  int
	mu    sync.Mutex
	live  map[string]Challenge
	// key signs the passes (pass.go); drawn on first use.
	keyOnce sync.Once
	key     [32]byte
}

// Option tunes a Service.
type Option func(*Service)

// WithSeeds sets where the noise of each picture comes from (default:
// crypto/rand). Tests pass a fixed sequence for stable golden files.
func WithSeeds(next func() uint64) Option {
	return func(s *Service) {
		if next != nil {
			s.seed = next
		}
	}
}

// WithSize sets the picture size in pixels (default Width×Height; Draw's
// limits apply).
func WithSize(w, h int) Option {
	return func(s *Service) { s.w, s.h = w, h }
}

// Counter returns a seed source that yields start, start+1, …: a
// deterministic but changing sequence for tests.
func Counter(start uint64) func() uint64 {
	var mu sync.Mutex
	return func() uint64 {
		mu.Lock()
		defer mu.Unlock()
		v := start
		start++
		return v
	}
}

// New returns a Service. gen makes the text; nil means crypto-random 4–5
// characters from Alphabet.
func New(clock model.Clock, gen func() string, opts ...Option) *Service {
	if gen == nil {
		gen = Random
	}
	s := &Service{clock: clock, gen: gen, seed: randomSeed, w: Width, h: Height, live: map[string]Challenge{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

func randomSeed() uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("captcha: crypto/rand failed: " + err.Error())
	}
	return binary.LittleEndian.Uint64(b[:])
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

// Issue creates a new challenge with its picture. Drawing takes a few tens
// of microseconds, so it happens here rather than on demand.
func (s *Service) Issue() Challenge {
	var id [12]byte
	if _, err := rand.Read(id[:]); err != nil {
		panic("captcha: crypto/rand failed: " + err.Error())
	}
	now := s.clock.Now()
	text := strings.ToUpper(s.gen())
	c := Challenge{ID: hex.EncodeToString(id[:]), Text: text, Expires: now.Add(TTL),
		Image: Draw(text, s.w, s.h, s.seed())}
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
