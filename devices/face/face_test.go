package face

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"kiosk/model/i18n"
)

// zh is t in Chinese, as the screen shows it.
func zh(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }

func TestMessage(t *testing.T) {
	tests := []struct {
		err  error
		want i18n.Text
		zh   string // the Chinese sentence, when the case checks it
	}{
		{nil, i18n.Text{}, ""},
		{ErrUnavailable, ErrUnavailable.Msg, "人脸比对服务暂时不可用，请稍后重试或到窗口办理"},
		{fmt.Errorf("%w: HTTP 503", ErrUnavailable), ErrUnavailable.Msg, ""},
		{fmt.Errorf("%w: HTTP 401", ErrRejected), ErrRejected.Msg, "人脸比对服务拒绝了请求，请到窗口办理"},
		{ErrNeedsStaff, ErrNeedsStaff.Msg, "请窗口工作人员现场核验身份"},
		{ErrNoFrames, ErrNoFrames.Msg, "未采集到人脸画面，请重新采集"},
		{fmt.Errorf("wrapped: %w", context.DeadlineExceeded), ErrTimeout.Msg, "人脸比对超时，请稍后重试或到窗口办理"},
		{context.Canceled, i18n.T("error.canceled"), "操作已取消"},
		{errors.New("dial tcp: connection refused"), ErrUnavailable.Msg, ""},
	}
	for _, tt := range tests {
		got := Message(tt.err)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Message(%v) = %+v, want %+v", tt.err, got, tt.want)
		}
		if tt.zh != "" && zh(got) != tt.zh {
			t.Errorf("Message(%v) renders %q, want %q", tt.err, zh(got), tt.zh)
		}
	}
	if zh(ErrDemoOnly.Msg) != "演示模式未开启，不能使用模拟人脸核验" {
		t.Errorf("ErrDemoOnly renders %q", zh(ErrDemoOnly.Msg))
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
		if r.Match != (o == Match) || !i18n.Default().Has(i18n.Chinese, r.Reason.ID) || r.Outcome != o || r.Score != 0.5 {
			t.Errorf("ResultFor(%s) = %+v", o, r)
		}
		if seen[zh(r.Reason)] {
			t.Errorf("reason of %s repeats", o)
		}
		seen[zh(r.Reason)] = true
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
	if r := Outcome("maybe").Reason(); !i18n.Default().Has(i18n.Chinese, r.ID) || zh(r) != "人脸核验未通过，请到窗口办理" {
		t.Errorf("unknown outcome: reason %q", zh(r))
	}
	if r := Counter.Reason(); zh(r) != "工作人员已现场核验身份" {
		t.Errorf("counter outcome: reason %q", zh(r))
	}
	if r := Match.Reason(); zh(r) != "人脸核验通过" {
		t.Errorf("match: reason %q", zh(r))
	}
}
