package widget

import (
	"fmt"
	"image"
	"strings"
	"testing"
	"unicode/utf8"

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
		{"narrow screen: squeezed sideways, never below the least rows", native, 26, 40, 26, CaptchaMinRows},
		{"wide enough for the least rows", native, 50, 40, 50, 50 * captcha.Height / captcha.Width / 2},
		{"short and narrow", native, 26, 5, 26, 5},
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
	m := make([]uint8, 256)
	for i := range m {
		m[i] = uint8(i)
	}
	out := tint(m)
	shades := map[[3]uint8]bool{}
	prev := -1
	for x := 0; x < 256; x++ {
		c := out[x]
		if c.R < captchaInk.R || c.R > captchaPaper.R || c.B < min(captchaInk.B, captchaPaper.B) {
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

// Issue 10: in each colour profile the glyphs' cells stand out from the
// paper. Ink cells are those whose two pixels are glyph-dark (< 60: noise
// curves are lighter), paper cells those whose two pixels are light.
//   - Ascii: no escape sequence at all; ink cells '█', paper cells ' '.
//   - ANSI (16 colours): black on white set once per line (30;47), no
//     other colour; ink cells '█', paper cells ' ' (no mid-tone fragments).
//   - TrueColor: ink cells dark over dark, paper cells light over light,
//     ink luma at most 80, paper at least 180.
func TestCaptchaPictureProfilesReadable(t *testing.T) {
	img := captcha.Draw("7KXP", captcha.Width, captcha.Height, 1)
	cols, rows := captcha.Width, captcha.Height/2
	kind := func(x, y int) int { // 1 ink, -1 paper, 0 neither
		a, b := img.GrayAt(x, 2*y).Y, img.GrayAt(x, 2*y+1).Y
		switch {
		case a < 60 && b < 60:
			return 1
		case a > 200 && b > 200:
			return -1
		}
		return 0
	}
	cells := func(t *testing.T, out string, strip func(string) string) [][]rune {
		lines := strings.Split(out, "\n")
		if len(lines) != rows {
			t.Fatalf("%d lines", len(lines))
		}
		grid := make([][]rune, rows)
		for y, l := range lines {
			grid[y] = []rune(strip(l))
			if len(grid[y]) != cols {
				t.Fatalf("line %d: %d cells", y, len(grid[y]))
			}
		}
		return grid
	}
	blocks := func(t *testing.T, grid [][]rune) {
		ink, paper := 0, 0
		for y := range grid {
			for x, r := range grid[y] {
				switch kind(x, y) {
				case 1:
					ink++
					if r != '█' {
						t.Errorf("ink cell (%d,%d) drawn %q", x, y, r)
					}
				case -1:
					paper++
					if r != ' ' {
						t.Errorf("paper cell (%d,%d) drawn %q", x, y, r)
					}
				}
			}
		}
		if ink < 50 || paper < 200 {
			t.Fatalf("%d ink and %d paper cells", ink, paper)
		}
	}
	t.Run("ascii", func(t *testing.T) {
		out := CaptchaPictureProfile(img, cols, rows, termenv.Ascii)
		if strings.Contains(out, "\x1b") {
			t.Fatal("escape sequences without colour")
		}
		blocks(t, cells(t, out, func(s string) string { return s }))
	})
	t.Run("ansi16", func(t *testing.T) {
		out := CaptchaPictureProfile(img, cols, rows, termenv.ANSI)
		rest := strings.ReplaceAll(strings.ReplaceAll(out, "\x1b[30;47m", ""), "\x1b[0m", "")
		if strings.Contains(rest, "\x1b") {
			t.Fatalf("other escape sequences: %q", out)
		}
		for _, l := range strings.Split(out, "\n") {
			if !strings.HasPrefix(l, "\x1b[30;47m") || !strings.HasSuffix(l, "\x1b[0m") {
				t.Fatalf("line not black on white: %q", l)
			}
		}
		blocks(t, cells(t, rest, func(s string) string { return s }))
	})
	t.Run("truecolor", func(t *testing.T) {
		out := CaptchaPictureProfile(img, cols, rows, termenv.TrueColor)
		for y, l := range strings.Split(out, "\n") {
			var fg, bg RGB
			x := 0
			for i := 0; i < len(l); {
				if l[i] == 0x1b {
					end := strings.IndexByte(l[i:], 'm')
					var c RGB
					var which int
					if n, _ := fmt.Sscanf(l[i:i+end+1], "\x1b[%d;2;%d;%d;%dm", &which, &c.R, &c.G, &c.B); n == 4 {
						if which == 38 {
							fg = c
						} else {
							bg = c
						}
					}
					i += end + 1
					continue
				}
				_, size := utf8.DecodeRuneInString(l[i:])
				i += size
				switch kind(x, y) {
				case 1:
					if luma(fg) > 80 || luma(bg) > 80 {
						t.Errorf("ink cell (%d,%d): %v over %v", x, y, fg, bg)
					}
				case -1:
					if luma(fg) < 180 || luma(bg) < 180 {
						t.Errorf("paper cell (%d,%d): %v over %v", x, y, fg, bg)
					}
				}
				x++
			}
		}
	})
}
