package widget

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// tiny is a 2×2 picture: white/red over black/blue.
func tiny() image.Image {
	m := image.NewRGBA(image.Rect(0, 0, 2, 2))
	m.Set(0, 0, color.RGBA{255, 255, 255, 255})
	m.Set(1, 0, color.RGBA{255, 0, 0, 255})
	m.Set(0, 1, color.RGBA{0, 0, 0, 255})
	m.Set(1, 1, color.RGBA{0, 0, 255, 255})
	return m
}

func TestHalfBlockExact(t *testing.T) {
	tests := []struct {
		name string
		p    termenv.Profile
		want string
	}{
		// white+black averages to mid grey; red+blue is darker.
		{"ascii", termenv.Ascii, "▒░"},
		{"truecolor", termenv.TrueColor,
			"\x1b[38;2;255;255;255m\x1b[48;2;0;0;0m▀\x1b[38;2;255;0;0m\x1b[48;2;0;0;255m▀\x1b[0m"},
		{"ansi256", termenv.ANSI256,
			"\x1b[38;5;231m\x1b[48;5;16m▀\x1b[38;5;196m\x1b[48;5;21m▀\x1b[0m"},
		{"ansi", termenv.ANSI, "\x1b[97m\x1b[40m▀\x1b[91m\x1b[104m▀\x1b[0m"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := HalfBlockProfile(tiny(), 2, 1, tc.p); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestHalfBlockUsesActiveProfile(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	if got := HalfBlock(tiny(), 2, 1); got != "▒░" {
		t.Errorf("got %q", got)
	}
}

func TestHalfBlockSkipsRepeatedColours(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 40, 40)) // all black
	out := HalfBlockProfile(m, 4, 2, termenv.TrueColor)
	want := "\x1b[38;2;0;0;0m\x1b[48;2;0;0;0m▀▀▀▀\x1b[0m"
	if out != want+"\n"+want {
		t.Errorf("got %q", out)
	}
}

func TestHalfBlockSizeAndEmpty(t *testing.T) {
	m := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
	out := HalfBlockProfile(m, 60, 20, termenv.Ascii)
	lines := strings.Split(out, "\n")
	if len(lines) != 20 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		if lipgloss.Width(l) != 60 {
			t.Fatalf("width %d", lipgloss.Width(l))
		}
	}
	for _, tc := range []struct {
		img        image.Image
		cols, rows int
	}{{nil, 2, 1}, {tiny(), 0, 1}, {tiny(), 2, 0}, {image.NewRGBA(image.Rect(0, 0, 0, 0)), 2, 1}} {
		if got := HalfBlockProfile(tc.img, tc.cols, tc.rows, termenv.TrueColor); got != "" {
			t.Errorf("want empty, got %q", got)
		}
	}
	// Upscaling a 2×2 picture to 4×2 cells repeats each pixel: white and
	// red on the first line, black and dark blue on the second.
	if got := HalfBlockProfile(tiny(), 4, 2, termenv.Ascii); got != "██░░\n    " {
		t.Errorf("upscale: %q", got)
	}
}

func TestDownscaleAverages(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 9, 9))
	for i := range m.Pix {
		if i%9 < 3 {
			m.Pix[i] = 255 // a white left third averages to dark grey
		}
	}
	px := Downscale(m, 1, 1)
	if px[0].R != 85 {
		t.Errorf("striped average %d", px[0].R)
	}
}

func TestFitCells(t *testing.T) {
	tests := []struct{ w, h, mc, mr, c, r int }{
		{640, 480, 60, 20, 53, 20},
		{640, 480, 40, 40, 40, 15},
		{100, 100, 10, 10, 10, 5},
		{0, 480, 60, 20, 0, 0},
	}
	for _, tc := range tests {
		c, r := FitCells(tc.w, tc.h, tc.mc, tc.mr)
		if c != tc.c || r != tc.r {
			t.Errorf("FitCells(%d,%d,%d,%d) = %d,%d want %d,%d", tc.w, tc.h, tc.mc, tc.mr, c, r, tc.c, tc.r)
		}
	}
}

// BenchmarkHalfBlock640x480 draws a JPEG-shaped 640×480 frame into a
// 60×20-cell box in true colour.
func BenchmarkHalfBlock640x480(b *testing.B) {
	m := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
	for i := range m.Y {
		m.Y[i] = uint8(i * 7)
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = uint8(i*3), uint8(i*5)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = HalfBlockProfile(m, 60, 20, termenv.TrueColor)
	}
}

// FuzzHalfBlock: any picture and box size gives exactly rows lines of cols
// cells (ASCII) or nothing, never a panic; colour output has the same shape.
func FuzzHalfBlock(f *testing.F) {
	f.Add(640, 480, 60, 20, uint8(7))
	f.Add(1, 1, 1, 1, uint8(0))
	f.Add(3, 500, 80, 2, uint8(255))
	f.Add(0, 10, 5, 5, uint8(1))
	f.Fuzz(func(t *testing.T, w, h, cols, rows int, seed uint8) {
		if w < 0 || h < 0 || w > 700 || h > 700 || cols > 200 || rows > 100 {
			return // outside any terminal or camera size: not an interesting input
		}
		m := image.NewRGBA(image.Rect(0, 0, w, h))
		for i := range m.Pix {
			m.Pix[i] = seed + uint8(i*31)
		}
		out := HalfBlockProfile(m, cols, rows, termenv.Ascii)
		if w == 0 || h == 0 || cols <= 0 || rows <= 0 {
			if out != "" {
				t.Fatalf("want nothing, got %q", out)
			}
			return
		}
		lines := strings.Split(out, "\n")
		if len(lines) != rows {
			t.Fatalf("%d lines, want %d", len(lines), rows)
		}
		for _, l := range lines {
			if lipgloss.Width(l) != cols {
				t.Fatalf("line width %d, want %d", lipgloss.Width(l), cols)
			}
		}
		col := strings.Split(HalfBlockProfile(m, cols, rows, termenv.ANSI256), "\n")
		if len(col) != rows || strings.Count(col[0], "▀") != cols {
			t.Fatalf("colour shape: %d lines, %d cells", len(col), strings.Count(col[0], "▀"))
		}
	})
}
