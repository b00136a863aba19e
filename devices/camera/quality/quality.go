// Package quality decides whether a camera frame is usable before it is
// captured as a document photo or sent for face verification: not too
// dark, not washed out, not blurred. Each problem comes with a hint for the
// screen (a catalog text).
//
// Brightness is the mean luma (BT.601, 0–255). Sharpness is the variance
// of the 4-neighbour Laplacian of the luma, a cheap and well-known focus
// measure: edges give large responses, a defocused image gives small ones.
// Both are measured on a box-averaged copy at most AnalysisWidth wide, so
// the cost is bounded and the numbers do not depend much on resolution.
package quality

import (
	"image"
	"image/color"

	"kiosk/model/i18n"
)

// AnalysisWidth bounds the working copy; 320 keeps a check under a
// millisecond or so on the kiosk while still seeing text edges.
const AnalysisWidth = 320

// minSide is the smallest frame worth judging; below it there is nothing.
const minSide = 8

// Problem says what is wrong with a frame.
type Problem int

const (
	Good      Problem = iota // usable
	NoImage                  // empty or tiny frame
	TooDark                  // mean luma below MinLuma
	TooBright                // mean luma above MaxLuma
	Blurry                   // Laplacian variance below MinSharpness
)

func (p Problem) String() string {
	switch p {
	case Good:
		return "good"
	case NoImage:
		return "no_image"
	case TooDark:
		return "too_dark"
	case TooBright:
		return "too_bright"
	case Blurry:
		return "blurry"
	}
	return "unknown"
}

// Hint is the sentence shown for a problem; the zero Text for Good.
func (p Problem) Hint() i18n.Text {
	switch p {
	case NoImage:
		return i18n.T("quality.no_image")
	case TooDark:
		return i18n.T("quality.too_dark")
	case TooBright:
		return i18n.T("quality.too_bright")
	case Blurry:
		return i18n.T("quality.blurry")
	}
	return i18n.Text{}
}

// Result is the verdict on one frame with the measures behind it.
type Result struct {
	Problem   Problem
	Luma      float64   // mean luma, 0–255
	Sharpness float64   // Laplacian variance of the working copy
	Hint      i18n.Text // Problem.Hint(), ready for the screen
}

// OK reports whether the frame is usable.
func (r Result) OK() bool { return r.Problem == Good }

// Thresholds are the limits a frame must respect.
type Thresholds struct {
	MinLuma      float64
	MaxLuma      float64
	MinSharpness float64
}

// Default suits a UVC webcam in a service hall. The sharpness bar is low on
// purpose: a document or face in focus gives well over a thousand, a
// defocused one around ten, and sensor noise alone can reach a few dozen; a
// false "blurry" on a good frame annoys more than a slightly soft photo.
var Default = Thresholds{MinLuma: 45, MaxLuma: 215, MinSharpness: 50}

// Check judges img with the Default thresholds.
func Check(img image.Image) Result { return Default.Check(img) }

// Check judges img. Darkness is tested first since a dark frame also looks
// blurred, then brightness, then focus. It never panics on odd images.
func (t Thresholds) Check(img image.Image) Result {
	if img == nil {
		return result(NoImage, 0, 0)
	}
	b := img.Bounds()
	if b.Dx() < minSide || b.Dy() < minSide {
		return result(NoImage, 0, 0)
	}
	g := lumaGrid(img)
	luma := g.mean()
	switch {
	case luma < t.MinLuma:
		return result(TooDark, luma, 0)
	case luma > t.MaxLuma:
		return result(TooBright, luma, 0)
	}
	sharp := g.laplacianVariance()
	if sharp < t.MinSharpness {
		return result(Blurry, luma, sharp)
	}
	return result(Good, luma, sharp)
}

func result(p Problem, luma, sharp float64) Result {
	return Result{Problem: p, Luma: luma, Sharpness: sharp, Hint: p.Hint()}
}

// grid is a luma plane of w×h float32 values.
type grid struct {
	w, h int
	v    []float32
}

func (g grid) mean() float64 {
	var sum float64
	for _, x := range g.v {
		sum += float64(x)
	}
	return sum / float64(len(g.v))
}

// laplacianVariance is the variance of v[x-1]+v[x+1]+v[y-1]+v[y+1]-4v over
// the interior of the grid.
func (g grid) laplacianVariance() float64 {
	if g.w < 3 || g.h < 3 {
		return 0
	}
	var sum, sq float64
	n := 0
	for y := 1; y < g.h-1; y++ {
		row := y * g.w
		for x := 1; x < g.w-1; x++ {
			i := row + x
			l := float64(g.v[i-1] + g.v[i+1] + g.v[i-g.w] + g.v[i+g.w] - 4*g.v[i])
			sum += l
			sq += l * l
			n++
		}
	}
	m := sum / float64(n)
	return sq/float64(n) - m*m
}

// lumaGrid box-averages img's luma into at most AnalysisWidth columns.
func lumaGrid(img image.Image) grid {
	b := img.Bounds()
	step := (b.Dx() + AnalysisWidth - 1) / AnalysisWidth
	// A very wide, short frame must still leave minSide rows to analyse.
	step = max(1, min(step, b.Dy()/minSide))
	w, h := b.Dx()/step, b.Dy()/step
	g := grid{w: w, h: h, v: make([]float32, w*h)}
	at := lumaFunc(img)
	inv := 1 / float32(step*step)
	for gy := range h {
		for gx := range w {
			var sum float32
			x0, y0 := b.Min.X+gx*step, b.Min.Y+gy*step
			for y := y0; y < y0+step; y++ {
				for x := x0; x < x0+step; x++ {
					sum += at(x, y)
				}
			}
			g.v[gy*w+gx] = sum * inv
		}
	}
	return g
}

// lumaFunc reads luma straight from the planes of the formats cameras and
// decoders produce, and through the colour model otherwise.
func lumaFunc(img image.Image) func(x, y int) float32 {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) float32 { return float32(m.Y[m.YOffset(x, y)]) }
	case *image.Gray:
		return func(x, y int) float32 { return float32(m.Pix[m.PixOffset(x, y)]) }
	case *image.RGBA:
		return func(x, y int) float32 {
			p := m.Pix[m.PixOffset(x, y):]
			return luma601(p[0], p[1], p[2])
		}
	case *image.NRGBA:
		return func(x, y int) float32 {
			p := m.Pix[m.PixOffset(x, y):]
			return luma601(p[0], p[1], p[2])
		}
	}
	return func(x, y int) float32 {
		return float32(color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y)
	}
}

func luma601(r, g, b uint8) float32 {
	return 0.299*float32(r) + 0.587*float32(g) + 0.114*float32(b)
}
