package account

import (
	"context"
	"time"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// Natural-person registration: a person registers on the platform so that
// an enterprise can add them as an agent (经办人). 1 个人信息 (with the
// phone and its SMS code) › 2 设置密码 › 3 人脸验证 › 4 完成.

// PersonForm is the natural-person form's id (zone prefix).
const PersonForm = "person-register"

// PersonSteps are the titles of the step indicator.
var PersonSteps = []string{"person.step_info", "person.step_password", "step.face", "step.done"}

// NewPerson is 自然人注册.
func NewPerson(a *kit.App, _ kit.None) kit.Screen {
	s := a.Deps.Accounts
	pw, pwRules := passwords("field.password", "field.confirm")
	info := flow.Step[enrolled]{Title: PersonSteps[0],
		Fields: append(append([]form.Field{personName(svc.FieldName, "field.name", "field.name_placeholder")}, idCard(a)...), phone()...)}
	info = smsPage(a, info,
		func(ctx context.Context, s *svc.Service, v form.Values, proof smscode.Proof) error {
			return s.CheckPerson(ctx, personInput(v), proof)
		},
		func(ctx context.Context, s *svc.Service, pass captcha.Pass, phone string) (time.Time, error) {
			return s.SendPersonCode(ctx, pass, phone)
		},
		func(ctx context.Context, s *svc.Service, phone, code string) (smscode.Proof, error) {
			return s.VerifyPersonCode(ctx, phone, code)
		})
	d := flow.Def[enrolled]{
		ID: PersonForm, Title: "person.title", Submit: "register.submit", DoneTitle: PersonSteps[3],
		Saving: "flow.submitting", Hold: true,
		Steps: []flow.Step[enrolled]{
			info,
			{Title: PersonSteps[1], Fields: pw, Rules: pwRules},
			faceStep(PersonSteps[2], "person.face_purpose", model.FaceForPerson, func(v form.Values) (string, string) {
				return v.Trim(svc.FieldName), upper(v, svc.FieldIDNumber)
			}),
		},
		Final: func(x *enrolled, v form.Values) flow.Job {
			in := svc.PersonRegistration{Person: personInput(v), Password: v.Text(svc.FieldPassword),
				PhoneProof: x.proof, Face: x.face.Evidence()}
			return job(s, func(ctx context.Context, s *svc.Service) (any, error) { return s.RegisterPerson(ctx, in) })
		},
		Done: func(a *kit.App, x *enrolled, res any) flow.Result {
			*x = enrolled{}
			return flow.Result{Lines: personDone(res.(svc.Done)),
				Buttons: []kit.Btn{{ID: DoneHome, Label: "result.to_home"}}, Go: toLoginOrHome("")}
		},
		Prefill: func(_ *enrolled, f *form.Form) { presetIDType(f) },
		Refused: func(_ *kit.App, x *enrolled, f *form.Form, err error) []form.Button {
			forgetProof(x, f, err)
			return nil
		},
	}
	return flow.New(a, d)
}

func personInput(v form.Values) svc.PersonInput {
	return svc.PersonInput{Name: v.Text(svc.FieldName), IDDoc: IDDocument(v), Phone: v.Trim(svc.FieldPhone)}
}

func personDone(d svc.Done) []flow.Line {
	lines := []flow.Line{
		flow.Won("person.done"), flow.Gap,
		flow.Say("person.done_name", "Name", rules.MaskName(rules.Sanitize(d.Name))),
		flow.Gap,
		flow.Say("person.done_next"),
	}
	if d.MaskedPhone != "" {
		lines = append(lines, flow.Aside("register.done_notice", "Phone", d.MaskedPhone))
	}
	return lines
}
