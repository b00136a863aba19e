package account_test

import (
	"context"
	"image"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/clocktest"
	"kiosk/model/smscode"
)

// Face evidence at the final steps: only evidence sealed by the kiosk's
// FaceService, for the person of the form and the use case's purpose, and
// recent, is accepted.

// faceSecret keys the fixtures' FaceService (in main: a key derived from
// the store keys).
var faceSecret = []byte("face-evidence-test-secret-0123456789")

// stubFaceDevice matches everyone: the demo verifier when sim, else an
// authority that answers with ref as its request id.
type stubFaceDevice struct {
	sim bool
	ref string
}

func (d stubFaceDevice) VerifyFace(context.Context, string, string, []image.Image) (model.FaceVerdict, error) {
	return model.FaceVerdict{Match: true, Score: 0.99, Ref: d.ref, Outcome: "match"}, nil
}
func (d stubFaceDevice) Simulated() bool { return d.sim }

// demoDevice is the fixtures' verifier, like the demo adapter.
var demoDevice = stubFaceDevice{sim: true, ref: "demo-req-1"}

// stubStaff approves as the staff member "counter01" whatever the password.
type stubStaff struct{}

func (stubStaff) ConfirmFace(_ context.Context, _, _ string, approve bool) (model.FaceVerdict, error) {
	return model.FaceVerdict{Match: approve, Score: 1, Ref: "staff:counter01", Outcome: "counter"}, nil
}

