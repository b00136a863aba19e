package at

import (
	"reflect"
	"strconv"
	"testing"
)

// FuzzParser: any bytes, cut anywhere, give the same events, and every line
// is printable ASCII within MaxLine.
func FuzzParser(f *testing.F) {
	f.Add([]byte("\r\n+CMGS: 12\r\n\r\nOK\r\n"), uint8(1))
	f.Add([]byte("AT+CMGS=23\r\r\n> 0011\x1a\r\n+CMS ERROR: 500\r\n"), uint8(3))
	f.Add([]byte(">\xff \x00\r\n\xfeRING\n"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		var whole Parser
		want := whole.Feed(nil, data)
		var cut Parser
		var got []Event
		step := int(chunk) + 1
		for i := 0; i < len(data); i += step {
			got = cut.Feed(got, data[i:min(i+step, len(data))])
		}
		if !reflect.DeepEqual(got, want) || cut.Partial() != whole.Partial() {
			t.Fatalf("chunking changed events: %q vs %q", got, want)
		}
		for _, ev := range want {
			if ev.Kind == Prompt {
				continue
			}
			if ev.Text == "" || len(ev.Text) > MaxLine {
				t.Fatalf("bad line %q", ev.Text)
			}
			for i := 0; i < len(ev.Text); i++ {
				if c := ev.Text[i]; c < 0x20 || c >= 0x7F {
					t.Fatalf("byte %#x in line %q", c, ev.Text)
				}
			}
		}
	})
}

// FuzzParseResult: recognised results print back to a line that parses the
// same way.
func FuzzParseResult(f *testing.F) {
	for _, s := range []string{"OK", "ERROR", "+CMS ERROR: 500", "+CME ERROR: SIM busy", "+cms error:-1", "NO CARRIER", "+CMGS: 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r, ok := ParseResult(line)
		if !ok {
			return
		}
		if r.Status < StatusOK || r.Status > StatusNoDialtone {
			t.Fatalf("status %d", r.Status)
		}
		printed := r.Status.String()
		if r.Status == StatusCMS || r.Status == StatusCME {
			printed += ": " + r.Text
			if r.Code >= 0 {
				printed = r.Status.String() + ": " + strconv.Itoa(r.Code)
			}
		}
		again, ok := ParseResult(printed)
		if !ok || again != r {
			t.Fatalf("%q → %+v → %q → %+v", line, r, printed, again)
		}
	})
}

// FuzzExchange: an exchange never panics, and it is done exactly when a
// final result or a wanted prompt arrived.
func FuzzExchange(f *testing.F) {
	f.Add([]byte("AT+CMGS=5\r\r\n> "), "AT+CMGS=5", true)
	f.Add([]byte("\r\n+CPIN: READY\r\n+CMTI: \"SM\",1\r\nOK\r\n"), "AT+CPIN?", false)
	f.Fuzz(func(t *testing.T, data []byte, cmd string, wantPrompt bool) {
		var p Parser
		x := Exchange{Command: cmd, WantPrompt: wantPrompt, Echo: []string{cmd}}
		var sawEnd bool
		for _, ev := range p.Feed(nil, data) {
			if sawEnd {
				break
			}
			_, final := ParseResult(ev.Text)
			sawEnd = (ev.Kind == Line && final) || (ev.Kind == Prompt && wantPrompt)
			if x.Add(ev) != sawEnd {
				t.Fatalf("done=%v after %+v", x.Done, ev)
			}
		}
		if x.Done {
			_ = x.Err()
			x.Value("+CMGS")
		}
	})
}
