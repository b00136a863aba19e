package pdu

// The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038
// §6.2.1). Index = septet value. Position 0x1B is the escape to the
// extension table, not a character.
const gsm7Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

const gsm7Escape = 0x1B

// gsm7Ext maps an extension-table septet (after 0x1B) to its character.
var gsm7Ext = map[byte]rune{
	0x0A: '\f', 0x14: '^', 0x28: '{', 0x29: '}', 0x2F: '\\',
	0x3C: '[', 0x3D: '~', 0x3E: ']', 0x40: '|', 0x65: '€',
}

var (
	basicRunes [128]rune         // septet → rune
	basicIndex = map[rune]byte{} // rune → septet
	extIndex   = map[rune]byte{} // rune → extension septet
)

func init() {
	i := 0
	for _, r := range gsm7Basic {
		basicRunes[i] = r
		if i != gsm7Escape {
			basicIndex[r] = byte(i)
		}
		i++
	}
	if i != 128 {
		panic("pdu: GSM 7-bit table must have 128 entries")
	}
	for s, r := range gsm7Ext {
		extIndex[r] = s
	}
}

// gsm7Cost is the number of septets r takes, or 0 when r is not in the
// default alphabet or its extension.
func gsm7Cost(r rune) int {
	if _, ok := basicIndex[r]; ok {
		return 1
	}
	if _, ok := extIndex[r]; ok {
		return 2
	}
	return 0
}

// IsGSM7 reports whether text can be sent in the GSM 7-bit default alphabet
// (with the extension table).
func IsGSM7(text string) bool {
	for _, r := range text {
		if gsm7Cost(r) == 0 {
			return false
		}
	}
	return true
}

// appendSeptets appends the septets of r (which must be encodable).
func appendSeptets(dst []byte, r rune) []byte {
	if s, ok := basicIndex[r]; ok {
		return append(dst, s)
	}
	return append(dst, gsm7Escape, extIndex[r])
}

// septetsToText decodes septets. An escape to an unknown extension shows the
// basic character, as 23.038 asks of receivers; a trailing escape is dropped.
func septetsToText(septets []byte) string {
	out := make([]rune, 0, len(septets))
	for i := 0; i < len(septets); i++ {
		s := septets[i] & 0x7F
		if s != gsm7Escape {
			out = append(out, basicRunes[s])
			continue
		}
		if i+1 >= len(septets) {
			break
		}
		i++
		n := septets[i] & 0x7F
		if r, ok := gsm7Ext[n]; ok {
			out = append(out, r)
		} else if n != gsm7Escape {
			out = append(out, basicRunes[n])
		}
	}
	return string(out)
}

// pack writes septets into out starting at septet position start (the
// positions before it hold the user data header and its fill bits), least
// significant bit first as 23.038 §6.1.2.1 describes.
func pack(out []byte, start int, septets []byte) {
	for i, s := range septets {
		bit := (start + i) * 7
		idx, shift := bit/8, uint(bit%8)
		out[idx] |= (s & 0x7F) << shift
		if shift > 1 {
			out[idx+1] |= (s & 0x7F) >> (8 - shift)
		}
	}
}

// unpack reads n septets from data starting at septet position start. The
// caller has checked that data is long enough.
func unpack(data []byte, start, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		bit := (start + i) * 7
		idx, shift := bit/8, uint(bit%8)
		v := uint16(data[idx])
		if idx+1 < len(data) {
			v |= uint16(data[idx+1]) << 8
		}
		out[i] = byte(v>>shift) & 0x7F
	}
	return out
}

// packedLen is the octets needed for n septets.
func packedLen(n int) int { return (n*7 + 7) / 8 }
