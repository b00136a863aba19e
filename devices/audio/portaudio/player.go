package portaudio

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"

	pa "github.com/gordonklaus/portaudio"

	"kiosk/devices/audio"
)

// Config chooses the output device.
type Config struct {
	// Device is the output device's name as PortAudio lists it (see
	// Devices); "" means the host's default output.
	Device string
	// FramesPerBuffer is the write size; it bounds how late an interrupt is
	// heard. 0 means 512 (32 ms at 16 kHz).
	FramesPerBuffer int
	// Log receives playback failures, which happen after Play has returned;
	// nil discards them.
	Log *slog.Logger
}

// ErrNoDevice is wrapped when the configured output device is not there.
var ErrNoDevice = errors.New("portaudio: no such output device")

// Player implements audio.Player on a PortAudio output stream. Each prompt
// gets its own blocking stream, fed by one goroutine that checks for an
// interrupt between buffers; only that goroutine touches the stream.
type Player struct {
	cfg   Config
	gain  atomic.Uint64 // math.Float64bits of the 0..1 gain
	muted atomic.Bool

	mu     sync.Mutex // serialises Play, Stop and Close
	cur    *playback
	closed bool

	// afterWrite is a test seam called after each buffer with the playback's
	// stop channel: the null sink of the tests does not pace playback.
	afterWrite func(stop <-chan struct{})
}

// playback is one prompt on its way to the device.
type playback struct {
	stop chan struct{} // closed to interrupt
	done chan struct{} // closed when the stream is closed
	err  error         // set before done closes
}

var _ audio.Player = (*Player)(nil)

