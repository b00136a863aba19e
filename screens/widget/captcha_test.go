package widget

import (
	"image"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"kiosk/model/captcha"
)

var profiles = []struct {
	name string
	p    termenv.Profile
}{
	{"ascii", termenv.Ascii}, {"ansi", termenv.ANSI}, {"ansi256", termenv.ANSI256}, {"truecolor", termenv.TrueColor},
}

func TestCaptchaCells(t *testing.T) {
	native := captcha.Draw("7KXP", captcha.Width, captcha.Height, 1)
	tests := []struct {
		name             string
		img              image.Image
		maxCols, maxRows int
		cols, rows       int
	}{
		{"fits: native size", native, 120, 40, captcha.Width, captcha.Height / 2},
		{"exact fit", native, captcha.Width, captcha.Height / 2, captcha.Width, captcha.Height / 2},
		{"short screen: shrunk, shape kept", native, 120, 8, 8 * 2 * captcha.Width / captcha.Height, 8},
		{"narrow screen", native, 26, 40, 26, 26 * captcha.Height / captcha.Width / 2},
		{"odd height rounds up", image.NewGray(image.Rect(0, 0, 10, 5)), 80, 24, 10, 3},
		{"no room", native, 0, 10, 0, 0},
		{"no picture", nil, 80, 24, 0, 0},
	}
	for _, tc := range tests {
		if c, r := CaptchaCells(tc.img, tc.maxCols, tc.maxRows); c != tc.cols || r != tc.rows {
			t.Errorf("%s: %d×%d, want %d×%d", tc.name, c, r, tc.cols, tc.rows)
		}
	}
}

// The picture has exactly the requested cells in every profile, so the
// form's layout never depends on the picture's content.
func TestCaptchaPictureSize(t *testing.T) {
	img := captcha.Draw("ACE9M", captcha.Width, captcha.Height, 3)
	for _, pr := range profiles {
		for _, sz := range [][2]int{{captcha.Width, captcha.Height / 2}, {34, 8}, {1, 1}} {
			out := CaptchaPictureProfile(img, sz[0], sz[1], pr.p)
			lines := strings.Split(out, "\n")
			if len(lines) != sz[1] {
				t.Fatalf("%s %v: %d lines", pr.name, sz, len(lines))
			}
			for i, l := range lines {
				if w := lipgloss.Width(l); w != sz[0] {
					t.Errorf("%s %v: line %d is %d cells", pr.name, sz, i, w)
				}
			}
		}
	}
}

func TestCaptchaPictureAsciiHalfBlocks(t *testing.T) {
	// Columns: ink over ink, ink over paper, paper over ink, paper over paper.
	m := image.NewGray(image.Rect(0, 0, 4, 2))
	for x, v := range [][2]uint8{{0, 0}, {0, 255}, {255, 0}, {255, 255}} {
		m.Pix[x], m.Pix[4+x] = v[0], v[1]
	}
	if got := CaptchaPictureProfile(m, 4, 1, termenv.Ascii); got != "█▀▄ " {
		t.Errorf("got %q", got)
	}
	if got := CaptchaPictureProfile(nil, 4, 1, termenv.Ascii); got != "" {
		t.Errorf("nil picture: %q", got)
	}
}

func TestCaptchaPictureColourTint(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 1, 2))
	m.Pix[0], m.Pix[1] = 0, 255 // ink over paper
	got := CaptchaPictureProfile(m, 1, 1, termenv.TrueColor)
	want := "\x1b[38;2;20;35;75m\x1b[48;2;244;241;232m▀\x1b[0m"
	if got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

// A new challenge is a new picture: the text never shows as text.
func TestCaptchaPictureFollowsImage(t *testing.T) {
	a := CaptchaPictureProfile(captcha.Draw("7KXP", captcha.Width, captcha.Height, 1), captcha.Width, 10, termenv.Ascii)
	b := CaptchaPictureProfile(captcha.Draw("7KXP", captcha.Width, captcha.Height, 2), captcha.Width, 10, termenv.Ascii)
	if a == b {
		t.Error("two seeds, one picture")
	}
	if strings.ContainsAny(a, "7KXP") {
		t.Errorf("the text leaked into the picture:\n%s", a)
	}
}

// TestCaptchaPictureGolden pins the monochrome rendering of one challenge
// (go test ./screens/widget -run Golden -update after an intended change).
func TestCaptchaPictureGolden(t *testing.T) {
	img := captcha.Draw("7KXP", captcha.Width, captcha.Height, 1)
	out := CaptchaPictureProfile(img, captcha.Width, captcha.Height/2, termenv.Ascii)
	golden.RequireEqual(t, []byte(out+"\n"))
}

// FuzzCaptchaPicture: any text, seed and cell size gives rows lines of cols
// cells, never a panic.
func FuzzCaptchaPicture(f *testing.F) {
	f.Add("7KXP", uint64(1), captcha.Width, captcha.Height/2)
	f.Add("", uint64(0), 1, 1)
	f.Add("中文\x00", uint64(9), 500, 3)
	f.Fuzz(func(t *testing.T, text string, seed uint64, cols, rows int) {
		cols, rows = cols%300, rows%100 // a terminal, not a billboard
		img := captcha.Draw(text, captcha.Width, captcha.Height, seed)
		for _, pr := range profiles[:2] {
			out := CaptchaPictureProfile(img, cols, rows, pr.p)
			if cols <= 0 || rows <= 0 {
				if out != "" {
					t.Fatalf("%s: output for %d×%d", pr.name, cols, rows)
				}
				continue
			}
			lines := strings.Split(out, "\n")
			if len(lines) != rows {
				t.Fatalf("%s: %d lines, want %d", pr.name, len(lines), rows)
			}
			for _, l := range lines {
				if lipgloss.Width(l) != cols {
					t.Fatalf("%s: line of %d cells, want %d", pr.name, lipgloss.Width(l), cols)
				}
			}
		}
	})
}

// Every grey maps onto the ink–paper gradient, darker grey to darker
// colour, in at most 16 shades.
func TestCaptchaTintGradient(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 256, 1))
	for i := range m.Pix {
		m.Pix[i] = uint8(i)
	}
	out := tint(m)
	shades := map[[3]uint8]bool{}
	prev := -1
	for x := 0; x < 256; x++ {
		c := out.RGBAAt(x, 0)
		if c.R < captchaInk.R || c.R > captchaPaper.R || c.B < min(captchaInk.B, captchaPaper.B) || c.A != 0xFF {
			t.Fatalf("grey %d → %v, off the gradient", x, c)
		}
		if l := int(c.R) + int(c.G) + int(c.B); l < prev {
			t.Fatalf("grey %d is darker than grey %d", x, x-1)
		} else {
			prev = l
		}
		shades[[3]uint8{c.R, c.G, c.B}] = true
	}
	if len(shades) > 16 {
		t.Errorf("%d shades", len(shades))
	}
}
