// Package camera defines the kiosk camera: a source of frames for the live
// preview, document capture and face verification. Adapters live in
// sub-packages: v4l2 (real USB/UVC cameras) and replay (image files, for
// demo mode and tests). cameratest holds the conformance test every adapter
// must pass; quality checks whether a frame is usable.
package camera

import (
	"context"
	"image"

	"kiosk/model/i18n"
)

// Camera is one frame source. Frame is meant to be called from a tea.Cmd,
// one frame per command, so a slow or vanished device never blocks the UI.
// Implementations are safe for concurrent use; frames they return may be
// shared and must be treated as read-only.
type Camera interface {
	// Start opens the device and begins streaming. Starting a started
	// camera is a no-op; a stopped camera can be started again.
	Start(ctx context.Context) error
	// Frame blocks until the next frame, ctx is done (ctx.Err()), or the
	// device gives nothing for its frame timeout (ErrTimeout).
	Frame(ctx context.Context) (image.Image, error)
	// Stop ends streaming and releases the device. Stopping a stopped
	// camera is a no-op.
	Stop() error
	// Name says which device this is, for logs and `kiosk devices check`.
	Name() string
	// Simulated reports whether frames come from files instead of a lens.
	Simulated() bool
	// Check says whether the device answers, without leaving it open.
	Check(ctx context.Context) error
}

// Error is a camera failure with a sentence for the screen (id
// camera.<code>). It has the shape of model.DomainError: Message for
// model.UserMessage (a model.Messager) and ErrorCode for model.Code.
type Error struct {
	Code string    // English, for logs and tests
	Msg  i18n.Text // catalog text, for the user
}

func (e *Error) Error() string      { return "camera: " + e.Code }
func (e *Error) Message() i18n.Text { return e.Msg }
func (e *Error) ErrorCode() string  { return e.Code }

// Sentinel errors; adapters wrap them with detail (errors.Is works).
var (
	// ErrNoDevice: the configured device is missing or is no usable camera.
	ErrNoDevice = &Error{Code: "no_device", Msg: i18n.T("camera.no_device")}
	// ErrDisconnected: the device vanished while streaming (unplugged,
	// USB reset). The camera stays unusable until Stop and Start.
	ErrDisconnected = &Error{Code: "disconnected", Msg: i18n.T("camera.disconnected")}
	// ErrTimeout: the device is open but delivered no frame in time.
	ErrTimeout = &Error{Code: "timeout", Msg: i18n.T("camera.timeout")}
	// ErrNotStarted: Frame was called before Start or after Stop.
	ErrNotStarted = &Error{Code: "not_started", Msg: i18n.T("camera.not_started")}
)
