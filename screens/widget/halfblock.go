package widget

import (
	"image"
	"image/color"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// HalfBlock draws img as cols×rows terminal cells in the active lipgloss
// colour profile. Each cell is '▀' whose foreground is the upper pixel and
// whose background is the lower one, so the picture is cols×(2·rows) pixels.
func HalfBlock(img image.Image, cols, rows int) string {
	return HalfBlockProfile(img, cols, rows, lipgloss.ColorProfile())
}

// HalfBlockProfile is HalfBlock with an explicit profile (tests, goldens).
// Under termenv.Ascii there is no colour, so each cell becomes one character
// of the grey ramp "█▓▒░ " (bright to dark) from the mean of its two pixels.
// The escape sequences are written straight into one builder: a lipgloss
// style per cell would cost thousands of allocations per frame.
func HalfBlockProfile(img image.Image, cols, rows int, p termenv.Profile) string {
	if img == nil || cols <= 0 || rows <= 0 || img.Bounds().Empty() {
		return ""
	}
	return EncodeHalfBlock(Downscale(img, cols, rows*2), cols, rows, p)
}

// EncodeHalfBlock draws pixels already scaled to cols×(2·rows) (row-major,
// as Downscale returns them), so a caller can paint over them first (the
// face guide) without a second pass over the source image.
func EncodeHalfBlock(px []RGB, cols, rows int, p termenv.Profile) string {
	if cols <= 0 || rows <= 0 || len(px) < cols*rows*2 {
		return ""
	}
	var b strings.Builder
	if p == termenv.Ascii {
		b.Grow(rows * (cols*3 + 1))
		for y := 0; y < rows; y++ {
			if y > 0 {
				b.WriteByte('\n')
			}
			top, bot := px[2*y*cols:], px[(2*y+1)*cols:]
			for x := 0; x < cols; x++ {
				l := (luma(top[x]) + luma(bot[x])) / 2
				b.WriteString(greyRamp[(255-l)*len(greyRamp)/256])
			}
		}
		return b.String()
	}
	b.Grow(rows * (cols*24 + 8))
	for y := 0; y < rows; y++ {
		if y > 0 {
			b.WriteByte('\n')
		}
		top, bot := px[2*y*cols:], px[(2*y+1)*cols:]
		var lastFg, lastBg int32 = -1, -1
		for x := 0; x < cols; x++ {
			fg, bg := top[x], bot[x]
			switch p {
			case termenv.TrueColor:
				// Packed 24-bit keys let neighbouring equal colours skip the escape.
				if k := fg.key(); k != lastFg {
					lastFg = k
					b.WriteString("\x1b[38;2;")
					writeRGB(&b, fg)
				}
				if k := bg.key(); k != lastBg {
					lastBg = k
					b.WriteString("\x1b[48;2;")
					writeRGB(&b, bg)
				}
			case termenv.ANSI256:
				if k := int32(to256(fg)); k != lastFg {
					lastFg = k
					b.WriteString("\x1b[38;5;")
					b.WriteString(dec[k])
					b.WriteByte('m')
				}
				if k := int32(to256(bg)); k != lastBg {
					lastBg = k
					b.WriteString("\x1b[48;5;")
					b.WriteString(dec[k])
					b.WriteByte('m')
				}
			default: // termenv.ANSI: the 16 basic colours
				if k := int32(to16(fg)); k != lastFg {
					lastFg = k
					b.WriteString("\x1b[")
					b.WriteString(dec[ansi16Fg(int(k))])
					b.WriteByte('m')
				}
				if k := int32(to16(bg)); k != lastBg {
					lastBg = k
					b.WriteString("\x1b[")
					b.WriteString(dec[ansi16Fg(int(k))+10])
					b.WriteByte('m')
				}
			}
			b.WriteString("▀")
		}
		b.WriteString("\x1b[0m")
	}
	return b.String()
}

// greyRamp goes from bright to dark: on the kiosk's dark screen the ink of a
// character is the light part.
var greyRamp = [...]string{"█", "▓", "▒", "░", " "}

// RGB is one 8-bit pixel of a downscaled picture.
type RGB struct{ R, G, B uint8 }

func (c RGB) key() int32 { return int32(c.R)<<16 | int32(c.G)<<8 | int32(c.B) }

// luma is the Rec. 601 brightness in 0..255.
func luma(c RGB) int {
	return (299*int(c.R) + 587*int(c.G) + 114*int(c.B)) / 1000
}

// dec holds "0".."255" so writing a colour component never allocates.
var dec = func() (t [256]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

func writeRGB(b *strings.Builder, c RGB) {
	b.WriteString(dec[c.R])
	b.WriteByte(';')
	b.WriteString(dec[c.G])
	b.WriteByte(';')
	b.WriteString(dec[c.B])
	b.WriteByte('m')
}

// to256 maps a colour onto xterm's 6×6×6 cube or its grey ramp, whichever
// is closer.
func to256(c RGB) int {
	q := func(v uint8) int {
		if v < 48 {
			return 0
		}
		if v < 115 {
			return 1
		}
		return (int(v) - 35) / 40
	}
	levels := [6]int{0, 95, 135, 175, 215, 255}
	r, g, b := q(c.R), q(c.G), q(c.B)
	cube := 16 + 36*r + 6*g + b
	avg := (int(c.R) + int(c.G) + int(c.B)) / 3
	gi := 23
	if avg < 238 {
		gi = max(0, (avg-3)/10)
	}
	gv := 8 + 10*gi
	dCube := sq(int(c.R)-levels[r]) + sq(int(c.G)-levels[g]) + sq(int(c.B)-levels[b])
	dGrey := sq(int(c.R)-gv) + sq(int(c.G)-gv) + sq(int(c.B)-gv)
	if dGrey < dCube {
		return 232 + gi
	}
	return cube
}

func sq(v int) int { return v * v }

// to16 maps a colour onto the 16 ANSI colours (index 0..15, bit 0 red,
// bit 1 green, bit 2 blue, bit 3 bright).
func to16(c RGB) int {
	hi := max(c.R, c.G, c.B)
	th := hi / 2
	i := 0
	if c.R > th && c.R >= 64 {
		i |= 1
	}
	if c.G > th && c.G >= 64 {
		i |= 2
	}
	if c.B > th && c.B >= 64 {
		i |= 4
	}
	if hi >= 192 || (i == 0 && hi >= 96) {
		i |= 8
	}
	return i
}

// ansi16Fg is the SGR foreground code of a 16-colour index (+10 is the
// background).
func ansi16Fg(i int) int {
	if i >= 8 {
		return 90 + i - 8
	}
	return 30 + i
}

// Downscale resizes img to w×h pixels by averaging a small grid of samples
// inside each destination pixel: nearly as smooth as a full box filter on
// camera frames at a fraction of the cost. Common decoder outputs (YCbCr
// from JPEG, RGBA, NRGBA, Gray) are read without the per-pixel interface
// call and allocation of image.At.
func Downscale(img image.Image, w, h int) []RGB {
	out := make([]RGB, w*h)
	bnd := img.Bounds()
	sw, sh := bnd.Dx(), bnd.Dy()
	sample := pixelReader(img)
	// Up to 3×3 samples per destination pixel; fewer when the source is
	// not larger than the destination.
	kx := min(3, max(1, sw/w))
	ky := min(3, max(1, sh/h))
	for y := 0; y < h; y++ {
		y0 := bnd.Min.Y + y*sh/h
		y1 := bnd.Min.Y + (y+1)*sh/h
		if y1 <= y0 {
			y1 = y0 + 1
		}
		for x := 0; x < w; x++ {
			x0 := bnd.Min.X + x*sw/w
			x1 := bnd.Min.X + (x+1)*sw/w
			if x1 <= x0 {
				x1 = x0 + 1
			}
			var r, g, b, n int
			for j := 0; j < ky; j++ {
				sy := y0 + (2*j+1)*(y1-y0)/(2*ky)
				for i := 0; i < kx; i++ {
					sx := x0 + (2*i+1)*(x1-x0)/(2*kx)
					c := sample(sx, sy)
					r += int(c.R)
					g += int(c.G)
					b += int(c.B)
					n++
				}
			}
			out[y*w+x] = RGB{uint8(r / n), uint8(g / n), uint8(b / n)}
		}
	}
	return out
}

// pixelReader returns a fast reader for the image's concrete type.
func pixelReader(img image.Image) func(x, y int) RGB {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) RGB {
			yi, ci := m.YOffset(x, y), m.COffset(x, y)
			r, g, b := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
			return RGB{r, g, b}
		}
	case *image.RGBA:
		return func(x, y int) RGB {
			i := m.PixOffset(x, y)
			return RGB{m.Pix[i], m.Pix[i+1], m.Pix[i+2]}
		}
	case *image.NRGBA:
		return func(x, y int) RGB {
			i := m.PixOffset(x, y)
			return RGB{m.Pix[i], m.Pix[i+1], m.Pix[i+2]}
		}
	case *image.Gray:
		return func(x, y int) RGB {
			v := m.Pix[m.PixOffset(x, y)]
			return RGB{v, v, v}
		}
	default:
		return func(x, y int) RGB {
			r, g, b, _ := img.At(x, y).RGBA()
			return RGB{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
		}
	}
}

// FitCells returns the largest cell size inside maxCols×maxRows that keeps
// an imgW×imgH picture's aspect ratio, assuming a cell is twice as tall as
// it is wide (so one cell holds two square pixels).
func FitCells(imgW, imgH, maxCols, maxRows int) (cols, rows int) {
	if imgW <= 0 || imgH <= 0 || maxCols <= 0 || maxRows <= 0 {
		return 0, 0
	}
	cols = maxCols
	rows = cols * imgH / imgW / 2
	if rows > maxRows {
		rows = maxRows
		cols = rows * 2 * imgW / imgH
	}
	return max(cols, 1), max(rows, 1)
}
