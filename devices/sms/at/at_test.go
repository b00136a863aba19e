package at

import (
	"reflect"
	"testing"
)

func lines(ss ...string) []Event {
	out := make([]Event, len(ss))
	for i, s := range ss {
		if s == ">" {
			out[i] = Event{Kind: Prompt}
		} else {
			out[i] = Event{Kind: Line, Text: s}
		}
	}
	return out
}

func TestParser(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Event
	}{
		{"ok", "\r\nOK\r\n", lines("OK")},
		{"info and ok", "\r\n+CMGS: 12\r\n\r\nOK\r\n", lines("+CMGS: 12", "OK")},
		{"prompt", "\r\n> ", lines(">")},
		{"prompt without line end", "> ", lines(">")},
		{"echo then prompt", "AT+CMGS=23\r\r\n> ", lines("AT+CMGS=23", ">")},
		{"greater-than inside a line", "a > b\r\n", lines("a > b")},
		{"greater-than not followed by space", ">x\r\n", lines(">x")},
		{"bare LF and CR endings", "OK\nERROR\r", lines("OK", "ERROR")},
		{"garbage bytes dropped", "\x00\xff\r\nO\x80K\r\n\x1a", lines("OK")},
		{"garbage inside prompt", ">\xfe ", lines(">")},
		{"spaces trimmed, blank lines skipped", "  OK  \r\n   \r\n", lines("OK")},
		{"urc interleaved", "\r\n+CMTI: \"SM\",3\r\n\r\n+CMGS: 4\r\n\r\nOK\r\n", lines(`+CMTI: "SM",3`, "+CMGS: 4", "OK")},
		{"pdu echo with ctrl-z", "> 0011AB\x1a\r\n+CMGS: 1\r\n\r\nOK\r\n", lines(">", "0011AB", "+CMGS: 1", "OK")},
		{"unterminated tail kept", "\r\nOK\r\nPART", lines("OK")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p Parser
			got := p.Feed(nil, []byte(tc.in))
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParserLongLineCapped(t *testing.T) {
	var p Parser
	long := make([]byte, 3*MaxLine)
	for i := range long {
		long[i] = 'x'
	}
	got := p.Feed(nil, append(long, "\r\nOK\r\n"...))
	if len(got) != 2 || len(got[0].Text) != MaxLine || got[1].Text != "OK" {
		t.Fatalf("got %d events, first %d bytes", len(got), len(got[0].Text))
	}
	p.Feed(nil, []byte("abc"))
	if p.Partial() != "abc" {
		t.Fatalf("partial %q", p.Partial())
	}
	p.Reset()
	if p.Partial() != "" {
		t.Fatal("reset kept data")
	}
}

func TestParseResult(t *testing.T) {
	tests := []struct {
		in   string
		want Result
		ok   bool
		err  string
		perm bool
	}{
		{"OK", Result{Status: StatusOK}, true, "", false},
		{"ok", Result{Status: StatusOK}, true, "", false},
		{"ERROR", Result{Status: StatusError}, true, "at: ERROR", false},
		{"+CMS ERROR: 500", Result{Status: StatusCMS, Code: 500}, true, "at: +CMS ERROR: 500", false},
		{"+CMS ERROR:1", Result{Status: StatusCMS, Code: 1}, true, "at: +CMS ERROR: 1", true},
		{"+CMS ERROR: 304", Result{Status: StatusCMS, Code: 304}, true, "at: +CMS ERROR: 304", true},
		{"+CMS ERROR: 144", Result{Status: StatusCMS, Code: 144}, true, "at: +CMS ERROR: 144", true},
		{"+CMS ERROR: 331", Result{Status: StatusCMS, Code: 331}, true, "at: +CMS ERROR: 331", false},
		{"+CMS ERROR: invalid PDU mode parameter", Result{Status: StatusCMS, Code: -1, Text: "invalid PDU mode parameter"}, true,
			"at: +CMS ERROR: invalid PDU mode parameter", false},
		{"+CME ERROR: 10", Result{Status: StatusCME, Code: 10}, true, "at: +CME ERROR: 10", false},
		{"NO CARRIER", Result{Status: StatusNoCarrier}, true, "at: NO CARRIER", false},
		{"+CMGS: 5", Result{}, false, "", false},
		{"OKAY", Result{}, false, "", false},
		{"", Result{}, false, "", false},
	}
	for _, tc := range tests {
		got, ok := ParseResult(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseResult(%q) = %+v, %v", tc.in, got, ok)
			continue
		}
		if !ok {
			continue
		}
		err := got.Err()
		if (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) {
			t.Errorf("%q: Err() = %v, want %q", tc.in, err, tc.err)
		}
		if e, isErr := err.(*Error); isErr && e.Permanent() != tc.perm {
			t.Errorf("%q: Permanent() = %v", tc.in, e.Permanent())
		}
	}
}

func TestExchange(t *testing.T) {
	tests := []struct {
		name      string
		x         Exchange
		in        string
		done      bool
		prompted  bool
		status    Status
		lines     []string
		urcs      int
		echoed    int
		cmgsValue string
	}{
		{"plain ok", Exchange{Command: "AT"}, "\r\nOK\r\n", true, false, StatusOK, nil, 0, 0, ""},
		{"echo skipped", Exchange{Command: "ATE0"}, "ATE0\r\r\nOK\r\n", true, false, StatusOK, nil, 0, 1, ""},
		{"own plus line kept, urc split off", Exchange{Command: "AT+CPIN?"},
			"\r\n+CREG: 1\r\n+CPIN: READY\r\n\r\nOK\r\n", true, false, StatusOK, []string{"+CPIN: READY"}, 1, 0, ""},
		{"prompt", Exchange{Command: "AT+CMGS=19", WantPrompt: true}, "AT+CMGS=19\r\r\n> ", true, true, 0, nil, 0, 1, ""},
		{"prompt refused", Exchange{Command: "AT+CMGS=19", WantPrompt: true}, "\r\n+CMS ERROR: 500\r\n", true, false, StatusCMS, nil, 0, 0, ""},
		{"stray prompt ignored", Exchange{Command: "AT"}, "> \r\nOK\r\n", true, false, StatusOK, nil, 0, 0, ""},
		{"pdu echo and confirmation", Exchange{Echo: []string{"0011AB"}},
			"0011ab\x1a\r\n+CMTI: \"SM\",1\r\n+CMGS: 42\r\n\r\nOK\r\n", true, false, StatusOK, []string{"+CMGS: 42"}, 1, 1, "42"},
		{"no final yet", Exchange{Command: "AT"}, "\r\nRING\r\n", false, false, 0, nil, 1, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p Parser
			x := tc.x
			done := false
			for _, ev := range p.Feed(nil, []byte(tc.in)) {
				done = x.Add(ev)
			}
			if done != tc.done || x.Prompted != tc.prompted || x.Result.Status != tc.status ||
				!reflect.DeepEqual(x.Lines, tc.lines) || len(x.URCs) != tc.urcs || x.Echoed != tc.echoed {
				t.Fatalf("got %+v", x)
			}
			if v, _ := x.Value("+CMGS"); v != tc.cmgsValue {
				t.Fatalf("+CMGS value %q", v)
			}
			if done && (x.Err() == nil) != (tc.prompted || tc.status == StatusOK) {
				t.Fatalf("Err() = %v", x.Err())
			}
		})
	}
}
