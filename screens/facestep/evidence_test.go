package facestep

import (
	"context"
	"testing"
	"time"

	"kiosk/devices/face"
	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// The evidence a use case gets from a passed face step: made and sealed by
// the model's FaceService for the person and purpose of the step, saying
// how the person was verified (the authority, the demo verifier, staff at
// the counter), the score, who confirmed, and when.

// testSecret keys the tests' FaceService (main derives its key from the
// store keys).
var testSecret = []byte("facestep-test-secret-0123456789")

// testFaces is the FaceService main would build over d.Face and d.Counter.
func testFaces(t *testing.T, d kit.Deps) *model.FaceService {
	t.Helper()
	var staff model.FaceStaff
	if d.Counter != nil {
		staff = d.Counter
	}
	fs, err := model.NewFaceService(testSecret, d.Clock, face.Device(d.Face), staff)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestFaceVerifiedEvidence(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, cst)
	for _, c := range []struct {
		name   string
		sim    bool
		staff  bool
		score  float64
		method string
		ref    string
	}{
		{"authority", false, false, 0.93, model.FaceHTTP, ""},
		{"demo", true, false, 0.99, model.FaceDemo, ""},
		{"counter", false, true, 1, model.FaceCounter, staffUser},
	} {
		t.Run(c.name, func(t *testing.T) {
			clock := clocktest.New(at)
			d := kit.Deps{Clock: clock, Face: &stubFace{sim: c.sim, answer: always(face.ResultFor(face.Match, c.score), nil)}}
			if c.staff {
				cv := counterOn(t, memStore(t))
				d.Face, d.Counter = cv, cv
			}
			s, cmd := newTestFace(t, d)
			msgs := deliver(s.a, s.Update(run(t, s.a, cmd)))
			if c.staff {
				s.staff.SetValue(fieldStaffUser, " "+staffUser)
				s.staff.SetValue(fieldStaffPass, staffPass)
				s.staff.SetValue(fieldStaffVerdict, staffApprove)
				msgs = deliver(s.a, s.Update(run(t, s.a, s.Update(form.Submitted{Form: StaffForm, Values: s.staff.Values()}))))
			}
			got := verified(t, msgs)
			ev := got.Evidence()
			if ev.Method != c.method || ev.Score != c.score || ev.Ref != c.ref || !ev.At.Equal(at) ||
				ev.Purpose != model.FaceForRegister || got.Method != c.method || got.Ref != c.ref {
				t.Fatalf("evidence %+v (Verified %+v)", ev, got)
			}
			// The use case's check: for this ID number and purpose only.
			fs := s.a.Deps.Faces
			use := model.FaceUse{IDNumber: faceID, Purpose: model.FaceForRegister, MaxAge: 10 * time.Minute, AllowDemo: true}
			if err := fs.Check(ev, use, at.Add(time.Minute)); err != nil {
				t.Fatalf("Check: %v", err)
			}
			other := use
			other.IDNumber = "110108198001015678"
			if err := fs.Check(ev, other, at); err != model.ErrFaceOtherPerson {
				t.Fatalf("Check for another ID number: %v", err)
			}
			other = use
			other.Purpose = model.FaceForPerson
			if err := fs.Check(ev, other, at); err != model.ErrFaceOtherPurpose {
				t.Fatalf("Check for another purpose: %v", err)
			}
			forged := ev
			forged.Score = 0.2
			if err := fs.Check(forged, use, at); err != model.ErrFaceInvalid {
				t.Fatalf("Check of altered evidence: %v", err)
			}
		})
	}
}

// A verdict that is not a match carries no evidence.
func TestFaceNoEvidenceWithoutMatch(t *testing.T) {
	fs := testFaces(t, kit.Deps{Face: &stubFace{answer: always(face.ResultFor(face.NoMatch, 0.3), nil)}})
	v, ev, err := fs.Verify(context.Background(), model.FaceRequest{Name: faceName, IDNumber: faceID,
		Purpose: model.FaceForRegister, Frames: threeFrames(t)})
	if err != nil || v.Match || !ev.IsZero() || face.ResultOf(v).Outcome != face.NoMatch {
		t.Fatalf("no_match: %+v %+v %v", v, ev, err)
	}
}
