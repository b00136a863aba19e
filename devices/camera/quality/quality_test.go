package quality

import (
	"image"
	"image/color"
	_ "image/jpeg"
	"math"
	"reflect"
	"testing"

	"kiosk/assets"
	"kiosk/model/i18n"
)

func sample(t testing.TB, name string) image.Image {
	t.Helper()
	f, err := assets.CameraFrames.Open("camera/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestSampleFrames(t *testing.T) {
	tests := []struct {
		file string
		want Problem
	}{
		{"document.jpg", Good},
		{"face-1.jpg", Good},
		{"face-2.jpg", Good},
		{"face-3.jpg", Good},
		{"dark.jpg", TooDark},
		{"bright.jpg", TooBright},
		{"blurred.jpg", Blurry},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := Check(sample(t, tt.file))
			if r.Problem != tt.want {
				t.Fatalf("Problem = %v (luma %.1f, sharpness %.1f), want %v", r.Problem, r.Luma, r.Sharpness, tt.want)
			}
			if r.OK() != (tt.want == Good) {
				t.Errorf("OK() = %v", r.OK())
			}
			if !reflect.DeepEqual(r.Hint, tt.want.Hint()) {
				t.Errorf("Hint = %+v", r.Hint)
			}
		})
	}
}

func TestHints(t *testing.T) {
	want := map[Problem]string{
		Good:      "",
		TooDark:   "画面过暗，请调整光线或靠近补光灯",
		Blurry:    "画面模糊，请保持静止并对准摄像头",
		TooBright: "画面过亮，请避开强光或调整角度",
		NoImage:   "未获取到画面，请稍候或联系窗口工作人员",
	}
	for p, h := range want {
		if got := i18n.Default().Render(i18n.Chinese, p.Hint()); got != h {
			t.Errorf("%v.Hint() = %q, want %q", p, got, h)
		}
		if p != Good && !i18n.Default().Has(i18n.Chinese, p.Hint().ID) {
			t.Errorf("%v.Hint() = %+v: not in the catalog", p, p.Hint())
		}
		if p.String() == "unknown" {
			t.Errorf("%d has no name", p)
		}
	}
}

func uniform(w, h int, y uint8) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = y
	}
	return img
}

func checker(r image.Rectangle, cell int) *image.Gray {
	img := image.NewGray(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if ((x-r.Min.X)/cell+(y-r.Min.Y)/cell)%2 == 0 {
				img.SetGray(x, y, color.Gray{Y: 230})
			} else {
				img.SetGray(x, y, color.Gray{Y: 20})
			}
		}
	}
	return img
}

func TestSynthetic(t *testing.T) {
	ycc := image.NewYCbCr(image.Rect(0, 0, 64, 48), image.YCbCrSubsampleRatio420)
	for i := range ycc.Y {
		ycc.Y[i] = uint8(20 + 200*((i/4)%2))
	}
	rgba := image.NewRGBA(image.Rect(0, 0, 40, 40))
	for i := range rgba.Pix {
		rgba.Pix[i] = 255
	}
	pal := image.NewPaletted(image.Rect(0, 0, 16, 16), color.Palette{color.Black})
	tests := []struct {
		name string
		img  image.Image
		want Problem
	}{
		{"nil", nil, NoImage},
		{"0x0", image.NewGray(image.Rect(0, 0, 0, 0)), NoImage},
		{"1x1", uniform(1, 1, 128), NoImage},
		{"7x100", uniform(7, 100, 128), NoImage},
		{"flat mid grey is blurry", uniform(64, 48, 128), Blurry},
		{"flat black", uniform(64, 48, 0), TooDark},
		{"white rgba", rgba, TooBright},
		{"black paletted", pal, TooDark},
		{"checkerboard", checker(image.Rect(0, 0, 64, 48), 4), Good},
		{"checkerboard off-origin", checker(image.Rect(-30, 17, 34, 65), 4), Good},
		{"ycbcr stripes", ycc, Good},
		{"wide and short", checker(image.Rect(0, 0, 5000, 9), 2), Good},
		{"large", checker(image.Rect(0, 0, 1920, 1080), 8), Good},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Check(tt.img)
			if r.Problem != tt.want {
				t.Fatalf("Problem = %v (luma %.1f, sharpness %.1f), want %v", r.Problem, r.Luma, r.Sharpness, tt.want)
			}
		})
	}
}

func TestCustomThresholds(t *testing.T) {
	img := sample(t, "document.jpg")
	strict := Thresholds{MinLuma: 160, MaxLuma: 255, MinSharpness: 0}
	if r := strict.Check(img); r.Problem != TooDark {
		t.Fatalf("strict MinLuma: %v", r.Problem)
	}
	picky := Thresholds{MinLuma: 0, MaxLuma: 255, MinSharpness: 1e9}
	if r := picky.Check(img); r.Problem != Blurry {
		t.Fatalf("picky MinSharpness: %v", r.Problem)
	}
}

// FuzzCheck builds an image of any small size, format and origin from the
// input and checks that Check neither panics nor returns nonsense.
func FuzzCheck(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint8(0), int8(0), int8(0), []byte{})
	f.Add(uint8(1), uint8(1), uint8(1), int8(0), int8(0), []byte{7})
	f.Add(uint8(32), uint8(24), uint8(2), int8(-5), int8(9), []byte{0, 255, 0, 255, 9})
	f.Add(uint8(9), uint8(200), uint8(3), int8(3), int8(-3), []byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, w, h, kind uint8, ox, oy int8, data []byte) {
		r := image.Rect(int(ox), int(oy), int(ox)+int(w), int(oy)+int(h))
		var img image.Image
		var pix []byte
		switch kind % 5 {
		case 0:
			g := image.NewGray(r)
			img, pix = g, g.Pix
		case 1:
			m := image.NewRGBA(r)
			img, pix = m, m.Pix
		case 2:
			m := image.NewNRGBA(r)
			img, pix = m, m.Pix
		case 3:
			m := image.NewYCbCr(r, image.YCbCrSubsampleRatio422)
			img, pix = m, m.Y
		default:
			m := image.NewGray16(r)
			img, pix = m, m.Pix
		}
		if len(data) > 0 {
			for i := range pix {
				pix[i] = data[i%len(data)]
			}
		}
		res := Check(img)
		if math.IsNaN(res.Luma) || res.Luma < 0 || res.Luma > 255.5 {
			t.Fatalf("luma %v", res.Luma)
		}
		if math.IsNaN(res.Sharpness) || res.Sharpness < 0 {
			t.Fatalf("sharpness %v", res.Sharpness)
		}
		tiny := int(w) < minSide || int(h) < minSide
		if tiny != (res.Problem == NoImage) {
			t.Fatalf("%dx%d gave %v", w, h, res.Problem)
		}
	})
}

func BenchmarkQualityCheck(b *testing.B) {
	// 640×480 4:2:2 is what the V4L2 adapter hands out for YUYV.
	img := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio422)
	for i := range img.Y {
		img.Y[i] = uint8(i * 7)
	}
	b.ReportAllocs()
	for b.Loop() {
		Check(img)
	}
}

func BenchmarkQualityCheckRGBA(b *testing.B) {
	img := sample(b, "document.jpg")
	rgba := image.NewRGBA(img.Bounds())
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			rgba.Set(x, y, img.At(x, y))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		Check(rgba)
	}
}
