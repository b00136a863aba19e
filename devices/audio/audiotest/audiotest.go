// Package audiotest is the conformance test every audio.Player adapter
// passes: run it from the adapter's own tests with a constructor.
package audiotest

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"

	"kiosk/devices/audio"
	"kiosk/model/i18n"
)

// Run checks the audio.Player contract. newPlayer must return a fresh,
// unmuted player each time; Run closes it. Tests that need to see the
// sound itself (volume, interruption) belong to the adapter, which alone
// can observe its output.
func Run(t *testing.T, newPlayer func(t *testing.T) audio.Player) {
	ctx := context.Background()
	fresh := func(t *testing.T) audio.Player {
		t.Helper()
		p := newPlayer(t)
		t.Cleanup(func() { _ = p.Close() })
		return p
	}

	t.Run("Identity", func(t *testing.T) {
		p := fresh(t)
		if p.Name() == "" {
			t.Error("empty Name")
		}
		if err := p.Check(ctx); err != nil {
			t.Errorf("Check: %v", err)
		}
		if p.Muted() {
			t.Error("a new player is muted")
		}
	})

	t.Run("PlaysEveryPrompt", func(t *testing.T) {
		p := fresh(t)
		// Each Play cuts off the one before, so this also runs the interrupt path.
		for _, id := range audio.Clips() {
			if err := p.Play(ctx, id); err != nil {
				t.Errorf("Play(%q): %v", id, err)
			}
		}
		captcha, _ := audio.CaptchaPrompt("7KX3")
		for _, l := range i18n.Langs {
			clip, _ := audio.ClipFor(captcha, l)
			if err := p.Play(ctx, clip); err != nil {
				t.Errorf("Play(%q): %v", clip, err)
			}
		}
		p.Stop()
	})

	t.Run("UnknownPrompt", func(t *testing.T) {
		p := fresh(t)
		for _, id := range []string{"", "no_such_prompt", audio.Join(audio.PromptHome, "no_such_prompt"), "voice/home.wav", "fr/home"} {
			if err := p.Play(ctx, id); !errors.Is(err, audio.ErrUnknownPrompt) {
				t.Errorf("Play(%q) = %v, want ErrUnknownPrompt", id, err)
			}
		}
	})

	t.Run("CancelledContext", func(t *testing.T) {
		p := fresh(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := p.Play(cctx, audio.PromptHome); !errors.Is(err, context.Canceled) {
			t.Errorf("Play with a cancelled context = %v", err)
		}
		if err := p.Check(cctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Check with a cancelled context = %v", err)
		}
	})

	t.Run("Mute", func(t *testing.T) {
		p := fresh(t)
		if err := p.Play(ctx, audio.PromptHome); err != nil {
			t.Fatal(err)
		}
		p.SetMuted(true)
		if !p.Muted() {
			t.Fatal("SetMuted(true) did not stick")
		}
		if err := p.Play(ctx, audio.PromptSuccess); err != nil {
			t.Errorf("Play while muted: %v", err)
		}
		if err := p.Play(ctx, "no_such_prompt"); !errors.Is(err, audio.ErrUnknownPrompt) {
			t.Errorf("muted Play of an unknown prompt = %v, want ErrUnknownPrompt", err)
		}
		p.SetMuted(false)
		if p.Muted() {
			t.Fatal("SetMuted(false) did not stick")
		}
		if err := p.Play(ctx, audio.PromptVoiceOn); err != nil {
			t.Errorf("Play after unmute: %v", err)
		}
	})

	t.Run("VolumeEdges", func(t *testing.T) {
		p := fresh(t)
		for _, v := range []float64{-1, 0, 0.5, 1, 2, math.NaN(), math.Inf(1)} {
			p.SetVolume(v)
			if err := p.Play(ctx, audio.CharPrompt('A')); err != nil {
				t.Errorf("Play at volume %v: %v", v, err)
			}
		}
	})

	t.Run("StopIsIdempotent", func(t *testing.T) {
		p := fresh(t)
		p.Stop()
		if err := p.Play(ctx, audio.PromptHome); err != nil {
			t.Fatal(err)
		}
		p.Stop()
		p.Stop()
	})

	t.Run("Close", func(t *testing.T) {
		p := newPlayer(t)
		if err := p.Play(ctx, audio.PromptHome); err != nil {
			t.Fatal(err)
		}
		if err := p.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if err := p.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if err := p.Play(ctx, audio.PromptHome); !errors.Is(err, audio.ErrClosed) {
			t.Errorf("Play after Close = %v, want ErrClosed", err)
		}
		if err := p.Check(ctx); err == nil {
			t.Error("Check after Close succeeded")
		}
		p.Stop()
		p.SetMuted(true)
		p.SetVolume(0.5)
	})

	// Run with -race: the UI calls from many tea.Cmd goroutines.
	t.Run("Concurrent", func(t *testing.T) {
		p := fresh(t)
		ids := []string{audio.PromptHome, audio.PromptSMSSent, audio.CharPrompt('7'), audio.PromptErrorInput}
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 10 {
					switch (g + i) % 4 {
					case 0, 1:
						if err := p.Play(ctx, ids[(g+i)%len(ids)]); err != nil {
							t.Errorf("Play: %v", err)
						}
					case 2:
						p.Stop()
						p.SetVolume(float64(i) / 10)
					case 3:
						p.SetMuted(i%2 == 0)
						_ = p.Muted()
					}
				}
			}()
		}
		wg.Wait()
	})
}
