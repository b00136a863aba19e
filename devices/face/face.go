// Package face defines face verification: frames of a person in front of
// the kiosk are checked against the identity authority's portrait for a
// name and ID number. Adapters live in sub-packages:
//
//   - httpface: the identity authority's HTTP JSON service (production),
//     protocol in docs/face-verification.md;
//   - counter: a staff member confirms the person in person with staff
//     credentials (fallback when the service is down or refuses);
//   - demo: always matches after a short delay, refused outside demo mode.
//
// facetest holds the conformance test every automatic adapter passes.
package face

import (
	"context"
	"errors"
	"image"

	"kiosk/model"
	"kiosk/model/i18n"
)

// Verifier checks that the person in Frames is the holder of the ID.
// Verify is meant to run inside a tea.Cmd; it honours ctx's deadline.
type Verifier interface {
	// Verify returns a Result when the authority gave a verdict (match or
	// not) and an error when there is none (service down, timeout, needs
	// staff). Use Message(err) for the screen.
	Verify(ctx context.Context, req Request) (Result, error)
	Name() string
	Simulated() bool
	// Check says whether the service answers, for `kiosk devices check`.
	Check(ctx context.Context) error
}

// Request is one verification. Name and IDNumber are PII: adapters never
// log them, nor the frames.
type Request struct {
	Name     string
	IDNumber string
	Frames   []image.Image // captured after the quality check; 1–5 frames
}

// Result is the authority's verdict.
type Result struct {
	Match   bool
	Score   float64   // similarity in [0, 1] as reported; informational
	Reason  i18n.Text // sentence for the screen
	Outcome Outcome   // what the authority said, for the screen's next step
}

// Outcome is the authority's result code.
type Outcome string

const (
	Match          Outcome = "match"
	NoMatch        Outcome = "no_match"
	NoFace         Outcome = "no_face"
	MultipleFaces  Outcome = "multiple_faces"
	LivenessFailed Outcome = "liveness_failed"
	IDNotFound     Outcome = "id_not_found"
	// Counter marks a verdict given by a staff member in person.
	Counter Outcome = "counter"
)

// Valid reports whether o is one of the authority's result codes.
func (o Outcome) Valid() bool {
	switch o {
	case Match, NoMatch, NoFace, MultipleFaces, LivenessFailed, IDNotFound:
		return true
	}
	return false
}

// Retake reports whether capturing new frames may change the verdict (the
// picture was the problem, not the person).
func (o Outcome) Retake() bool {
	return o == NoFace || o == MultipleFaces || o == LivenessFailed
}

// Reason is the sentence shown for an outcome.
func (o Outcome) Reason() i18n.Text {
	switch o {
	case Match:
		return i18n.T("face.outcome.match")
	case NoMatch:
		return i18n.T("face.outcome.no_match")
	case NoFace:
		return i18n.T("face.outcome.no_face")
	case MultipleFaces:
		return i18n.T("face.outcome.multiple_faces")
	case LivenessFailed:
		return i18n.T("face.outcome.liveness_failed")
	case IDNotFound:
		return i18n.T("face.outcome.id_not_found")
	case Counter:
		return i18n.T("face.outcome.counter")
	}
	return i18n.T("face.outcome.unknown")
}

// ResultFor builds the Result for an authority outcome.
func ResultFor(o Outcome, score float64) Result {
	return Result{Match: o == Match, Score: score, Reason: o.Reason(), Outcome: o}
}

// Error is a verification failure with a sentence for the screen (id
// face.<code>). It has the shape of model.DomainError: a model.Messager for
// model.UserMessage and a model.Coder for model.Code.
type Error struct {
	Code string    // English, for logs and tests
	Msg  i18n.Text // catalog text, for the user
}

func (e *Error) Error() string      { return "face: " + e.Code }
func (e *Error) Message() i18n.Text { return e.Msg }
func (e *Error) ErrorCode() string  { return e.Code }

// Sentinel errors; adapters wrap them with detail (errors.Is works).
var (
	// ErrUnavailable: the service is down, overloaded or answered nonsense.
	ErrUnavailable = &Error{Code: "unavailable", Msg: i18n.T("face.unavailable")}
	// ErrTimeout: no verdict before the deadline.
	ErrTimeout = &Error{Code: "timeout", Msg: i18n.T("face.timeout")}
	// ErrRejected: the service refused the request (credentials,
	// configuration); retrying will not help.
	ErrRejected = &Error{Code: "rejected", Msg: i18n.T("face.rejected")}
	// ErrNoFrames: Verify was called without frames.
	ErrNoFrames = &Error{Code: "no_frames", Msg: i18n.T("face.no_frames")}
	// ErrNeedsStaff: the counter adapter waits for a staff member.
	ErrNeedsStaff = &Error{Code: "needs_staff", Msg: i18n.T("face.needs_staff")}
	// ErrDemoOnly: a demo adapter was built outside demo mode.
	ErrDemoOnly = &Error{Code: "demo_only", Msg: i18n.T("face.demo_only")}
)

// Message is the sentence for any error Verify returns (error.canceled
// for a canceled context); errors it does not know become the "unavailable"
// sentence. The zero Text for a nil error.
func Message(err error) i18n.Text {
	if err == nil {
		return i18n.Text{}
	}
	var m model.Messager
	if errors.As(err, &m) {
		return m.Message()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ErrTimeout.Msg
	}
	if errors.Is(err, context.Canceled) {
		return i18n.T("error.canceled")
	}
	return ErrUnavailable.Msg
}
