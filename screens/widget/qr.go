package widget

import (
	"strings"

	"github.com/muesli/termenv"
	qrcode "github.com/skip2/go-qrcode"
)

// QRLevel is the error correction of the codes the kiosk draws: a screen
// is never smudged or torn, and Low keeps the template's address (about
// 60 characters) at version 4, 41 modules with the quiet zone: 21 rows.
const QRLevel = qrcode.Low

// QR draws text as a QR code in half blocks, two modules per character
// row: the bit matrix of github.com/skip2/go-qrcode with its quiet zone of
// four modules. The ink is the light part, as everywhere on the kiosk's
// dark screen: '█' is two light modules, ' ' two dark ones, '▀' light over
// dark and '▄' dark over light; a last odd row is padded with light. So on
// a light-on-dark terminal (and in QRView's colours on any terminal) a
// phone sees dark modules on a light ground, as the standard wants.
func QR(text string) ([]string, error) {
	q, err := qrcode.New(text, QRLevel)
	if err != nil {
		return nil, err
	}
	return qrLines(q.Bitmap()), nil
}

// QRCompact is QR with a quiet zone of two modules instead of four, for a
// code that must fit a small screen (a reference number: 25 modules, 13
// rows); phones read it on the kiosk's dark screen, whose light border
// is the quiet zone's light modules themselves.
func QRCompact(text string) ([]string, error) {
	q, err := qrcode.New(text, QRLevel)
	if err != nil {
		return nil, err
	}
	bm := q.Bitmap()
	const trim = 2 // of the library's four
	if len(bm) <= 2*trim {
		return qrLines(bm), nil
	}
	bm = bm[trim : len(bm)-trim]
	for i := range bm {
		bm[i] = bm[i][trim : len(bm[i])-trim]
	}
	return qrLines(bm), nil
}

// qrLines draws a bitmap (true: a dark module) two rows to a line.
func qrLines(bm [][]bool) []string {
	light := func(y, x int) bool { return y >= len(bm) || !bm[y][x] }
	lines := make([]string, 0, (len(bm)+1)/2)
	for y := 0; y < len(bm); y += 2 {
		var b strings.Builder
		for x := range bm[y] {
			top, bot := light(y, x), light(y+1, x)
			switch {
			case top && bot:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bot:
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
		lines = append(lines, b.String())
	}
	return lines
}

// QRView is QR's lines for profile p: with any colour, each line in
// bright white on black (SGR 97;40, the pair every palette draws with the
// most contrast), so the code reads right on a light terminal too; under
// Ascii the characters alone, in the terminal's own colours.
func QRView(lines []string, p termenv.Profile) string {
	if p == termenv.Ascii {
		return strings.Join(lines, "\n")
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = "\x1b[97;40m" + l + "\x1b[0m"
	}
	return strings.Join(out, "\n")
}
