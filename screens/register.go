package screens

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/screens/form"
)

// Enterprise registration (manual §二): 1 企业信息 › 2 法人信息 › 3 设置账号
// › 4 人脸验证 › 5 完成. Each form step is checked by the account use case;
// the enterprise is created only after the legal representative's face
// check, in one transaction (account.Service.Register).

// RegisterForm is the registration form's id (zone prefix).
const RegisterForm = "register"

// Way-on buttons of the registration form.
const (
	RegisterAppeal   = "appeal"   // 辅助企业注册申诉, after 法人信息不匹配
	RegisterForgot   = "forgot"   // 忘记密码, after an active USCC
	RegisterActivate = "activate" // 账号激活, after a pending USCC
)

// Buttons of the 完成 page.
const (
	DoneLogin = "login"
	DoneHome  = "home"
)

// RegisterSteps are the titles of the step indicator.
var RegisterSteps = []string{"企业信息", "法人信息", "设置账号", "人脸验证", "完成"}

func newRegister(a *app, _ any) Screen {
	return newRegFlow(a, regConfig{
		formID: RegisterForm, title: "企业注册", submit: "注册", titles: RegisterSteps,
		smsStep: 1, purpose: "法定代表人人脸核验",
		steps: []form.Step{
			{Title: RegisterSteps[0], Fields: []form.Field{
				{Key: account.FieldLegalType, Label: "法人类型", Kind: form.Radio, Options: model.LegalTypes, Required: true},
				{Key: account.FieldName, Label: "企业名称", Placeholder: "与营业执照一致", Required: true, MaxLen: 60,
					Validate: rules.ValidEnterpriseName},
				{Key: account.FieldUSCC, Label: "统一社会信用代码", Placeholder: "18位代码", Required: true, MaxLen: 18,
					Validate: func(s string) error { _, err := rules.NormalizeUSCC(s); return err }},
			}},
			{Title: RegisterSteps[1], Fields: append(append([]form.Field{
				{Key: account.FieldRepName, Label: "法定代表人姓名", Required: true, MaxLen: 30, Validate: rules.ValidName},
			}, a.idCardFields()...), phoneFields()...)},
			{Title: RegisterSteps[2], Fields: []form.Field{
				{Key: account.FieldAccount, Label: "企业账号", Placeholder: "8-20位，字母开头，可含数字、下划线", Required: true, MaxLen: 20,
					Validate: rules.ValidAccount},
				{Key: account.FieldPassword, Label: "密码", Kind: form.Password, Placeholder: "8-20位，含大写、小写、数字、符号中的三种", Required: true, MaxLen: 20},
				{Key: account.FieldConfirm, Label: "确认密码", Kind: form.Password, Placeholder: "请再次输入密码", Required: true, MaxLen: 20},
			}},
		},
		check: checkRegisterStep,
		send: func(ctx context.Context, svc *account.Service, phone string) (time.Time, error) {
			return svc.SendRegisterCode(ctx, phone)
		},
		verify: func(ctx context.Context, svc *account.Service, phone, code string) (smscode.Proof, error) {
			return svc.VerifyRegisterCode(ctx, phone, code)
		},
		person: func(v map[string]string) (string, string) {
			return strings.TrimSpace(v[account.FieldRepName]), strings.ToUpper(strings.TrimSpace(v[account.FieldIDNumber]))
		},
		save: func(ctx context.Context, svc *account.Service, v map[string]string, p smscode.Proof, f model.FaceEvidence) (account.Done, error) {
			return svc.Register(ctx, account.RegistrationInput{Enterprise: enterpriseInput(v), LegalRep: legalRepInput(v),
				Account: strings.TrimSpace(v[account.FieldAccount]), Password: v[account.FieldPassword], PhoneProof: p, Face: f})
		},
		wayOn:    registerWayOn,
		refine:   registerRefine,
		pressed:  registerPressed,
		doneView: registerDoneView,
		doneBtns: []btn{{id: DoneLogin, label: "前往登录"}, {id: DoneHome, label: "返回首页"}},
		doneNav: func(id string) tea.Cmd {
			to := ScreenHome
			if id == DoneLogin {
				to = ScreenEnterpriseLogin
			}
			return func() tea.Msg { return Navigate{To: to, ClearHistory: true} }
		},
	})
}

