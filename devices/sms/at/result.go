package at

import (
	"strconv"
	"strings"
)

// Status is a final result code.
type Status uint8

// Final result codes (V.250 and 3GPP TS 27.005/27.007).
const (
	StatusOK Status = iota + 1
	StatusError
	StatusCMS // +CMS ERROR: <err> (SMS, 27.005 §3.2.5)
	StatusCME // +CME ERROR: <err> (equipment, 27.007 §9.2)
	StatusNoCarrier
	StatusBusy
	StatusNoAnswer
	StatusNoDialtone
)

var statusNames = map[Status]string{StatusOK: "OK", StatusError: "ERROR", StatusCMS: "+CMS ERROR",
	StatusCME: "+CME ERROR", StatusNoCarrier: "NO CARRIER", StatusBusy: "BUSY", StatusNoAnswer: "NO ANSWER",
	StatusNoDialtone: "NO DIALTONE"}

func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// Result is a final result code with its error number or text.
type Result struct {
	Status Status
	Code   int    // the number after +CMS/+CME ERROR:, -1 when the modem gave text
	Text   string // the verbose text after +CMS/+CME ERROR:, if any
}

// ParseResult recognises a final result code line.
func ParseResult(line string) (Result, bool) {
	line = strings.TrimSpace(line)
	for _, p := range [...]struct {
		prefix string
		status Status
	}{{"+CMS ERROR:", StatusCMS}, {"+CME ERROR:", StatusCME}} {
		if len(line) >= len(p.prefix) && strings.EqualFold(line[:len(p.prefix)], p.prefix) {
			arg := strings.TrimSpace(line[len(p.prefix):])
			if n, err := strconv.Atoi(arg); err == nil && n >= 0 && n <= 65535 {
				return Result{Status: p.status, Code: n}, true
			}
			return Result{Status: p.status, Code: -1, Text: arg}, true
		}
	}
	for s, name := range statusNames {
		if s != StatusCMS && s != StatusCME && strings.EqualFold(line, name) {
			return Result{Status: s}, true
		}
	}
	return Result{}, false
}

// Err is nil for OK and an *Error otherwise.
func (r Result) Err() error {
	if r.Status == StatusOK {
		return nil
	}
	e := Error(r)
	return &e
}

// Error is a final result other than OK.
type Error Result

func (e *Error) Error() string {
	switch {
	case e.Status != StatusCMS && e.Status != StatusCME:
		return "at: " + e.Status.String()
	case e.Code >= 0:
		return "at: " + e.Status.String() + ": " + strconv.Itoa(e.Code)
	}
	return "at: " + e.Status.String() + ": " + e.Text
}

// Permanent reports whether the modem refused this message for a reason a
// retry cannot fix: the destination does not exist or is barred, or the PDU
// itself is invalid. Problems of the modem, the SIM or the network (no
// credit, no coverage, busy, unknown errors such as 500) are temporary.
func (e *Error) Permanent() bool {
	return e.Status == StatusCMS && permanentCMS[e.Code]
}

// permanentCMS lists <err> values of +CMS ERROR that concern the message or
// its destination (27.005 §3.2.5: 0–127 are RP-causes of 24.011 Table 8.4,
// 128–255 TP-FCS of 23.040 §9.2.3.22, 300+ ME/TA errors).
var permanentCMS = map[int]bool{
	1:  true, // unassigned (unallocated) number
	21: true, // short message transfer rejected
	28: true, // unidentified subscriber
	30: true, // unknown subscriber
	95: true, // invalid message, unspecified
	96: true, // invalid mandatory information
	97: true, // message type non-existent or not implemented
	99: true, // information element non-existent or not implemented
	// TP-FCS: TP-PID errors 0x80–0x8F and TP-DCS errors 0x90–0x9F follow below.
	0xB0: true, // TPDU not supported
	0xC3: true, // invalid SME address
	0xC4: true, // SME barred
	0xC5: true, // rejected duplicate: the centre already holds this message
	304:  true, // invalid PDU mode parameter
	305:  true, // invalid text mode parameter
}

func init() {
	for c := 0x80; c <= 0x9F; c++ {
		permanentCMS[c] = true
	}
}
