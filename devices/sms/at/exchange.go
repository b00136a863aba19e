package at

import "strings"

// Exchange gathers the answer to one command. Feed it the parser's events
// until Add reports done.
type Exchange struct {
	// Command is the command line as sent, without CR ("AT+CMGS=23"); empty
	// when only waiting for a result (after a PDU). It spots echo and tells
	// the command's own "+CMD:" lines from unsolicited ones.
	Command string
	// Echo lists other text the modem may echo back (the PDU).
	Echo []string
	// WantPrompt makes a "> " prompt complete the exchange.
	WantPrompt bool

	Lines    []string // information lines, e.g. "+CMGS: 12"
	URCs     []string // unsolicited result codes seen meanwhile
	Echoed   int      // echoed lines skipped
	Prompted bool     // ended by a prompt
	Result   Result   // the final result when not Prompted
	Done     bool
}

// Add takes one event and reports whether the exchange is complete. Events
// after completion are ignored (and reported done again).
func (x *Exchange) Add(ev Event) bool {
	if x.Done {
		return true
	}
	switch ev.Kind {
	case Prompt:
		if x.WantPrompt {
			x.Prompted, x.Done = true, true
		}
		return x.Done
	case Line:
	default:
		return false
	}
	line := ev.Text
	if r, ok := ParseResult(line); ok {
		x.Result, x.Done = r, true
		return true
	}
	switch {
	case x.isEcho(line):
		x.Echoed++
	case x.ownLine(line):
		x.Lines = append(x.Lines, line)
	case IsURC(line):
		x.URCs = append(x.URCs, line)
	default:
		x.Lines = append(x.Lines, line)
	}
	return false
}

// Err is the exchange's outcome: nil when it ended with OK or a wanted
// prompt, an *Error for another final result.
func (x *Exchange) Err() error {
	if x.Prompted {
		return nil
	}
	return x.Result.Err()
}

// Value returns what follows "<prefix>:" on the first information line that
// has it ("+CMGS" → "12").
func (x *Exchange) Value(prefix string) (string, bool) {
	for _, l := range x.Lines {
		if v, ok := cutPrefixFold(l, prefix+":"); ok {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

func (x *Exchange) isEcho(line string) bool {
	if x.Command != "" && strings.EqualFold(line, strings.TrimSpace(x.Command)) {
		return true
	}
	for _, e := range x.Echo {
		if strings.EqualFold(line, e) {
			return true
		}
	}
	return false
}

// ownLine reports whether line is "+CMD: …" for a command "AT+CMD…".
func (x *Exchange) ownLine(line string) bool {
	cmd, ok := cutPrefixFold(x.Command, "AT")
	if !ok || len(cmd) < 2 || (cmd[0] != '+' && cmd[0] != '^') {
		return false
	}
	name := cmd
	if i := strings.IndexAny(cmd, "=?"); i >= 0 {
		name = cmd[:i]
	}
	_, ok = cutPrefixFold(line, name+":")
	return ok
}

// urcPrefixes are unsolicited result codes common on GSM/UMTS modems
// (27.005, 27.007 and vendor ones from Huawei, SIMCom, Quectel).
var urcPrefixes = []string{
	"RING", "+CRING:", "+CLIP:", "+CMTI:", "+CMT:", "+CDS:", "+CDSI:", "+CBM:", "+CBMI:",
	"+CREG:", "+CGREG:", "+CEREG:", "+CUSD:", "+CIEV:", "+CPIN:", "+CFUN:", "+QIND:",
	"^RSSI:", "^BOOT:", "^MODE:", "^SRVST:", "^SIMST:", "^HCSQ:", "^DSFLOWRPT:", "^RFSWITCH:",
	"RDY", "CALL READY", "SMS READY", "NORMAL POWER DOWN", "UNDER-VOLTAGE",
}

// IsURC reports whether line is a known unsolicited result code.
func IsURC(line string) bool {
	for _, p := range urcPrefixes {
		if _, ok := cutPrefixFold(line, p); ok {
			return true
		}
	}
	return false
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
