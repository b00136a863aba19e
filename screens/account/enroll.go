package account

import (
	"context"
	"errors"
	"time"

	svc "kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/smscode"
	"kiosk/screens/facestep"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// What both registrations (enterprise and natural person) share: a page
// with the picture captcha that gates 获取验证码, whose 下一步 answers the
// SMS code first, kept as a proof so going back and forth never answers
// the single-use code twice, and only then has the registry and duplicate
// checks made (the use case refuses them without the proof); a face step
// for the person of the form; the final write; and the result page.

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

// provedRefusal is a refusal of the page's check made after the code was
// answered: the proof comes back with it, so the person can correct a
// field (法人信息不匹配 on step 1) without a new code.
type provedRefusal struct {
	proved provedCode
	err    error
}

func (e *provedRefusal) Error() string { return e.err.Error() }
func (e *provedRefusal) Unwrap() error { return e.err }

// smsPage wraps a page's check so that it first answers the SMS code (the
// page has FieldPhone and FieldSMSCode), unless the same phone and code
// were proved already and the proof still holds, and then runs check with
// the proof.
func smsPage(a *kit.App, st flow.Step[enrolled],
	check func(ctx context.Context, s *svc.Service, v form.Values, proof smscode.Proof) error,
	send func(ctx context.Context, s *svc.Service, pass captcha.Pass, phone string) (time.Time, error),
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
			proved := cached
			if proved.key == "" {
				// The fields first: without a proof the check says only
				// what is wrong with them, and a typo does not use up the
				// code. It looks nothing up.
				if err := check(ctx, s, v, smscode.Proof{}); err != nil && !errors.Is(err, smscode.ErrProofMissing) {
					return nil, err
				}
				p, err := verify(ctx, s, phone, code)
				if err != nil {
					return nil, err
				}
				proved = provedCode{proof: p, key: key}
			}
			if err := check(ctx, s, v, proved.proof); err != nil {
				return nil, &provedRefusal{proved: proved, err: err}
			}
			return proved, nil
		})
	}
	st.Accept = func(x *enrolled, _ *form.Form, res any) {
		p := res.(provedCode)
		x.proof, x.proofKey = p.proof, p.key
	}
	st.Send = func(_ *enrolled, v form.Values) flow.Send {
		phone := v.Trim(svc.FieldPhone)
		return sent(s, maskedPhone(phone), func(ctx context.Context, s *svc.Service, pass captcha.Pass) (time.Time, error) {
			return send(ctx, s, pass, phone)
		})
	}
	return st
}

// faceStep is the face verification of the person of the form; use is
// the model.FaceFor… purpose its evidence is bound to.
func faceStep(title, purpose, use string, person func(v form.Values) (name, id string)) flow.Step[enrolled] {
	return FaceStep(title, purpose, use, person, func(x *enrolled, v facestep.Verified) { x.face = v })
}

// forgetProof keeps the proof a refused check was made with (the code is
// used up), and drops a proof the use case refused, with the code it was
// made from: a new code must be asked for.
func forgetProof(x *enrolled, f *form.Form, err error) {
	if pr := (*provedRefusal)(nil); errors.As(err, &pr) {
		x.proof, x.proofKey = pr.proved.proof, pr.proved.key
	}
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
