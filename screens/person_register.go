package screens

import (
	"context"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/screens/form"
)

// Natural-person registration: a person registers on the platform so that
// an enterprise can add them as an agent (经办人). 1 个人信息 (with the
// phone and its SMS code) › 2 设置密码 › 3 人脸验证 › 4 完成.

// PersonRegisterForm is the natural-person form's id (zone prefix).
const PersonRegisterForm = "person-register"

// PersonRegisterSteps are the titles of the step indicator.
var PersonRegisterSteps = []string{"个人信息", "设置密码", "人脸验证", "完成"}

func newPersonRegister(a *app, _ any) Screen {
	return newRegFlow(a, regConfig{
		formID: PersonRegisterForm, title: "自然人注册", submit: "注册", titles: PersonRegisterSteps,
		smsStep: 0, purpose: "本人人脸核验",
		steps: []form.Step{
			{Title: PersonRegisterSteps[0], Fields: append(append([]form.Field{
				{Key: account.FieldName, Label: "姓名", Required: true, MaxLen: 30, Validate: rules.ValidName},
			}, a.idCardFields()...), phoneFields()...)},
			{Title: PersonRegisterSteps[1], Fields: []form.Field{
				{Key: account.FieldPassword, Label: "密码", Kind: form.Password, Placeholder: "8-20位，含大写、小写、数字、符号中的三种", Required: true, MaxLen: 20},
				{Key: account.FieldConfirm, Label: "确认密码", Kind: form.Password, Placeholder: "请再次输入密码", Required: true, MaxLen: 20},
			}},
		},
		check: func(ctx context.Context, svc *account.Service, step int, v map[string]string) error {
			if step == 0 {
				return svc.CheckPerson(ctx, personInput(v))
			}
			return account.CheckNewPassword("", v[account.FieldPassword], v[account.FieldConfirm])
		},
		send: func(ctx context.Context, svc *account.Service, phone string) (time.Time, error) {
			return svc.SendPersonCode(ctx, phone)
		},
		verify: func(ctx context.Context, svc *account.Service, phone, code string) (smscode.Proof, error) {
			return svc.VerifyPersonCode(ctx, phone, code)
		},
		person: func(v map[string]string) (string, string) {
			return strings.TrimSpace(v[account.FieldName]), strings.ToUpper(strings.TrimSpace(v[account.FieldIDNumber]))
		},
		save: func(ctx context.Context, svc *account.Service, v map[string]string, p smscode.Proof, f model.FaceEvidence) (account.Done, error) {
			return svc.RegisterPerson(ctx, account.PersonRegistration{Person: personInput(v),
				Password: v[account.FieldPassword], PhoneProof: p, Face: f})
		},
		doneView: personDoneView,
		doneBtns: []btn{{id: DoneHome, label: "返回首页"}},
		doneNav: func(string) tea.Cmd {
			return func() tea.Msg { return Navigate{To: ScreenHome, ClearHistory: true} }
		},
	})
}

func personInput(v map[string]string) account.PersonInput {
	return account.PersonInput{Name: v[account.FieldName], IDDoc: idDocument(v), Phone: strings.TrimSpace(v[account.FieldPhone])}
}

func personDoneView(a *app, d account.Done) []string {
	st := a.st
	lines := []string{
		st.Success.Render("✔ 自然人注册成功"), "",
		st.Text.Render("姓名：" + rules.MaskName(rules.Sanitize(d.Name))),
		"",
		st.Text.Render("您现在可以由企业在“我的经办人”中添加为经办人。"),
	}
	if d.MaskedPhone != "" {
		lines = append(lines, st.Muted.Render("注册成功短信已发送至 "+d.MaskedPhone))
	}
	return lines
}
