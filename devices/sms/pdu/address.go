package pdu

import "strings"

// Type-of-address octets (3GPP TS 23.040 §9.1.2.5).
const (
	TOAInternational = 0x91 // TON international, NPI ISDN/E.164
	TOAUnknown       = 0x81 // TON unknown, NPI ISDN: the usual choice for national numbers
	toaAlphanumeric  = 0x50 // TON alphanumeric (bits 6-4 = 101), only decoded
)

const (
	minDigits = 3
	maxDigits = 20 // TP-DA holds at most 10 octets of digits
)

// Number is a destination address ready for a PDU.
type Number struct {
	Digits        string // only 0-9
	International bool
}

// String is the number as people write it: "+8613800138000" or "10086".
func (n Number) String() string {
	if n.International {
		return "+" + n.Digits
	}
	return n.Digits
}

// ParseNumber normalises a destination: "+<digits>" and "00<digits>" are
// international; a Chinese mobile number (11 digits starting with 1) and
// "86" + such a number become international 86…; anything else made of
// digits (short codes such as 10086, landlines with a trunk 0) is sent as a
// national number. Spaces, dashes and other characters are refused rather
// than guessed at.
func ParseNumber(s string) (Number, error) {
	intl := false
	switch {
	case strings.HasPrefix(s, "+"):
		intl, s = true, s[1:]
	case strings.HasPrefix(s, "00"):
		intl, s = true, s[2:]
	}
	if len(s) < minDigits || len(s) > maxDigits {
		return Number{}, ErrInvalidNumber
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return Number{}, ErrInvalidNumber
		}
	}
	if !intl {
		switch {
		case len(s) == 11 && s[0] == '1':
			intl, s = true, "86"+s
		case len(s) == 13 && strings.HasPrefix(s, "861"):
			intl = true
		}
	}
	return Number{Digits: s, International: intl}, nil
}

// appendAddress appends TP-DA: the number of digits, the type of address
// and the digits as swapped semi-octets padded with F.
func appendAddress(dst []byte, n Number) []byte {
	toa := byte(TOAUnknown)
	if n.International {
		toa = TOAInternational
	}
	dst = append(dst, byte(len(n.Digits)), toa)
	return appendSemiOctets(dst, n.Digits)
}

// appendSemiOctets packs decimal digits two per octet, low nibble first.
func appendSemiOctets(dst []byte, digits string) []byte {
	for i := 0; i < len(digits); i += 2 {
		lo := digits[i] - '0'
		hi := byte(0xF)
		if i+1 < len(digits) {
			hi = digits[i+1] - '0'
		}
		dst = append(dst, hi<<4|lo)
	}
	return dst
}

// semiOctetDigits decodes n semi-octets; A–E are the extra BCD symbols of
// 24.008 (*, #, a, b, c); F is filler.
func semiOctetDigits(b []byte, n int) string {
	const sym = "0123456789*#abc?"
	var sb strings.Builder
	for i := 0; i < n; i++ {
		v := b[i/2]
		if i%2 == 1 {
			v >>= 4
		}
		v &= 0xF
		if v == 0xF {
			continue
		}
		sb.WriteByte(sym[v])
	}
	return sb.String()
}
