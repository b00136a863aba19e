package login

import (
	"context"
	"strings"

	"kiosk/model"
	"kiosk/model/rules"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// AgentForm is the form id (and zone prefix) of 经办人登录.
const AgentForm = "alogin"

// Field keys of 经办人登录.
const (
	FieldAccount  = "account"
	FieldUSCC     = "uscc"
	FieldPhone    = "phone"
	FieldIDNumber = "id_number"
)

// NewAgent is 经办人登录 (manual §一(二)): enterprise account, USCC, agent
// mobile, agent ID number, agent password, picture captcha.
func NewAgent(a *kit.App, _ kit.None) kit.Screen {
	fields := append([]form.Field{
		form.Text(FieldAccount, "企业账号", form.Placeholder("8-20位，字母开头"), form.Required, form.Max(20),
			form.Check(rules.ValidAccount)),
		form.Text(FieldUSCC, "统一社会信用代码", form.Placeholder("18位统一社会信用代码"), form.Required, form.Max(18),
			form.Check(func(s string) error { _, err := rules.NormalizeUSCC(s); return err })),
		form.Text(FieldPhone, "经办人手机号", form.Placeholder("11位手机号码"), form.Required, form.Max(11),
			form.Check(rules.ValidMobile)),
		form.Text(FieldIDNumber, "经办人身份证号", form.Placeholder("18位居民身份证号码"), form.Required, form.Max(18),
			form.Check(func(s string) error { _, err := rules.ParseResidentID(s, a.Now()); return err })),
	}, passwordAndCaptcha("经办人密码")...)
	auth := a.Deps.Auth
	return flow.New(a, def(AgentForm, "经办人登录", fields, route.AgentCenter.Nav(kit.None{}), func(v form.Values) flow.Job {
		if auth == nil {
			return unavailable()
		}
		c := model.AgentCredentials{
			Account:  v.Trim(FieldAccount),
			USCC:     strings.ToUpper(v.Trim(FieldUSCC)),
			Phone:    v.Trim(FieldPhone),
			IDNumber: strings.ToUpper(v.Trim(FieldIDNumber)),
			Password: v.Text(FieldPassword),
		}
		return func(ctx context.Context) (any, error) { return auth.LoginAgent(ctx, c) }
	}))
}
