package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// Clip is decoded PCM16 audio, interleaved when Channels > 1. Clips returned
// by Load are shared: treat Samples as read-only.
type Clip struct {
	Rate     int // frames per second
	Channels int // 1 or 2
	Samples  []int16
}

// Frames is the number of sample frames (samples per channel).
func (c Clip) Frames() int {
	if c.Channels <= 0 {
		return 0
	}
	return len(c.Samples) / c.Channels
}

// Duration is how long the clip plays.
func (c Clip) Duration() time.Duration {
	if c.Rate <= 0 {
		return 0
	}
	return time.Duration(c.Frames()) * time.Second / time.Duration(c.Rate)
}

// ErrBadWAV is wrapped by every DecodeWAV error.
var ErrBadWAV = errors.New("audio: bad WAV")

const (
	wavFormatPCM        = 1
	wavFormatExtensible = 0xFFFE
	maxRate             = 384000
)

// DecodeWAV reads a RIFF/WAVE file holding 16-bit integer PCM, mono or
// stereo (plain or WAVE_FORMAT_EXTENSIBLE). Unknown chunks are skipped. A
// data chunk whose declared size runs past the end of the file (as streaming
// writers leave it) is read up to the last whole frame.
func DecodeWAV(b []byte) (Clip, error) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return Clip{}, fmt.Errorf("%w: not RIFF/WAVE", ErrBadWAV)
	}
	var (
		c      Clip
		gotFmt bool
	)
	for rest := b[12:]; ; {
		if len(rest) < 8 {
			return Clip{}, fmt.Errorf("%w: no data chunk", ErrBadWAV)
		}
		id, size := string(rest[0:4]), uint64(binary.LittleEndian.Uint32(rest[4:8]))
		rest = rest[8:]
		switch id {
		case "fmt ":
			if size > uint64(len(rest)) {
				return Clip{}, fmt.Errorf("%w: short fmt chunk", ErrBadWAV)
			}
			var err error
			if c, err = parseFmt(rest[:size]); err != nil {
				return Clip{}, err
			}
			gotFmt = true
		case "data":
			if !gotFmt {
				return Clip{}, fmt.Errorf("%w: data before fmt", ErrBadWAV)
			}
			n := min(size, uint64(len(rest)))
			n -= n % uint64(2*c.Channels)
			c.Samples = make([]int16, n/2)
			for i := range c.Samples {
				c.Samples[i] = int16(binary.LittleEndian.Uint16(rest[2*i:]))
			}
			return c, nil
		}
		size += size & 1 // chunks are word-aligned
		if size > uint64(len(rest)) {
			return Clip{}, fmt.Errorf("%w: chunk %q runs past the end", ErrBadWAV, id)
		}
		rest = rest[size:]
	}
}

func parseFmt(f []byte) (Clip, error) {
	if len(f) < 16 {
		return Clip{}, fmt.Errorf("%w: short fmt chunk", ErrBadWAV)
	}
	format := binary.LittleEndian.Uint16(f[0:2])
	channels := int(binary.LittleEndian.Uint16(f[2:4]))
	rate := int(binary.LittleEndian.Uint32(f[4:8]))
	bits := binary.LittleEndian.Uint16(f[14:16])
	if format == wavFormatExtensible {
		// cbSize(2) validBits(2) channelMask(4) subformat GUID: its first two
		// bytes carry the real format code.
		if len(f) < 26 {
			return Clip{}, fmt.Errorf("%w: short extensible fmt", ErrBadWAV)
		}
		format = binary.LittleEndian.Uint16(f[24:26])
	}
	switch {
	case format != wavFormatPCM:
		return Clip{}, fmt.Errorf("%w: format %#x is not integer PCM", ErrBadWAV, format)
	case bits != 16:
		return Clip{}, fmt.Errorf("%w: %d-bit samples, want 16", ErrBadWAV, bits)
	case channels != 1 && channels != 2:
		return Clip{}, fmt.Errorf("%w: %d channels, want 1 or 2", ErrBadWAV, channels)
	case rate <= 0 || rate > maxRate:
		return Clip{}, fmt.Errorf("%w: sample rate %d", ErrBadWAV, rate)
	}
	return Clip{Rate: rate, Channels: channels}, nil
}

// EncodeWAV writes c as a canonical 44-byte-header PCM16 WAV (tests, tools).
func EncodeWAV(c Clip) []byte {
	data := 2 * len(c.Samples)
	b := make([]byte, 44+data)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+data))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], wavFormatPCM)
	binary.LittleEndian.PutUint16(b[22:], uint16(c.Channels))
	binary.LittleEndian.PutUint32(b[24:], uint32(c.Rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(c.Rate*c.Channels*2))
	binary.LittleEndian.PutUint16(b[32:], uint16(c.Channels*2))
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(data))
	for i, s := range c.Samples {
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(s))
	}
	return b
}

// Scale writes src·gain into dst (len(dst) >= len(src)), rounding to nearest;
// gain is clamped to 0..1, so the result always fits. Adapters call it per buffer so a
// volume change is heard at once.
func Scale(dst, src []int16, gain float64) {
	gain = ClampVolume(gain)
	switch gain {
	case 1:
		copy(dst, src)
		return
	case 0:
		clear(dst[:len(src)])
		return
	}
	for i, s := range src {
		dst[i] = int16(math.Round(float64(s) * gain))
	}
}

// Convert returns c at another rate (linear interpolation) and channel count
// (mono is duplicated to stereo; stereo is averaged to mono), for output
// devices that cannot take the prompts' own format. c itself is not changed.
func Convert(c Clip, rate, channels int) Clip {
	if c.Channels != channels {
		c = remix(c, channels)
	}
	if c.Rate == rate || c.Rate <= 0 || rate <= 0 {
		return c
	}
	in := c.Frames()
	out := int(int64(in) * int64(rate) / int64(c.Rate))
	r := Clip{Rate: rate, Channels: c.Channels, Samples: make([]int16, out*c.Channels)}
	step := float64(c.Rate) / float64(rate)
	for f := range out {
		pos := float64(f) * step
		i := int(pos)
		frac := pos - float64(i)
		for ch := range c.Channels {
			a := float64(c.Samples[i*c.Channels+ch])
			b := a
			if i+1 < in {
				b = float64(c.Samples[(i+1)*c.Channels+ch])
			}
			r.Samples[f*c.Channels+ch] = int16(math.Round(a + (b-a)*frac))
		}
	}
	return r
}

func remix(c Clip, channels int) Clip {
	frames := c.Frames()
	r := Clip{Rate: c.Rate, Channels: channels, Samples: make([]int16, frames*channels)}
	for f := range frames {
		sum := 0
		for ch := range c.Channels {
			sum += int(c.Samples[f*c.Channels+ch])
		}
		v := int16(sum / c.Channels)
		for ch := range channels {
			r.Samples[f*channels+ch] = v
		}
	}
	return r
}
