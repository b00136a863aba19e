package portaudio

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	pa "github.com/gordonklaus/portaudio"
	"golang.org/x/sys/unix"

	"kiosk/devices/audio"
	"kiosk/devices/audio/audiotest"
)

// newTestPlayer clears the output folder and returns a player on the
// file-backed default device, at full volume.
func newTestPlayer(t *testing.T) *Player {
	t.Helper()
	if streamsBroken != "" {
		t.Skip(streamsBroken)
	}
	ents, err := os.ReadDir(outDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		os.Remove(filepath.Join(outDir, e.Name()))
	}
	p, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	p.SetVolume(1)
	return p
}

// streams decodes what each stream wrote, in the order they were opened;
// files the device check created without writing are skipped.
func streams(t *testing.T) []audio.Clip {
	t.Helper()
	ents, err := os.ReadDir(outDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "out.wav") {
			names = append(names, e.Name()) // out.wav < out.wav.0001 < …
		}
	}
	slices.Sort(names)
	var out []audio.Clip
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(outDir, n))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 {
			continue
		}
		c, err := audio.DecodeWAV(b)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		out = append(out, c)
	}
	return out
}

func load(t *testing.T, prompt string, gain float64) audio.Clip {
	t.Helper()
	c, err := audio.Load(prompt)
	if err != nil {
		t.Fatal(err)
	}
	scaled := audio.Clip{Rate: c.Rate, Channels: c.Channels, Samples: make([]int16, len(c.Samples))}
	audio.Scale(scaled.Samples, c.Samples, gain)
	return scaled
}

func sameAudio(t *testing.T, what string, got, want audio.Clip) {
	t.Helper()
	if got.Rate != want.Rate || got.Channels != want.Channels {
		t.Fatalf("%s: %d Hz × %d, want %d Hz × %d", what, got.Rate, got.Channels, want.Rate, want.Channels)
	}
	if len(got.Samples) != len(want.Samples) {
		t.Fatalf("%s: %d samples written, want %d", what, len(got.Samples), len(want.Samples))
	}
	if i := firstDiff(got.Samples, want.Samples); i >= 0 {
		t.Fatalf("%s: sample %d is %d, want %d", what, i, got.Samples[i], want.Samples[i])
	}
}

func firstDiff(a, b []int16) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

func wait(t *testing.T, p *Player) {
	t.Helper()
	if err := p.Wait(t.Context()); err != nil {
		t.Fatalf("playback: %v", err)
	}
}

func TestConformance(t *testing.T) {
	audiotest.Run(t, func(t *testing.T) audio.Player { return newTestPlayer(t) })
}

// The PCM that reaches ALSA is the prompt, sample for sample, times the gain.
func TestPlayWritesThePrompt(t *testing.T) {
	captcha, _ := audio.CaptchaPrompt("K7")
	tests := []struct {
		prompt string
		gain   float64
	}{
		{audio.PromptSMSSent, 1},
		{audio.PromptHome, 0.5},
		{audio.CharPrompt('W'), 0.25},
		{captcha, 0.8},
		{audio.PromptErrorInput, 0},
	}
	for _, tt := range tests {
		t.Run(tt.prompt, func(t *testing.T) {
			p := newTestPlayer(t)
			p.SetVolume(tt.gain)
			if err := p.Play(t.Context(), tt.prompt); err != nil {
				t.Fatal(err)
			}
			wait(t, p)
			got := streams(t)
			if len(got) != 1 {
				t.Fatalf("%d streams written, want 1", len(got))
			}
			sameAudio(t, tt.prompt, got[0], load(t, tt.prompt, tt.gain))
		})
	}
}

// blockAfterFirstWrite makes the first buffer of the next playback wait for
// its interrupt, standing in for a device that paces playback.
func blockAfterFirstWrite(p *Player) <-chan struct{} {
	started := make(chan struct{})
	var calls atomic.Int32
	p.afterWrite = func(stop <-chan struct{}) {
		if calls.Add(1) == 1 {
			close(started)
			<-stop
		}
	}
	return started
}

func TestNewPlayInterruptsTheCurrentOne(t *testing.T) {
	p := newTestPlayer(t)
	started := blockAfterFirstWrite(p)
	if err := p.Play(t.Context(), audio.PromptHome); err != nil {
		t.Fatal(err)
	}
	<-started
	if err := p.Play(t.Context(), audio.PromptSMSSent); err != nil {
		t.Fatal(err)
	}
	wait(t, p)
	got := streams(t)
	if len(got) != 2 {
		t.Fatalf("%d streams written, want 2", len(got))
	}
	home := load(t, audio.PromptHome, 1)
	if n := len(got[0].Samples); n == 0 || n > 4*p.cfg.FramesPerBuffer || firstDiff(got[0].Samples, home.Samples) >= 0 {
		t.Errorf("interrupted prompt wrote %d samples of %d, want a short prefix", n, len(home.Samples))
	}
	sameAudio(t, "second prompt", got[1], load(t, audio.PromptSMSSent, 1))
}

func TestStopAndMuteCutOff(t *testing.T) {
	for name, cut := range map[string]func(*Player){
		"Stop":  (*Player).Stop,
		"Mute":  func(p *Player) { p.SetMuted(true) },
		"Close": func(p *Player) { p.Close() },
	} {
		t.Run(name, func(t *testing.T) {
			p := newTestPlayer(t)
			started := blockAfterFirstWrite(p)
			if err := p.Play(t.Context(), audio.PromptHome); err != nil {
				t.Fatal(err)
			}
			<-started
			cut(p)
			wait(t, p)
			got := streams(t)
			home := load(t, audio.PromptHome, 1)
			if len(got) != 1 || len(got[0].Samples) >= len(home.Samples) {
				t.Fatalf("the prompt was not cut off: %d streams", len(got))
			}
		})
	}
}

