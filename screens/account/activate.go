package account

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// ActivateForm is the form id (and zone prefix) of 账号激活.
const ActivateForm = "activate"

// ActivateSteps is the step indicator of 账号激活, as the manual draws it.
var ActivateSteps = []string{"确认账号", "安全验证", "设置账密", "激活成功"}

// NewActivate is 账号激活 (manual §五(一)): 1 确认账号 (法人类型, 企业名称,
// 统一社会信用代码, 法定代表人姓名, 证件类型, 证件号码, 有效期, picture
// captcha) · 2 安全验证 (SMS to the reserved phone, shown masked) · 3 设置账密
// · 4 激活成功. Only a 待激活 enterprise whose details match gets past step 1.
func NewActivate(a *kit.App, p route.ActivateParams) kit.Screen {
	first := append([]form.Field{legalType(), enterpriseName(), uscc(), personName(svc.FieldRepName, "法定代表人姓名")},
		idCard(a)...)
	first = append(first, form.Captcha(captchaKey, "图片验证码", form.Required))
	pw, pwRules := passwords("密码", "确认密码")
	last := append([]form.Field{accountField("企业账号", "8-20位，字母开头，可含字母、数字、下划线")}, pw...)
	r := recovery[svc.ActivationTicket]{
		id: ActivateForm, title: "账号激活", submit: "激活", titles: [4]string(ActivateSteps),
		first: first, last: last, lastRules: pwRules,
		hints: [3]func(svc.ActivationTicket) string{
			func(svc.ActivationTicket) string {
				return "请如实填写待激活企业的工商登记信息及法定代表人信息"
			},
			func(t svc.ActivationTicket) string {
				return "验证码将发送至预留手机号码 " + t.MaskedPhone + "，请点击“获取验证码”并输入收到的验证码"
			},
			func(svc.ActivationTicket) string {
				return "请设置企业账号和登录密码：密码8-20位，大小写字母、数字、符号至少三种，不含账号"
			},
		},
		masked: func(t svc.ActivationTicket) string { return t.MaskedPhone },
		confirm: func(ctx context.Context, s *svc.Service, v form.Values) (svc.ActivationTicket, error) {
			return s.ConfirmActivation(ctx, svc.ActivationInput{LegalType: v.Text(svc.FieldLegalType),
				Name: v.Text(svc.FieldName), USCC: v.Text(svc.FieldUSCC), RepName: v.Text(svc.FieldRepName), IDDoc: IDDocument(v)})
		},
		send: func(ctx context.Context, s *svc.Service, t svc.ActivationTicket) (time.Time, error) {
			return s.SendActivationCode(ctx, t)
		},
		verify: func(ctx context.Context, s *svc.Service, t svc.ActivationTicket, code string) (smscode.Proof, error) {
			return s.VerifyActivationCode(ctx, t, code)
		},
		final: func(ctx context.Context, s *svc.Service, t svc.ActivationTicket, p smscode.Proof, v form.Values) (svc.Done, error) {
			return s.Activate(ctx, t, p, v.Trim(svc.FieldAccount), v.Text(svc.FieldPassword))
		},
		// An active USCC is pointed to 忘记密码.
		wayOn: func(err error) (string, tea.Cmd, bool) {
			return "忘记密码", route.Forgot.Go(kit.None{}), errors.Is(err, model.ErrAlreadyRegistered)
		},
		result: func(a *kit.App, d svc.Done) []string {
			st := a.St
			return []string{
				st.Success.Render("账号激活成功"),
				"",
				st.Text.Render("企业账号 " + rules.Sanitize(d.Account) + " 已激活，请使用该账号和设置的密码登录。"),
				st.Text.Render("短信通知已发送至 " + d.MaskedPhone + "。"),
			}
		},
	}
	d := r.def(a)
	d.Prefill = func(_ *ticketed[svc.ActivationTicket], f *form.Form) {
		f.SetValue(svc.FieldLegalType, model.LegalTypes[0])
		presetIDType(f)
		if u, err := rules.NormalizeUSCC(p.USCC); err == nil {
			f.SetValue(svc.FieldUSCC, u)
		}
	}
	return flow.New(a, d)
}
