package account

import (
	"context"
	"errors"
	"time"

	"kiosk/devices/audio"
	svc "kiosk/model/account"
	"kiosk/model/smscode"
	"kiosk/screens/facestep"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// What both registrations (enterprise and natural person) share: a page
// whose check also answers the SMS code, kept as a proof so going back and
// forth never answers the single-use code twice; a face step for the
// person of the form; the final write; and the result page.

// enrolled is the state of a registration.
type enrolled struct {
	proof    smscode.Proof
	proofKey string // the phone and code the proof was made from
	face     facestep.Verified
}

// provedCode is what the SMS page's check brings back.
type provedCode struct {
	proof smscode.Proof
	key   string
}

// smsPage wraps a page's check so that it also answers the SMS code (the
// page has FieldPhone and FieldSMSCode), unless the same phone and code
// were proved already and the proof still holds.
func smsPage(a *kit.App, st flow.Step[enrolled],
	check func(ctx context.Context, s *svc.Service, v form.Values) error,
	send func(ctx context.Context, s *svc.Service, phone string) (time.Time, error),
	verify func(ctx context.Context, s *svc.Service, phone, code string) (smscode.Proof, error)) flow.Step[enrolled] {
	s := a.Deps.Accounts
	st.Check = func(x *enrolled, v form.Values) flow.Job {
		phone, code := v.Trim(svc.FieldPhone), v.Text(svc.FieldSMSCode)
		key := phone + "\x00" + code
		cached := provedCode{}
		if x.proofKey == key && !x.proof.IsZero() && a.Now().Before(x.proof.Expires()) {
			cached = provedCode{proof: x.proof, key: key}
		}
		return job(s, func(ctx context.Context, s *svc.Service) (any, error) {
			if err := check(ctx, s, v); err != nil {
				return nil, err
			}
			if cached.key != "" {
				return cached, nil
			}
			p, err := verify(ctx, s, phone, code)
			if err != nil {
				return nil, err
			}
			return provedCode{proof: p, key: key}, nil
		})
	}
	st.Accept = func(x *enrolled, _ *form.Form, res any) {
		p := res.(provedCode)
		x.proof, x.proofKey = p.proof, p.key
	}
	st.Send = func(_ *enrolled, v form.Values) flow.Send {
		phone := v.Trim(svc.FieldPhone)
		return sent(s, maskedPhone(phone), func(ctx context.Context, s *svc.Service) (time.Time, error) {
			return send(ctx, s, phone)
		})
	}
	return st
}

// faceStep is the face verification of the person of the form.
func faceStep(title, purpose string, person func(v form.Values) (name, id string)) flow.Step[enrolled] {
	return flow.Step[enrolled]{Title: title, Prompt: audio.PromptFaceVerify,
		Component: func(a *kit.App, _ *enrolled, v form.Values) kit.Component {
			name, id := person(v)
			return facestep.New(a, facestep.Params{Name: name, IDNumber: id, Purpose: purpose})
		},
		Took: func(x *enrolled, res any) { x.face = res.(facestep.Verified) },
	}
}

// forgetProof drops a proof the final write refused, and the code it was
// made from: a new code must be asked for.
func forgetProof(x *enrolled, f *form.Form, err error) {
	if errors.Is(err, smscode.ErrProofExpired) || errors.Is(err, smscode.ErrProofInvalid) ||
		errors.Is(err, smscode.ErrProofMissing) {
		x.proof, x.proofKey = smscode.Proof{}, ""
		f.Clear(svc.FieldSMSCode)
	}
}

// EnrollState is a registration's own state, for tests.
type EnrollState = enrolled

// Proof is the SMS proof the registration holds (zero when none).
func (x *enrolled) Proof() smscode.Proof { return x.proof }
