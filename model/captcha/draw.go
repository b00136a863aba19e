package captcha

import (
	"image"
	"image/draw"
	"math"
	"math/rand/v2"
	"strings"
	"sync"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Default picture size in pixels. The screens show one pixel per terminal
// column and two per row (half blocks), so this is 64×12 cells: five
// characters about 11 pixels wide and 18 high (9 rows of half blocks),
// strokes of three pixels (Go Bold). Smaller glyphs were misread by about a
// third of the people who tried them (issue 10): strokes and curves merged
// once a terminal's cells were shared between a stroke and the noise.
const (
	Width  = 64
	Height = 24
)

// Size limits of Draw; larger or smaller requests are clamped.
const (
	MinSize   = 8
	MaxWidth  = 640
	MaxHeight = 320
	maxChars  = 16 // more would not fit any sane picture
)

// paper is the background grey; glyphs are inked at 10..40, the noise
// curves at 96..116: dark enough to survive a naive binarisation (a
// machine must still separate them), light and thin enough that a person
// tells them from the strokes.
const paper = 238

// Threshold is the grey level below which a pixel counts as ink, for
// renderers without shades (a monochrome terminal).
const Threshold = 128

// glyph is one character outline in font units with y pointing down,
// centred on its bounding box.
type glyph struct {
	segs []sfnt.Segment
	cx   float64 // bounding-box centre
	cy   float64
	w    float64 // bounding-box width
}

type face struct {
	glyphs map[rune]glyph
	cap    float64 // cap height of 'H', font units
}

// loadFace parses the embedded Go Bold once. At 18 pixels a bold sans
// face gives strokes of about three pixels with the counters of A, P, R,
// 9 still open: three times the width of a noise curve, which is what lets
// people (and a monochrome terminal) tell the two apart. Go Medium's
// two-pixel strokes were no wider than a curve's anti-aliased core, and the
// serifs of Go Mono turn into noise.
var loadFace = sync.OnceValue(func() *face {
	f, err := sfnt.Parse(gobold.TTF)
	if err != nil {
		panic("captcha: embedded font: " + err.Error())
	}
	var buf sfnt.Buffer
	ppem := fixed.Int26_6(f.UnitsPerEm()) << 6 // one unit per 26.6 pixel
	fc := &face{glyphs: map[rune]glyph{}}
	for r := rune('!'); r <= '~'; r++ {
		idx, err := f.GlyphIndex(&buf, r)
		if err != nil || idx == 0 {
			continue
		}
		segs, err := f.LoadGlyph(&buf, idx, ppem, nil)
		if err != nil || len(segs) == 0 {
			continue
		}
		segs = append([]sfnt.Segment(nil), segs...) // buf is reused
		x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, s := range segs {
			for _, p := range s.Args[:argCount(s.Op)] {
				x, y := unit(p.X), unit(p.Y)
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
		fc.glyphs[r] = glyph{segs: segs, cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, w: x1 - x0}
		if r == 'H' {
			fc.cap = y1 - y0
		}
	}
	if fc.cap == 0 {
		panic("captcha: embedded font lacks metrics")
	}
	return fc
})

func unit(v fixed.Int26_6) float64 { return float64(v) / 64 }

func argCount(op sfnt.SegmentOp) int {
	switch op {
	case sfnt.SegmentOpQuadTo:
		return 2
	case sfnt.SegmentOpCubeTo:
		return 3
	}
	return 1
}

// Draw renders text as a noisy grey picture of w×h pixels (clamped to
// MinSize..MaxWidth/MaxHeight). The same text (any case), size and seed
// always give the same picture. Characters the font lacks are skipped; at
// most 16 are drawn.
//
// The picture has to serve two readers with opposite needs, and the
// choices below are the balance found in issue 10:
//
//   - People read it on a terminal, one pixel per column and two per row,
//     in colour, in 16 colours or in monochrome. So the glyphs are large
//     (about three quarters of the height), come from a plain sans face
//     (Go Bold: strokes of about three pixels, open counters), are
//     spaced apart, and use only Alphabet, which leaves out look-alikes.
//     Ink is uniformly dark and the paper light, so that a monochrome
//     threshold (Threshold) keeps every stroke.
//   - A naive OCR tool (binarise, segment by connected components,
//     classify upright glyphs) must not read it outright. So each
//     character is scaled, sheared, rotated and shifted on its own, the
//     whole line is bent by a wave (no common baseline, no straight
//     stems), one or two thin curves cross the text below the threshold
//     (they join neighbouring characters into one component), and a few
//     single dark dots survive any threshold.
//
// The noise is kept thin and sparse on purpose: the curves are one pixel
// wide and lighter than the ink, so a person tells them from strokes at a
// glance, and noise never adds more than about a fifth of the glyphs' ink
// (the tests measure both). Heavier noise did little against a determined
// attacker (a captcha is a speed bump, the lock-out and SMS limits are the
// real guards) and cost every visitor dearly.
func Draw(text string, w, h int, seed uint64) *image.Gray {
	return drawWith(text, w, h, seed, defaultNoise)
}

// noise sets how much interference Draw adds; tests turn parts off.
type noise struct {
	curves bool
	dots   bool
	wave   bool
	jitter float64 // scales rotation, shear and offsets
}

var defaultNoise = noise{curves: true, dots: true, wave: true, jitter: 1}

// MaxCurves is the most interference curves a picture gets.
const MaxCurves = 2

func drawWith(text string, w, h int, seed uint64, nz noise) *image.Gray {
	w = min(max(w, MinSize), MaxWidth)
	h = min(max(h, MinSize), MaxHeight)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	img := image.NewGray(image.Rect(0, 0, w, h))
	fw, fh := float64(w), float64(h)

	// Paper with a light speckle: shades only, far above the threshold,
	// so it costs people nothing and blurs edges for a machine.
	for i := range img.Pix {
		v := paper - rng.IntN(14)
		if rng.IntN(16) == 0 {
			v = 190 + rng.IntN(30)
		}
		img.Pix[i] = uint8(v)
	}

	fc := loadFace()
	var runes []rune
	for _, r := range strings.ToUpper(text) {
		if _, ok := fc.glyphs[r]; ok && len(runes) < maxChars {
			runes = append(runes, r)
		}
	}
	wv := waveOf(rng, fw, fh)
	if !nz.wave {
		wv = wave{}
	}
	drawText(img, fc, runes, rng, nz, wv)

	// Interference: one curve, now and then two, crossing the text band,
	// one pixel wide and lighter than the ink; their cores still fall
	// below Threshold, so plain binarisation leaves them joined to the
	// strokes.
	cov := make([]uint8, w*h)
	curves := 1 + rng.IntN(MaxCurves)
	for c := 0; c < curves && nz.curves; c++ {
		drawCurve(img, rng, 96+rng.IntN(21), cov)
	}

	// A few single dark dots: they survive any threshold, so a binarising
	// OCR must filter them, while a person ignores a speck.
	dots := w * h / 90
	if !nz.dots {
		dots = 0
	}
	for d := 0; d < dots; d++ {
		img.Pix[rng.IntN(len(img.Pix))] = uint8(30 + rng.IntN(60))
	}
	return img
}

// drawText lays the characters out in proportion to their natural widths
// (an M needs more room than a 7), condensed as a whole if the line is too
// long, then draws each with its own scale, shear, rotation, offset and ink.
func drawText(img *image.Gray, fc *face, runes []rune, rng *rand.Rand, nz noise, wv wave) {
	if len(runes) == 0 {
		return
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	fw, fh := float64(w), float64(h)
	sys := make([]float64, len(runes))
	widths := make([]float64, len(runes))
	total := 0.0
	for i, r := range runes {
		sys[i] = fh * (0.72 + 0.06*rng.Float64()) / fc.cap
		// Wide letters (M, W) are condensed and narrow ones widened a
		// little, so that no character ends up a sliver.
		nat := min(max(fc.glyphs[r].w, 0.6*fc.cap), fc.cap)
		widths[i] = nat * sys[i] * (0.92 + 0.16*rng.Float64())
		total += widths[i]
	}
	gap := fh * 0.07 // keeps neighbours from fusing into one blob
	total += gap * float64(len(runes)-1)
	margin := fw * 0.04
	squeeze := min(1, (fw-2*margin)/total)
	// Condensing beyond three quarters clogs M and W (four strokes in a
	// dozen pixels): past that the glyphs get shorter too.
	if squeeze < 0.75 {
		for i := range sys {
			sys[i] *= squeeze / 0.75
		}
	}
	x := (fw - total*squeeze) / 2
	mask := image.NewAlpha(img.Rect)
	var z vector.Rasterizer
	for i, r := range runes {
		g := fc.glyphs[r]
		cw := widths[i] * squeeze
		t := transform{
			sx: cw / g.w, sy: sys[i],
			shear: (rng.Float64() - 0.5) * 0.2 * nz.jitter,
			angle: (rng.Float64() - 0.5) * 0.28 * nz.jitter, // about ±8°
			tx:    x + cw/2 + (rng.Float64()-0.5)*cw*0.2*nz.jitter,
			ty:    fh/2 + (rng.Float64()-0.5)*fh*0.12*nz.jitter,
			wave:  wv,
		}
		x += cw + gap*squeeze
		t.keepInside(g, fw, fh)
		clear(mask.Pix)
		z.Reset(w, h)
		z.DrawOp = draw.Src
		addGlyph(&z, g, t)
		z.Draw(mask, mask.Rect, image.Opaque, image.Point{})
		tone := 10 + rng.IntN(31)
		for p, a := range mask.Pix {
			if a != 0 {
				img.Pix[p] = blend(img.Pix[p], tone, int(a))
			}
		}
	}
}

// transform places one glyph: scale, shear, rotate about the glyph's
// centre, move to (tx, ty), then bend by the picture-wide wave.
type transform struct {
	sx, sy, shear, angle, tx, ty float64
	wave                         wave
}

func (t transform) apply(g glyph, p fixed.Point26_6) (float32, float32) {
	x := (unit(p.X) - g.cx) * t.sx
	y := (unit(p.Y) - g.cy) * t.sy
	x += t.shear * y
	sin, cos := math.Sincos(t.angle)
	x, y = x*cos-y*sin+t.tx, x*sin+y*cos+t.ty
	x, y = t.wave.bend(x, y)
	return float32(x), float32(y)
}

// keepInside moves the glyph so that its transformed outline stays inside
// the picture (rotation and the wave can push an edge character out).
func (t *transform) keepInside(g glyph, w, h float64) {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, s := range g.segs {
		for _, p := range s.Args[:argCount(s.Op)] {
			fx, fy := t.apply(g, p)
			x, y := float64(fx), float64(fy)
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
		}
	}
	t.tx += shiftInto(x0, x1, 0.5, w-0.5)
	t.ty += shiftInto(y0, y1, 0.5, h-0.5)
}

// shiftInto is how far to move [a, b] to lie within [lo, hi], centring it
// when it is too long.
func shiftInto(a, b, lo, hi float64) float64 {
	switch {
	case b-a > hi-lo:
		return (lo+hi)/2 - (a+b)/2
	case a < lo:
		return lo - a
	case b > hi:
		return hi - b
	}
	return 0
}

// wave displaces points sinusoidally so baselines and stems are not straight.
type wave struct{ ax, ay, kx, ky, px, py float64 }

func waveOf(rng *rand.Rand, w, h float64) wave {
	return wave{
		ax: h * 0.04, ay: h * (0.05 + 0.05*rng.Float64()),
		kx: 2 * math.Pi / (h * (1.5 + rng.Float64())),
		ky: 2 * math.Pi / (w * (0.5 + 0.5*rng.Float64())),
		px: rng.Float64() * 2 * math.Pi, py: rng.Float64() * 2 * math.Pi,
	}
}

func (v wave) bend(x, y float64) (float64, float64) {
	return x + v.ax*math.Sin(y*v.kx+v.px), y + v.ay*math.Sin(x*v.ky+v.py)
}

// addGlyph feeds the transformed outline to the rasterizer. Straight
// segments are split in three so that the wave bends long stems too.
func addGlyph(z *vector.Rasterizer, g glyph, t transform) {
	var last fixed.Point26_6
	for _, s := range g.segs {
		a := s.Args
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			z.MoveTo(t.apply(g, a[0]))
			last = a[0]
		case sfnt.SegmentOpLineTo:
			for k := 1; k <= 3; k++ {
				p := fixed.Point26_6{
					X: last.X + (a[0].X-last.X)*fixed.Int26_6(k)/3,
					Y: last.Y + (a[0].Y-last.Y)*fixed.Int26_6(k)/3,
				}
				z.LineTo(t.apply(g, p))
			}
			last = a[0]
		case sfnt.SegmentOpQuadTo:
			bx, by := t.apply(g, a[0])
			cx, cy := t.apply(g, a[1])
			z.QuadTo(bx, by, cx, cy)
			last = a[1]
		case sfnt.SegmentOpCubeTo:
			bx, by := t.apply(g, a[0])
			cx, cy := t.apply(g, a[1])
			dx, dy := t.apply(g, a[2])
			z.CubeTo(bx, by, cx, cy, dx, dy)
			last = a[2]
		}
	}
	z.ClosePath()
}

// drawCurve draws a one-pixel cubic Bézier from the left edge to the right
// edge through the text band, anti-aliased vertically. Coverage is
// collected first (the maximum per pixel) so that dense sampling does not
// thicken the line.
func drawCurve(img *image.Gray, rng *rand.Rand, tone int, cov []uint8) {
	iw, ih := img.Rect.Dx(), img.Rect.Dy()
	w, h := float64(iw), float64(ih)
	band := func() float64 { return h * (0.2 + 0.6*rng.Float64()) }
	x0, y0 := -1.0, band()
	x1, y1 := w*(0.2+0.2*rng.Float64()), h*rng.Float64()
	x2, y2 := w*(0.6+0.2*rng.Float64()), h*rng.Float64()
	x3, y3 := w+1, band()
	clear(cov)
	mark := func(x, y int, c float64) {
		if x >= 0 && y >= 0 && x < iw && y < ih {
			p := y*iw + x
			cov[p] = max(cov[p], uint8(c*255))
		}
	}
	steps := int(4 * (w + 2*h))
	for i := 0; i <= steps; i++ {
		t := float64(i) / float64(steps)
		u := 1 - t
		x := u*u*u*x0 + 3*u*u*t*x1 + 3*u*t*t*x2 + t*t*t*x3
		y := u*u*u*y0 + 3*u*u*t*y1 + 3*u*t*t*y2 + t*t*t*y3
		fy := math.Floor(y)
		frac := y - fy
		mark(int(math.Floor(x)), int(fy), 1-frac)
		mark(int(math.Floor(x)), int(fy)+1, frac)
	}
	for y := 0; y < ih; y++ {
		for x := 0; x < iw; x++ {
			if c := cov[y*iw+x]; c != 0 {
				p := y*img.Stride + x
				img.Pix[p] = blend(img.Pix[p], tone, int(c))
			}
		}
	}
}

// blend mixes grey v towards tone by alpha 0..255.
func blend(v uint8, tone, alpha int) uint8 {
	return uint8((int(v)*(255-alpha) + tone*alpha) / 255)
}
