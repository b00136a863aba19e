package screens

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/rules"
	"kiosk/screens/form"
)

// AgentLoginForm is the form id (and zone prefix) of 经办人登录.
const AgentLoginForm = "alogin"

// Field keys of 经办人登录.
const (
	fieldAccount  = "account"
	fieldUSCC     = "uscc"
	fieldPhone    = "phone"
	fieldIDNumber = "id_number"
)

// newAgentLogin is 经办人登录 (manual §一(二)): enterprise account, USCC,
// agent mobile, agent ID number, agent password, picture captcha.
func newAgentLogin(a *app, _ any) Screen {
	f := form.New(form.Config{
		ID: AgentLoginForm, SubmitLabel: "登录",
		Styles: a.st, Keys: a.keys, Zones: a.zones,
		Steps: []form.Step{{Title: "经办人登录", Fields: []form.Field{
			{Key: fieldAccount, Label: "企业账号", Placeholder: "8-20位，字母开头", Required: true, MaxLen: 20,
				Validate: rules.ValidAccount},
			{Key: fieldUSCC, Label: "统一社会信用代码", Placeholder: "18位统一社会信用代码", Required: true, MaxLen: 18,
				Validate: func(s string) error { _, err := rules.NormalizeUSCC(s); return err }},
			{Key: fieldPhone, Label: "经办人手机号", Placeholder: "11位手机号码", Required: true, MaxLen: 11,
				Validate: rules.ValidMobile},
			{Key: fieldIDNumber, Label: "经办人身份证号", Placeholder: "18位居民身份证号码", Required: true, MaxLen: 18,
				Validate: func(s string) error { _, err := rules.ParseResidentID(s, a.now()); return err }},
			{Key: fieldPassword, Label: "经办人密码", Kind: form.Password, Placeholder: "请输入登录密码", Required: true, MaxLen: 20},
			{Key: fieldCaptcha, Label: "图片验证码", Kind: form.Captcha, Placeholder: "见下图", Required: true},
		}}},
	})
	s := &loginScreen{}
	s.setup(a, "经办人登录", f, ScreenAgentCenter)
	auth := a.deps.Auth
	s.login = func(v map[string]string) tea.Cmd {
		c := model.AgentCredentials{
			Account:  strings.TrimSpace(v[fieldAccount]),
			USCC:     strings.ToUpper(strings.TrimSpace(v[fieldUSCC])),
			Phone:    strings.TrimSpace(v[fieldPhone]),
			IDNumber: strings.ToUpper(strings.TrimSpace(v[fieldIDNumber])),
			Password: v[fieldPassword],
		}
		return func() tea.Msg {
			ctx, cancel := opContext()
			defer cancel()
			sess, err := auth.LoginAgent(ctx, c)
			return loginResult{form: AgentLoginForm, session: sess, err: err}
		}
	}
	return s
}
