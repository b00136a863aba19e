package account

import (
	"kiosk/devices/audio"
	svc "kiosk/model/account"
	"kiosk/screens/facestep"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// What the center's 法定代表人变更 (screens/center) takes from the
// registration: the legal representative's fields and the face step.

// CaptchaKey is the picture captcha's field key in the account flows.
const CaptchaKey = captchaKey

// RepFields are a person's name (svc.FieldRepName, labelled by the
// catalog ids label and placeholder) and the ID card as registration asks
// it: 证件类型, 证件号码, 证件有效期, 开始日期 and the derived 结束日期.
// Preset the ID type with PresetIDType.
func RepFields(a *kit.App, label, placeholder string) []form.Field {
	return append([]form.Field{personName(svc.FieldRepName, label, placeholder)}, idCard(a)...)
}

// PresetIDType chooses the only ID type (居民身份证) on a form with RepFields.
func PresetIDType(f *form.Form) { presetIDType(f) }

// FaceStep is the face verification of the person of a form in any flow:
// title and purpose are catalog ids (the step bar, the step's heading),
// use the model.FaceFor… purpose the evidence is bound to, person who it
// is (name, ID number) from the values, and took keeps the verdict in the
// flow's state.
func FaceStep[S any](title, purpose, use string, person func(v form.Values) (name, id string),
	took func(s *S, v facestep.Verified)) flow.Step[S] {
	return flow.Step[S]{Title: title, Prompt: audio.PromptFaceVerify,
		Component: func(a *kit.App, _ *S, v form.Values) kit.Component {
			name, id := person(v)
			return facestep.New(a, facestep.Params{Name: name, IDNumber: id, Purpose: purpose, For: use})
		},
		Took: func(s *S, res any) { took(s, res.(facestep.Verified)) },
	}
}
