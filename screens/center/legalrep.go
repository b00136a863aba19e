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
	"kiosk/model/rules"
	"kiosk/screens/account"
	"kiosk/screens/facestep"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// ChangeLegalRepForm is the form id (and zone prefix) of 法定代表人变更.
const ChangeLegalRepForm = "change-legal-rep"

// ChangeLegalRepSteps is the step bar of 法定代表人变更: catalog ids.
var ChangeLegalRepSteps = []string{"rep_change.step_rep", "step.face", "rep_change.step_phone", "step.done"}

// repMismatch is said next to the name when the registry names another
// legal representative: the model's sentence is the registration's (it
// points to the registration appeal).
var repMismatch = i18n.T("rep_change.mismatch")

// repState is what 法定代表人变更 holds for the visit: the reserved phone
// masked (step 1's answer), the face verdict of the new legal
// representative, the proof of a new phone, and the new legal
// representative's name for the result page.
type repState struct {
	masked string
	face   facestep.Verified
	codeProof
	name string
}

// NewChangeLegalRep is 法定代表人变更 (manual §四(一)(4)) for the enterprise
// logged in: 1 新法定代表人 (姓名, 证件类型, 证件号码, 证件有效期, 开始日期,
// 结束日期), which must be the business registry's legal representative
// and not the current one › 2 人脸验证 of the new legal representative ›
// 3 预留手机号码, optional: a new number with the picture captcha and its
// SMS code, or nothing to keep the reserved phone › 完成, back to the
// center.
func NewChangeLegalRep(a *kit.App, _ kit.None) kit.Screen {
	s := a.Deps.Accounts
	phone := []form.Field{
		// Optional: said under the field too, where the room drops the hint.
		mobileField("rep_change.new_phone", false, "rep_change.phone_optional"),
		form.Captcha(account.CaptchaKey, "field.captcha"),
		form.SMSCode(svc.FieldSMSCode, "field.sms_code"),
	}
	def := flow.Def[repState]{
		ID: ChangeLegalRepForm, Title: "rep_change.title", Submit: "rep_change.submit", DoneTitle: ChangeLegalRepSteps[3],
		Saving: "flow.submitting", Hold: true,
		Steps: []flow.Step[repState]{
			{Title: ChangeLegalRepSteps[0], Fields: account.RepFields(a, "rep_change.name", "rep_change.name_placeholder"),
				Hint: func(*repState) i18n.Text { return i18n.T("rep_change.hint_rep") },
				Check: func(_ *repState, v form.Values) flow.Job {
					who, in := acting(a), repInput(v)
					return changeJob(s, func(ctx context.Context, s *svc.Service) (any, error) {
						return s.CheckNewLegalRep(ctx, who, in)
					})
				},
				Accept: func(x *repState, _ *form.Form, res any) { x.masked = res.(string) }},
			account.FaceStep(ChangeLegalRepSteps[1], "rep_change.face_purpose", model.FaceForLegalRepChange,
				func(v form.Values) (string, string) { return v.Trim(svc.FieldRepName), repInput(v).IDDoc.Number },
				func(x *repState, v facestep.Verified) { x.face = v }),
			{Title: ChangeLegalRepSteps[2], Fields: phone,
				Hint: func(x *repState) i18n.Text {
					if x.masked == "" {
						return i18n.T("rep_change.hint_phone_none")
					}
					return i18n.T("rep_change.hint_phone", "Phone", x.masked)
				},
				Send: func(_ *repState, v form.Values) flow.Send {
					who, phone := acting(a), v.Trim(svc.FieldPhone)
					return codeSend(s, phone, func(ctx context.Context, s *svc.Service, pass captcha.Pass) (time.Time, error) {
						return s.SendLegalRepPhoneCode(ctx, who, pass, phone)
					})
				},
				Check: func(x *repState, v form.Values) flow.Job {
					phone, code := v.Trim(svc.FieldPhone), v.Text(svc.FieldSMSCode)
					if phone == "" || x.holds(phone, code, a.Now()) {
						return nil // the reserved phone stays, or answered already
					}
					x.codeProof = codeProof{}
					who := acting(a)
					return changeJob(s, func(ctx context.Context, s *svc.Service) (any, error) {
						p, err := s.VerifyLegalRepPhoneCode(ctx, who, phone, code)
						return codeProved{proof: p, key: proofKeyOf(phone, code)}, err
					})
				},
				Accept: func(x *repState, _ *form.Form, res any) { x.take(res) }},
		},
		Final: func(x *repState, v form.Values) flow.Job {
			who, in, face, phone, p := acting(a), repInput(v), x.face.Evidence(), v.Trim(svc.FieldPhone), x.proof
			x.name = in.Name
			return changeJob(s, func(ctx context.Context, s *svc.Service) (any, error) {
				return s.ChangeLegalRep(ctx, who, in, face, phone, p)
			})
		},
		Done: func(a *kit.App, x *repState, res any) flow.Result {
			name := x.name
			*x = repState{}
			d := res.(svc.Done)
			lines := []flow.Line{flow.Won("rep_change.done"), flow.Gap,
				flow.Say("rep_change.done_name", "Name", rules.MaskName(rules.Sanitize(name)))}
			if d.MaskedPhone != "" {
				lines = append(lines, flow.Say("rep_change.done_phone", "Phone", d.MaskedPhone), flow.Gap,
					flow.Aside("rep_change.done_notice"))
			}
			return flow.Result{Lines: lines, Buttons: []kit.Btn{{ID: ChangeDoneBack, Label: "rep_change.back"}},
				Go: func(string) tea.Cmd { return toCenter(a) }}
		},
		Prefill: func(_ *repState, f *form.Form) { account.PresetIDType(f) },
		Refused: func(_ *kit.App, x *repState, f *form.Form, err error) []form.Button {
			if errors.Is(err, model.ErrRegistryMismatch) && f.ErrorOf(svc.FieldRepName).ID == model.ErrRegistryMismatch.Msg.ID {
				f.SetError(svc.FieldRepName, repMismatch)
			}
			x.forget(f, err)
			return nil
		},
	}
	return flow.New(a, def)
}

// repInput is the new legal representative of step 1 (no phone: the
// phone of step 3 goes to the use case on its own).
func repInput(v form.Values) svc.LegalRepInput {
	doc := account.IDDocument(v)
	doc.Number = rules.NormalizeCode(doc.Number)
	return svc.LegalRepInput{Name: v.Trim(svc.FieldRepName), IDDoc: doc}
}
