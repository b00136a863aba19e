package widget

import (
	"image"
	"image/color"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"kiosk/model/captcha"
)

// Colours of the captcha card in colour terminals: dark ink on light paper,
// like a printed slip, so that it stands out from the dark screen.
var (
	captchaPaper = color.RGBA{0xF4, 0xF1, 0xE8, 0xFF}
	captchaInk   = color.RGBA{0x14, 0x23, 0x4B, 0xFF}
)

// CaptchaCells is the cell size that shows a captcha picture at its own
// resolution (one pixel per column, two per row), shrunk to fit within
// maxCols×maxRows (keeping its shape) when that is smaller. A picture is
// never enlarged: that adds no detail, only blur.
func CaptchaCells(img image.Image, maxCols, maxRows int) (cols, rows int) {
	if img == nil || img.Bounds().Empty() || maxCols <= 0 || maxRows <= 0 {
		return 0, 0
	}
	b := img.Bounds()
	cols, rows = b.Dx(), (b.Dy()+1)/2
	if cols <= maxCols && rows <= maxRows {
		return cols, rows
	}
	return FitCells(b.Dx(), b.Dy(), min(cols, maxCols), min(rows, maxRows))
}

// CaptchaPicture draws a captcha picture (grey: dark ink, light paper) as
// cols×rows half-block cells in the active lipgloss colour profile.
func CaptchaPicture(img image.Image, cols, rows int) string {
	return CaptchaPictureProfile(img, cols, rows, lipgloss.ColorProfile())
}

// CaptchaPictureProfile is CaptchaPicture with an explicit profile. In
// colour the picture is tinted ink-on-paper and drawn by HalfBlock, every
// shade kept. Without colour (termenv.Ascii) shades mean nothing, so each
// half cell is either ink or not (captcha.Threshold) and the cell becomes
// ' ', '▀', '▄' or '█': twice the vertical detail of a grey ramp, which is
// what keeps thin strokes readable. Every line has exactly cols cells.
func CaptchaPictureProfile(img image.Image, cols, rows int, p termenv.Profile) string {
	if img == nil || img.Bounds().Empty() || cols <= 0 || rows <= 0 {
		return ""
	}
	if p != termenv.Ascii {
		return HalfBlockProfile(tint(img), cols, rows, p)
	}
	px := Downscale(img, cols, rows*2)
	var b strings.Builder
	b.Grow(rows * (cols*3 + 1))
	for y := 0; y < rows; y++ {
		if y > 0 {
			b.WriteByte('\n')
		}
		top, bot := px[2*y*cols:], px[(2*y+1)*cols:]
		for x := 0; x < cols; x++ {
			t, u := luma(top[x]) < captcha.Threshold, luma(bot[x]) < captcha.Threshold
			switch {
			case t && u:
				b.WriteString("█")
			case t:
				b.WriteString("▀")
			case u:
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}

// tint maps grey levels onto the ink–paper gradient in 16 steps: the eye
// sees no more at this size, and neighbouring cells of one shade share their
// escape sequences (the paper's speckle would otherwise cost two per cell).
func tint(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(b)
	var lut [256]color.RGBA
	for g := range lut {
		v := g&^15 + g>>4 // 0, 17, 34, … 255
		mix := func(i, p uint8) uint8 { return uint8((int(i)*(255-v) + int(p)*v) / 255) }
		lut[g] = color.RGBA{mix(captchaInk.R, captchaPaper.R), mix(captchaInk.G, captchaPaper.G),
			mix(captchaInk.B, captchaPaper.B), 0xFF}
	}
	gray, _ := img.(*image.Gray)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var v uint8
			if gray != nil {
				v = gray.Pix[gray.PixOffset(x, y)]
			} else {
				v = color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
			}
			out.SetRGBA(x, y, lut[v])
		}
	}
	return out
}