func enterpriseInput(v map[string]string) account.EnterpriseInput {
	return account.EnterpriseInput{LegalType: v[account.FieldLegalType], Name: v[account.FieldName], USCC: v[account.FieldUSCC]}
}

func legalRepInput(v map[string]string) account.LegalRepInput {
	return account.LegalRepInput{Name: v[account.FieldRepName], IDDoc: idDocument(v), Phone: strings.TrimSpace(v[account.FieldPhone])}
}

// checkRegisterStep is the use-case check of each form step (the SMS code
// of step 2 is answered by the flow after it).
func checkRegisterStep(ctx context.Context, svc *account.Service, step int, v map[string]string) error {
	switch step {
	case 0:
		return svc.CheckEnterprise(ctx, enterpriseInput(v))
	case 1:
		return svc.CheckLegalRep(ctx, v[account.FieldUSCC], legalRepInput(v))
	case 2:
		// The account and the password are both shown at once.
		accountErr := svc.CheckAccount(ctx, v[account.FieldAccount])
		if accountErr != nil && !isFieldErrors(accountErr) {
			return accountErr
		}
		pwErr := account.CheckNewPassword(v[account.FieldAccount], v[account.FieldPassword], v[account.FieldConfirm])
		return errors.Join(accountErr, pwErr)
	}
	return nil
}

func isFieldErrors(err error) bool {
	var fe *account.FieldErrors
	return errors.As(err, &fe)
}

// registerWayOn: a registry mismatch leads to the appeal, an active USCC to
// 忘记密码, a pending one to 账号激活.
func registerWayOn(err error) []form.Button {
	switch {
	case errors.Is(err, model.ErrRegistryMismatch):
		return []form.Button{{ID: RegisterAppeal, Label: "辅助企业注册申诉"}}
	case errors.Is(err, model.ErrAlreadyRegistered):
		return []form.Button{{ID: RegisterForgot, Label: "忘记密码"}}
	case errors.Is(err, model.ErrPendingUSCC):
		return []form.Button{{ID: RegisterActivate, Label: "账号激活"}}
	}
	return nil
}

// registerMismatch is the registry mismatch said next to the field: the
// model's sentence names the appeal too, which is long for one line, and
// the button is right below.
const registerMismatch = "法人信息不匹配，请核对填写的信息，或办理辅助企业注册申诉"

func registerRefine(f *form.Form, err error) {
	if !errors.Is(err, model.ErrRegistryMismatch) {
		return
	}
	for k, msg := range f.Errors() {
		if msg == model.ErrRegistryMismatch.Msg {
			f.SetError(k, registerMismatch)
		}
	}
	if f.FormError() == model.ErrRegistryMismatch.Msg {
		f.SetFormError(registerMismatch)
	}
}

func registerPressed(id string, v map[string]string) tea.Cmd {
	switch id {
	case RegisterAppeal:
		p := AppealParams{LegalType: v[account.FieldLegalType], Name: strings.TrimSpace(v[account.FieldName]),
			USCC:    strings.ToUpper(strings.TrimSpace(v[account.FieldUSCC])),
			RepName: strings.TrimSpace(v[account.FieldRepName]), IDNumber: strings.ToUpper(strings.TrimSpace(v[account.FieldIDNumber]))}
		return navigate(ScreenAppeal, p)
	case RegisterForgot:
		return navigate(ScreenForgot, nil)
	case RegisterActivate:
		return navigate(ScreenActivate, nil)
	}
	return nil
}

func registerDoneView(a *app, d account.Done) []string {
	st := a.st
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
