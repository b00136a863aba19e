package quality

import (
	"image"
	"image/color"
	"testing"
)

// darken scales every pixel's brightness by f.
func darken(img image.Image, f float64) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			out.Set(x, y, color.RGBA{uint8(float64(r>>8) * f), uint8(float64(g>>8) * f), uint8(float64(bl>>8) * f), 255})
		}
	}
	return out
}

// boxBlur averages each pixel with its neighbours within radius r, as a
// lens out of focus or a hand that moved would.
func boxBlur(img image.Image, r int) *image.Gray {
	b := img.Bounds()
	grey := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			grey.Set(x, y, img.At(x, y))
		}
	}
	out := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			sum, n := 0, 0
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					if p := (image.Point{X: x + dx, Y: y + dy}); p.In(b) {
						sum += int(grey.GrayAt(p.X, p.Y).Y)
						n++
					}
				}
			}
			out.SetGray(x, y, color.Gray{Y: uint8(sum / n)})
		}
	}
	return out
}

// The sample document photo passes; the same photo taken in poor light,
// or out of focus, is refused, each with its own sentence.
func TestDerivedFrames(t *testing.T) {
	doc := sample(t, "document.jpg")
	if r := Check(doc); !r.OK() {
		t.Fatalf("document.jpg: %v", r.Problem)
	}
	dark := Check(darken(doc, 0.2))
	if dark.Problem != TooDark || dark.Hint.ID != "quality.too_dark" {
		t.Errorf("darkened: %v (luma %.1f)", dark.Problem, dark.Luma)
	}
	blurred := Check(boxBlur(doc, 6))
	if blurred.Problem != Blurry || blurred.Hint.ID != "quality.blurry" {
		t.Errorf("blurred: %v (sharpness %.1f)", blurred.Problem, blurred.Sharpness)
	}
	if sharp := Check(doc).Sharpness; blurred.Sharpness > sharp/10 {
		t.Errorf("blur lowered sharpness only from %.1f to %.1f", sharp, blurred.Sharpness)
	}
}
