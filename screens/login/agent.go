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
		// Identifiers as the rules read them: full width folded, the USCC
		// and the ID number upper-cased.
		form.Text(FieldAccount, "field.account", form.Placeholder("login.account_placeholder"), form.Required, form.Max(20),
			form.Check(rules.ValidAccount)).Folded(),
		form.Text(FieldUSCC, "field.uscc", form.Placeholder("field.uscc_placeholder"), form.Required, form.Max(18),
			form.Check(func(s string) error { _, err := rules.NormalizeUSCC(s); return err })).Identifier(),
		form.Text(FieldPhone, "login.agent_phone", form.Placeholder("field.phone_placeholder"), form.Required, form.Max(11),
			form.Check(rules.ValidMobile)).Folded(),
		form.Text(FieldIDNumber, "login.agent_id", form.Placeholder("field.id_placeholder"), form.Required, form.Max(18),
			form.Check(func(s string) error { _, err := rules.ParseResidentID(s, a.Now()); return err })).Identifier(),
	}, passwordAndCaptcha("login.agent_password")...)
	auth := a.Deps.Auth
	return flow.New(a, def(AgentForm, "login.agent_title", fields, route.AgentCenter.Nav(kit.None{}), func(v form.Values) flow.Job {
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
