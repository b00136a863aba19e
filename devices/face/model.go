package face

import (
	"context"
	"image"

	"kiosk/model"
)

// The face verifiers as the model's FaceService sees them: the service,
// not the screen, turns a passed verdict into sealed model.FaceEvidence.

// Device adapts v to model.FaceDevice; nil for a nil v.
func Device(v Verifier) model.FaceDevice {
	if v == nil {
		return nil
	}
	return device{v}
}

type device struct{ v Verifier }

func (d device) Simulated() bool { return d.v.Simulated() }

// VerifyFace implements model.FaceDevice; errors pass through unchanged.
func (d device) VerifyFace(ctx context.Context, name, idNumber string, frames []image.Image) (model.FaceVerdict, error) {
	res, err := d.v.Verify(ctx, Request{Name: name, IDNumber: idNumber, Frames: frames})
	if err != nil {
		return model.FaceVerdict{}, err
	}
	return Verdict(res), nil
}

// Verdict is res as the model carries it.
func Verdict(res Result) model.FaceVerdict {
	return model.FaceVerdict{Match: res.Match, Score: res.Score, Outcome: string(res.Outcome), Reason: res.Reason}
}

// ResultOf is the Result of a verdict the model's FaceService returned.
func ResultOf(v model.FaceVerdict) Result {
	return Result{Match: v.Match, Score: v.Score, Reason: v.Reason, Outcome: Outcome(v.Outcome)}
}
