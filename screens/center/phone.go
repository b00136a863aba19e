package center

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/screens/account"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// ChangePhoneForm is the form id (and zone prefix) of 修改手机号码.
const ChangePhoneForm = "change-phone"

// ChangePhoneSteps is the step bar of 修改手机号码: catalog ids.
var ChangePhoneSteps = []string{"phone_change.step_password", "phone_change.step_bind", "step.done"}

// phoneState is what 修改手机号码 holds for the visit: step 1's ticket and
// step 2's proof with the number and code it was made from.
type phoneState struct {
	ticket svc.PhoneTicket
	codeProof
}

// NewChangePhone is 修改手机号码 (manual §四(一)(2)) for the enterprise
// logged in: 1 身份验证 (the login password) › 2 绑定新号码 (the new mobile
// number, the picture captcha that gates 获取验证码, the code sent to the
// new number) › 完成 (the new number masked, back to the center). The old
// number gets a notice, the new one a confirmation (the use case's).
func NewChangePhone(a *kit.App, _ kit.None) kit.Screen {
	s := a.Deps.Accounts
	password := form.Password(svc.FieldPassword, "phone_change.password",
		form.Placeholder("phone_change.password_placeholder"), form.Required, form.Max(20))
	bind := []form.Field{
		mobileField("phone_change.new_phone", true, ""),
		form.Captcha(account.CaptchaKey, "field.captcha"),
		form.SMSCode(svc.FieldSMSCode, "field.sms_code", form.Required),
	}
	def := flow.Def[phoneState]{
		ID: ChangePhoneForm, Title: "phone_change.title", Submit: "phone_change.submit", DoneTitle: ChangePhoneSteps[2],
		Saving: "flow.saving", Hold: true,
		Steps: []flow.Step[phoneState]{
			{Title: ChangePhoneSteps[0], Fields: []form.Field{password},
				Hint: func(*phoneState) i18n.Text { return i18n.T("phone_change.hint_password") },
				Check: func(_ *phoneState, v form.Values) flow.Job {
					who, pw := acting(a), v.Text(svc.FieldPassword)
					return changeJob(s, func(ctx context.Context, s *svc.Service) (any, error) {
						return s.VerifyPhoneChangePassword(ctx, who, pw)
					})
				},
				Accept: func(x *phoneState, _ *form.Form, res any) {
					x.ticket, x.codeProof = res.(svc.PhoneTicket), codeProof{}
				}},
			{Title: ChangePhoneSteps[1], Fields: bind,
				Hint: func(x *phoneState) i18n.Text {
					if x.ticket.MaskedPhone == "" {
						return i18n.T("phone_change.hint_bind_none")
					}
					return i18n.T("phone_change.hint_bind", "Phone", x.ticket.MaskedPhone)
				},
				Send: func(x *phoneState, v form.Values) flow.Send {
					who, t, phone := acting(a), x.ticket, v.Trim(svc.FieldPhone)
					return codeSend(s, phone, func(ctx context.Context, s *svc.Service, pass captcha.Pass) (time.Time, error) {
						return s.SendPhoneChangeCode(ctx, who, pass, t, phone)
					})
				},
				Check: func(x *phoneState, v form.Values) flow.Job {
					phone, code := v.Trim(svc.FieldPhone), v.Text(svc.FieldSMSCode)
					if x.holds(phone, code, a.Now()) {
						return nil // answered already: on to the change
					}
					x.codeProof = codeProof{} // a new answer replaces any earlier proof
					who, t := acting(a), x.ticket
					return changeJob(s, func(ctx context.Context, s *svc.Service) (any, error) {
						p, err := s.VerifyPhoneChangeCode(ctx, who, t, phone, code)
						return codeProved{proof: p, key: proofKeyOf(phone, code)}, err
					})
				},
				Accept: func(x *phoneState, _ *form.Form, res any) { x.take(res) }},
		},
		Final: func(x *phoneState, v form.Values) flow.Job {
			who, t, phone, p := acting(a), x.ticket, v.Trim(svc.FieldPhone), x.proof
			return changeJob(s, func(ctx context.Context, s *svc.Service) (any, error) { return s.ChangePhone(ctx, who, t, phone, p) })
		},
		Done: func(a *kit.App, x *phoneState, res any) flow.Result {
			*x = phoneState{}
			d := res.(svc.Done)
			return flow.Result{
				Lines:   []flow.Line{flow.Won("phone_change.done", "Phone", d.MaskedPhone), flow.Gap, flow.Aside("phone_change.done_notice")},
				Buttons: []kit.Btn{{ID: ChangeDoneBack, Label: "phone_change.back"}},
				Go:      func(string) tea.Cmd { return toCenter(a) },
			}
		},
		Refused: func(_ *kit.App, x *phoneState, f *form.Form, err error) []form.Button {
			if errors.Is(err, model.ErrTicketExpired) {
				// Step 1 must be answered again (the sentence says so).
				x.ticket, x.codeProof = svc.PhoneTicket{}, codeProof{}
			}
			x.forget(f, err)
			return nil
		},
	}
	return flow.New(a, def)
}
