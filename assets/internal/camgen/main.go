// Command camgen draws the sample frames of the replay camera
// (assets/camera/*.jpg): a synthetic document (white card with dark text
// lines and boxes), three frames of a synthetic face, and the unusable
// frames the quality check must reject (dark, overexposed, blurred). No
// photos: everything is drawn here, deterministically, so regenerating
// changes nothing unless this program changes.
//
//	go run ./assets/internal/camgen -out assets/camera   (from the module root)
//	go generate ./assets                                 (same, via assets/camera.go)
package main

import (
	"flag"
	"image"
	"image/color"
	"image/jpeg"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
)

const (
	width   = 320
	height  = 240
	quality = 85
)

func main() {
	out := flag.String("out", "assets/camera", "output folder")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	doc := document()
	frames := map[string]*image.RGBA{
		"document.jpg": noisy(doc, 1, 2),
		"face-1.jpg":   noisy(face(-4, 0), 2, 2),
		"face-2.jpg":   noisy(face(0, 1), 3, 2),
		"face-3.jpg":   noisy(face(4, 0), 4, 2),
		// Unusable frames: the scene is degraded first and sensor noise is
		// added after, as a real camera does.
		"dark.jpg":    noisy(mapLuma(doc, func(v float64) float64 { return v * 0.12 }), 5, 1),
		"bright.jpg":  noisy(mapLuma(doc, func(v float64) float64 { return 238 + v*0.07 }), 6, 1),
		"blurred.jpg": noisy(blur(blur(blur(doc, 4), 4), 4), 7, 2),
	}
	for name, img := range frames {
		if err := write(filepath.Join(*out, name), img); err != nil {
			log.Fatal(err)
		}
	}
}

func write(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: quality}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// document is an ID-card-like white card on a wooden desk.
func document() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	for y := range height {
		for x := range width {
			// Wood grain: slow horizontal stripes.
			g := uint8(96 + (x/3+y*7)%11)
			img.Set(x, y, color.RGBA{g + 30, g + 10, g - 20, 255})
		}
	}
	fill(img, 38, 33, 284, 213, color.RGBA{60, 50, 40, 255}) // shadow
	fill(img, 34, 28, 280, 208, color.RGBA{244, 244, 240, 255})
	fill(img, 34, 28, 280, 48, color.RGBA{40, 80, 160, 255}) // header band
	// Photo box with a frame line.
	fill(img, 206, 62, 266, 138, color.RGBA{30, 30, 30, 255})
	fill(img, 208, 64, 264, 136, color.RGBA{200, 210, 220, 255})
	ellipse(img, 236, 92, 14, 18, color.RGBA{120, 120, 130, 255})
	fill(img, 218, 114, 254, 136, color.RGBA{120, 120, 130, 255})
	// Text lines: a label column and a value column.
	lines := []int{150, 110, 160, 90, 130, 60}
	for i, n := range lines {
		y := 62 + i*20
		fill(img, 46, y, 78, y+8, color.RGBA{90, 90, 90, 255})
		fill(img, 86, y, 86+min(n, 112), y+8, color.RGBA{20, 20, 25, 255})
	}
	// Number boxes along the bottom, like the 18 digits of an ID number.
	for i := range 18 {
		x := 46 + i*12
		fill(img, x, 186, x+10, 200, color.RGBA{20, 20, 25, 255})
		fill(img, x+2, 188, x+8, 198, color.RGBA{244, 244, 240, 255})
	}
	ellipse(img, 180, 168, 12, 12, color.RGBA{200, 30, 30, 255}) // seal
	ellipse(img, 180, 168, 8, 8, color.RGBA{244, 244, 240, 255})
	return img
}

