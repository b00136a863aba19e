// Package audio plays the kiosk's voice prompts: one WAV per screen and per
// common error in each language that has a voice (Mandarin, English),
// embedded from assets/voice and generated from the catalog sentences
// voice.<id> (docs/voice.md). ClipFor picks the clip of a visit's language.
// Player is the device interface; adapters live in sub-packages (portaudio
// for speakers, silent for tests and kiosks without speakers), and
// audiotest holds the conformance test every adapter passes.
package audio

import (
	"context"
	"errors"
)

// Player plays voice prompts. All methods are safe for concurrent use.
//
// A prompt is a clip id (see Clips: a prompt id such as the Prompt*
// constants for Mandarin, "<lang>/<id>" for another language, as ClipFor
// gives them), or several joined by Join, which are played one after
// another as one sound (the spoken captcha). Volume and mute apply to every
// adapter alike.
type Player interface {
	// Play starts the prompt and returns without waiting for it to finish;
	// whatever was playing is cut off first. ctx bounds only the start (a
	// cancelled ctx plays nothing and returns ctx.Err()): playback goes on
	// after Play returns, until the sound ends, Stop, SetMuted(true), the
	// next Play or Close. An unknown id returns an error wrapping
	// ErrUnknownPrompt; while muted, Play checks the prompt and returns nil
	// without sound.
	Play(ctx context.Context, prompt string) error
	// Stop cuts off the current prompt, if any, and returns once it is silent.
	Stop()
	// SetVolume sets the linear gain, clamped to 0..1; it applies at once,
	// also to a prompt already playing.
	SetVolume(v float64)
	// SetMuted mutes (and stops the current prompt) or unmutes.
	SetMuted(muted bool)
	Muted() bool
	// Simulated reports an adapter that makes no sound (demo banner, device check).
	Simulated() bool
	// Name says which adapter and device this is, for logs and `kiosk devices check`.
	Name() string
	// Check reports whether the output device answers.
	Check(ctx context.Context) error
	// Close stops playback and releases the device; later calls to Play fail
	// with ErrClosed. Close is idempotent.
	Close() error
}

var (
	// ErrUnknownPrompt is returned (wrapped) for a clip id that has no WAV.
	ErrUnknownPrompt = errors.New("audio: unknown prompt")
	// ErrClosed is returned by a Player after Close.
	ErrClosed = errors.New("audio: player closed")
)

// DefaultVolume is the gain a new Player starts with.
const DefaultVolume = 0.8

// ClampVolume limits v to 0..1 (NaN counts as 0) so adapters agree on edge cases.
func ClampVolume(v float64) float64 {
	switch {
	case v > 1:
		return 1
	case v >= 0:
		return v
	default: // negative or NaN
		return 0
	}
}
