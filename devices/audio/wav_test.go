package audio

import (
	"encoding/binary"
	"errors"
	"slices"
	"testing"
	"time"
)

// extensible rewrites a canonical WAV's fmt chunk as WAVE_FORMAT_EXTENSIBLE.
func extensible(c Clip) []byte {
	b := EncodeWAV(c)
	f := make([]byte, 40)
	copy(f, b[20:36])
	binary.LittleEndian.PutUint16(f[0:], wavFormatExtensible)
	binary.LittleEndian.PutUint16(f[16:], 22) // cbSize
	binary.LittleEndian.PutUint16(f[18:], 16) // valid bits
	binary.LittleEndian.PutUint16(f[24:], wavFormatPCM)
	out := append([]byte("RIFF\x00\x00\x00\x00WAVEfmt \x28\x00\x00\x00"), f...)
	return append(out, b[36:]...)
}

// withChunk inserts an odd-sized unknown chunk (plus pad byte) before fmt.
func withChunk(b []byte) []byte {
	out := append([]byte(nil), b[:12]...)
	out = append(out, "LIST\x03\x00\x00\x00abc\x00"...)
	return append(out, b[12:]...)
}

func TestDecodeWAV(t *testing.T) {
	mono := Clip{Rate: 16000, Channels: 1, Samples: []int16{0, 1, -1, 32767, -32768}}
	stereo := Clip{Rate: 44100, Channels: 2, Samples: []int16{1, 2, 3, 4}}
	long := EncodeWAV(mono)
	binary.LittleEndian.PutUint32(long[40:], 0x7fffffff) // streaming writer never fixed the size
	odd := EncodeWAV(stereo)[:44+6]                      // one and a half frames
	binary.LittleEndian.PutUint32(odd[40:], 6)
	bits8 := EncodeWAV(mono)
	binary.LittleEndian.PutUint16(bits8[34:], 8)
	float := EncodeWAV(mono)
	binary.LittleEndian.PutUint16(float[20:], 3)
	six := EncodeWAV(mono)
	binary.LittleEndian.PutUint16(six[22:], 6)
	zeroRate := EncodeWAV(mono)
	binary.LittleEndian.PutUint32(zeroRate[24:], 0)
	dataFirst := append([]byte("RIFF\x00\x00\x00\x00WAVEdata\x00\x00\x00\x00"), EncodeWAV(mono)[12:]...)

	tests := []struct {
		name string
		in   []byte
		want Clip
		err  bool
	}{
		{"mono", EncodeWAV(mono), mono, false},
		{"stereo", EncodeWAV(stereo), stereo, false},
		{"extensible", extensible(stereo), stereo, false},
		{"unknown odd chunk", withChunk(EncodeWAV(mono)), mono, false},
		{"oversized data", long, mono, false},
		{"partial frame dropped", odd, Clip{Rate: 44100, Channels: 2, Samples: []int16{1, 2}}, false},
		{"empty", nil, Clip{}, true},
		{"not riff", []byte("RIFX\x00\x00\x00\x00WAVE"), Clip{}, true},
		{"no data", EncodeWAV(mono)[:36], Clip{}, true},
		{"short fmt", EncodeWAV(mono)[:30], Clip{}, true},
		{"8-bit", bits8, Clip{}, true},
		{"float", float, Clip{}, true},
		{"6 channels", six, Clip{}, true},
		{"zero rate", zeroRate, Clip{}, true},
		{"data before fmt", dataFirst, Clip{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeWAV(tt.in)
			if tt.err {
				if !errors.Is(err, ErrBadWAV) {
					t.Fatalf("err = %v, want ErrBadWAV", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Rate != tt.want.Rate || got.Channels != tt.want.Channels || !slices.Equal(got.Samples, tt.want.Samples) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestClipDuration(t *testing.T) {
	c := Clip{Rate: 16000, Channels: 2, Samples: make([]int16, 32000)}
	if c.Frames() != 16000 || c.Duration() != time.Second {
		t.Errorf("frames %d, duration %v", c.Frames(), c.Duration())
	}
	if (Clip{}).Duration() != 0 || (Clip{}).Frames() != 0 {
		t.Error("zero clip has length")
	}
}

func TestScale(t *testing.T) {
	src := []int16{0, 1, -1, 3, -3, 32767, -32768, 1000}
	tests := []struct {
		gain float64
		want []int16
	}{
		{1, src},
		{2, src}, // clamped
		{0, make([]int16, len(src))},
		{-1, make([]int16, len(src))},
		{0.5, []int16{0, 1, -1, 2, -2, 16384, -16384, 500}}, // round half away from zero
		{0.25, []int16{0, 0, 0, 1, -1, 8192, -8192, 250}},
	}
	for _, tt := range tests {
		dst := make([]int16, len(src)+2)
		dst[len(src)] = 7
		Scale(dst, src, tt.gain)
		if !slices.Equal(dst[:len(src)], tt.want) || dst[len(src)] != 7 {
			t.Errorf("gain %v: got %v, want %v", tt.gain, dst, tt.want)
		}
	}
}

func TestClampVolume(t *testing.T) {
	nan := 0.0
	nan /= nan
	for in, want := range map[float64]float64{-0.5: 0, 0: 0, 0.3: 0.3, 1: 1, 7: 1, nan: 0} {
		if got := ClampVolume(in); got != want {
			t.Errorf("ClampVolume(%v) = %v, want %v", in, got, want)
		}
	}
}

func FuzzDecodeWAV(f *testing.F) {
	f.Add(EncodeWAV(Clip{Rate: 16000, Channels: 1, Samples: []int16{1, -2, 3}}))
	f.Add(extensible(Clip{Rate: 8000, Channels: 2, Samples: []int16{5, 6}}))
	f.Add(withChunk(EncodeWAV(Clip{Rate: 22050, Channels: 1})))
	f.Add([]byte("RIFF\xff\xff\xff\xffWAVEfmt \xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeWAV(b)
		if err != nil {
			if !errors.Is(err, ErrBadWAV) {
				t.Fatalf("error %v does not wrap ErrBadWAV", err)
			}
			return
		}
		if c.Channels < 1 || c.Channels > 2 || c.Rate <= 0 || len(c.Samples)%c.Channels != 0 || 2*len(c.Samples) > len(b) {
			t.Fatalf("implausible clip: %d Hz × %d ch, %d samples from %d bytes", c.Rate, c.Channels, len(c.Samples), len(b))
		}
		// What decodes re-encodes to the same audio.
		again, err := DecodeWAV(EncodeWAV(c))
		if err != nil || again.Rate != c.Rate || again.Channels != c.Channels || !slices.Equal(again.Samples, c.Samples) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func TestConvert(t *testing.T) {
	mono := Clip{Rate: 8000, Channels: 1, Samples: []int16{0, 100, 200, 300}}
	tests := []struct {
		name          string
		in            Clip
		rate, ch      int
		want          []int16
		wantRate, wCh int
	}{
		{"same", mono, 8000, 1, mono.Samples, 8000, 1},
		{"to stereo", mono, 8000, 2, []int16{0, 0, 100, 100, 200, 200, 300, 300}, 8000, 2},
		{"to mono", Clip{Rate: 8000, Channels: 2, Samples: []int16{10, 20, -5, -7}}, 8000, 1, []int16{15, -6}, 8000, 1},
		{"upsample", mono, 16000, 1, []int16{0, 50, 100, 150, 200, 250, 300, 300}, 16000, 1},
		{"downsample", mono, 4000, 1, []int16{0, 200}, 4000, 1},
		{"both", mono, 16000, 2, []int16{0, 0, 50, 50, 100, 100, 150, 150, 200, 200, 250, 250, 300, 300, 300, 300}, 16000, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Convert(tt.in, tt.rate, tt.ch)
			if got.Rate != tt.wantRate || got.Channels != tt.wCh || !slices.Equal(got.Samples, tt.want) {
				t.Errorf("got %+v, want %v at %d × %d", got, tt.want, tt.wantRate, tt.wCh)
			}
		})
	}
	if mono.Samples[1] != 100 {
		t.Error("Convert changed its input")
	}
}
