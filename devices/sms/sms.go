// Package sms sends text messages: the Sender interface with a GSM modem
// adapter (modem) and a simulated phone (sim), and the Worker that drains
// the durable outbox kept in the store.
package sms

import (
	"context"
	"errors"
)

// Sender delivers one text message. Implementations are safe for concurrent
// use.
type Sender interface {
	// Send hands text to the network for the number to. A nil error means
	// the network accepted every part. Errors for which IsPermanent is true
	// will fail the same way on a retry (bad number, message refused);
	// all others (timeouts, port gone, network busy) are worth retrying.
	// When ctx ends before the message was handed over, the error wraps
	// ctx.Err(); once handed over, Send may finish regardless of ctx.
	Send(ctx context.Context, to, text string) error
	// Name identifies the device in logs and the device check.
	Name() string
	// Simulated is true for adapters that deliver nothing to real phones.
	Simulated() bool
	// Check reports whether the device answers.
	Check(ctx context.Context) error
	// Close releases the device; Send fails afterwards.
	Close() error
}

// ErrClosed is returned by a Sender used after Close. It is temporary: the
// message stays in the outbox for the next process.
var ErrClosed = errors.New("sms: sender closed")

// IsPermanent reports whether retrying err cannot succeed. An error is
// permanent when something in its chain has a Permanent() bool method that
// says so (pdu encoding errors, +CMS ERROR for an invalid destination…).
// Everything else, including context errors, is temporary.
func IsPermanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

// Permanent marks err as permanent; nil stays nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

type permanentError struct{ err error }

func (e permanentError) Error() string   { return e.err.Error() }
func (e permanentError) Unwrap() error   { return e.err }
func (e permanentError) Permanent() bool { return true }

// IsDeviceFault reports whether err says that this kiosk's device cannot
// send now — the modem does not answer, its port or SIM is gone, it
// refused the command, it lost the confirmation — rather than that the
// network refused this message: another kiosk's modem may well send it.
// An error is a device fault when something in its chain has a
// DeviceFault() bool method that says so, or it is ErrClosed. Permanent
// errors never are.
func IsDeviceFault(err error) bool {
	if err == nil || IsPermanent(err) {
		return false
	}
	var d interface{ DeviceFault() bool }
	return errors.Is(err, ErrClosed) || errors.As(err, &d) && d.DeviceFault()
}

// DeviceFault marks err as a fault of the device; nil stays nil.
func DeviceFault(err error) error {
	if err == nil {
		return nil
	}
	return deviceFault{err}
}

type deviceFault struct{ err error }

func (e deviceFault) Error() string     { return e.err.Error() }
func (e deviceFault) Unwrap() error     { return e.err }
func (e deviceFault) DeviceFault() bool { return true }
