package v4l2

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// The recorded frames in testdata/ are what a UVC camera hands out for one
// 160×120 test card: a packed YUYV buffer, and an MJPEG buffer laid out as
// UVC cameras send it (SOI, APP0 "AVI1", DQT, SOF0, SOS — no DHT).
// Regenerate with: go test ./devices/camera/v4l2 -run TestRecorded -update
var update = flag.Bool("update", false, "rewrite the recorded frames in testdata/")

const (
	recW, recH = 160, 120
	yuyvFile   = "testdata/yuyv_160x120.raw"
	mjpegFile  = "testdata/mjpeg_160x120_nodht.jpg"
)

// bars are the test card's colour bars across the top half.
var bars = []color.RGBA{
	{235, 235, 235, 255}, {235, 235, 16, 255}, {16, 235, 235, 255}, {16, 235, 16, 255},
	{235, 16, 235, 255}, {235, 16, 16, 255}, {16, 16, 235, 255}, {16, 16, 16, 255},
}

// scene is the test card: colour bars on top, a grey ramp below.
func scene(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			if y < h/2 {
				img.SetRGBA(x, y, bars[x*len(bars)/w])
			} else {
				v := uint8(16 + x*219/(w-1))
				img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
			}
		}
	}
	return img
}

// encodeYUYV packs img as YUYV, averaging the chroma of each pixel pair as
// a camera's ISP does.
func encodeYUYV(img *image.RGBA) []byte {
	b := img.Bounds()
	out := make([]byte, 0, b.Dx()*b.Dy()*2)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			p0, p1 := img.RGBAAt(x, y), img.RGBAAt(x+1, y)
			y0, cb0, cr0 := color.RGBToYCbCr(p0.R, p0.G, p0.B)
			y1, cb1, cr1 := color.RGBToYCbCr(p1.R, p1.G, p1.B)
			out = append(out, y0, uint8((int(cb0)+int(cb1)+1)/2), y1, uint8((int(cr0)+int(cr1)+1)/2))
		}
	}
	return out
}

// encodeUVCJPEG encodes img and reshapes it like a UVC MJPEG frame: the
// DHT segments dropped, an AVI1 APP0 segment after SOI.
func encodeUVCJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return toUVC(t, buf.Bytes())
}

// toUVC drops the DHT segments of a JPEG file and adds an AVI1 APP0.
func toUVC(t testing.TB, src []byte) []byte {
	t.Helper()
	out := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'A', 'V', 'I', '1', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	i := 2
	for {
		if src[i] != 0xFF {
			t.Fatalf("unexpected byte at %d", i)
		}
		m := src[i+1]
		if m == 0xDA {
			return append(out, src[i:]...)
		}
		n := int(src[i+2])<<8 | int(src[i+3])
		if m != 0xC4 {
			out = append(out, src[i:i+2+n]...)
		}
		i += 2 + n
	}
}

func readRecorded(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("%v (regenerate with -update)", err)
	}
	return b
}

func TestRecordedFiles(t *testing.T) {
	if *update {
		card := scene(recW, recH)
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string][]byte{
			yuyvFile:  encodeYUYV(card),
			mjpegFile: encodeUVCJPEG(t, card),
		} {
			if err := os.WriteFile(filepath.FromSlash(name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := len(readRecorded(t, yuyvFile)); n != recW*recH*2 {
		t.Fatalf("%s has %d bytes, want %d", yuyvFile, n, recW*recH*2)
	}
	mj := readRecorded(t, mjpegFile)
	if bytes.Contains(mj, []byte{0xFF, 0xC4}) {
		t.Fatalf("%s has a DHT segment", mjpegFile)
	}
	if !bytes.Contains(mj[:20], []byte("AVI1")) {
		t.Fatalf("%s lacks the AVI1 APP0 segment", mjpegFile)
	}
}
