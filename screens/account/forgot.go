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

// ForgotForm is the form id (and zone prefix) of 忘记密码.
const ForgotForm = "forgot"

// ForgotSteps is the step indicator of 忘记密码 (manual §三).
var ForgotSteps = []string{"确认账号", "短信验证", "设置新密码", "完成"}

// NewForgot is 忘记密码 (manual §三): 1 确认账号 (法人账号, 法定代表人姓名,
// 证件号码, picture captcha) · 2 短信验证 to the reserved phone, shown
// masked · 3 设置新密码 · 完成.
func NewForgot(a *kit.App, _ kit.None) kit.Screen {
	last, lastRules := passwords("新密码", "确认新密码")
	r := recovery[svc.ResetTicket]{
		id: ForgotForm, title: "忘记密码", submit: "保存", titles: [4]string(ForgotSteps),
		first: []form.Field{
			accountField("法人账号", "注册时设置的企业账号"),
			personName(svc.FieldRepName, "法定代表人姓名"),
			idNumber(a, "证件号码", "法定代表人18位居民身份证号码"),
			form.Captcha(captchaKey, "图片验证码", form.Required),
		},
		last: last, lastRules: lastRules,
		hints: [3]func(svc.ResetTicket) string{
			func(svc.ResetTicket) string {
				return "请填写法人账号及法定代表人信息，核验通过后向法人预留手机号码发送短信验证码"
			},
			func(t svc.ResetTicket) string {
				return "已匹配到法人预留手机号码 " + t.MaskedPhone + "，请点击“获取验证码”并输入收到的验证码"
			},
			func(svc.ResetTicket) string {
				return "请设置新的登录密码：8-20位，大小写字母、数字、符号至少三种，不含账号，且不能与当前密码相同"
			},
		},
		masked: func(t svc.ResetTicket) string { return t.MaskedPhone },
		confirm: func(ctx context.Context, s *svc.Service, v form.Values) (svc.ResetTicket, error) {
			return s.ConfirmAccount(ctx, v.Text(svc.FieldAccount), v.Text(svc.FieldRepName), v.Text(svc.FieldIDNumber))
		},
		send: func(ctx context.Context, s *svc.Service, t svc.ResetTicket) (time.Time, error) {
			return s.SendResetCode(ctx, t)
		},
		verify: func(ctx context.Context, s *svc.Service, t svc.ResetTicket, code string) (smscode.Proof, error) {
			return s.VerifyResetCode(ctx, t, code)
		},
		final: func(ctx context.Context, s *svc.Service, t svc.ResetTicket, p smscode.Proof, v form.Values) (svc.Done, error) {
			return s.ResetPassword(ctx, t, p, v.Text(svc.FieldPassword))
		},
		// An account still 待激活 is offered 账号激活.
		wayOn: func(err error) (string, tea.Cmd, bool) {
			return "前往账号激活", route.Activate.Go(route.ActivateParams{}), errors.Is(err, model.ErrPendingActivation)
		},
		result: func(a *kit.App, d svc.Done) []string {
			st := a.St
			return []string{
				st.Success.Render("密码重置成功"),
				"",
				st.Text.Render("企业账号 " + rules.Sanitize(d.Account) + " 的登录密码已重置，原有登录已全部退出。"),
				st.Text.Render("短信通知已发送至 " + d.MaskedPhone + "，请使用新密码登录。"),
			}
		},
	}
	return flow.New(a, r.def(a))
}

// captchaKey is the picture captcha of the flows that have one.
const captchaKey = "captcha"
