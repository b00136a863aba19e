// Package login is 企业登录 and 经办人登录 (manual §一): each one page of a
// flow with a picture captcha, the login as the flow's final call, and the
// center as its result.
package login

import (
	"context"
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Field keys shared by both login forms.
const (
	FieldPassword = "password"
	FieldCaptcha  = "captcha"
)

// ButtonActivate is the extra button offered to a pending-activation account.
const ButtonActivate = "activate"

// ButtonForgot is the extra button offered to a locked enterprise: 忘记密码
// resets the password by SMS, which ends the lock.
const ButtonForgot = "forgot"

// state is what a login keeps between its page and its call: nothing.
type state struct{}

// def declares a login: one page, the login as Final, the center after.
func def(id, title string, fields []form.Field, then kit.Navigate, login func(v form.Values) flow.Job) flow.Def[state] {
	return flow.Def[state]{
		ID: id, Title: title, Submit: "login.submit", Cancel: "form.back", Saving: "login.checking",
		Steps: []flow.Step[state]{{Title: title, Fields: fields}},
		Final: func(_ *state, v form.Values) flow.Job { return login(v) },
		Done: func(_ *kit.App, _ *state, res any) flow.Result {
			return flow.Result{Then: kit.StartSession(res.(model.Session), then)}
		},
		Refused: func(_ *kit.App, _ *state, f *form.Form, err error) []form.Button {
			f.Clear(FieldPassword)
			f.Focus(FieldPassword)
			if errors.Is(err, model.ErrPendingActivation) {
				return []form.Button{{ID: ButtonActivate, Label: "login.to_activate"}}
			}
			var locked *model.LockedError
			if errors.As(err, &locked) && locked.Who == model.LockEnterprise {
				return []form.Button{{ID: ButtonForgot, Label: "home.forgot"}}
			}
			return nil
		},
		Pressed: func(_ *state, id string, v form.Values) tea.Cmd {
			if id == ButtonActivate {
				// A pending account typed as its USCC pre-fills activation.
				return route.Activate.Go(route.ActivateParams{USCC: v.Trim(FieldIdentifier)})
			}
			if id == ButtonForgot {
				return route.Forgot.Go(kit.None{})
			}
			return nil
		},
	}
}

// passwordAndCaptcha are the last two fields of both logins.
func passwordAndCaptcha(label string) []form.Field {
	return []form.Field{
		form.Password(FieldPassword, label, form.Placeholder("login.password_placeholder"), form.Required, form.Max(20)),
		form.Captcha(FieldCaptcha, "field.captcha", form.Required),
	}
}

// unavailable is the job of a kiosk without the login service.
func unavailable() flow.Job {
	return func(context.Context) (any, error) { return nil, model.ErrUnavailable }
}
