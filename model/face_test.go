package model_test

import (
	"context"
	"errors"
	"image"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/clocktest"
)

type matcher struct{ sim bool }

func (matcher) VerifyFace(context.Context, string, string, []image.Image) (model.FaceVerdict, error) {
	return model.FaceVerdict{Match: true, Score: 0.9}, nil
}
func (m matcher) Simulated() bool { return m.sim }

func TestFaceServiceSealsAndChecks(t *testing.T) {
	if _, err := model.NewFaceService([]byte("short"), nil, matcher{}, nil); err == nil {
		t.Fatal("a short secret accepted")
	}
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	fs, err := model.NewFaceService([]byte("face-test-secret-0123456789"), clocktest.New(at), matcher{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fs.HasStaff() || fs.Simulated() {
		t.Fatal("staff or simulation without either")
	}
	if _, _, err := fs.Confirm(context.Background(), model.FaceConfirmation{IDNumber: "x", Approve: true}); err == nil {
		t.Fatal("Confirm without a counter")
	}
	req := model.FaceRequest{Name: "n", IDNumber: "22010219900307001x", Purpose: model.FaceForPerson}
	if _, ev, err := fs.Verify(context.Background(), model.FaceRequest{Purpose: model.FaceForPerson}); err == nil || !ev.IsZero() {
		t.Fatalf("no ID number: %+v %v", ev, err)
	}
	_, ev, err := fs.Verify(context.Background(), req)
	if err != nil || ev.Method != model.FaceHTTP || !ev.At.Equal(at) || ev.Purpose != model.FaceForPerson {
		t.Fatalf("evidence %+v %v", ev, err)
	}
	use := model.FaceUse{IDNumber: " 22010219900307001X", Purpose: model.FaceForPerson, MaxAge: 10 * time.Minute}
	for _, c := range []struct {
		name string
		ev   model.FaceEvidence
		use  func(u *model.FaceUse)
		now  time.Time
		want error
	}{
		{"ok, ID number spelt otherwise", ev, nil, at.Add(10 * time.Minute), nil},
		{"none", model.FaceEvidence{}, nil, at, model.ErrFaceRequired},
		{"stale", ev, nil, at.Add(10*time.Minute + time.Second), model.ErrFaceStale},
		{"another person", ev, func(u *model.FaceUse) { u.IDNumber = "220102199003070013" }, at, model.ErrFaceOtherPerson},
		{"another purpose", ev, func(u *model.FaceUse) { u.Purpose = model.FaceForRegister }, at, model.ErrFaceOtherPurpose},
		{"no ID number", ev, func(u *model.FaceUse) { u.IDNumber = "" }, at, model.ErrFaceOtherPerson},
		{"forged", model.FaceEvidence{Method: model.FaceHTTP, At: at, Purpose: model.FaceForPerson}, nil, at, model.ErrFaceInvalid},
	} {
		u := use
		if c.use != nil {
			c.use(&u)
		}
		if err := fs.Check(c.ev, u, c.now); !errors.Is(err, c.want) || (c.want == nil && err != nil) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	// Demo evidence only where the use case allows it.
	demo, err := model.NewFaceService([]byte("face-test-secret-0123456789"), clocktest.New(at), matcher{sim: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, dev, _ := demo.Verify(context.Background(), req)
	if err := fs.Check(dev, use, at); err != model.ErrFaceInvalid {
		t.Errorf("demo evidence without AllowDemo: %v", err)
	}
	use.AllowDemo = true
	if err := fs.Check(dev, use, at); err != nil || dev.Method != model.FaceDemo {
		t.Errorf("demo evidence with AllowDemo: %v (%s)", err, dev.Method)
	}
}
