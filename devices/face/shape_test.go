package face_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"kiosk/devices/camera"
	"kiosk/devices/face"
	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
)

// TestOneErrorShape: the four coded error types of the kiosk share one
// shape — Code and Msg fields, Message (model.Messager) and ErrorCode
// (model.Coder) — so one screen helper handles them all.
func TestOneErrorShape(t *testing.T) {
	const code = "some_code"
	msg := i18n.T("some.sentence", "N", 3)
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
			if !reflect.DeepEqual(m.Message(), msg) || c.ErrorCode() != code || tt.err.Error() != tt.errorStr {
				t.Errorf("Message %+v ErrorCode %q Error %q", m.Message(), c.ErrorCode(), tt.err.Error())
			}
			wrapped := fmt.Errorf("context: %w", tt.err)
			if model.Code(wrapped) != code || !reflect.DeepEqual(model.UserMessage(wrapped), msg) {
				t.Errorf("through a wrap: Code %q UserMessage %+v", model.Code(wrapped), model.UserMessage(wrapped))
			}
			if !errors.Is(wrapped, tt.err) {
				t.Errorf("errors.Is lost the sentinel")
			}
		})
	}
	// The sentinels of each package read the same way.
	for _, e := range []error{model.ErrBadCredentials, face.ErrUnavailable, camera.ErrNoDevice, rules.ValidMobile("1")} {
		m := model.UserMessage(e)
		if model.Code(e) == "" || !i18n.Default().Has(i18n.Chinese, m.ID) || reflect.DeepEqual(m, model.ErrUnavailable.Msg) && e != model.ErrUnavailable {
			t.Errorf("%v: Code %q UserMessage %+v", e, model.Code(e), m)
		}
	}
}
