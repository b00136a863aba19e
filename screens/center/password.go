package center

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/screens/account"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// PasswordForm is the form id (and zone prefix) of 修改密码.
const PasswordForm = "password"

// ChangePasswordButton is the center's 修改密码 button id.
const ChangePasswordButton = "change_password"

// passwordState: 修改密码 keeps nothing between its page and its result.
type passwordState struct{}

// NewPassword is 修改密码 (manual §四) for the enterprise or the agent
// logged in: 原密码, 新密码 (the policy, a strength meter) and 确认新密码.
// Every other login of the account ends; this one stays (the use case
// returns it with the new epoch). Its result page leads back to the
// center.
func NewPassword(a *kit.App, _ kit.None) kit.Screen {
	accounts := a.Deps.Accounts
	pw, rules := account.Passwords("field.new_password", "field.new_confirm")
	fields := append([]form.Field{form.Password(svc.FieldOldPassword, "field.old_password",
		form.Placeholder("field.old_password_placeholder"), form.Required, form.Max(20))}, pw...)
	def := flow.Def[passwordState]{
		ID: PasswordForm, Title: "password.title", Submit: "password.save", Saving: "flow.saving", Hold: true,
		Steps: []flow.Step[passwordState]{{Title: "password.title", Fields: fields, Rules: rules}},
		Final: func(_ *passwordState, v form.Values) flow.Job {
			who, old, nw := *a.Session(), v.Text(svc.FieldOldPassword), v.Text(svc.FieldPassword)
			return func(ctx context.Context) (any, error) {
				if accounts == nil {
					return nil, model.ErrUnavailable
				}
				return accounts.ChangePassword(ctx, who, old, nw)
			}
		},
		Done: func(a *kit.App, _ *passwordState, res any) flow.Result {
			if s, ok := res.(model.Session); ok {
				a.SetSession(&s) // this login stays; the others have ended
			}
			return flow.Result{
				Lines:   []flow.Line{flow.Won("password.done"), flow.Gap, flow.Say("password.done_notice")},
				Buttons: []kit.Btn{{ID: "back", Label: "password.back"}},
				Go:      func(string) tea.Cmd { return toCenter(a) },
			}
		},
	}
	return flow.New(a, def)
}

// toCenter is the center of whoever is logged in, with a fresh history.
func toCenter(a *kit.App) tea.Cmd {
	if a.Session().IsAgent() {
		return route.AgentCenter.Fresh(kit.None{})
	}
	return route.EnterpriseCenter.Fresh(kit.None{})
}
