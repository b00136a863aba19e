// Package silent is the audio adapter that makes no sound: it checks and
// records each prompt it is asked to play, for tests, the demo and kiosks
// without speakers.
package silent

import (
	"context"
	"slices"
	"sync"

	"kiosk/devices/audio"
)

// Request is one Play call the player accepted.
type Request struct {
	Prompt string
	Volume float64 // gain in force at the time
	Muted  bool    // true: a real player would have stayed silent
}

// Player implements audio.Player without a device.
type Player struct {
	mu       sync.Mutex
	volume   float64
	muted    bool
	closed   bool
	playing  string // prompt "sounding" until Stop, mute, the next Play or Close
	requests []Request
}

var _ audio.Player = (*Player)(nil)

// New returns a silent player at audio.DefaultVolume, not muted.
func New() *Player { return &Player{volume: audio.DefaultVolume} }

// Play validates prompt like a real adapter and records it.
func (p *Player) Play(ctx context.Context, prompt string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := audio.Validate(prompt); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return audio.ErrClosed
	}
	p.requests = append(p.requests, Request{Prompt: prompt, Volume: p.volume, Muted: p.muted})
	p.playing = ""
	if !p.muted {
		p.playing = prompt
	}
	return nil
}

// Stop ends the pretend playback.
func (p *Player) Stop() {
	p.mu.Lock()
	p.playing = ""
	p.mu.Unlock()
}

// SetVolume sets the gain recorded with later requests.
func (p *Player) SetVolume(v float64) {
	p.mu.Lock()
	p.volume = audio.ClampVolume(v)
	p.mu.Unlock()
}

// Volume is the current gain.
func (p *Player) Volume() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.volume
}

// SetMuted mutes (ending the pretend playback) or unmutes.
func (p *Player) SetMuted(muted bool) {
	p.mu.Lock()
	p.muted = muted
	if muted {
		p.playing = ""
	}
	p.mu.Unlock()
}

// Muted reports the mute state.
func (p *Player) Muted() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.muted
}

// Simulated is true: nothing is ever heard.
func (p *Player) Simulated() bool { return true }

// Name identifies the adapter.
func (p *Player) Name() string { return "silent" }

// Check fails only after Close.
func (p *Player) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return audio.ErrClosed
	}
	return nil
}

// Close ends playback; later Plays fail. What was recorded stays readable.
func (p *Player) Close() error {
	p.mu.Lock()
	p.closed = true
	p.playing = ""
	p.mu.Unlock()
	return nil
}

// Requests lists every accepted Play call, muted ones included, oldest first.
func (p *Player) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.requests)
}

// Played lists the prompts a listener would have heard start (not muted).
func (p *Player) Played() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, r := range p.requests {
		if !r.Muted {
			out = append(out, r.Prompt)
		}
	}
	return out
}

// Playing is the prompt that would be sounding now, or "".
// Pretend prompts never end on their own.
func (p *Player) Playing() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.playing
}

// Reset forgets the recorded requests.
func (p *Player) Reset() {
	p.mu.Lock()
	p.requests = nil
	p.mu.Unlock()
}
