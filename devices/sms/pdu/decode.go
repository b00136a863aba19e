package pdu

import (
	"encoding/hex"
	"errors"
	"fmt"
	"time"
	"unicode/utf16"
)

// ErrMalformed is wrapped by every decoding error.
var ErrMalformed = errors.New("pdu: malformed")

// Submit is a decoded SMS-SUBMIT.
type Submit struct {
	SMSC             string // "" when the SIM's service centre is used
	RejectDuplicates bool
	StatusReport     bool
	ReplyPath        bool
	MR               byte   // TP-MR
	To               string // "+8613800138000" for international numbers
	TOA              byte
	PID              byte
	DCS              byte
	Validity         time.Duration // relative TP-VP; 0 when absent or not relative
	Concat           *Concat       // nil for a message on its own
	Text             string        // GSM 7-bit or UCS2 text
	Data             []byte        // 8-bit data (Text is empty then)
	TPDULen          int           // octets after the SCA
}

// Concat is a concatenation header (IEI 0x00 or 0x08).
type Concat struct {
	Ref   uint16
	Total byte
	Seq   byte // 1-based
}

// alphabets of a TP-DCS.
const (
	alphaGSM7 = iota
	alpha8Bit
	alphaUCS2
)

// Decode parses a hex PDU as written after the "> " prompt (SCA + TPDU).
// It never panics; anything it cannot read is an error wrapping ErrMalformed.
func Decode(hexPDU string) (Submit, error) {
	raw, err := hex.DecodeString(hexPDU)
	if err != nil {
		return Submit{}, fmt.Errorf("%w: not hex", ErrMalformed)
	}
	return DecodeBytes(raw)
}

// DecodeBytes is Decode on raw octets.
func DecodeBytes(raw []byte) (Submit, error) {
	r := &reader{b: raw}
	var s Submit
	if n := int(r.byte()); n > 0 {
		body := r.take(n)
		if r.err == nil {
			s.SMSC = addressString(body[0], semiOctetDigits(body[1:], 2*(n-1)))
		}
	}
	s.TPDULen = len(raw) - r.i
	first := r.byte()
	if r.err == nil && first&0x03 != 0x01 {
		return s, fmt.Errorf("%w: not an SMS-SUBMIT", ErrMalformed)
	}
	s.RejectDuplicates = first&0x04 != 0
	s.StatusReport = first&0x20 != 0
	s.ReplyPath = first&0x80 != 0
	s.MR = r.byte()
	s.To, s.TOA = r.address()
	s.PID = r.byte()
	s.DCS = r.byte()
	switch (first >> 3) & 0x03 {
	case 0x02:
		s.Validity = ValidityDuration(r.byte())
	case 0x01, 0x03: // enhanced or absolute: seven octets we do not interpret
		r.take(7)
	}
	udl := int(r.byte())
	rest := r.rest()
	if r.err != nil {
		return s, r.err
	}
	alpha, err := alphabet(s.DCS)
	if err != nil {
		return s, err
	}
	udLen := udl
	if alpha == alphaGSM7 {
		udLen = packedLen(udl)
	}
	if len(rest) != udLen {
		return s, fmt.Errorf("%w: user data is %d octets, TP-UDL says %d", ErrMalformed, len(rest), udLen)
	}
	hdrOctets := 0
	if first&0x40 != 0 {
		if len(rest) == 0 || 1+int(rest[0]) > len(rest) {
			return s, fmt.Errorf("%w: user data header overruns", ErrMalformed)
		}
		hdrOctets = 1 + int(rest[0])
		if s.Concat, err = parseUDH(rest[1:hdrOctets]); err != nil {
			return s, err
		}
	}
	switch alpha {
	case alphaGSM7:
		start := (hdrOctets*8 + 6) / 7
		if start > udl {
			return s, fmt.Errorf("%w: header longer than TP-UDL", ErrMalformed)
		}
		s.Text = septetsToText(unpack(rest, start, udl-start))
	case alpha8Bit:
		s.Data = append([]byte{}, rest[hdrOctets:]...)
	case alphaUCS2:
		body := rest[hdrOctets:]
		if len(body)%2 != 0 {
			return s, fmt.Errorf("%w: odd UCS2 length", ErrMalformed)
		}
		units := make([]uint16, len(body)/2)
		for i := range units {
			units[i] = uint16(body[2*i])<<8 | uint16(body[2*i+1])
		}
		s.Text = string(utf16.Decode(units))
	}
	return s, nil
}

// alphabet reads the character set of a TP-DCS (23.038 §4).
func alphabet(dcs byte) (int, error) {
	switch {
	case dcs&0x80 == 0: // general data coding (00xx) and automatic deletion (01xx)
		if dcs&0x20 != 0 {
			return 0, fmt.Errorf("%w: compressed text", ErrMalformed)
		}
		switch (dcs >> 2) & 0x03 {
		case 1:
			return alpha8Bit, nil
		case 2:
			return alphaUCS2, nil
		}
		return alphaGSM7, nil
	case dcs&0xF0 == 0xE0:
		return alphaUCS2, nil
	case dcs&0xF0 == 0xF0 && dcs&0x04 != 0:
		return alpha8Bit, nil
	}
	return alphaGSM7, nil
}

// parseUDH walks the information elements and keeps the concatenation one.
func parseUDH(h []byte) (*Concat, error) {
	var c *Concat
	for i := 0; i < len(h); {
		if i+2 > len(h) || i+2+int(h[i+1]) > len(h) {
			return nil, fmt.Errorf("%w: information element overruns", ErrMalformed)
		}
		iei, data := h[i], h[i+2:i+2+int(h[i+1])]
		switch {
		case iei == 0x00 && len(data) == 3:
			c = &Concat{Ref: uint16(data[0]), Total: data[1], Seq: data[2]}
		case iei == 0x08 && len(data) == 4:
			c = &Concat{Ref: uint16(data[0])<<8 | uint16(data[1]), Total: data[2], Seq: data[3]}
		}
		i += 2 + len(data)
	}
	if c != nil && (c.Total == 0 || c.Seq == 0 || c.Seq > c.Total) {
		return nil, fmt.Errorf("%w: bad concatenation header", ErrMalformed)
	}
	return c, nil
}

func addressString(toa byte, digits string) string {
	if toa&0x70 == 0x10 {
		return "+" + digits
	}
	return digits
}

// reader reads octets and remembers the first overrun.
type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || r.i+n > len(r.b) {
		r.err = fmt.Errorf("%w: truncated at octet %d", ErrMalformed, r.i)
		return nil
	}
	out := r.b[r.i : r.i+n]
	r.i += n
	return out
}

func (r *reader) byte() byte {
	if b := r.take(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) rest() []byte {
	if r.err != nil {
		return nil
	}
	out := r.b[r.i:]
	r.i = len(r.b)
	return out
}

// address reads TP-DA: digit count, type of address, semi-octets (or packed
// GSM 7-bit for an alphanumeric address).
func (r *reader) address() (string, byte) {
	n := int(r.byte())
	toa := r.byte()
	body := r.take((n + 1) / 2)
	if r.err != nil {
		return "", toa
	}
	if toa&0x70 == toaAlphanumeric {
		return septetsToText(unpack(body, 0, len(body)*8/7)), toa
	}
	return addressString(toa, semiOctetDigits(body, n)), toa
}
