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
	Score   float64 // similarity in [0, 1] as reported; informational
	Reason  string  // Chinese sentence for the screen
	Outcome Outcome // what the authority said, for the screen's next step
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

// Reason is the Chinese sentence shown for an outcome.
func (o Outcome) Reason() string {
	switch o {
	case Match:
		return "人脸核验通过"
	case NoMatch:
		return "人脸比对未通过，请确认本人办理，或到窗口办理"
	case NoFace:
		return "未检测到人脸，请正对摄像头后重试"
	case MultipleFaces:
		return "画面中有多张人脸，请确保仅本人在摄像头前"
	case LivenessFailed:
		return "活体检测未通过，请摘下帽子、口罩，正对摄像头重试"
	case IDNotFound:
		return "未查询到该证件的人像信息，请到窗口办理"
	case Counter:
		return "工作人员已现场核验身份"
	}
	return "人脸核验未通过，请到窗口办理"
}

// ResultFor builds the Result for an authority outcome.
func ResultFor(o Outcome, score float64) Result {
	return Result{Match: o == Match, Score: score, Reason: o.Reason(), Outcome: o}
}

// Error is a verification failure with a Chinese sentence for the screen.
// It has the shape of model.DomainError: a model.Messager for
// model.UserMessage and a model.Coder for model.Code.
type Error struct {
	Code string // English, for logs and tests
	Msg  string // Chinese, for the user
}

func (e *Error) Error() string     { return "face: " + e.Code }
func (e *Error) Message() string   { return e.Msg }
func (e *Error) ErrorCode() string { return e.Code }

// Sentinel errors; adapters wrap them with detail (errors.Is works).
var (
	// ErrUnavailable: the service is down, overloaded or answered nonsense.
	ErrUnavailable = &Error{"unavailable", "人脸比对服务暂时不可用，请稍后重试或到窗口办理"}
	// ErrTimeout: no verdict before the deadline.
	ErrTimeout = &Error{"timeout", "人脸比对超时，请稍后重试或到窗口办理"}
	// ErrRejected: the service refused the request (credentials,
	// configuration); retrying will not help.
	ErrRejected = &Error{"rejected", "人脸比对服务拒绝了请求，请到窗口办理"}
	// ErrNoFrames: Verify was called without frames.
	ErrNoFrames = &Error{"no_frames", "未采集到人脸画面，请重新采集"}
	// ErrNeedsStaff: the counter adapter waits for a staff member.
	ErrNeedsStaff = &Error{"needs_staff", "请窗口工作人员现场核验身份"}
	// ErrDemoOnly: a demo adapter was built outside demo mode.
	ErrDemoOnly = &Error{"demo_only", "演示模式未开启，不能使用模拟人脸核验"}
)

// Message is the Chinese sentence for any error Verify returns; errors it
// does not know become the "unavailable" sentence.
func Message(err error) string {
	if err == nil {
		return ""
	}
	var m model.Messager
	if errors.As(err, &m) {
		return m.Message()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ErrTimeout.Msg
	}
	if errors.Is(err, context.Canceled) {
		return "操作已取消"
	}
	return ErrUnavailable.Msg
}
