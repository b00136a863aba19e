package account

import (
	"context"
	"errors"
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// ActivateForm is the form id (and zone prefix) of 账号激活.
const ActivateForm = "activate"

// ActivateSteps is the step indicator of 账号激活, as the manual draws it:
// catalog ids.
var ActivateSteps = []string{"activate.step_confirm", "activate.step_sms", "activate.step_account", "activate.step_done"}

// NewActivate is 账号激活 (manual §五(一)): 1 确认账号 (法人类型, 企业名称,
// 统一社会信用代码, 法定代表人姓名, 证件类型, 证件号码, 有效期, picture
// captcha) · 2 安全验证 (SMS to the reserved phone, shown masked) · 3 设置账密
// · 4 激活成功. Only a 待激活 enterprise whose details match gets past step 1.
func NewActivate(a *kit.App, p route.ActivateParams) kit.Screen {
	first := append([]form.Field{legalType(), enterpriseName(), uscc(),
		personName(svc.FieldRepName, "field.rep_name", "field.rep_name_placeholder")}, idCard(a)...)
	first = append(first, form.Captcha(captchaKey, "field.captcha", form.Required))
	pw, pwRules := passwords("field.password", "field.confirm")
	last := append([]form.Field{accountField("field.account", "activate.account_placeholder")}, pw...)
	r := recovery[svc.ActivationTicket]{
		id: ActivateForm, title: "activate.title", submit: "activate.submit", titles: [4]string(ActivateSteps),
		first: first, last: last, lastRules: pwRules,
		hints: [3]func(svc.ActivationTicket) i18n.Text{
			func(svc.ActivationTicket) i18n.Text { return i18n.T("activate.hint_confirm") },
			func(t svc.ActivationTicket) i18n.Text { return i18n.T("activate.hint_sms", "Phone", t.MaskedPhone) },
			func(svc.ActivationTicket) i18n.Text { return i18n.T("activate.hint_account") },
		},
		masked: func(t svc.ActivationTicket) string { return t.MaskedPhone },
		confirm: func(ctx context.Context, s *svc.Service, v form.Values) (svc.ActivationTicket, error) {
			return s.ConfirmActivation(ctx, svc.ActivationInput{LegalType: v.Text(svc.FieldLegalType),
				Name: v.Text(svc.FieldName), USCC: v.Text(svc.FieldUSCC), RepName: v.Text(svc.FieldRepName), IDDoc: IDDocument(v)})
		},
		send: func(ctx context.Context, s *svc.Service, pass captcha.Pass, t svc.ActivationTicket) (time.Time, error) {
			return s.SendActivationCode(ctx, pass, t)
		},
		verify: func(ctx context.Context, s *svc.Service, t svc.ActivationTicket, code string) (smscode.Proof, error) {
			return s.VerifyActivationCode(ctx, t, code)
		},
		final: func(ctx context.Context, s *svc.Service, t svc.ActivationTicket, p smscode.Proof, v form.Values) (svc.Done, error) {
			return s.Activate(ctx, t, p, v.Trim(svc.FieldAccount), v.Text(svc.FieldPassword))
		},
		// An active USCC is pointed to 忘记密码.
		wayOn: func(err error) (string, tea.Cmd, bool) {
			return "home.forgot", route.Forgot.Go(kit.None{}), errors.Is(err, model.ErrAlreadyRegistered)
		},
		result: doneLines("activate"),
	}
	d := r.def(a)
	d.Prefill = func(_ *ticketed[svc.ActivationTicket], f *form.Form) {
		lt := model.LegalTypes[0]
		if slices.Contains(model.LegalTypes, p.LegalType) {
			lt = p.LegalType // from 立即注册
		}
		f.SetValue(svc.FieldLegalType, lt)
		presetIDType(f)
		if p.Name != "" {
			f.SetValue(svc.FieldName, p.Name)
		}
		if u, err := rules.NormalizeUSCC(p.USCC); err == nil {
			f.SetValue(svc.FieldUSCC, u)
		}
	}
	return flow.New(a, d)
}
