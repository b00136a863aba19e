package model_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"kiosk/model"
	"kiosk/model/rules"
)

func TestUserMessageOfRulesError(t *testing.T) {
	err := rules.ValidMobile("123")
	if err == nil {
		t.Fatal("ValidMobile(123) accepted")
	}
	const want = "手机号码格式不正确，应为11位手机号"
	if got := zh(rules.Message(err)); got != want {
		t.Fatalf("rules.Message = %q, want %q", got, want)
	}
	for _, e := range []error{err, fmt.Errorf("field phone: %w", err)} {
		if got := model.UserMessage(e); !reflect.DeepEqual(got, rules.Message(err)) || zh(got) != want {
			t.Errorf("UserMessage(%v) = %+v, want the rule's sentence %q", e, got, want)
		}
	}
	if got := model.UserMessage(err); reflect.DeepEqual(got, model.ErrUnavailable.Msg) {
		t.Errorf("UserMessage of a rules error is the generic sentence")
	}
	if got := rules.Message(errors.New("other")); !got.IsZero() {
		t.Errorf("rules.Message of another error = %+v, want the zero Text", got)
	}
}

func TestCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"plain error", errors.New("disk full"), ""},
		{"context", context.Canceled, ""},
		{"domain error", model.ErrBadCredentials, "bad_credentials"},
		{"wrapped domain error", fmt.Errorf("login: %w", model.ErrPendingActivation), "pending_activation"},
		{"rules error", rules.ValidMobile("123"), "mobile_format"},
		{"wrapped rules error", fmt.Errorf("phone: %w", rules.ValidMobile("")), "mobile_empty"},
		{"first in the chain wins", fmt.Errorf("%w: %w", model.ErrUnavailable, model.ErrAccountTaken), "unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := model.Code(tt.err); got != tt.want {
				t.Errorf("Code(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}