// New makes a player on cfg's device, initialising PortAudio (noise to
// /dev/null) if Init was not called. It fails if the device is missing.
func New(cfg Config) (*Player, error) {
	if err := Init(nil); err != nil {
		return nil, err
	}
	if cfg.FramesPerBuffer <= 0 {
		cfg.FramesPerBuffer = 512
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	p := &Player{cfg: cfg}
	p.SetVolume(audio.DefaultVolume)
	if _, err := p.device(); err != nil {
		return nil, err
	}
	return p, nil
}

// Devices lists the names of the output devices PortAudio sees, for
// configuration and `kiosk devices check`.
func Devices() ([]string, error) {
	if !ready() {
		return nil, ErrNotInitialized
	}
	devs, err := pa.Devices()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range devs {
		if d.MaxOutputChannels > 0 {
			names = append(names, d.Name)
		}
	}
	return names, nil
}

func (p *Player) device() (*pa.DeviceInfo, error) {
	if !ready() {
		return nil, ErrNotInitialized
	}
	if p.cfg.Device == "" {
		d, err := pa.DefaultOutputDevice()
		if err != nil {
			return nil, fmt.Errorf("%w: default output: %v", ErrNoDevice, err)
		}
		return d, nil
	}
	devs, err := pa.Devices()
	if err != nil {
		return nil, err
	}
	for _, d := range devs {
		if d.Name == p.cfg.Device && d.MaxOutputChannels > 0 {
			return d, nil
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrNoDevice, p.cfg.Device)
}

// Play cuts off the current prompt, opens a stream and starts the new one;
// it returns once the stream has started, not when the sound ends.
func (p *Player) Play(ctx context.Context, prompt string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	clip, err := audio.Load(prompt)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return audio.ErrClosed
	}
	p.stopLocked()
	if p.muted.Load() {
		return nil
	}
	if err := ctx.Err(); err != nil { // stopping may have taken a moment
		return err
	}
	s, buf, clip, err := p.open(clip)
	if err != nil {
		return err
	}
	pb := &playback{stop: make(chan struct{}), done: make(chan struct{})}
	p.cur = pb
	go p.run(s, buf, clip, pb)
	return nil
}

// format is a rate and channel count to offer a device.
type format struct{ rate, channels int }

// formats lists what to offer dev for audio of rate×channels, best first:
// the audio's own format, then the device's default rate, then stereo, for
// hardware (hw:…) devices that take only what their chip does.
func formats(dev *pa.DeviceInfo, rate, channels int) []format {
	out := []format{{rate, channels}}
	if r := int(dev.DefaultSampleRate); r > 0 && r != rate {
		out = append(out, format{r, channels})
	}
	if channels == 1 && dev.MaxOutputChannels >= 2 {
		for _, f := range out {
			out = append(out, format{f.rate, 2})
		}
	}
	return out
}

func streamParams(dev *pa.DeviceInfo, f format, frames int) pa.StreamParameters {
	params := pa.HighLatencyParameters(nil, dev)
	params.Output.Channels = f.channels
	params.SampleRate = float64(f.rate)
	params.FramesPerBuffer = frames
	return params
}

// open opens and starts a stream for clip, converted to the first format
// the device accepts. It returns the clip as it will be written.
func (p *Player) open(clip audio.Clip) (*pa.Stream, *[]int16, audio.Clip, error) {
	dev, err := p.device()
	if err != nil {
		return nil, nil, clip, err
	}
	var firstErr error
	for _, f := range formats(dev, clip.Rate, clip.Channels) {
		buf := make([]int16, p.cfg.FramesPerBuffer*f.channels)
		var s *pa.Stream
		err := quiet(func() error {
			var err error
			if s, err = pa.OpenStream(streamParams(dev, f, p.cfg.FramesPerBuffer), &buf); err != nil {
				return err
			}
			if err = s.Start(); err != nil {
				s.Close()
			}
			return err
		})
		if err == nil {
			return s, &buf, audio.Convert(clip, f.rate, f.channels), nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, nil, clip, fmt.Errorf("portaudio: open %q: %w", dev.Name, firstErr)
}

// run feeds clip to the started stream s through *buf, scaled by the gain
// in force for each buffer, until the clip ends or pb.stop closes.
func (p *Player) run(s *pa.Stream, buf *[]int16, clip audio.Clip, pb *playback) {
	defer close(pb.done)
	full := *buf
	interrupted := false
	for off := 0; off < len(clip.Samples) && !interrupted; off += len(full) {
		select {
		case <-pb.stop:
			interrupted = true
			continue
		default:
		}
		chunk := clip.Samples[off:min(off+len(full), len(clip.Samples))]
		*buf = full[:len(chunk)] // Write sends len(*buf)/channels frames
		audio.Scale(*buf, chunk, p.volume())
		if err := s.Write(); err != nil && !errors.Is(err, pa.OutputUnderflowed) {
			pb.err = fmt.Errorf("portaudio: write: %w", err)
			interrupted = true
		}
		if p.afterWrite != nil {
			p.afterWrite(pb.stop)
		}
	}
	var err error
	if interrupted {
		err = s.Abort() // drop what is queued: the interrupt is heard at once
	} else {
		err = s.Stop() // let the queued tail play out
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if pb.err == nil && err != nil {
		pb.err = fmt.Errorf("portaudio: close stream: %w", err)
	}
	if pb.err != nil {
		p.cfg.Log.Warn("voice prompt failed", "device", p.Name(), "err", pb.err)
	}
}

// stopLocked interrupts the current playback and waits until its stream is
// closed, so two streams never overlap. p.mu must be held.
func (p *Player) stopLocked() {
	if p.cur == nil {
		return
	}
	select {
	case <-p.cur.done:
	default:
		close(p.cur.stop)
		<-p.cur.done
	}
	p.cur = nil
}

// Wait blocks until the current prompt has finished or was cut off, and
// returns what went wrong with it, if anything.
func (p *Player) Wait(ctx context.Context) error {
	p.mu.Lock()
	pb := p.cur
	p.mu.Unlock()
	if pb == nil {
		return nil
	}
	select {
	case <-pb.done:
		return pb.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stop cuts off the current prompt.
func (p *Player) Stop() {
	p.mu.Lock()
	p.stopLocked()
	p.mu.Unlock()
}

// SetVolume sets the linear gain (clamped to 0..1), heard from the next buffer.
func (p *Player) SetVolume(v float64) { p.gain.Store(math.Float64bits(audio.ClampVolume(v))) }

func (p *Player) volume() float64 { return math.Float64frombits(p.gain.Load()) }

// SetMuted mutes, cutting off the current prompt, or unmutes.
func (p *Player) SetMuted(muted bool) {
	p.muted.Store(muted)
	if muted {
		p.Stop()
	}
}

// Muted reports the mute state.
func (p *Player) Muted() bool { return p.muted.Load() }

// Simulated is false: this adapter drives real speakers.
func (p *Player) Simulated() bool { return false }

// Name is "portaudio: <device>".
func (p *Player) Name() string {
	if p.cfg.Device == "" {
		return "portaudio: default output"
	}
	return "portaudio: " + p.cfg.Device
}

// Check reports whether the configured output device is there and takes
// the prompts' format (16 kHz mono, or a fallback open would use). While a
// prompt plays, the device has just answered and is not probed again (a
// hardware device may be busy).
func (p *Player) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return audio.ErrClosed
	}
	dev, err := p.device()
	if err != nil {
		return err
	}
	if p.cur != nil {
		select {
		case <-p.cur.done:
		default:
			return nil
		}
	}
	var firstErr error
	for _, f := range formats(dev, promptRate, 1) {
		params := streamParams(dev, f, p.cfg.FramesPerBuffer)
		err := quiet(func() error { return pa.IsFormatSupported(params, []int16{}) })
		if err == nil {
			return nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return fmt.Errorf("portaudio: %q refuses 16-bit output: %w", dev.Name, firstErr)
}

// promptRate is the rate generate.sh gives every prompt.
const promptRate = 16000

// Close stops playback; PortAudio itself stays up until Terminate.
func (p *Player) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopLocked()
	p.closed = true
	return nil
}
