package account

import (
	"context"
	"errors"
	"time"

	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// sendCode sends a code for purpose to phone. pass is the picture captcha
// answered in the visit's flow: without a valid one no code is sent
// (smscode.ErrCaptchaRequired). A refusal is placed on FieldPhone (bad
// number) or FieldSMSCode (no captcha, rate limits; errors.As finds
// *smscode.TooSoonError for the countdown). It returns when the button may
// be pressed again.
func (s *Service) sendCode(ctx context.Context, pass captcha.Pass, purpose, phone string) (time.Time, error) {
	if err := s.ready(); err != nil {
		return time.Time{}, err
	}
	phone = normInput(phone)
	if err := rules.ValidMobile(phone); err != nil {
		return time.Time{}, refuse(FieldPhone, err)
	}
	next, err := s.Codes.Send(ctx, pass, purpose, phone)
	if err != nil {
		return time.Time{}, codeRefusal(err)
	}
	return next, nil
}

// verifyCode answers the code and returns the proof for the final step.
func (s *Service) verifyCode(ctx context.Context, purpose, phone, code string) (smscode.Proof, error) {
	if err := s.ready(); err != nil {
		return smscode.Proof{}, err
	}
	phone = normInput(phone)
	if err := rules.ValidMobile(phone); err != nil {
		return smscode.Proof{}, refuse(FieldPhone, err)
	}
	p, err := s.Codes.Verify(ctx, purpose, phone, normInput(code))
	if err != nil {
		return smscode.Proof{}, codeRefusal(err)
	}
	return p, nil
}

// codeRefusal puts the smscode package's refusals (all DomainErrors or
// types with a Message) on FieldSMSCode; store failures pass through.
func codeRefusal(err error) error {
	var d *model.DomainError
	var m model.Messager
	if errors.As(err, &d) || errors.As(err, &m) {
		return refuse(FieldSMSCode, err)
	}
	return err
}

// checkProof checks the proof of the final step, on FieldSMSCode.
func (s *Service) checkProof(p smscode.Proof, purpose, phone string) error {
	if err := s.Codes.CheckProof(p, purpose, phone); err != nil {
		return refuse(FieldSMSCode, err)
	}
	return nil
}

// SendRegisterCode sends the registration code to the legal
// representative's phone (step 2 of registration), behind the picture
// captcha of that step (pass).
func (s *Service) SendRegisterCode(ctx context.Context, pass captcha.Pass, phone string) (nextResend time.Time, err error) {
	return s.sendCode(ctx, pass, smscode.PurposeRegister, phone)
}

// VerifyRegisterCode answers the registration code; the proof goes into
// RegistrationInput.PhoneProof.
func (s *Service) VerifyRegisterCode(ctx context.Context, phone, code string) (smscode.Proof, error) {
	return s.verifyCode(ctx, smscode.PurposeRegister, phone, code)
}

// SendPersonCode sends the natural-person registration code, behind the
// picture captcha of its page (pass).
func (s *Service) SendPersonCode(ctx context.Context, pass captcha.Pass, phone string) (nextResend time.Time, err error) {
	return s.sendCode(ctx, pass, smscode.PurposePerson, phone)
}

// VerifyPersonCode answers the natural-person registration code; the proof
// goes into PersonRegistration.PhoneProof.
func (s *Service) VerifyPersonCode(ctx context.Context, phone, code string) (smscode.Proof, error) {
	return s.verifyCode(ctx, smscode.PurposePerson, phone, code)
}