// face is a head and shoulders in front of a bookshelf, shifted by dx, dy.
func face(dx, dy int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	for y := range height {
		for x := range width {
			img.Set(x, y, color.RGBA{178, 182, 176, 255})
		}
	}
	// Bookshelf: coloured spines give the background some texture.
	spines := []color.RGBA{{150, 40, 40, 255}, {40, 90, 150, 255}, {200, 170, 60, 255}, {60, 120, 60, 255}}
	for x := 0; x < width; x += 9 {
		c := spines[(x/9)%len(spines)]
		top := 20 + (x*13)%17
		fill(img, x, top, x+7, 70, c)
		fill(img, x, 70, x+9, 74, color.RGBA{90, 60, 40, 255})
	}
	cx, cy := 160+dx, 112+dy
	skin := color.RGBA{226, 180, 150, 255}
	ellipse(img, cx, cy+140, 110, 60, color.RGBA{40, 50, 80, 255}) // shoulders
	fill(img, cx-18, cy+40, cx+18, cy+84, skin)                    // neck
	ellipse(img, cx, cy-30, 56, 40, color.RGBA{30, 25, 20, 255})   // hair
	ellipse(img, cx, cy, 48, 62, skin)                             // head
	ellipse(img, cx-50, cy+4, 8, 14, skin)                         // ears
	ellipse(img, cx+50, cy+4, 8, 14, skin)
	for _, ex := range []int{cx - 19, cx + 19} {
		fill(img, ex-12, cy-22, ex+12, cy-18, color.RGBA{50, 35, 25, 255}) // brow
		ellipse(img, ex, cy-6, 10, 6, color.RGBA{250, 250, 250, 255})
		ellipse(img, ex, cy-6, 4, 4, color.RGBA{40, 30, 25, 255})
	}
	fill(img, cx-3, cy, cx+3, cy+20, color.RGBA{200, 150, 122, 255}) // nose
	ellipse(img, cx, cy+34, 16, 5, color.RGBA{170, 70, 70, 255})     // mouth
	return img
}

func fill(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	r := image.Rect(x0, y0, x1, y1).Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

func ellipse(img *image.RGBA, cx, cy, rx, ry int, c color.RGBA) {
	for y := cy - ry; y <= cy+ry; y++ {
		for x := cx - rx; x <= cx+rx; x++ {
			fx, fy := float64(x-cx)/float64(rx), float64(y-cy)/float64(ry)
			if fx*fx+fy*fy <= 1 && image.Pt(x, y).In(img.Bounds()) {
				img.SetRGBA(x, y, c)
			}
		}
	}
}

// noisy adds uniform sensor noise of ±amp to every channel.
func noisy(src *image.RGBA, seed uint64, amp int) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 0x6b696f736b))
	dst := image.NewRGBA(src.Rect)
	for i, v := range src.Pix {
		if i%4 == 3 {
			dst.Pix[i] = v
			continue
		}
		dst.Pix[i] = clamp(float64(int(v) + r.IntN(2*amp+1) - amp))
	}
	return dst
}

// mapLuma applies f to every channel, which scales brightness while keeping
// the colours roughly as they were.
func mapLuma(src *image.RGBA, f func(float64) float64) *image.RGBA {
	dst := image.NewRGBA(src.Rect)
	for i, v := range src.Pix {
		if i%4 == 3 {
			dst.Pix[i] = v
			continue
		}
		dst.Pix[i] = clamp(f(float64(v)))
	}
	return dst
}

// blur is a box blur of radius r; three passes approximate a Gaussian,
// like a lens out of focus.
func blur(src *image.RGBA, r int) *image.RGBA {
	dst := image.NewRGBA(src.Rect)
	b := src.Rect
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var sum [3]int
			n := 0
			for yy := max(y-r, b.Min.Y); yy <= min(y+r, b.Max.Y-1); yy++ {
				for xx := max(x-r, b.Min.X); xx <= min(x+r, b.Max.X-1); xx++ {
					o := src.PixOffset(xx, yy)
					sum[0] += int(src.Pix[o])
					sum[1] += int(src.Pix[o+1])
					sum[2] += int(src.Pix[o+2])
					n++
				}
			}
			o := dst.PixOffset(x, y)
			dst.Pix[o], dst.Pix[o+1], dst.Pix[o+2], dst.Pix[o+3] =
				uint8(sum[0]/n), uint8(sum[1]/n), uint8(sum[2]/n), 255
		}
	}
	return dst
}

func clamp(v float64) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v + 0.5)
}
