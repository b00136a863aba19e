package screens

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/rules"
	"kiosk/screens/form"
)

// EnterpriseLoginForm is the form id (and zone prefix) of 企业登录.
const EnterpriseLoginForm = "elogin"

// Field keys of 企业登录.
const fieldIdentifier = "identifier"

// newEnterpriseLogin is 企业登录 (manual §一(一)): account or USCC, password,
// picture captcha.
func newEnterpriseLogin(a *app, _ any) Screen {
	f := form.New(form.Config{
		ID: EnterpriseLoginForm, SubmitLabel: "登录",
		Styles: a.st, Keys: a.keys, Zones: a.zones,
		Steps: []form.Step{{Title: "企业登录", Fields: []form.Field{
			{Key: fieldIdentifier, Label: "企业账号或统一社会信用代码", Placeholder: "企业账号或18位统一社会信用代码",
				Required: true, MaxLen: 20, Validate: validIdentifier},
			{Key: fieldPassword, Label: "密码", Kind: form.Password, Placeholder: "请输入登录密码", Required: true, MaxLen: 20},
			{Key: fieldCaptcha, Label: "图片验证码", Kind: form.Captcha, Placeholder: "见下图", Required: true},
		}}},
	})
	s := &loginScreen{}
	s.setup(a, "企业登录", f, ScreenEnterpriseCenter)
	auth := a.deps.Auth
	s.login = func(v map[string]string) tea.Cmd {
		id, pw := strings.TrimSpace(v[fieldIdentifier]), v[fieldPassword]
		return func() tea.Msg {
			ctx, cancel := opContext()
			defer cancel()
			sess, err := auth.LoginEnterprise(ctx, id, pw)
			return loginResult{form: EnterpriseLoginForm, session: sess, err: err}
		}
	}
	return s
}

// validIdentifier accepts an account name or a valid USCC. It says nothing
// about whether such an account exists.
func validIdentifier(s string) error {
	s = strings.TrimSpace(s)
	if _, err := rules.NormalizeUSCC(s); err == nil {
		return nil
	}
	if rules.ValidAccount(s) == nil {
		return nil
	}
	return &rules.Error{Code: "identifier_format", Message: "请输入正确的企业账号或18位统一社会信用代码"}
}
