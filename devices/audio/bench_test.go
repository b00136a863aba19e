package audio

import (
	"testing"

	"kiosk/assets"
)

// BenchmarkDecodeWAV decodes the longest Mandarin prompt (home), as the
// first Play of a prompt does.
func BenchmarkDecodeWAV(b *testing.B) {
	wav, err := assets.Voice.ReadFile("voice/home.wav")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(wav)))
	for b.Loop() {
		if _, err := DecodeWAV(wav); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScale is the per-buffer volume work of an adapter (512 frames).
func BenchmarkScale(b *testing.B) {
	src := make([]int16, 512)
	for i := range src {
		src[i] = int16(i * 61)
	}
	dst := make([]int16, len(src))
	for b.Loop() {
		Scale(dst, src, 0.7)
	}
}
