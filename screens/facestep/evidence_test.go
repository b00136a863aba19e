package facestep

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/face"
	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/screens/kit"
)

// The evidence a use case gets from a passed face step: how the person
// was verified (the authority, the demo verifier, staff at the counter),
// the score, who confirmed, and when.

// evidenceFace is a verifier that is only asked whether it is simulated.
type evidenceFace struct{ sim bool }

func (evidenceFace) Verify(context.Context, face.Request) (face.Result, error) {
	return face.Result{}, nil
}
func (evidenceFace) Name() string                { return "evidence-stub" }
func (f evidenceFace) Simulated() bool           { return f.sim }
func (evidenceFace) Check(context.Context) error { return nil }

// evidenceMsgs runs cmd (batches flattened) and returns its messages.
func evidenceMsgs(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch m := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range m {
			out = append(out, evidenceMsgs(c)...)
		}
		return out
	default:
		return []tea.Msg{m}
	}
}

func TestFaceVerifiedEvidence(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, c := range []struct {
		name   string
		sim    bool
		res    face.Result
		staff  string
		method string
		ref    string
	}{
		{"authority", false, face.ResultFor(face.Match, 0.93), "", model.FaceHTTP, ""},
		{"demo", true, face.ResultFor(face.Match, 1), "", model.FaceDemo, ""},
		{"counter", true, face.ResultFor(face.Counter, 1), "counter01", model.FaceCounter, "counter01"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := kit.NewApp(kit.Deps{Clock: clocktest.New(at), Face: evidenceFace{sim: c.sim}})
			t.Cleanup(a.Zones.Close)
			s := New(a, Params{Name: "王建国", IDNumber: "110108198001011234"})
			s.staffBy = c.staff
			var got *Verified
			for _, m := range evidenceMsgs(s.pass(c.res)) {
				if d, ok := m.(kit.StepDone); ok {
					if v, ok := d.Result.(Verified); ok {
						got = &v
					}
				}
			}
			if got == nil {
				t.Fatal("no Verified")
			}
			ev := got.Evidence()
			want := model.FaceEvidence{Method: c.method, Score: c.res.Score, Ref: c.ref, At: at}
			if ev != want {
				t.Fatalf("evidence %+v, want %+v", ev, want)
			}
		})
	}
}