// newFaces is a FaceService over the stub devices, keyed with key.
func newFaces(t testing.TB, key []byte, clock model.Clock, dev stubFaceDevice) *model.FaceService {
	t.Helper()
	fs, err := model.NewFaceService(key, clock, dev, stubStaff{})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// faceFor is evidence from fs's device for idNumber and purpose.
func faceFor(fs *model.FaceService, idNumber, purpose string) model.FaceEvidence {
	_, ev, err := fs.Verify(context.Background(), model.FaceRequest{Name: "x", IDNumber: idNumber, Purpose: purpose,
		Frames: []image.Image{image.NewGray(image.Rect(0, 0, 4, 4))}})
	if err != nil || ev.IsZero() {
		panic("face stub did not match: " + err.Error())
	}
	return ev
}

// face is the fixture's demo evidence for idNumber and purpose, made now.
func (f *fixture) face(idNumber, purpose string) model.FaceEvidence {
	return faceFor(f.svc.Faces, idNumber, purpose)
}

// faceAgo is the fixture's demo evidence as if made d ago.
func (f *fixture) faceAgo(d time.Duration, idNumber, purpose string) model.FaceEvidence {
	old := newFaces(f.t, faceSecret, clocktest.New(f.clk.Now().Add(-d)), demoDevice)
	return faceFor(old, idNumber, purpose)
}

func TestRegisterFaceEvidenceBound(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	base := f.registration()
	http := newFaces(t, faceSecret, f.clk, stubFaceDevice{ref: "req-1"})
	tests := []struct {
		name  string
		face  func() model.FaceEvidence
		code  string
		cause error
	}{
		{"another ID number", func() model.FaceEvidence { return f.face(pendingID, model.FaceForRegister) },
			"face_other_person", model.ErrFaceOtherPerson},
		{"another purpose", func() model.FaceEvidence { return f.face(freeID, model.FaceForPerson) },
			"face_other_purpose", model.ErrFaceOtherPurpose},
		{"no purpose", func() model.FaceEvidence { return f.face(freeID, "") }, "face_other_purpose", model.ErrFaceOtherPurpose},
		{"stale", func() model.FaceEvidence { return f.faceAgo(11*time.Minute, freeID, model.FaceForRegister) },
			"face_stale", model.ErrFaceStale},
		{"from the future", func() model.FaceEvidence {
			later := clocktest.New(f.clk.Now().Add(5 * time.Minute))
			return faceFor(newFaces(t, faceSecret, later, demoDevice), freeID, model.FaceForRegister)
		}, "face_invalid", model.ErrFaceInvalid},
		{"sealed with another key", func() model.FaceEvidence {
			other := newFaces(t, []byte("another-kiosk-secret-0123456789"), f.clk, demoDevice)
			return faceFor(other, freeID, model.FaceForRegister)
		}, "face_invalid", model.ErrFaceInvalid},
		{"made by hand", func() model.FaceEvidence {
			return model.FaceEvidence{Method: model.FaceHTTP, Score: 0.93, Ref: "req-1", At: f.clk.Now(), Purpose: model.FaceForRegister}
		}, "face_invalid", model.ErrFaceInvalid},
		{"demo relabelled http", func() model.FaceEvidence {
			ev := f.face(freeID, model.FaceForRegister)
			ev.Method = model.FaceHTTP
			return ev
		}, "face_invalid", model.ErrFaceInvalid},
		{"purpose changed", func() model.FaceEvidence {
			ev := f.face(freeID, model.FaceForPerson)
			ev.Purpose = model.FaceForRegister
			return ev
		}, "face_invalid", model.ErrFaceInvalid},
		{"time moved", func() model.FaceEvidence {
			ev := f.faceAgo(11*time.Minute, freeID, model.FaceForRegister)
			ev.At = f.clk.Now()
			return ev
		}, "face_invalid", model.ErrFaceInvalid},
		{"staff changed", func() model.FaceEvidence {
			_, ev, err := http.Confirm(ctx, model.FaceConfirmation{IDNumber: freeID, Purpose: model.FaceForRegister,
				Username: "counter01", Password: "x", Approve: true})
			if err != nil {
				t.Fatal(err)
			}
			ev.Ref = "staff:someone"
			return ev
		}, "face_invalid", model.ErrFaceInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			in.Face = tt.face()
			_, err := f.svc.Register(ctx, in)
			wantField(t, err, account.FieldForm, tt.code, tt.cause)
			if _, err := f.enterpriseByUSCC(freeUSCC); err == nil {
				t.Fatal("enterprise stored after a refusal")
			}
		})
	}
	// The real one: the authority's verdict for this ID number, in any
	// spelling of its X, for registration, made 9 minutes ago.
	in := base
	in.Face = faceFor(http, " "+freeID+" ", model.FaceForRegister)
	f.advance(9 * time.Minute)
	if _, err := f.svc.Register(ctx, in); err != nil {
		t.Fatal(err)
	}
	if r := f.auditFor(account.AuditRegister); len(r) != 1 || r[0].Detail != "face=http ref=req-1" {
		t.Fatalf("audit = %+v", r)
	}
}

func TestRegisterPersonFaceEvidenceBound(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	proof := f.proof(smscode.PurposePerson, newPersonPhone)
	in := account.PersonRegistration{Person: newPerson(), Password: "Ouyang#2026", PhoneProof: proof}
	for _, tt := range []struct {
		name  string
		face  model.FaceEvidence
		cause error
	}{
		{"another ID number", f.face(freeID, model.FaceForPerson), model.ErrFaceOtherPerson},
		{"enterprise registration's", f.face(newPersonID, model.FaceForRegister), model.ErrFaceOtherPurpose},
	} {
		r := in
		r.Face = tt.face
		_, err := f.svc.RegisterPerson(ctx, r)
		wantField(t, err, account.FieldForm, model.Code(tt.cause), tt.cause)
	}
	in.Face = f.faceAgo(11*time.Minute, newPersonID, model.FaceForPerson)
	_, err := f.svc.RegisterPerson(ctx, in)
	wantField(t, err, account.FieldForm, "face_stale", model.ErrFaceStale)
	in.Face = f.face(newPersonID, model.FaceForPerson)
	if _, err := f.svc.RegisterPerson(ctx, in); err != nil {
		t.Fatal(err)
	}
}
