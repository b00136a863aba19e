package v4l2

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"github.com/blackjack/webcam"
)

// near reports whether two colours differ by at most tol per channel.
func near(a, b color.Color, tol int) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) int { return abs(int(x>>8) - int(y>>8)) }
	return d(ar, br) <= tol && d(ag, bg) <= tol && d(ab, bb) <= tol
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// checkCard compares img with the test card at the centre of each bar and
// along the ramp.
func checkCard(t *testing.T, img image.Image, tol int) {
	t.Helper()
	if img.Bounds() != image.Rect(0, 0, recW, recH) {
		t.Fatalf("bounds %v", img.Bounds())
	}
	card := scene(recW, recH)
	var pts []image.Point
	for i := range bars {
		pts = append(pts, image.Pt(i*recW/len(bars)+recW/len(bars)/2, recH/4))
	}
	for x := 4; x < recW; x += 16 {
		pts = append(pts, image.Pt(x, 3*recH/4))
	}
	for _, p := range pts {
		if got, want := img.At(p.X, p.Y), card.At(p.X, p.Y); !near(got, want, tol) {
			t.Errorf("pixel %v = %v, want ≈ %v", p, got, want)
		}
	}
}

func TestRecordedYUYV(t *testing.T) {
	img, err := YUYVToImage(readRecorded(t, yuyvFile), recW, recH, 2*recW)
	if err != nil {
		t.Fatal(err)
	}
	if img.SubsampleRatio != image.YCbCrSubsampleRatio422 {
		t.Fatalf("ratio %v", img.SubsampleRatio)
	}
	checkCard(t, img, 3) // YCbCr rounding only
}

func TestYUYVExactBytes(t *testing.T) {
	buf := []byte{10, 100, 20, 200, 30, 110, 40, 210} // 4×1
	img, err := YUYVToImage(buf, 4, 1, 8)
	if err != nil {
		t.Fatal(err)
	}
	if string(img.Y) != string([]byte{10, 20, 30, 40}) ||
		string(img.Cb) != string([]byte{100, 110}) || string(img.Cr) != string([]byte{200, 210}) {
		t.Fatalf("Y %v Cb %v Cr %v", img.Y, img.Cb, img.Cr)
	}
	buf[0] = 99
	if img.Y[0] != 10 {
		t.Fatal("image shares memory with the buffer")
	}
}

func TestYUYVErrors(t *testing.T) {
	tests := []struct {
		name         string
		n, w, h, str int
	}{
		{"odd width", 6, 3, 1, 6},
		{"zero size", 0, 0, 0, 0},
		{"short buffer", 7, 2, 2, 4},
		{"stride below row", 16, 4, 2, 6},
		{"negative", 8, -2, 2, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := YUYVToImage(make([]byte, tt.n), tt.w, tt.h, tt.str); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestYUYVGeometry(t *testing.T) {
	sizes := []webcam.FrameSize{
		{MinWidth: 640, MaxWidth: 640, MinHeight: 480, MaxHeight: 480},
		{MinWidth: 320, MaxWidth: 320, MinHeight: 240, MaxHeight: 240},
	}
	tests := []struct {
		name          string
		n, w, h       int
		gw, gh, gs    int
		wantErr       bool
		sizesOverride []webcam.FrameSize
	}{
		{name: "as reported", n: 640 * 480 * 2, w: 640, h: 480, gw: 640, gh: 480, gs: 1280},
		{name: "driver chose another listed size", n: 320 * 240 * 2, w: 640, h: 480, gw: 320, gh: 240, gs: 640},
		{name: "padded rows", n: 168 * 2 * 120, w: 160, h: 120, gw: 160, gh: 120, gs: 336},
		{name: "unknown", n: 12345, w: 640, h: 480, wantErr: true},
		{name: "zero", n: 0, w: 0, h: 0, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h, s, err := yuyvGeometry(tt.n, tt.w, tt.h, sizes)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if !tt.wantErr && (w != tt.gw || h != tt.gh || s != tt.gs) {
				t.Fatalf("got %dx%d stride %d", w, h, s)
			}
		})
	}
}

func TestRecordedMJPEGWithoutDHT(t *testing.T) {
	raw := readRecorded(t, mjpegFile)
	if _, err := jpeg.Decode(bytes.NewReader(raw)); err == nil {
		t.Fatal("image/jpeg decoded a frame without Huffman tables; the test frame is wrong")
	}
	img, err := DecodeMJPEG(raw)
	if err != nil {
		t.Fatal(err)
	}
	checkCard(t, img, 24) // JPEG at quality 80 on hard colour edges
}

// TestStandardDHTMatchesEncoder proves the inserted tables are the ones
// encoders assume: Go's encoder writes the Annex K tables, so removing its
// DHT and inserting ours must decode to exactly the same pixels.
func TestStandardDHTMatchesEncoder(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, scene(64, 48), nil); err != nil {
		t.Fatal(err)
	}
	orig := buf.Bytes()
	want, err := jpeg.Decode(bytes.NewReader(orig))
	if err != nil {
		t.Fatal(err)
	}
	same, err := WithDHT(orig)
	if err != nil || !bytes.Equal(same, orig) {
		t.Fatalf("WithDHT changed a frame that has tables (err %v)", err)
	}
	got, err := DecodeMJPEG(toUVC(t, orig))
	if err != nil {
		t.Fatal(err)
	}
	w, g := want.(*image.YCbCr), got.(*image.YCbCr)
	if !bytes.Equal(w.Y, g.Y) || !bytes.Equal(w.Cb, g.Cb) || !bytes.Equal(w.Cr, g.Cr) {
		t.Fatal("decoded pixels differ")
	}
	if len(standardDHT) != 420 {
		t.Fatalf("DHT segment is %d bytes, want 420", len(standardDHT))
	}
}

func TestWithDHTOddInputs(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		wantErr bool
		same    bool
	}{
		{"empty", nil, true, false},
		{"not jpeg", []byte("GIF89a"), true, false},
		{"SOI only", []byte{0xFF, 0xD8}, false, true},
		{"truncated length", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00}, false, true},
		{"garbage after SOI", []byte{0xFF, 0xD8, 0x12, 0x34}, false, true},
		{"fill bytes then SOS", []byte{0xFF, 0xD8, 0xFF, 0xFF, 0xDA, 0, 2}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := WithDHT(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err == nil && bytes.Equal(out, tt.in) != tt.same {
				t.Fatalf("unchanged = %v, want %v", !tt.same, tt.same)
			}
		})
	}
}

