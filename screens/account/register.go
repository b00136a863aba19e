package account

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
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

// RegisterSteps are the titles of the step indicator.
var RegisterSteps = []string{"企业信息", "法人信息", "设置账号", "人脸验证", "完成"}

// registerMismatch is the registry mismatch said next to the field: the
// model's sentence names the appeal too, which is long for one line, and
// the button is right below.
const registerMismatch = "法人信息不匹配，请核对填写的信息，或办理辅助企业注册申诉"

// NewRegister is 立即注册.
func NewRegister(a *kit.App, _ kit.None) kit.Screen {
	s := a.Deps.Accounts
	pw, pwRules := passwords("密码", "确认密码")
	rep := flow.Step[enrolled]{Title: RegisterSteps[1],
		Fields: append(append([]form.Field{personName(svc.FieldRepName, "法定代表人姓名")}, idCard(a)...), phone()...)}
	rep = smsPage(a, rep,
		func(ctx context.Context, s *svc.Service, v form.Values) error {
			return s.CheckLegalRep(ctx, v.Text(svc.FieldUSCC), legalRepInput(v))
		},
		func(ctx context.Context, s *svc.Service, phone string) (time.Time, error) {
			return s.SendRegisterCode(ctx, phone)
		},
		func(ctx context.Context, s *svc.Service, phone, code string) (smscode.Proof, error) {
			return s.VerifyRegisterCode(ctx, phone, code)
		})
	d := flow.Def[enrolled]{
		ID: RegisterForm, Title: "企业注册", Submit: "注册", DoneTitle: RegisterSteps[4],
		Saving: "正在提交，请稍候…", Hold: true,
		Steps: []flow.Step[enrolled]{
			{Title: RegisterSteps[0], Fields: []form.Field{legalType(), enterpriseName(), uscc()},
				Check: func(_ *enrolled, v form.Values) flow.Job {
					in := enterpriseInput(v)
					return job(s, func(ctx context.Context, s *svc.Service) (any, error) { return nil, s.CheckEnterprise(ctx, in) })
				}},
			rep,
			{Title: RegisterSteps[2], Fields: append([]form.Field{accountField("企业账号", "8-20位，字母开头，可含数字、下划线")}, pw...),
				Rules: pwRules,
				Check: func(_ *enrolled, v form.Values) flow.Job {
					acct := v.Text(svc.FieldAccount)
					return job(s, func(ctx context.Context, s *svc.Service) (any, error) { return nil, s.CheckAccount(ctx, acct) })
				}},
			faceStep(RegisterSteps[3], "法定代表人人脸核验", func(v form.Values) (string, string) {
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
			return flow.Result{Lines: registerDone(a, res.(svc.Done)),
				Buttons: []kit.Btn{{ID: DoneLogin, Label: "前往登录"}, {ID: DoneHome, Label: "返回首页"}},
				Go:      toLoginOrHome}
		},
		Prefill: func(_ *enrolled, f *form.Form) { presetIDType(f) },
		Refused: func(_ *kit.App, x *enrolled, f *form.Form, err error) []form.Button {
			forgetProof(x, f, err)
			switch {
			case errors.Is(err, model.ErrRegistryMismatch):
				for k, msg := range f.Errors() {
					if msg == model.ErrRegistryMismatch.Msg {
						f.SetError(k, registerMismatch)
					}
				}
				if f.FormError() == model.ErrRegistryMismatch.Msg {
					f.SetFormError(registerMismatch)
				}
				return []form.Button{{ID: RegisterAppeal, Label: "辅助企业注册申诉"}}
			case errors.Is(err, model.ErrAlreadyRegistered):
				return []form.Button{{ID: RegisterForgot, Label: "忘记密码"}}
			case errors.Is(err, model.ErrPendingUSCC):
				return []form.Button{{ID: RegisterActivate, Label: "账号激活"}}
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
	case RegisterActivate:
		return route.Activate.Go(route.ActivateParams{})
	}
	return nil
}

func registerDone(a *kit.App, d svc.Done) []string {
	st := a.St
	lines := []string{
		st.Success.Render("✔ 注册成功"), "",
		st.Text.Render("企业名称：" + rules.Sanitize(d.Name)),
		st.Text.Render("企业账号：" + rules.Sanitize(d.Account)),
		"",
	}
	if d.MaskedPhone != "" {
		lines = append(lines, st.Muted.Render("注册成功短信已发送至 "+d.MaskedPhone))
	}
	return append(lines, st.Muted.Render("请妥善保管账号和密码，可使用企业账号或统一社会信用代码登录"))
}
