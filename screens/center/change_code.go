package center

import (
	"context"
	"errors"
	"time"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// What 修改手机号码 and 法定代表人变更 share: a new mobile number with its
// SMS code kept as a proof, the calls of the account use cases for the
// login on show, and the result page's way back to the center.

// ChangeDoneBack is the result pages' button (zone "<form id>-done:back").
const ChangeDoneBack = "back"

// codeProof is an SMS proof and the number and code it was made from,
// so that pressing 下一步 again (after a refusal of the final call) never
// answers the single-use code twice.
type codeProof struct {
	proof    smscode.Proof
	proofKey string
}

// codeProved is what a page's code check brings back.
type codeProved struct {
	proof smscode.Proof
	key   string
}

func proofKeyOf(phone, code string) string { return phone + "\x00" + code }

// holds reports whether the proof was made from phone and code and is
// still good at now.
func (p *codeProof) holds(phone, code string, now time.Time) bool {
	return p.proofKey == proofKeyOf(phone, code) && !p.proof.IsZero() && now.Before(p.proof.Expires())
}

func (p *codeProof) take(res any) {
	c := res.(codeProved)
	p.proof, p.proofKey = c.proof, c.key
}

// forget drops a proof the use case refused, with the code it was made
// from: a new code must be asked for.
func (p *codeProof) forget(f *form.Form, err error) {
	if errors.Is(err, smscode.ErrProofExpired) || errors.Is(err, smscode.ErrProofInvalid) ||
		errors.Is(err, smscode.ErrProofMissing) {
		p.proof, p.proofKey = smscode.Proof{}, ""
		f.Clear(svc.FieldSMSCode)
	}
}

// mobileField is a new mobile number (label a catalog id), full width
// folded: required, or optional with hint (a catalog id) under it.
func mobileField(label string, required bool, hint string) form.Field {
	opts := []form.Option{form.Placeholder("field.phone_placeholder"), form.Max(11), form.Check(rules.ValidMobile)}
	if required {
		opts = append(opts, form.Required)
	}
	if hint != "" {
		opts = append(opts, form.Hint(hint))
	}
	return form.Text(svc.FieldPhone, label, opts...).Folded()
}

// acting is the login the use cases act for, read on the event loop;
// nobody when it is gone (the use case refuses).
func acting(a *kit.App) model.Session {
	if s := a.Session(); s != nil {
		return *s
	}
	return model.Session{}
}

// changeJob calls fn with the account service, or refuses when the kiosk
// has none (the store could not be opened).
func changeJob(s *svc.Service, fn func(ctx context.Context, s *svc.Service) (any, error)) flow.Job {
	return func(ctx context.Context) (any, error) {
		if s == nil {
			return nil, model.ErrUnavailable
		}
		return fn(ctx, s)
	}
}

// codeSend is a 获取验证码 to phone (masked in the note) with the account
// service, behind the flow's captcha pass.
func codeSend(s *svc.Service, phone string, fn func(ctx context.Context, s *svc.Service, pass captcha.Pass) (time.Time, error)) flow.Send {
	masked := ""
	if rules.ValidMobile(rules.NormalizeInput(phone)) == nil {
		masked = rules.MaskMobile(rules.NormalizeInput(phone))
	}
	return flow.Send{Masked: masked, Do: func(ctx context.Context, pass captcha.Pass) (time.Time, error) {
		if s == nil {
			return time.Time{}, model.ErrUnavailable
		}
		return fn(ctx, s, pass)
	}}
}