func TestMutedWritesNothing(t *testing.T) {
	p := newTestPlayer(t)
	p.SetMuted(true)
	for _, id := range []string{audio.PromptHome, audio.PromptLocked} {
		if err := p.Play(t.Context(), id); err != nil {
			t.Fatal(err)
		}
	}
	wait(t, p)
	if got := streams(t); len(got) != 0 {
		t.Fatalf("muted player opened %d streams", len(got))
	}
	p.SetMuted(false)
	if err := p.Play(t.Context(), audio.PromptVoiceOn); err != nil {
		t.Fatal(err)
	}
	wait(t, p)
	if got := streams(t); len(got) != 1 {
		t.Fatalf("%d streams after unmute, want 1", len(got))
	}
}

// A volume change is heard from the next buffer on, mid-prompt.
func TestVolumeChangesMidPrompt(t *testing.T) {
	p := newTestPlayer(t)
	var calls atomic.Int32
	p.afterWrite = func(<-chan struct{}) {
		if calls.Add(1) == 2 {
			p.SetVolume(0)
		}
	}
	if err := p.Play(t.Context(), audio.PromptSMSSent); err != nil {
		t.Fatal(err)
	}
	wait(t, p)
	got := streams(t)
	if len(got) != 1 {
		t.Fatalf("%d streams", len(got))
	}
	full := load(t, audio.PromptSMSSent, 1)
	split := 2 * p.cfg.FramesPerBuffer
	if len(got[0].Samples) != len(full.Samples) || firstDiff(got[0].Samples[:split], full.Samples[:split]) >= 0 {
		t.Fatal("the first two buffers are not the prompt at full volume")
	}
	for i, s := range got[0].Samples[split:] {
		if s != 0 {
			t.Fatalf("sample %d is %d after volume 0", split+i, s)
		}
	}
}

func TestDevices(t *testing.T) {
	names, err := Devices()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(names, "default") || !slices.Contains(names, "kiosk_spare") {
		t.Fatalf("Devices = %q", names)
	}
	if streamsBroken != "" {
		t.Skip(streamsBroken) // Check opens the device too
	}
	p, err := New(Config{Device: "kiosk_spare"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.Name() != "portaudio: kiosk_spare" || p.Simulated() {
		t.Errorf("Name %q, Simulated %v", p.Name(), p.Simulated())
	}
	if err := p.Check(t.Context()); err != nil {
		t.Errorf("Check: %v", err)
	}
	if _, err := New(Config{Device: "no such speaker"}); !errors.Is(err, ErrNoDevice) {
		t.Errorf("New on a missing device = %v, want ErrNoDevice", err)
	}
}

func TestPlayReturnsBeforeTheSoundEnds(t *testing.T) {
	p := newTestPlayer(t)
	started := blockAfterFirstWrite(p)
	// The first buffer blocks until interrupted, so Play returning at all
	// shows it does not wait for the sound.
	if err := p.Play(context.Background(), audio.PromptHome); err != nil {
		t.Fatal(err)
	}
	<-started
	p.Stop()
}

func TestRedirectStderr(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "noise"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = redirectStderr(f, func() error {
		_, err := unix.Write(2, []byte("jack: cannot connect\n")) // as C code would
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(f.Name())
	if string(b) != "jack: cannot connect\n" {
		t.Errorf("sink got %q", b)
	}
	// fd 2 is back: it is no longer the sink file.
	var st2, stf unix.Stat_t
	if err := unix.Fstat(2, &st2); err != nil {
		t.Fatal(err)
	}
	if err := unix.Fstat(int(f.Fd()), &stf); err != nil {
		t.Fatal(err)
	}
	if st2.Ino == stf.Ino && st2.Dev == stf.Dev {
		t.Error("fd 2 still points at the sink")
	}
}

// BenchmarkPlayStart is what a screen's tea.Cmd waits for: cutting off the
// current prompt and opening a stream for the next (on the file device,
// which does not pace, so the sound itself costs almost nothing).
func BenchmarkPlayStart(b *testing.B) {
	if streamsBroken != "" {
		b.Skip(streamsBroken)
	}
	p, err := New(Config{Device: "kiosk_spare"}) // truncates: one file, not b.N
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	for b.Loop() {
		if err := p.Play(ctx, audio.PromptSMSSent); err != nil {
			b.Fatal(err)
		}
	}
}

// A device that refuses the prompts' format is offered its own rate, then stereo.
func TestFormatsFallBack(t *testing.T) {
	tests := []struct {
		name string
		dev  pa.DeviceInfo
		want []format
	}{
		{"48k stereo card", pa.DeviceInfo{DefaultSampleRate: 48000, MaxOutputChannels: 2},
			[]format{{16000, 1}, {48000, 1}, {16000, 2}, {48000, 2}}},
		{"16k mono only", pa.DeviceInfo{DefaultSampleRate: 16000, MaxOutputChannels: 1},
			[]format{{16000, 1}}},
		{"unknown rate", pa.DeviceInfo{MaxOutputChannels: 8},
			[]format{{16000, 1}, {16000, 2}}},
	}
	for _, tt := range tests {
		if got := formats(&tt.dev, 16000, 1); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
