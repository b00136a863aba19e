package captcha

import (
	"bytes"
	"image"
	"math"
	"strings"
	"testing"
	"time"

	"kiosk/model/clocktest"
)

// clean is Draw's layout and distortion without curves and dots; it uses
// the random stream in the same order, so its text is the text of Draw.
var clean = noise{jitter: 1, wave: true}

func ink(img *image.Gray) int {
	n := 0
	for _, v := range img.Pix {
		if v < Threshold {
			n++
		}
	}
	return n
}

func TestDrawDeterministicPerSeed(t *testing.T) {
	a, b := Draw("7KXP", Width, Height, 42), Draw("7kxp", Width, Height, 42)
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Error("same text (any case), size and seed gave different pictures")
	}
	if c := Draw("7KXP", Width, Height, 43); bytes.Equal(a.Pix, c.Pix) {
		t.Error("another seed gave the same picture")
	}
	if d := Draw("7KXM", Width, Height, 42); bytes.Equal(a.Pix, d.Pix) {
		t.Error("another text gave the same picture")
	}
}

func TestDrawSizeClamped(t *testing.T) {
	tests := []struct{ w, h, wantW, wantH int }{
		{Width, Height, Width, Height},
		{0, 0, MinSize, MinSize},
		{-3, 30, MinSize, 30},
		{1 << 30, math.MaxInt, MaxWidth, MaxHeight},
		{100, 40, 100, 40},
	}
	for _, tc := range tests {
		img := Draw("ACE9M", tc.w, tc.h, 1)
		if got := img.Bounds(); got != image.Rect(0, 0, tc.wantW, tc.wantH) {
			t.Errorf("Draw(%d, %d) bounds %v, want %dx%d", tc.w, tc.h, got, tc.wantW, tc.wantH)
		}
	}
}

// Every character of the alphabet has an outline, so nothing the service
// issues is silently left out of the picture.
func TestAlphabetHasGlyphs(t *testing.T) {
	fc := loadFace()
	for _, r := range Alphabet {
		if g, ok := fc.glyphs[r]; !ok || len(g.segs) == 0 || g.w <= 0 {
			t.Errorf("no glyph for %q", r)
		}
	}
}

// Legibility proxies on the text alone: a reasonable amount of ink, every
// character present in its share of the width, and nothing cut off at the
// picture's edge.
func TestDrawTextLayout(t *testing.T) {
	texts := []string{"7KXP", "ACE9M", "WHYRT", "34679", "FNMPX", "MWMWM", "TTTT"}
	for seed := uint64(1); seed <= 20; seed++ {
		for _, txt := range texts {
			img := drawWith(txt, Width, Height, seed, clean)
			frac := float64(ink(img)) / float64(Width*Height)
			if frac < 0.10 || frac > 0.45 {
				t.Errorf("%s seed %d: ink %.2f of the picture", txt, seed, frac)
			}
			n := len(txt)
			for i := 0; i < n; i++ {
				sub := img.SubImage(image.Rect(Width*i/n, 0, Width*(i+1)/n, Height)).(*image.Gray)
				if ink(sub) == 0 {
					t.Errorf("%s seed %d: no ink in slice %d", txt, seed, i)
				}
			}
			for y := 0; y < Height; y++ {
				for _, x := range []int{0, Width - 1} {
					if img.GrayAt(x, y).Y < 90 { // a stroke, not speckle
						t.Errorf("%s seed %d: ink on the edge at (%d,%d)", txt, seed, x, y)
					}
				}
			}
		}
	}
}

// The noise adds ink-coloured pixels beyond the text (dots, curves) but
// leaves most of the picture paper.
func TestDrawNoise(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		plain := drawWith("HK3AW", Width, Height, seed, clean)
		noisy := Draw("HK3AW", Width, Height, seed)
		extra := 0
		for i := range noisy.Pix {
			if noisy.Pix[i] < 160 && plain.Pix[i] >= 160 {
				extra++
			}
		}
		if extra < Width*Height/40 {
			t.Errorf("seed %d: only %d noise pixels", seed, extra)
		}
		if frac := float64(ink(noisy)) / float64(Width*Height); frac > 0.5 {
			t.Errorf("seed %d: %.2f of the picture is ink", seed, frac)
		}
	}
}

func TestDrawEmptyAndForeignText(t *testing.T) {
	for _, txt := range []string{"", "中文", "\x00\xff", " ", strings.Repeat("A", 100)} {
		img := Draw(txt, Width, Height, 7)
		if img.Bounds().Dx() != Width || img.Bounds().Dy() != Height {
			t.Errorf("%q: bounds %v", txt, img.Bounds())
		}
	}
}

func TestIssueDrawsPicture(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	s1 := New(clk, func() string { return "7kxp" }, WithSeeds(Counter(1)))
	s2 := New(clk, func() string { return "7kxp" }, WithSeeds(Counter(1)))
	a, b := s1.Issue(), s2.Issue()
	if a.Image == nil || a.Image.Bounds() != image.Rect(0, 0, Width, Height) {
		t.Fatalf("picture %v", a.Image)
	}
	if !bytes.Equal(a.Image.Pix, b.Image.Pix) {
		t.Error("the same seed sequence gave different pictures")
	}
	if !bytes.Equal(a.Image.Pix, Draw("7KXP", Width, Height, 1).Pix) {
		t.Error("the picture is not Draw(text, Width, Height, seed)")
	}
	if c := s1.Issue(); bytes.Equal(a.Image.Pix, c.Image.Pix) {
		t.Error("a new challenge kept the old picture")
	}
	sized := New(clk, nil, WithSize(60, 30)).Issue()
	if sized.Image.Bounds() != image.Rect(0, 0, 60, 30) {
		t.Errorf("WithSize: %v", sized.Image.Bounds())
	}
	r1, r2 := New(clk, nil).Issue(), New(clk, nil).Issue()
	if bytes.Equal(r1.Image.Pix, r2.Image.Pix) {
		t.Error("default seeds repeat")
	}
}

