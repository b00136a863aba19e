package account

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Enterprise registration (manual §二): 1 企业信息 › 2 法人信息 › 3 设置账号
// › 4 人脸验证 › 5 完成. Each page is checked by the account use case; the
// enterprise is created only after the legal representative's face check,
// in one transaction (svc.Service.Register).

// RegisterForm is the registration's form id (zone prefix).
const RegisterForm = "register"

// Way-on buttons of the registration.
const (
	RegisterAppeal   = "appeal"   // 辅助企业注册申诉, after 法人信息不匹配
	RegisterForgot   = "forgot"   // 忘记密码, after an active USCC
	RegisterActivate = "activate" // 账号激活, after a pending USCC
)

// RegisterSteps are the titles of the step indicator: catalog ids.
var RegisterSteps = []string{"register.step_enterprise", "register.step_rep", "register.step_account", "step.face", "step.done"}

// registerMismatch is the registry mismatch said next to the field: the
// model's sentence names the appeal too, which is long for one line, and
// the button is right below.
var registerMismatch = i18n.T("register.mismatch")

// NewRegister is 立即注册.
func NewRegister(a *kit.App, _ kit.None) kit.Screen {
	s := a.Deps.Accounts
	pw, pwRules := passwords("field.password", "field.confirm")
	rep := flow.Step[enrolled]{Title: RegisterSteps[1],
		Fields: append(append([]form.Field{personName(svc.FieldRepName, "field.rep_name", "field.rep_name_placeholder")},
			idCard(a)...), phone()...)}
	rep = smsPage(a, rep,
		func(ctx context.Context, s *svc.Service, v form.Values, proof smscode.Proof) error {
			return s.CheckLegalRep(ctx, enterpriseInput(v), legalRepInput(v), proof)
		},
		func(ctx context.Context, s *svc.Service, pass captcha.Pass, phone string) (time.Time, error) {
			return s.SendRegisterCode(ctx, pass, phone)
		},
		func(ctx context.Context, s *svc.Service, phone, code string) (smscode.Proof, error) {
			return s.VerifyRegisterCode(ctx, phone, code)
		})
	d := flow.Def[enrolled]{
		ID: RegisterForm, Title: "register.title", Submit: "register.submit", DoneTitle: RegisterSteps[4],
		Saving: "flow.submitting", Hold: true,
		Steps: []flow.Step[enrolled]{
			{Title: RegisterSteps[0], Fields: []form.Field{legalType(), enterpriseName(), uscc()},
				Check: func(_ *enrolled, v form.Values) flow.Job {
					in := enterpriseInput(v)
					return job(s, func(ctx context.Context, s *svc.Service) (any, error) { return nil, s.CheckEnterprise(ctx, in) })
				}},
			rep,
			{Title: RegisterSteps[2], Fields: append([]form.Field{accountField("field.account", "field.account_placeholder")}, pw...),
				Rules: pwRules,
				Check: func(_ *enrolled, v form.Values) flow.Job {
					acct := v.Text(svc.FieldAccount)
					return job(s, func(ctx context.Context, s *svc.Service) (any, error) { return nil, s.CheckAccount(ctx, acct) })
				}},
			faceStep(RegisterSteps[3], "register.face_purpose", model.FaceForRegister, func(v form.Values) (string, string) {
				return v.Trim(svc.FieldRepName), upper(v, svc.FieldIDNumber)
			}),
		},
		Final: func(x *enrolled, v form.Values) flow.Job {
			in := svc.RegistrationInput{Enterprise: enterpriseInput(v), LegalRep: legalRepInput(v),
				Account: v.Trim(svc.FieldAccount), Password: v.Text(svc.FieldPassword), PhoneProof: x.proof, Face: x.face.Evidence()}
			return job(s, func(ctx context.Context, s *svc.Service) (any, error) { return s.Register(ctx, in) })
		},
		Done: func(a *kit.App, x *enrolled, res any) flow.Result {
			*x = enrolled{}
			d := res.(svc.Done)
			return flow.Result{Lines: registerDone(d),
				Buttons: []kit.Btn{{ID: DoneLogin, Label: "result.to_login"}, {ID: DoneHome, Label: "result.to_home"}},
				Go:      toLoginOrHome(d.Account)}
		},
		Prefill: func(_ *enrolled, f *form.Form) { presetIDType(f) },
		Refused: func(_ *kit.App, x *enrolled, f *form.Form, err error) []form.Button {
			forgetProof(x, f, err)
			switch {
			case errors.Is(err, model.ErrRegistryMismatch):
				for k := range f.Errors() {
					if f.ErrorOf(k).ID == model.ErrRegistryMismatch.Msg.ID {
						f.SetError(k, registerMismatch)
					}
				}
				if f.FormErrorOf().ID == model.ErrRegistryMismatch.Msg.ID {
					f.SetFormError(registerMismatch)
				}
				return []form.Button{{ID: RegisterAppeal, Label: "register.appeal"}}
			case errors.Is(err, model.ErrAlreadyRegistered):
				return []form.Button{{ID: RegisterForgot, Label: "home.forgot"}}
			case errors.Is(err, model.ErrPendingUSCC):
				return []form.Button{{ID: RegisterActivate, Label: "home.activate"}}
			}
			return nil
		},
		Pressed: registerPressed,
	}
	return flow.New(a, d)
}

func enterpriseInput(v form.Values) svc.EnterpriseInput {
	return svc.EnterpriseInput{LegalType: v.Text(svc.FieldLegalType), Name: v.Text(svc.FieldName), USCC: v.Text(svc.FieldUSCC)}
}

func legalRepInput(v form.Values) svc.LegalRepInput {
	return svc.LegalRepInput{Name: v.Text(svc.FieldRepName), IDDoc: IDDocument(v), Phone: v.Trim(svc.FieldPhone)}
}

func registerPressed(_ *enrolled, id string, v form.Values) tea.Cmd {
	switch id {
	case RegisterAppeal:
		return route.Appeal.Go(route.AppealParams{LegalType: v.Text(svc.FieldLegalType), Name: v.Trim(svc.FieldName),
			USCC: upper(v, svc.FieldUSCC), RepName: v.Trim(svc.FieldRepName), IDNumber: upper(v, svc.FieldIDNumber)})
	case RegisterForgot:
		return route.Forgot.Go(kit.None{})
	case RegisterActivate: // what was typed goes along
		return route.Activate.Go(route.ActivateParams{LegalType: v.Text(svc.FieldLegalType), Name: v.Trim(svc.FieldName),
			USCC: upper(v, svc.FieldUSCC)})
	}
	return nil
}

func registerDone(d svc.Done) []flow.Line {
	lines := []flow.Line{
		flow.Won("register.done"), flow.Gap,
		flow.Say("register.done_name", "Name", rules.Sanitize(d.Name)),
		flow.Say("register.done_account", "Account", rules.Sanitize(d.Account)),
		flow.Gap,
	}
	if d.MaskedPhone != "" {
		lines = append(lines, flow.Aside("register.done_notice", "Phone", d.MaskedPhone))
	}
	return append(lines, flow.Aside("register.done_keep"))
}
