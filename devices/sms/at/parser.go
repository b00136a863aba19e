// Package at reads what a GSM modem says back to AT commands: it splits the
// byte stream into lines and "> " prompts (dropping line noise), recognises
// final result codes, and gathers the answer to one command apart from
// echoed commands and unsolicited result codes.
package at

import "strings"

// Kind of an Event.
type Kind uint8

const (
	// Line is a complete, non-empty line without its terminator.
	Line Kind = iota + 1
	// Prompt is the "> " a modem sends when it waits for a PDU or text.
	Prompt
)

// Event is one thing the modem said.
type Event struct {
	Kind Kind
	Text string // the line, trimmed of spaces; empty for Prompt
}

// MaxLine caps a line; longer lines are cut, so noise cannot grow memory.
const MaxLine = 512

// Parser splits a modem's byte stream into events. It works byte by byte,
// so the events do not depend on how the stream was chunked. The zero value
// is ready to use.
type Parser struct {
	line []byte
	gt   bool // a '>' opened the current line; a space makes it a prompt
}

// Feed appends to dst the events completed by b.
//
// Bytes outside printable ASCII other than CR and LF are dropped: modems
// answer in ASCII, and at a wrong baud rate, on a noisy line or after a
// reset they send junk. CR, LF or CRLF end a line; "> " at the start of a
// line is a prompt whether or not a line ending follows.
func (p *Parser) Feed(dst []Event, b []byte) []Event {
	for _, c := range b {
		if c != '\r' && c != '\n' && (c < 0x20 || c >= 0x7F) {
			continue
		}
		if p.gt {
			p.gt = false
			if c == ' ' {
				dst = append(dst, Event{Kind: Prompt})
				continue
			}
			p.add('>')
		}
		switch {
		case c == '\r' || c == '\n':
			if s := strings.TrimSpace(string(p.line)); s != "" {
				dst = append(dst, Event{Kind: Line, Text: s})
			}
			p.line = p.line[:0]
		case c == '>' && len(p.line) == 0:
			p.gt = true
		default:
			p.add(c)
		}
	}
	return dst
}

// Reset forgets a partial line.
func (p *Parser) Reset() {
	p.line = p.line[:0]
	p.gt = false
}

// Partial returns the unterminated line seen so far.
func (p *Parser) Partial() string {
	if p.gt {
		return string(p.line) + ">"
	}
	return string(p.line)
}

func (p *Parser) add(c byte) {
	if len(p.line) < MaxLine {
		p.line = append(p.line, c)
	}
}
