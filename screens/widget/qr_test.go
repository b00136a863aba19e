package widget

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/mattn/go-runewidth"
	"github.com/muesli/termenv"
	qrcode "github.com/skip2/go-qrcode"
)

// screenshot paints QR lines as a light-on-dark terminal shows them: each
// cell one module wide and two high, scale pixels a module.
func screenshot(lines []string, scale int) *image.Gray {
	w := len([]rune(lines[0]))
	img := image.NewGray(image.Rect(0, 0, w*scale, len(lines)*2*scale))
	for row, l := range lines {
		for col, r := range []rune(l) {
			top := r == '█' || r == '▀'
			bot := r == '█' || r == '▄'
			for dy := range 2 * scale {
				lit := top
				if dy >= scale {
					lit = bot
				}
				for dx := range scale {
					v := uint8(0)
					if lit {
						v = 255
					}
					img.SetGray(col*scale+dx, row*2*scale+dy, color.Gray{Y: v})
				}
			}
		}
	}
	return img
}

func decode(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("no QR code read: %v", err)
	}
	return res.GetText()
}

// What QR draws, seen on the kiosk's screen, is read back by a QR decoder
// (ZXing's port) as the text it was given.
func TestQRDecodes(t *testing.T) {
	for _, text := range []string{
		"https://ids.example.gov.cn/templates/authorization_letter.docx",
		"SS20260301-000042",
		"https://ids.example.gov.cn/appeal/status?ref=SS20260301-000042&lang=zh",
	} {
		lines, err := QR(text)
		if err != nil {
			t.Fatal(err)
		}
		if got := decode(t, screenshot(lines, 4)); got != text {
			t.Errorf("read %q, want %q", got, text)
		}
	}
}

// Module by module, the drawing is the library's bit matrix (dark = set),
// quiet zone included, with the last odd row padded with light.
func TestQRMatchesBitmap(t *testing.T) {
	text := "https://ids.example.gov.cn/templates/authorization_letter.docx"
	lines, err := QR(text)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := qrcode.New(text, QRLevel)
	bm := q.Bitmap()
	if len(bm) != 41 || len(lines) != 21 {
		t.Fatalf("%d modules high, %d lines", len(bm), len(lines))
	}
	for y := 0; y < len(lines)*2; y++ {
		row := []rune(lines[y/2])
		if len(row) != len(bm[0]) || runewidth.StringWidth(lines[y/2]) != len(bm[0]) {
			t.Fatalf("line %d is %d wide", y/2, len(row))
		}
		for x, r := range row {
			lit := r == '█' || (y%2 == 0 && r == '▀') || (y%2 == 1 && r == '▄')
			dark := y < len(bm) && bm[y][x]
			if lit == dark {
				t.Fatalf("module (%d,%d): drawn %q, dark %v", x, y, r, dark)
			}
		}
	}
	for _, l := range lines[:2] { // the quiet zone: four light modules
		if strings.Trim(l, "█") != "" {
			t.Errorf("quiet zone %q", l)
		}
	}
	if l := lines[len(lines)-1]; strings.Trim(l, "█▀") != "" {
		t.Errorf("last line %q", l)
	}
}

func TestQRView(t *testing.T) {
	lines, _ := QR("A")
	if got := QRView(lines, termenv.Ascii); got != strings.Join(lines, "\n") || strings.Contains(got, "\x1b") {
		t.Errorf("ascii view has escapes")
	}
	v := QRView(lines, termenv.ANSI)
	if strings.Count(v, "\x1b[97;40m") != len(lines) || strings.Count(v, "\x1b[0m") != len(lines) {
		t.Errorf("colour view %q", v)
	}
	if _, err := QR(strings.Repeat("x", 3000)); err == nil {
		t.Errorf("no error for text too long")
	}
}

// QRCompact, the reference number's code with a quiet zone of two
// modules, is 13 rows and reads back as the number.
func TestQRCompactDecodes(t *testing.T) {
	const ref = "261203-ABCD-EFGHJK"
	lines, err := QRCompact(ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 13 || len([]rune(lines[0])) != 25 {
		t.Errorf("%d rows of %d modules, want 13 of 25", len(lines), len([]rune(lines[0])))
	}
	if got := decode(t, screenshot(lines, 4)); got != ref {
		t.Errorf("read %q, want %q", got, ref)
	}
}
