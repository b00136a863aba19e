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

// CaptchaMinRows is the least height, in rows of half blocks, a captcha
// picture is drawn with (when its own is not less): 16 pixel rows keep the
// glyphs about 12 pixels high with strokes of two pixels, which people
// still read in monochrome. Below that, strokes merge into blots and the
// picture turns blank in 16 colours (issue 10: 17×4 cells at 80×24). A
// step too short for it scrolls instead (form.Render).
const CaptchaMinRows = 8

// CaptchaCells is the cell size that shows a captcha picture at its own
// resolution (one pixel per column, two per row), shrunk to fit within
// maxCols×maxRows (keeping its shape) when that is smaller. A picture is
// never enlarged: that adds no detail, only blur. Nor is it made shorter
// than CaptchaMinRows for want of width: a narrow screen gets the picture
// squeezed sideways (condensed glyphs read better than small ones).
func CaptchaCells(img image.Image, maxCols, maxRows int) (cols, rows int) {
	if img == nil || img.Bounds().Empty() || maxCols <= 0 || maxRows <= 0 {
		return 0, 0
	}
	b := img.Bounds()
	cols, rows = b.Dx(), (b.Dy()+1)/2
	if cols <= maxCols && rows <= maxRows {
		return cols, rows
	}
	least := min(rows, CaptchaMinRows, maxRows)
	cols, rows = FitCells(b.Dx(), b.Dy(), min(cols, maxCols), min(rows, maxRows))
	if rows < least {
		rows = least
		cols = min(maxCols, max(1, least*2*b.Dx()/b.Dy()))
	}
	return cols, rows
}

// CaptchaPicture draws a captcha picture (grey: dark ink, light paper) as
// cols×rows half-block cells in the active lipgloss colour profile: the
// profile of the terminal the kiosk runs in.
func CaptchaPicture(img image.Image, cols, rows int) string {
	return CaptchaPictureProfile(img, cols, rows, lipgloss.ColorProfile())
}

// CaptchaPictureProfile is CaptchaPicture with an explicit profile. The
// picture is first scaled by area averaging (every source pixel counts, so
// a shrunk stroke turns grey instead of vanishing between samples).
//
//   - TrueColor and ANSI256: tinted ink-on-paper half blocks, every shade
//     kept (the shades are what tells a thin noise curve from a stroke).
//   - ANSI (16 colours): shades would fall on arbitrary palette entries
//     (dark blue fragments on grey in a stock xterm), so each half cell is
//     ink or paper (captcha.Threshold) and drawn as ' ', '▀', '▄' or '█' in
//     black on white (SGR 30;47), the one pair with the highest contrast
//     in every 16-colour palette, set once per line.
//   - Ascii (no colour): the same block characters with no escape
//     sequence at all, in the terminal's own foreground on its background.
//
// Every line has exactly cols cells.
func CaptchaPictureProfile(img image.Image, cols, rows int, p termenv.Profile) string {
	if img == nil || img.Bounds().Empty() || cols <= 0 || rows <= 0 {
		return ""
	}
	grey := areaGrey(img, cols, rows*2)
	if p != termenv.Ascii && p != termenv.ANSI {
		return EncodeHalfBlock(tint(grey), cols, rows, p)
	}
	var b strings.Builder
	b.Grow(rows * (cols*3 + 12))
	for y := 0; y < rows; y++ {
		if y > 0 {
			b.WriteByte('\n')
		}
		if p == termenv.ANSI {
			b.WriteString("\x1b[30;47m")
		}
		top, bot := grey[2*y*cols:], grey[(2*y+1)*cols:]
		for x := 0; x < cols; x++ {
			t, u := top[x] < captcha.Threshold, bot[x] < captcha.Threshold
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
		if p == termenv.ANSI {
			b.WriteString("\x1b[0m")
		}
	}
	return b.String()
}

// areaGrey scales img to w×h grey levels, each the mean of the source area
// it covers (fractional edges weighted).
func areaGrey(img image.Image, w, h int) []uint8 {
	bnd := img.Bounds()
	sw, sh := bnd.Dx(), bnd.Dy()
	gray, _ := img.(*image.Gray)
	at := func(x, y int) float64 {
		if gray != nil {
			return float64(gray.Pix[gray.PixOffset(bnd.Min.X+x, bnd.Min.Y+y)])
		}
		return float64(color.GrayModel.Convert(img.At(bnd.Min.X+x, bnd.Min.Y+y)).(color.Gray).Y)
	}
	// span lists the source cells of destination cell i and their weights.
	type part struct {
		i int
		w float64
	}
	spans := func(n, sn int) [][]part {
		out := make([][]part, n)
		step := float64(sn) / float64(n)
		for i := range out {
			a, b := float64(i)*step, float64(i+1)*step
			for s := int(a); s < sn && float64(s) < b; s++ {
				if wt := min(b, float64(s+1)) - max(a, float64(s)); wt > 0 {
					out[i] = append(out[i], part{s, wt})
				}
			}
		}
		return out
	}
	xs, ys := spans(w, sw), spans(h, sh)
	out := make([]uint8, w*h)
	for y, yp := range ys {
		for x, xp := range xs {
			var sum, wsum float64
			for _, py := range yp {
				for _, px := range xp {
					wt := py.w * px.w
					sum += wt * at(px.i, py.i)
					wsum += wt
				}
			}
			if wsum > 0 {
				out[y*w+x] = uint8(sum/wsum + 0.5)
			}
		}
	}
	return out
}

// tint maps grey levels onto the ink–paper gradient in 16 steps: the eye
// sees no more at this size, and neighbouring cells of one shade share their
// escape sequences (the paper's speckle would otherwise cost two per cell).
func tint(grey []uint8) []RGB {
	var lut [256]RGB
	for g := range lut {
		v := g&^15 + g>>4 // 0, 17, 34, … 255
		mix := func(i, p uint8) uint8 { return uint8((int(i)*(255-v) + int(p)*v) / 255) }
		lut[g] = RGB{mix(captchaInk.R, captchaPaper.R), mix(captchaInk.G, captchaPaper.G), mix(captchaInk.B, captchaPaper.B)}
	}
	out := make([]RGB, len(grey))
	for i, v := range grey {
		out[i] = lut[v]
	}
	return out
}
