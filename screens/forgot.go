package screens

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/screens/form"
)

// ForgotForm is the form id (and zone prefix) of 忘记密码; the final page's
// buttons are ForgotDone + ":" + FlowToLogin / FlowToHome.
const (
	ForgotForm = "forgot"
	ForgotDone = "forgot-done"
)

// forgotTitles is the step indicator of 忘记密码 (manual §三).
var forgotTitles = []string{"确认账号", "短信验证", "设置新密码", "完成"}

// buttonForgotActivate is offered when the account is still 待激活.
const buttonForgotActivate = "activate"

// forgotScreen is 忘记密码 (manual §三): 1 确认账号 (法人账号, 法定代表人姓名,
// 证件号码, picture captcha) · 2 短信验证 to the reserved phone, shown
// masked · 3 设置新密码 · 完成. What step 1 found travels as a signed
// ticket and step 2's answer as a proof; both die with the screen.
type forgotScreen struct {
	stepFlow
	ticket account.ResetTicket
	proof  smscode.Proof
}

func newForgot(a *app, _ any) Screen {
	s := &forgotScreen{}
	cfg := form.Config{ID: ForgotForm, SubmitLabel: "保存", Steps: []form.Step{
		{Title: forgotTitles[0], Fields: []form.Field{
			{Key: account.FieldAccount, Label: "法人账号", Placeholder: "注册时设置的企业账号", Required: true, MaxLen: 20,
				Validate: rules.ValidAccount},
			{Key: account.FieldRepName, Label: "法定代表人姓名", Placeholder: "请输入法定代表人姓名", Required: true, MaxLen: 30,
				Validate: rules.ValidName},
			{Key: account.FieldIDNumber, Label: "证件号码", Placeholder: "法定代表人18位居民身份证号码", Required: true, MaxLen: 18,
				Validate: func(v string) error { _, err := rules.ParseResidentID(v, a.now()); return err }},
			{Key: fieldCaptcha, Label: "图片验证码", Kind: form.Captcha, Placeholder: "见下图", Required: true},
		}},
		{Title: forgotTitles[1], Fields: []form.Field{
			{Key: account.FieldSMSCode, Label: "短信验证码", Kind: form.SMSCode, Placeholder: "6位数字", Required: true},
		}},
		{Title: forgotTitles[2], Fields: newPasswordFields(&s.stepFlow, "新密码", "确认新密码")},
	}}
	s.setup(a, "忘记密码", forgotTitles, cfg, ForgotDone)
	s.check, s.accept, s.hint = s.work, s.acceptStep, s.hintFor
	s.sendCode, s.refused, s.pressed = s.send, s.refusedAt, s.press
	return s
}

// newPasswordFields are 新密码 and 确认新密码 (also 密码/确认密码 of
// activation), checked on blur against the account typed in the flow.
func newPasswordFields(s *stepFlow, label, confirm string) []form.Field {
	return []form.Field{
		{Key: account.FieldPassword, Label: label, Kind: form.Password, Required: true, MaxLen: 20,
			Placeholder: "8-20位，含大小写字母、数字、符号中至少三种",
			Validate: func(v string) error {
				return rules.CheckPassword(v, strings.TrimSpace(s.form.Value(account.FieldAccount)))
			}},
		{Key: account.FieldConfirm, Label: confirm, Kind: form.Password, Required: true, MaxLen: 20,
			Placeholder: "请再次输入密码",
			Validate: func(v string) error {
				if v != s.form.Value(account.FieldPassword) {
					return model.ErrPasswordConfirm
				}
				return nil
			}},
	}
}

func (s *forgotScreen) work(step int, v map[string]string) (map[string]string, stepWork) {
	svc := s.a.deps.Accounts
	switch step {
	case 0:
		acct, name, id := v[account.FieldAccount], v[account.FieldRepName], v[account.FieldIDNumber]
		return nil, func(ctx context.Context) (any, error) { return svc.ConfirmAccount(ctx, acct, name, id) }
	case 1:
		t, code := s.ticket, v[account.FieldSMSCode]
		s.proof = smscode.Proof{} // a new answer replaces any earlier proof
		return nil, func(ctx context.Context) (any, error) { return svc.VerifyResetCode(ctx, t, code) }
	}
	pw := v[account.FieldPassword]
	if err := account.CheckNewPassword(v[account.FieldAccount], pw, v[account.FieldConfirm]); err != nil {
		return accountErrorMap(err), nil
	}
	t, p := s.ticket, s.proof
	return nil, func(ctx context.Context) (any, error) { return svc.ResetPassword(ctx, t, p, pw) }
}

func (s *forgotScreen) acceptStep(step int, res any) {
	switch step {
	case 0:
		s.ticket, s.proof = res.(account.ResetTicket), smscode.Proof{}
		// A code asked for another look-up's phone is not this one's.
		s.form.Clear(account.FieldSMSCode)
		s.form.SetNote(account.FieldSMSCode, "")
		s.form.SetError(account.FieldSMSCode, "")
	case 1:
		s.proof = res.(smscode.Proof)
	case 2:
		done := res.(account.Done)
		s.ticket, s.proof = account.ResetTicket{}, smscode.Proof{}
		st := s.a.st
		s.doneText = []string{
			st.Success.Render("密码重置成功"),
			"",
			st.Text.Render("企业账号 " + rules.Sanitize(done.Account) + " 的登录密码已重置，原有登录已全部退出。"),
			st.Text.Render("短信通知已发送至 " + done.MaskedPhone + "，请使用新密码登录。"),
		}
	}
}

func (s *forgotScreen) hintFor(step int) string {
	switch step {
	case 0:
		return "请填写法人账号及法定代表人信息，核验通过后向法人预留手机号码发送短信验证码"
	case 1:
		return "已匹配到法人预留手机号码 " + s.ticket.MaskedPhone + "，请点击“获取验证码”并输入收到的验证码"
	}
	return "请设置新的登录密码：8-20位，大小写字母、数字、符号至少三种，不含账号，且不能与当前密码相同"
}

func (s *forgotScreen) send(key string) tea.Cmd {
	svc, t := s.a.deps.Accounts, s.ticket
	return s.a.sendCodeCmd(ForgotForm, key, t.MaskedPhone, func(ctx context.Context) (time.Time, error) {
		return svc.SendResetCode(ctx, t)
	})
}

// refusedAt offers 账号激活 to an account that is still 待激活.
func (s *forgotScreen) refusedAt(step int, err error) {
	if step == 0 && errors.Is(err, model.ErrPendingActivation) {
		s.form.SetButtons([]form.Button{{ID: buttonForgotActivate, Label: "前往账号激活"}})
	}
}

func (s *forgotScreen) press(id string) tea.Cmd {
	if id == buttonForgotActivate {
		return navigate(ScreenActivate, nil)
	}
	return nil
}
