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

// ActivateForm is the form id (and zone prefix) of 账号激活; the final
// page's buttons are ActivateDone + ":" + FlowToLogin / FlowToHome.
const (
	ActivateForm = "activate"
	ActivateDone = "activate-done"
)

// ActivateParams pre-fills 账号激活 (the login screen passes the USCC a
// pending account was typed as). Params of any other type are ignored.
type ActivateParams struct {
	USCC string
}

// ActivateSteps is the step indicator of 账号激活, as the manual draws it.
var ActivateSteps = []string{"确认账号", "安全验证", "设置账密", "激活成功"}

// buttonActivateForgot is offered when the USCC is already active.
const buttonActivateForgot = "forgot"

// activateScreen is 账号激活 (manual §五(一)): 1 确认账号 (法人类型, 企业名称,
// 统一社会信用代码, 法定代表人姓名, 证件类型, 证件号码, 有效期, picture
// captcha) · 2 安全验证 (SMS to the reserved phone, shown masked) · 3 设置账密
// · 4 激活成功. Only a 待激活 enterprise whose details match gets past step 1.
type activateScreen struct {
	stepFlow
	ticket account.ActivationTicket
	proof  smscode.Proof
}

func newActivate(a *app, params any) Screen {
	s := &activateScreen{}
	step1 := []form.Field{
		{Key: account.FieldLegalType, Label: "法人类型", Kind: form.Select, Options: model.LegalTypes, Required: true},
		{Key: account.FieldName, Label: "企业名称", Placeholder: "与营业执照一致", Required: true, MaxLen: 60,
			Validate: rules.ValidEnterpriseName},
		{Key: account.FieldUSCC, Label: "统一社会信用代码", Placeholder: "18位统一社会信用代码", Required: true, MaxLen: 18,
			Validate: func(v string) error { _, err := rules.NormalizeUSCC(v); return err }},
		{Key: account.FieldRepName, Label: "法定代表人姓名", Placeholder: "请输入法定代表人姓名", Required: true, MaxLen: 30,
			Validate: rules.ValidName},
	}
	step1 = append(step1, a.idCardFields()...)
	step1 = append(step1, form.Field{Key: fieldCaptcha, Label: "图片验证码", Kind: form.Captcha, Placeholder: "见下图", Required: true})
	step3 := append([]form.Field{{Key: account.FieldAccount, Label: "企业账号", Required: true, MaxLen: 20,
		Placeholder: "8-20位，字母开头，可含字母、数字、下划线", Validate: rules.ValidAccount}},
		newPasswordFields(&s.stepFlow, "密码", "确认密码")...)
	cfg := form.Config{ID: ActivateForm, SubmitLabel: "激活", Steps: []form.Step{
		{Title: ActivateSteps[0], Fields: step1},
		{Title: ActivateSteps[1], Fields: []form.Field{
			{Key: account.FieldSMSCode, Label: "短信验证码", Kind: form.SMSCode, Placeholder: "6位数字", Required: true},
		}},
		{Title: ActivateSteps[2], Fields: step3},
	}}
	s.setup(a, "账号激活", ActivateSteps, cfg, ActivateDone)
	s.check, s.accept, s.hint = s.work, s.acceptStep, s.hintFor
	s.sendCode, s.refused, s.pressed = s.send, s.refusedAt, s.press
	s.form.SetValue(account.FieldLegalType, model.LegalTypes[0])
	s.form.SetValue(fieldIDType, model.IDTypeResident)
	if p, ok := params.(ActivateParams); ok {
		if u, err := rules.NormalizeUSCC(p.USCC); err == nil {
			s.form.SetValue(account.FieldUSCC, u)
		}
	}
	return s
}

// Update keeps 结束日期 derived from 开始日期 and 证件有效期.
func (s *activateScreen) Update(msg tea.Msg) tea.Cmd {
	cmd := s.stepFlow.Update(msg)
	if !s.done {
		syncValidity(s.form)
	}
	return cmd
}

func (s *activateScreen) work(step int, v map[string]string) (map[string]string, stepWork) {
	svc := s.a.deps.Accounts
	switch step {
	case 0:
		in := account.ActivationInput{LegalType: v[account.FieldLegalType], Name: v[account.FieldName],
			USCC: v[account.FieldUSCC], RepName: v[account.FieldRepName], IDDoc: idDocument(v)}
		return nil, func(ctx context.Context) (any, error) { return svc.ConfirmActivation(ctx, in) }
	case 1:
		t, code := s.ticket, v[account.FieldSMSCode]
		s.proof = smscode.Proof{} // a new answer replaces any earlier proof
		return nil, func(ctx context.Context) (any, error) { return svc.VerifyActivationCode(ctx, t, code) }
	}
	acct, pw := strings.TrimSpace(v[account.FieldAccount]), v[account.FieldPassword]
	if err := account.CheckNewPassword(acct, pw, v[account.FieldConfirm]); err != nil {
		return accountErrorMap(err), nil
	}
	t, p := s.ticket, s.proof
	return nil, func(ctx context.Context) (any, error) { return svc.Activate(ctx, t, p, acct, pw) }
}

func (s *activateScreen) acceptStep(step int, res any) {
	switch step {
	case 0:
		s.ticket, s.proof = res.(account.ActivationTicket), smscode.Proof{}
		s.form.Clear(account.FieldSMSCode)
		s.form.SetNote(account.FieldSMSCode, "")
		s.form.SetError(account.FieldSMSCode, "")
	case 1:
		s.proof = res.(smscode.Proof)
	case 2:
		done := res.(account.Done)
		s.ticket, s.proof = account.ActivationTicket{}, smscode.Proof{}
		st := s.a.st
		s.doneText = []string{
			st.Success.Render("账号激活成功"),
			"",
			st.Text.Render("企业账号 " + rules.Sanitize(done.Account) + " 已激活，请使用该账号和设置的密码登录。"),
			st.Text.Render("短信通知已发送至 " + done.MaskedPhone + "。"),
		}
	}
}

func (s *activateScreen) hintFor(step int) string {
	switch step {
	case 0:
		return "请如实填写待激活企业的工商登记信息及法定代表人信息"
	case 1:
		return "验证码将发送至预留手机号码 " + s.ticket.MaskedPhone + "，请点击“获取验证码”并输入收到的验证码"
	}
	return "请设置企业账号和登录密码：密码8-20位，大小写字母、数字、符号至少三种，不含账号"
}

func (s *activateScreen) send(key string) tea.Cmd {
	svc, t := s.a.deps.Accounts, s.ticket
	return s.a.sendCodeCmd(ActivateForm, key, t.MaskedPhone, func(ctx context.Context) (time.Time, error) {
		return svc.SendActivationCode(ctx, t)
	})
}

// refusedAt points an already active USCC to 忘记密码.
func (s *activateScreen) refusedAt(step int, err error) {
	if step == 0 && errors.Is(err, model.ErrAlreadyRegistered) {
		s.form.SetButtons([]form.Button{{ID: buttonActivateForgot, Label: "忘记密码"}})
	}
}

func (s *activateScreen) press(id string) tea.Cmd {
	if id == buttonActivateForgot {
		return navigate(ScreenForgot, nil)
	}
	return nil
}
