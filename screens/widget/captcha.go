package widget

import (
	"hash/fnv"
	"strings"
)

// glyphs is a 5×5 pixel font for the captcha characters; '#' is ink.
var glyphs = map[rune][5]string{
	'0': {".###.", "#..##", "#.#.#", "##..#", ".###."},
	'1': {"..#..", ".##..", "..#..", "..#..", ".###."},
	'2': {"####.", "....#", ".###.", "#....", "#####"},
	'3': {"####.", "....#", ".###.", "....#", "####."},
	'4': {"#..#.", "#..#.", "#####", "...#.", "...#."},
	'5': {"#####", "#....", "####.", "....#", "####."},
	'6': {".###.", "#....", "####.", "#...#", ".###."},
	'7': {"#####", "....#", "...#.", "..#..", "..#.."},
	'8': {".###.", "#...#", ".###.", "#...#", ".###."},
	'9': {".###.", "#...#", ".####", "....#", ".###."},
	'A': {".###.", "#...#", "#####", "#...#", "#...#"},
	'B': {"####.", "#...#", "####.", "#...#", "####."},
	'C': {".####", "#....", "#....", "#....", ".####"},
	'D': {"####.", "#...#", "#...#", "#...#", "####."},
	'E': {"#####", "#....", "####.", "#....", "#####"},
	'F': {"#####", "#....", "####.", "#....", "#...."},
	'G': {".####", "#....", "#..##", "#...#", ".###."},
	'H': {"#...#", "#...#", "#####", "#...#", "#...#"},
	'I': {".###.", "..#..", "..#..", "..#..", ".###."},
	'J': {"..###", "...#.", "...#.", "#..#.", ".##.."},
	'K': {"#...#", "#..#.", "###..", "#..#.", "#...#"},
	'L': {"#....", "#....", "#....", "#....", "#####"},
	'M': {"#...#", "##.##", "#.#.#", "#...#", "#...#"},
	'N': {"#...#", "##..#", "#.#.#", "#..##", "#...#"},
	'O': {".###.", "#...#", "#...#", "#...#", ".###."},
	'P': {"####.", "#...#", "####.", "#....", "#...."},
	'Q': {".###.", "#...#", "#.#.#", "#..#.", ".##.#"},
	'R': {"####.", "#...#", "####.", "#..#.", "#...#"},
	'S': {".####", "#....", ".###.", "....#", "####."},
	'T': {"#####", "..#..", "..#..", "..#..", "..#.."},
	'U': {"#...#", "#...#", "#...#", "#...#", ".###."},
	'V': {"#...#", "#...#", "#...#", ".#.#.", "..#.."},
	'W': {"#...#", "#...#", "#.#.#", "##.##", "#...#"},
	'X': {"#...#", ".#.#.", "..#..", ".#.#.", "#...#"},
	'Y': {"#...#", ".#.#.", "..#..", "..#..", "..#.."},
	'Z': {"#####", "...#.", "..#..", ".#...", "#####"},
}

// CaptchaPicture draws text as big half-block letters (5 pixel rows folded
// into 3 text rows), each letter shifted up or down by one pixel, with a few
// noise dots in the blank cells. The layout is derived from the text itself,
// so one challenge always looks the same (stable golden files). The full
// noisy image comes with the devices work.
func CaptchaPicture(text string) string {
	text = strings.ToUpper(text)
	h := fnv.New64a()
	h.Write([]byte(text))
	seed := h.Sum64()
	next := func() uint64 { // xorshift: cheap, deterministic
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return seed
	}
	const rows = 6 // 5 glyph rows + 1 for the vertical jitter
	var px [rows][]bool
	for _, r := range text {
		g, ok := glyphs[r]
		if !ok {
			continue
		}
		shift := int(next() % 2)
		for y := 0; y < rows; y++ {
			for x := 0; x < 5; x++ {
				gy := y - shift
				px[y] = append(px[y], gy >= 0 && gy < 5 && g[gy][x] == '#')
			}
			px[y] = append(px[y], false, false) // letter spacing
		}
	}
	width := len(px[0])
	var b strings.Builder
	for y := 0; y < rows; y += 2 {
		if y > 0 {
			b.WriteByte('\n')
		}
		for x := 0; x < width; x++ {
			top, bot := px[y][x], px[y+1][x]
			switch {
			case top && bot:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bot:
				b.WriteString("▄")
			case next()%9 == 0:
				b.WriteByte('.')
			default:
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}
