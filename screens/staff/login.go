package staff

import (
	"context"

	"kiosk/model"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// LoginForm is the form id (and zone prefix) of 工作人员登录.
const LoginForm = "slogin"

// Fields of 工作人员登录.
const (
	FieldUsername = "username"
	FieldPassword = "password"
	FieldCaptcha  = "captcha"
)

type loginState struct{}

// NewLogin is 工作人员登录: the staff id (username), the password and the
// picture captcha, as at the other logins. Wrong passwords count towards
// the staff member's own lock (model.Auth.LoginStaff: five lock for 15
// minutes, doubling); the sentence says the tries left or until when.
// The staff home follows on a fresh history.
func NewLogin(a *kit.App, _ kit.None) kit.Screen {
	auth := a.Deps.Auth
	fields := []form.Field{
		form.Text(FieldUsername, "staff.login.username", form.Placeholder("staff.login.username_placeholder"),
			form.Required, form.Max(32)).Folded(),
		form.Password(FieldPassword, "field.password", form.Placeholder("login.password_placeholder"),
			form.Required, form.Max(64)),
		form.Captcha(FieldCaptcha, "field.captcha", form.Required),
	}
	d := flow.Def[loginState]{
		ID: LoginForm, Title: "staff.login.title", Submit: "staff.login.submit", Cancel: "form.back",
		Saving: "login.checking",
		Steps:  []flow.Step[loginState]{{Title: "staff.login.title", Fields: fields}},
		Final: func(_ *loginState, v form.Values) flow.Job {
			user, pw := v.Trim(FieldUsername), v.Text(FieldPassword)
			return func(ctx context.Context) (any, error) {
				if auth == nil {
					return nil, model.ErrUnavailable
				}
				return auth.LoginStaff(ctx, user, pw)
			}
		},
		Done: func(_ *kit.App, _ *loginState, res any) flow.Result {
			return flow.Result{Then: kit.StartSession(res.(model.Session), route.StaffHome.Nav(kit.None{}))}
		},
		Refused: func(_ *kit.App, _ *loginState, f *form.Form, _ error) []form.Button {
			f.Clear(FieldPassword)
			f.Focus(FieldPassword)
			return nil
		},
	}
	return flow.New(a, d)
}
