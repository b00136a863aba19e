package main

import (
	"context"
	"errors"
	"sync"
	"time"

	"kiosk/devices/audio"
	"kiosk/devices/audio/silent"
)

// lateAudio is an audio.Player whose adapter is built in the background on
// first need, for the demo's best-effort "auto" adapter: PortAudio's
// initialisation probes ALSA and JACK for several milliseconds, which the
// first frame should not wait for. Until the adapter is there, mute and
// volume are remembered and applied to it, Play and Check wait for it within
// their context, and Name and Simulated say it is starting.
type lateAudio struct {
	build     func() audio.Player // never fails: "auto" falls back to silent
	closeWait time.Duration
	once      sync.Once
	ready     chan struct{} // closed once p is set

	mu      sync.Mutex
	p       audio.Player // nil until ready
	started bool
	closed  bool
	muted   bool
	volume  float64
	volSet  bool
}

var _ audio.Player = (*lateAudio)(nil)

func newLateAudio(build func() audio.Player) *lateAudio {
	return &lateAudio{build: build, closeWait: 2 * time.Second, ready: make(chan struct{})}
}

// start builds the adapter in the background, once. After Close it builds
// nothing and stands in a closed silent player.
func (l *lateAudio) start() {
	l.once.Do(func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.closed {
			p := silent.New()
			_ = p.Close()
			l.p = p
			close(l.ready)
			return
		}
		l.started = true
		go func() {
			p := l.build()
			l.mu.Lock()
			if l.volSet {
				p.SetVolume(l.volume)
			}
			p.SetMuted(l.muted)
			l.p = p
			l.mu.Unlock()
			close(l.ready)
		}()
	})
}

// player starts the adapter if need be and waits for it or for ctx.
func (l *lateAudio) player(ctx context.Context) (audio.Player, error) {
	l.start()
	select {
	case <-l.ready:
		return l.p, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// now is the adapter if it is there, else nil; l.mu must be held.
func (l *lateAudio) now() audio.Player {
	select {
	case <-l.ready:
		return l.p
	default:
		return nil
	}
}

func (l *lateAudio) Play(ctx context.Context, prompt string) error {
	l.mu.Lock()
	closed := l.closed
	l.mu.Unlock()
	if closed {
		return audio.ErrClosed
	}
	p, err := l.player(ctx)
	if err != nil {
		return err
	}
	return p.Play(ctx, prompt)
}

func (l *lateAudio) Stop() {
	l.mu.Lock()
	p := l.now()
	l.mu.Unlock()
	if p != nil { // before, nothing can be playing
		p.Stop()
	}
}

func (l *lateAudio) SetVolume(v float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if p := l.now(); p != nil {
		p.SetVolume(v)
		return
	}
	l.volume, l.volSet = v, true
}

func (l *lateAudio) SetMuted(muted bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if p := l.now(); p != nil {
		p.SetMuted(muted)
		return
	}
	l.muted = muted
}

func (l *lateAudio) Muted() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if p := l.now(); p != nil {
		return p.Muted()
	}
	return l.muted
}

// Simulated is true until the adapter is there: until then it makes no sound.
func (l *lateAudio) Simulated() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if p := l.now(); p != nil {
		return p.Simulated()
	}
	return true
}

func (l *lateAudio) Name() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if p := l.now(); p != nil {
		return p.Name()
	}
	return "auto: starting"
}

func (l *lateAudio) Check(ctx context.Context) error {
	p, err := l.player(ctx)
	if err != nil {
		return err
	}
	return p.Check(ctx)
}

// Close closes the adapter once it is there, waiting at most closeWait for
// it; an adapter never started is never built.
func (l *lateAudio) Close() error {
	l.mu.Lock()
	l.closed = true
	started := l.started
	l.mu.Unlock()
	if !started {
		return nil
	}
	select {
	case <-l.ready:
		return l.p.Close()
	case <-time.After(l.closeWait):
		return errAudioStuck
	}
}

// errAudioStuck: the adapter's construction never returned. PortAudio hangs
// so when JACK's shared metadata database (/dev/shm/jack_db-UID) was left
// locked by a process killed while it initialised.
var errAudioStuck = errors.New("audio: the audio adapter is still starting")

// settled reports that no construction of the adapter is under way.
func (l *lateAudio) settled() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.started || l.now() != nil
}
