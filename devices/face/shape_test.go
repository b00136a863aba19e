package face_test

import (
	"errors"
	"fmt"
	"testing"

	"kiosk/devices/camera"
	"kiosk/devices/face"
	"kiosk/model"
	"kiosk/model/rules"
)

// TestOneErrorShape: the four coded error types of the kiosk share one
// shape — Code and Msg fields, Message (model.Messager) and ErrorCode
// (model.Coder) — so one screen helper handles them all.
func TestOneErrorShape(t *testing.T) {
	const code, msg = "some_code", "某个中文提示"
	tests := []struct {
		name     string
		err      error
		errorStr string
	}{
		{"model.DomainError", &model.DomainError{Code: code, Msg: msg}, code},
		{"rules.Error", &rules.Error{Code: code, Msg: msg}, code},
		{"face.Error", &face.Error{Code: code, Msg: msg}, "face: " + code},
		{"camera.Error", &camera.Error{Code: code, Msg: msg}, "camera: " + code},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := tt.err.(model.Messager)
			if !ok {
				t.Fatalf("%T is not a model.Messager", tt.err)
			}
			c, ok := tt.err.(model.Coder)
			if !ok {
				t.Fatalf("%T has no ErrorCode", tt.err)
			}
			if _, ok := tt.err.(interface{ ErrorCode() string }); !ok {
				t.Fatalf("%T has no ErrorCode() string", tt.err)
			}
			if m.Message() != msg || c.ErrorCode() != code || tt.err.Error() != tt.errorStr {
				t.Errorf("Message %q ErrorCode %q Error %q", m.Message(), c.ErrorCode(), tt.err.Error())
			}
			wrapped := fmt.Errorf("context: %w", tt.err)
			if model.Code(wrapped) != code || model.UserMessage(wrapped) != msg {
				t.Errorf("through a wrap: Code %q UserMessage %q", model.Code(wrapped), model.UserMessage(wrapped))
			}
			if !errors.Is(wrapped, tt.err) {
				t.Errorf("errors.Is lost the sentinel")
			}
		})
	}
	// The sentinels of each package read the same way.
	for _, e := range []error{model.ErrBadCredentials, face.ErrUnavailable, camera.ErrNoDevice, rules.ValidMobile("1")} {
		if model.Code(e) == "" || model.UserMessage(e) == "" || model.UserMessage(e) == model.ErrUnavailable.Msg && e != model.ErrUnavailable {
			t.Errorf("%v: Code %q UserMessage %q", e, model.Code(e), model.UserMessage(e))
		}
	}
}
