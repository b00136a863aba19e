package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"kiosk/devices/audio"
	"kiosk/devices/audio/audiotest"
	"kiosk/devices/audio/silent"
)

func TestLateAudioConformance(t *testing.T) {
	audiotest.Run(t, func(*testing.T) audio.Player {
		return newLateAudio(func() audio.Player { return silent.New() })
	})
}

// TestLateAudioBeforeReady: what the UI asks before the adapter is built
// is kept and applied to it, and a Play waits for it.
func TestLateAudioBeforeReady(t *testing.T) {
	release := make(chan struct{})
	inner := silent.New()
	l := newLateAudio(func() audio.Player { <-release; return inner })
	defer l.Close()
	l.SetVolume(0.3)
	l.SetMuted(true)
	l.SetMuted(false)
	l.Stop()
	if l.Muted() || !l.Simulated() || l.Name() == "" {
		t.Fatalf("before ready: muted %v, simulated %v, name %q", l.Muted(), l.Simulated(), l.Name())
	}
	played := make(chan error, 1)
	go func() { played <- l.Play(context.Background(), audio.PromptHome) }()
	select {
	case err := <-played:
		t.Fatalf("Play returned before the adapter was there: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	if err := <-played; err != nil {
		t.Fatal(err)
	}
	if got := inner.Requests(); len(got) != 1 || got[0].Prompt != audio.PromptHome || got[0].Volume != 0.3 || got[0].Muted {
		t.Errorf("requests %+v", got)
	}
	if l.Name() != "silent" {
		t.Errorf("Name %q once ready", l.Name())
	}
}

// TestLateAudioClosedUnstarted: an adapter nobody needed is never built.
func TestLateAudioClosedUnstarted(t *testing.T) {
	l := newLateAudio(func() audio.Player { t.Error("built after Close"); return silent.New() })
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Play(context.Background(), audio.PromptHome); !errors.Is(err, audio.ErrClosed) {
		t.Errorf("Play after Close: %v", err)
	}
	if err := l.Check(context.Background()); !errors.Is(err, audio.ErrClosed) {
		t.Errorf("Check after Close: %v", err)
	}
	if !l.settled() {
		t.Error("not settled")
	}
}

// TestLateAudioStuck: a construction that never returns (PortAudio on a
// JACK database left locked) costs Play and Check their context, and
// Close its wait, but never hangs the kiosk.
func TestLateAudioStuck(t *testing.T) {
	stuck := make(chan struct{})
	defer close(stuck)
	l := newLateAudio(func() audio.Player { <-stuck; return silent.New() })
	l.closeWait = 10 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := l.Check(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Check: %v", err)
	}
	if err := l.Play(ctx, audio.PromptHome); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Play: %v", err)
	}
	if err := l.Close(); !errors.Is(err, errAudioStuck) {
		t.Errorf("Close: %v", err)
	}
	if l.settled() {
		t.Error("settled while the construction is under way")
	}
}
