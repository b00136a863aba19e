package kit

import (
	"context"
	"errors"
	"fmt"
	"kiosk/model/i18n"
	"strings"
	"testing"
	"time"

	"kiosk/devices/audio"
	"kiosk/model"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

var cst = time.FixedZone("CST", 8*3600)

func TestUnlockTime(t *testing.T) {
	now := time.Date(2025, 3, 10, 10, 0, 0, 0, cst)
	if got := UnlockTime(now.Add(15*time.Minute).UTC(), now); zht(got) != "10:15" {
		t.Errorf("same day = %q", got)
	}
	if got := UnlockTime(now.Add(20*time.Hour), now); zht(got) != "3月11日 06:00" {
		t.Errorf("next day = %q", got)
	}
}

func TestErrorPrompt(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{context.Canceled, ""},
		{model.ErrBadCredentials, audio.PromptErrorLogin},
		{fmt.Errorf("login: %w", model.ErrAgentBadCredentials), audio.PromptErrorLogin},
		{&model.LockedError{}, audio.PromptLocked},
		{&smscode.TooSoonError{Wait: time.Second}, audio.PromptErrorRate},
		{smscode.ErrDayLimit, audio.PromptErrorRate},
		{smscode.ErrKioskLimit, audio.PromptErrorRate},
		{&smscode.WrongCodeError{Left: 2}, audio.PromptErrorSMS},
		{smscode.ErrExpired, audio.PromptErrorSMS},
		{smscode.ErrNoCode, audio.PromptErrorSMS},
		{smscode.ErrCodeFormat, audio.PromptErrorInput},
		{&rules.Error{Code: "mobile_format", Msg: i18n.Raw("手机号码格式不正确")}, audio.PromptErrorInput},
		{&rules.Error{Code: rules.CodeExpired, Msg: i18n.Raw("证件已过期")}, audio.PromptErrorExpired},
		{&model.DomainError{Code: rules.CodeExpired, Msg: i18n.Raw("证件已过期")}, audio.PromptErrorExpired},
		{model.ErrPendingActivation, ""},
		{model.ErrAccountClosed, ""},
		{&model.AgentStateError{State: model.AgentExpired}, ""},
		{model.ErrUnavailable, audio.PromptDeviceError},
		{fmt.Errorf("%w: %w", model.ErrServiceDown, errors.New("kv: store unavailable")), audio.PromptServiceDown},
		{context.DeadlineExceeded, audio.PromptDeviceError},
		{errors.New("bolt: database not open"), audio.PromptDeviceError},
	} {
		if got := ErrorPrompt(tc.err); got != tc.want {
			t.Errorf("ErrorPrompt(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// A store that cannot be reached is explained by its own sentence, logged
// with the engine's detail, and noted once for the root.
func TestExplainOutage(t *testing.T) {
	a := newApp(t)
	var log strings.Builder
	a.Deps.Log = newLog(&log)
	if a.TakeOutage() {
		t.Fatal("an outage before any error")
	}
	if a.Explain("x", model.ErrUnavailable); a.TakeOutage() {
		t.Error("系统繁忙 taken for an outage")
	}
	err := fmt.Errorf("register: %w", fmt.Errorf("%w: %w", model.ErrServiceDown, errors.New("etcd: no leader")))
	if got := a.Explain("register", err); got.ID != "error.service_down" {
		t.Errorf("sentence %q", got.ID)
	}
	if !strings.Contains(log.String(), "no leader") {
		t.Errorf("the engine's detail is not logged: %q", log.String())
	}
	if !a.TakeOutage() || a.TakeOutage() {
		t.Error("the outage is not noted exactly once")
	}
}
