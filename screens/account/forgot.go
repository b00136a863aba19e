package account

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/smscode"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// ForgotForm is the form id (and zone prefix) of 忘记密码.
const ForgotForm = "forgot"

// ForgotSteps is the step indicator of 忘记密码 (manual §三): catalog ids.
var ForgotSteps = []string{"forgot.step_confirm", "forgot.step_sms", "forgot.step_password", "step.done"}

// NewForgot is 忘记密码 (manual §三): 1 确认账号 (法人账号, 法定代表人姓名,
// 证件号码, picture captcha) · 2 短信验证 to the reserved phone, shown
// masked · 3 设置新密码 · 完成.
func NewForgot(a *kit.App, _ kit.None) kit.Screen {
	last, lastRules := passwords("field.new_password", "field.new_confirm")
	r := recovery[svc.ResetTicket]{
		id: ForgotForm, title: "forgot.title", submit: "forgot.save", titles: [4]string(ForgotSteps),
		first: []form.Field{
			accountField("field.legal_account", "forgot.account_placeholder"),
			personName(svc.FieldRepName, "field.rep_name", "field.rep_name_placeholder"),
			idNumber(a, "field.id_number", "forgot.id_placeholder"),
			form.Captcha(captchaKey, "field.captcha", form.Required),
		},
		last: last, lastRules: lastRules,
		hints: [3]func(svc.ResetTicket) i18n.Text{
			func(svc.ResetTicket) i18n.Text { return i18n.T("forgot.hint_confirm") },
			func(t svc.ResetTicket) i18n.Text { return i18n.T("forgot.hint_sms", "Phone", t.MaskedPhone) },
			func(svc.ResetTicket) i18n.Text { return i18n.T("forgot.hint_password") },
		},
		masked: func(t svc.ResetTicket) string { return t.MaskedPhone },
		confirm: func(ctx context.Context, s *svc.Service, v form.Values) (svc.ResetTicket, error) {
			return s.ConfirmAccount(ctx, v.Text(svc.FieldAccount), v.Text(svc.FieldRepName), v.Text(svc.FieldIDNumber))
		},
		send: func(ctx context.Context, s *svc.Service, pass captcha.Pass, t svc.ResetTicket) (time.Time, error) {
			return s.SendResetCode(ctx, pass, t)
		},
		verify: func(ctx context.Context, s *svc.Service, t svc.ResetTicket, code string) (smscode.Proof, error) {
			return s.VerifyResetCode(ctx, t, code)
		},
		final: func(ctx context.Context, s *svc.Service, t svc.ResetTicket, p smscode.Proof, v form.Values) (svc.Done, error) {
			return s.ResetPassword(ctx, t, p, v.Text(svc.FieldPassword))
		},
		// An account still 待激活 is offered 账号激活.
		wayOn: func(err error) (string, tea.Cmd, bool) {
			return "login.to_activate", route.Activate.Go(route.ActivateParams{}), errors.Is(err, model.ErrPendingActivation)
		},
		result: doneLines("forgot"),
	}
	return flow.New(a, r.def(a))
}

// captchaKey is the picture captcha of the flows that have one.
const captchaKey = "captcha"
