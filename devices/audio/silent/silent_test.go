package silent

import (
	"context"
	"slices"
	"testing"

	"kiosk/devices/audio"
	"kiosk/devices/audio/audiotest"
)

func TestConformance(t *testing.T) {
	audiotest.Run(t, func(*testing.T) audio.Player { return New() })
}

func TestRecordsWhatItWasAskedToPlay(t *testing.T) {
	ctx := context.Background()
	p := New()
	if !p.Simulated() || p.Name() != "silent" {
		t.Fatalf("Simulated %v, Name %q", p.Simulated(), p.Name())
	}
	_ = p.Play(ctx, audio.PromptHome)
	if p.Playing() != audio.PromptHome {
		t.Errorf("Playing = %q", p.Playing())
	}
	p.SetVolume(0.3)
	_ = p.Play(ctx, audio.PromptSMSSent)
	p.SetMuted(true)
	if p.Playing() != "" {
		t.Errorf("still playing %q after mute", p.Playing())
	}
	_ = p.Play(ctx, audio.PromptErrorInput)
	p.SetMuted(false)
	_ = p.Play(ctx, "no_such_prompt") // refused, not recorded
	_ = p.Play(ctx, audio.PromptSuccess)
	p.Stop()

	want := []Request{
		{audio.PromptHome, audio.DefaultVolume, false},
		{audio.PromptSMSSent, 0.3, false},
		{audio.PromptErrorInput, 0.3, true},
		{audio.PromptSuccess, 0.3, false},
	}
	if got := p.Requests(); !slices.Equal(got, want) {
		t.Errorf("Requests = %+v\nwant %+v", got, want)
	}
	if got := p.Played(); !slices.Equal(got, []string{audio.PromptHome, audio.PromptSMSSent, audio.PromptSuccess}) {
		t.Errorf("Played = %v", got)
	}
	if p.Playing() != "" || p.Volume() != 0.3 {
		t.Errorf("Playing %q, Volume %v", p.Playing(), p.Volume())
	}
	p.Reset()
	if len(p.Requests()) != 0 {
		t.Error("Reset kept requests")
	}
}
