package login

import (
	"context"

	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// EnterpriseForm is the form id (and zone prefix) of 企业登录.
const EnterpriseForm = "elogin"

// FieldIdentifier is 企业账号或统一社会信用代码.
const FieldIdentifier = "identifier"

// NewEnterprise is 企业登录 (manual §一(一)): account or USCC, password,
// picture captcha.
func NewEnterprise(a *kit.App, p route.LoginParams) kit.Screen {
	fields := append([]form.Field{
		// An account or a USCC: full width folded, the case kept (an
		// account's case is the person's; the login reads a USCC in any).
		form.Text(FieldIdentifier, "login.identifier", form.Placeholder("login.identifier_placeholder"),
			form.Required, form.Max(20), form.Check(ValidIdentifier)).Folded(),
	}, passwordAndCaptcha("field.password")...)
	auth := a.Deps.Auth
	d := def(EnterpriseForm, "login.enterprise_title", fields, route.EnterpriseCenter.Nav(kit.None{}), func(v form.Values) flow.Job {
		if auth == nil {
			return unavailable()
		}
		id, pw := v.Trim(FieldIdentifier), v.Text(FieldPassword)
		return func(ctx context.Context) (any, error) { return auth.LoginEnterprise(ctx, id, pw) }
	})
	d.Prefill = func(_ *state, f *form.Form) {
		if p.Account != "" {
			f.SetValue(FieldIdentifier, p.Account)
			f.Focus(FieldPassword)
		}
	}
	return flow.New(a, d)
}

// ValidIdentifier accepts an account name or a valid USCC, in full width
// too. It says nothing about whether such an account exists.
func ValidIdentifier(s string) error {
	s = rules.NormalizeInput(s)
	if _, err := rules.NormalizeUSCC(s); err == nil {
		return nil
	}
	if rules.ValidAccount(s) == nil {
		return nil
	}
	return &rules.Error{Code: "identifier_format", Msg: i18n.T("login.identifier_format")}
}