// FuzzDraw: any text, size and seed gives a picture within the limits and
// never panics.
func FuzzDraw(f *testing.F) {
	f.Add("7KXP", Width, Height, uint64(1))
	f.Add("", 0, 0, uint64(0))
	f.Add("中文ÿ\x00", -1, 1<<20, uint64(99))
	f.Add(strings.Repeat("W", 40), 9, 9, uint64(3))
	f.Fuzz(func(t *testing.T, text string, w, h int, seed uint64) {
		img := Draw(text, w, h, seed)
		b := img.Bounds()
		if b.Min != (image.Point{}) || b.Dx() < MinSize || b.Dx() > MaxWidth || b.Dy() < MinSize || b.Dy() > MaxHeight {
			t.Fatalf("bounds %v for %dx%d", b, w, h)
		}
	})
}

// BenchmarkCaptchaGenerate is what a new challenge costs: text, id and
// picture (make bench).
func BenchmarkCaptchaGenerate(b *testing.B) {
	s := New(clocktest.New(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)), nil)
	b.ReportAllocs()
	for b.Loop() {
		c := s.Issue()
		s.Discard(c.ID)
	}
}

// Issue 10: glyphs large enough to read. Every character of the alphabet,
// drawn alone without jitter or wave, stands at least 70% of the picture's
// height (about 17 of 24 pixels: 8.5 rows of half blocks).
func TestGlyphsLarge(t *testing.T) {
	flat := noise{}
	for _, r := range Alphabet {
		for seed := uint64(1); seed <= 10; seed++ {
			img := drawWith(string(r), Width, Height, seed, flat)
			top, bot := Height, -1
			for i, v := range img.Pix {
				if v < Threshold {
					top, bot = min(top, i/Width), max(bot, i/Width)
				}
			}
			if h := bot - top + 1; float64(h) < 0.7*Height {
				t.Errorf("%q seed %d: %d pixels high", r, seed, h)
			}
		}
	}
}

// Issue 10: strokes clearly wider than the noise, and noise sparse next to
// the glyphs (yet present: a picture without it is an OCR exercise).
// Strokes: the mean horizontal run of glyph ink is at least 3 pixels.
// Noise: the ink Draw adds beyond the glyphs is at most a fifth of the
// glyphs' own ink in every picture, and at least 3% on average.
func TestStrokesOutweighNoise(t *testing.T) {
	texts := []string{"7KXP", "ACE9M", "WHYRT", "34679", "FNMPX", "MWMWM"}
	runs, runLen := 0, 0
	var shareSum float64
	n := 0
	for seed := uint64(1); seed <= 30; seed++ {
		for _, txt := range texts {
			plain := drawWith(txt, Width, Height, seed, clean)
			noisy := Draw(txt, Width, Height, seed)
			glyph, extra := 0, 0
			for i := range plain.Pix {
				switch {
				case plain.Pix[i] < Threshold:
					glyph++
				case noisy.Pix[i] < Threshold:
					extra++
				}
			}
			share := float64(extra) / float64(glyph)
			if share > 0.2 {
				t.Errorf("%s seed %d: noise ink %.2f of the glyphs'", txt, seed, share)
			}
			shareSum += share
			n++
			for y := 0; y < Height; y++ {
				run := 0
				for x := 0; x <= Width; x++ {
					if x < Width && plain.Pix[y*Width+x] < Threshold {
						run++
						continue
					}
					if run > 0 {
						runs++
						runLen += run
					}
					run = 0
				}
			}
		}
	}
	if mean := float64(runLen) / float64(runs); mean < 3 {
		t.Errorf("strokes %.2f pixels wide on average, want at least 3", mean)
	}
	if mean := shareSum / float64(n); mean < 0.03 {
		t.Errorf("noise %.3f of the glyphs' ink on average: too clean", mean)
	}
}

// Issue 10: few, thin noise curves. At most MaxCurves (two) cross the
// picture, each one pixel wide (its anti-aliasing spreads it over two
// pixels of a column at most), and at least one always does.
func TestNoiseCurvesFewAndThin(t *testing.T) {
	if MaxCurves > 2 {
		t.Fatalf("MaxCurves %d", MaxCurves)
	}
	for seed := uint64(1); seed <= 50; seed++ {
		img := drawWith("", Width, Height, seed, noise{curves: true})
		cols := 0
		for x := 0; x < Width; x++ {
			dark := 0
			for y := 0; y < Height; y++ {
				if img.Pix[y*Width+x] < 180 {
					dark++
				}
			}
			if dark > 2*MaxCurves {
				t.Errorf("seed %d: %d curve pixels in column %d", seed, dark, x)
			}
			if dark > 0 {
				cols++
			}
		}
		if cols < Width*3/4 {
			t.Errorf("seed %d: a curve in only %d of %d columns", seed, cols, Width)
		}
	}
}