// FuzzDecodeMJPEG: arbitrary buffers never panic, and a frame the plain
// decoder accepts still decodes the same way after WithDHT.
func FuzzDecodeMJPEG(f *testing.F) {
	f.Add(readRecorded(f, mjpegFile))
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, scene(16, 16), nil)
	f.Add(buf.Bytes())
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xDA})
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0x01, 0xFF, 0xD0, 0xFF, 0xC4})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		fixed, err := WithDHT(data)
		if err != nil {
			return
		}
		if len(fixed) != len(data) && len(fixed) != len(data)+len(standardDHT) {
			t.Fatalf("WithDHT grew %d → %d", len(data), len(fixed))
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(fixed))
		if err != nil || cfg.Width*cfg.Height > 1<<20 {
			return // keep the fuzzer away from huge allocations
		}
		_, _ = DecodeMJPEG(data)
	})
}

// FuzzYUYV: any buffer length and claimed geometry never panics.
func FuzzYUYV(f *testing.F) {
	f.Add(32, 4, 4, 0)
	f.Add(38400, 160, 120, 0)
	f.Add(7, 2, 2, 4)
	f.Add(100, -4, 5, 1)
	f.Fuzz(func(t *testing.T, n, w, h, mode int) {
		if n < 0 || n > 1<<20 {
			return
		}
		buf := make([]byte, n)
		gw, gh, gs, err := yuyvGeometry(n, w, h, []webcam.FrameSize{{MaxWidth: 8, MaxHeight: 2}})
		if mode%2 == 1 || err != nil {
			gw, gh, gs = w, h, 2*w
		}
		if gw > 4096 || gh > 4096 {
			return
		}
		img, err := YUYVToImage(buf, gw, gh, gs)
		if err == nil && img.Bounds().Dx() != gw {
			t.Fatalf("width %d, want %d", img.Bounds().Dx(), gw)
		}
	})
}

func BenchmarkYUYVToImage(b *testing.B) {
	buf := make([]byte, 640*480*2)
	for i := range buf {
		buf[i] = byte(i)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := YUYVToImage(buf, 640, 480, 1280); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeMJPEG(b *testing.B) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, scene(640, 480), nil); err != nil {
		b.Fatal(err)
	}
	frame := encodeUVCJPEG(b, must(jpeg.Decode(bytes.NewReader(buf.Bytes()))))
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeMJPEG(frame); err != nil {
			b.Fatal(err)
		}
	}
}

func must(img image.Image, err error) image.Image {
	if err != nil {
		panic(err)
	}
	return img
}
