package face

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestMessage(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{ErrUnavailable, "人脸比对服务暂时不可用，请稍后重试或到窗口办理"},
		{fmt.Errorf("%w: HTTP 503", ErrUnavailable), ErrUnavailable.Msg},
		{fmt.Errorf("%w: HTTP 401", ErrRejected), ErrRejected.Msg},
		{ErrNeedsStaff, "请窗口工作人员现场核验身份"},
		{ErrNoFrames, ErrNoFrames.Msg},
		{fmt.Errorf("wrapped: %w", context.DeadlineExceeded), ErrTimeout.Msg},
		{context.Canceled, "操作已取消"},
		{errors.New("dial tcp: connection refused"), ErrUnavailable.Msg},
	}
	for _, tt := range tests {
		if got := Message(tt.err); got != tt.want {
			t.Errorf("Message(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestOutcomes(t *testing.T) {
	all := []Outcome{Match, NoMatch, NoFace, MultipleFaces, LivenessFailed, IDNotFound}
	seen := map[string]bool{}
	for _, o := range all {
		if !o.Valid() {
			t.Errorf("%s not valid", o)
		}
		r := ResultFor(o, 0.5)
		if r.Match != (o == Match) || r.Reason == "" || r.Outcome != o || r.Score != 0.5 {
			t.Errorf("ResultFor(%s) = %+v", o, r)
		}
		if seen[r.Reason] {
			t.Errorf("reason of %s repeats", o)
		}
		seen[r.Reason] = true
	}
	for _, o := range []Outcome{Counter, "", "maybe"} {
		if o.Valid() {
			t.Errorf("%q valid on the wire", o)
		}
	}
	for o, want := range map[Outcome]bool{NoFace: true, MultipleFaces: true, LivenessFailed: true,
		Match: false, NoMatch: false, IDNotFound: false} {
		if o.Retake() != want {
			t.Errorf("%s.Retake() = %v", o, !want)
		}
	}
	if Outcome("maybe").Reason() == "" {
		t.Error("unknown outcome has no reason")
	}
}
