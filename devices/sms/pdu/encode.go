// Package pdu encodes SMS-SUBMIT PDUs for AT+CMGS in PDU mode (3GPP TS
// 23.040 and 23.038) and decodes them again for tests and the modem
// emulator. Text that fits the GSM 7-bit default alphabet is sent in it;
// anything else (Chinese) is sent as UCS2 (UTF-16BE, so characters outside
// the BMP travel as surrogate pairs). Long text is split into parts joined
// by an 8-bit concatenation header.
package pdu

import (
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Error is an encoding error. Retrying never helps, so it reports itself as
// permanent to callers that look for a Permanent() bool method.
type Error string

func (e Error) Error() string { return string(e) }

// Permanent reports true: the same input always fails the same way.
func (Error) Permanent() bool { return true }

// Encoding errors. None of them carries the number or the text.
const (
	ErrInvalidNumber Error = "pdu: invalid destination number"
	ErrInvalidSMSC   Error = "pdu: invalid service centre number"
	ErrEmptyText     Error = "pdu: empty message"
	ErrInvalidText   Error = "pdu: text is not valid UTF-8"
	ErrTooLong       Error = "pdu: message needs more than 255 parts"
)

// Limits of one SMS (140 octets of user data).
const (
	gsm7Single = 160 // septets in a message on its own
	gsm7Part   = 153 // septets per part after the 6-octet header and 1 fill bit
	ucs2Single = 70  // UTF-16 code units on its own
	ucs2Part   = 67  // code units per part after the header
	udhConcat  = 6   // UDHL + IEI 00 + IEDL + ref + total + seq
	udhSeptets = 7   // those 48 bits rounded up to whole septets
	maxParts   = 255
)

// Data coding schemes used when encoding.
const (
	DCSGSM7 = 0x00
	DCS8Bit = 0x04
	DCSUCS2 = 0x08
)

// Options tune the encoding.
type Options struct {
	// SMSC is the service centre number; empty uses the one stored on the SIM.
	SMSC string
	// Validity is the relative TP-VP (rounded up to what the field can
	// express, at most 63 weeks); zero leaves validity to the network.
	Validity time.Duration
	// Ref is the concatenation reference shared by the parts of one message.
	// Keeping it stable across retries lets phones drop a resent part.
	Ref byte
	// StatusReport asks for a delivery report (TP-SRR).
	StatusReport bool
}

// PDU is one part ready to be written after the "> " prompt.
type PDU struct {
	Hex     string // upper-case hex of SCA + TPDU, without the Ctrl-Z
	TPDULen int    // octets after the SCA: the <length> of AT+CMGS=<length>
}

// Encode builds the SMS-SUBMIT PDUs that carry text to the number to (see
// ParseNumber for the accepted forms).
func Encode(to, text string, opt Options) ([]PDU, error) {
	num, err := ParseNumber(to)
	if err != nil {
		return nil, err
	}
	sca := []byte{0}
	if opt.SMSC != "" {
		n, err := ParseNumber(opt.SMSC)
		if err != nil {
			return nil, ErrInvalidSMSC
		}
		sca = appendAddress(nil, n)
		sca[0] = byte(len(sca) - 1) // the SCA length counts octets, not digits
	}
	if text == "" {
		return nil, ErrEmptyText
	}
	if !utf8.ValidString(text) {
		return nil, ErrInvalidText
	}
	gsm := IsGSM7(text)
	var bodies [][]byte // septets (GSM 7-bit) or UTF-16BE octets (UCS2)
	if gsm {
		bodies = splitGSM7(text)
	} else {
		bodies = splitUCS2(text)
	}
	if len(bodies) > maxParts {
		return nil, ErrTooLong
	}
	head := submitHeader(num, opt, gsm, len(bodies) > 1)
	out := make([]PDU, len(bodies))
	for i, body := range bodies {
		tpdu := append([]byte(nil), head...)
		var udh []byte
		if len(bodies) > 1 {
			udh = []byte{udhConcat - 1, 0x00, 0x03, opt.Ref, byte(len(bodies)), byte(i + 1)}
		}
		if gsm {
			tpdu = appendGSM7UD(tpdu, udh, body)
		} else {
			tpdu = append(tpdu, byte(len(udh)+len(body)))
			tpdu = append(append(tpdu, udh...), body...)
		}
		out[i] = PDU{Hex: upperHex(sca, tpdu), TPDULen: len(tpdu)}
	}
	return out, nil
}

// Parts returns how many SMS text will take (0 for empty text).
func Parts(text string) int {
	if text == "" {
		return 0
	}
	if IsGSM7(text) {
		return len(splitGSM7(text))
	}
	return len(splitUCS2(text))
}

// submitHeader is the TPDU up to and including TP-VP.
func submitHeader(num Number, opt Options, gsm, concat bool) []byte {
	first := byte(0x01) // TP-MTI SMS-SUBMIT; TP-MR is left 0 for the modem to assign
	if opt.Validity > 0 {
		first |= 0x10 // TP-VPF relative
	}
	if opt.StatusReport {
		first |= 0x20
	}
	if concat {
		first |= 0x40 // TP-UDHI
	}
	h := []byte{first, 0x00}
	h = appendAddress(h, num)
	dcs := byte(DCSUCS2)
	if gsm {
		dcs = DCSGSM7
	}
	h = append(h, 0x00, dcs) // TP-PID plain SME-to-SME
	if opt.Validity > 0 {
		h = append(h, RelativeValidity(opt.Validity))
	}
	return h
}

// appendGSM7UD appends TP-UDL (in septets) and the packed user data; the
// header, if any, fills the first septets including its fill bit.
func appendGSM7UD(dst, udh, septets []byte) []byte {
	start := 0
	if len(udh) > 0 {
		start = udhSeptets
	}
	ud := make([]byte, packedLen(start+len(septets)))
	copy(ud, udh)
	pack(ud, start, septets)
	dst = append(dst, byte(start+len(septets)))
	return append(dst, ud...)
}

// splitGSM7 turns text into parts of septets; an escape pair is never split.
func splitGSM7(text string) [][]byte {
	all := make([]byte, 0, len(text))
	for _, r := range text {
		all = appendSeptets(all, r)
	}
	if len(all) <= gsm7Single {
		return [][]byte{all}
	}
	var parts [][]byte
	cur := make([]byte, 0, gsm7Part)
	for _, r := range text {
		if len(cur)+gsm7Cost(r) > gsm7Part {
			parts, cur = append(parts, cur), make([]byte, 0, gsm7Part)
		}
		cur = appendSeptets(cur, r)
	}
	return append(parts, cur)
}

// splitUCS2 turns text into parts of UTF-16BE octets; a surrogate pair is
// never split.
func splitUCS2(text string) [][]byte {
	units := 0
	for _, r := range text {
		units += utf16.RuneLen(r)
	}
	limit := ucs2Part
	if units <= ucs2Single {
		limit = ucs2Single
	}
	var parts [][]byte
	cur := make([]byte, 0, 2*limit)
	for _, r := range text {
		n := utf16.RuneLen(r) // 1 or 2: valid UTF-8 holds no surrogates
		if len(cur)/2+n > limit {
			parts, cur = append(parts, cur), make([]byte, 0, 2*limit)
		}
		if n == 2 {
			hi, lo := utf16.EncodeRune(r)
			cur = append(cur, byte(hi>>8), byte(hi), byte(lo>>8), byte(lo))
		} else {
			cur = append(cur, byte(r>>8), byte(r))
		}
	}
	return append(parts, cur)
}

// RelativeValidity encodes d as a relative TP-VP octet (23.040 §9.2.3.12.1),
// rounding up so a message never expires earlier than asked.
func RelativeValidity(d time.Duration) byte {
	ceilDiv := func(a, b time.Duration) int { return int((a + b - 1) / b) }
	const day, week = 24 * time.Hour, 7 * 24 * time.Hour
	switch {
	case d <= 5*time.Minute:
		return 0
	case d <= 12*time.Hour:
		return byte(ceilDiv(d, 5*time.Minute) - 1)
	case d <= day:
		return byte(143 + ceilDiv(d-12*time.Hour, 30*time.Minute))
	case d <= 30*day:
		return byte(166 + ceilDiv(d, day))
	case d <= 63*week:
		return byte(192 + ceilDiv(d, week))
	}
	return 255
}

// ValidityDuration decodes a relative TP-VP octet.
func ValidityDuration(vp byte) time.Duration {
	v := time.Duration(vp)
	switch {
	case vp <= 143:
		return (v + 1) * 5 * time.Minute
	case vp <= 167:
		return 12*time.Hour + (v-143)*30*time.Minute
	case vp <= 196:
		return (v - 166) * 24 * time.Hour
	}
	return (v - 192) * 7 * 24 * time.Hour
}

func upperHex(parts ...[]byte) string {
	const digits = "0123456789ABCDEF"
	n := 0
	for _, p := range parts {
		n += 2 * len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		for _, b := range p {
			out = append(out, digits[b>>4], digits[b&0xF])
		}
	}
	return string(out)
}
