package account

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/material"
	"kiosk/model/smscode"
	"kiosk/screens/facestep"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
	"kiosk/screens/widget"
)

// AppealForm is the form id (and zone prefix) of 账号申诉.
const AppealForm = "appeal"

// AppealSteps is the step indicator of 账号申诉 (catalog ids).
var AppealSteps = []string{"appeal.step_type", "appeal.step_identity", "appeal.step_materials", "step.done"}

// FieldAppealType is the 申诉类型 choice: "register" or "change:" and what
// a 修改企业信息申诉 changes.
const FieldAppealType = "appeal_type"

// The values of the 申诉类型 choice.
const (
	appealTypeRegister = "register"
	appealTypeChange   = "change:" // + the model.AppealChange
)

// appealTypes are the choices of step 1: 未注册 · 辅助企业注册申诉, or
// 已注册 · 修改企业信息申诉 of one of the three things.
func appealTypes() []form.Opt {
	opts := []form.Opt{{Value: appealTypeRegister, Label: "appeal.type_register"}}
	for _, c := range model.AppealChanges {
		opts = append(opts, form.Opt{Value: appealTypeChange + string(c), Label: "appeal.type_change_" + string(c)})
	}
	return opts
}

// appealKind reads the choice.
func appealKind(v form.Values) (model.AppealKind, []model.AppealChange) {
	t := v.Text(FieldAppealType)
	if c, ok := strings.CutPrefix(t, appealTypeChange); ok {
		return model.AppealKindChange, []model.AppealChange{model.AppealChange(c)}
	}
	if t == appealTypeRegister {
		return model.AppealKindRegister, nil
	}
	return "", nil
}

// appealIdentity is step 2's values as the use case takes them; ext is
// the 拓展信息 企业信息变更 carried, asked for with the enterprise's
// information.
func appealIdentity(v form.Values, ext model.Extended) svc.AppealIdentity {
	kind, changes := appealKind(v)
	in := svc.AppealIdentity{Kind: kind, Changes: changes, Enterprise: enterpriseInput(v), RepName: v.Text(svc.FieldRepName),
		IDDoc: IDDocument(v), Account: v.Trim(svc.FieldAccount), Phone: v.Trim(svc.FieldPhone)}
	if len(changes) == 1 && changes[0] == model.ChangeEnterprise {
		in.Extended = ext
	}
	return in
}

// materialFields are step 3's file fields, one per material, each taking
// the types its kind takes by content; photos may come from the camera.
func materialFields() []form.Field {
	var out []form.Field
	for _, k := range model.MaterialKinds {
		f := form.FileInput(svc.FieldMaterial(k), "appeal.material."+string(k), material.Exts(k.Types()), form.Required)
		if slicesHasImage(k.Types()) {
			f.WithCamera()
		}
		out = append(out, f)
	}
	return append(out, form.TextArea(svc.FieldRemark, "appeal.remark", form.Max(model.MaxAppealRemark),
		form.Placeholder("appeal.remark_placeholder")))
}

func slicesHasImage(ts []material.Type) bool {
	for _, t := range ts {
		if t.IsImage() {
			return true
		}
	}
	return false
}

// uploads are step 3's files as the use case takes them.
func appealUploads(v form.Values) []svc.AppealUpload {
	var out []svc.AppealUpload
	for _, k := range model.MaterialKinds {
		if fs := v.Files(svc.FieldMaterial(k)); len(fs) > 0 {
			out = append(out, svc.AppealUpload{Kind: k, Name: fs[0].Name, Data: fs[0].Data})
		}
	}
	return out
}

// NewAppeal is 账号申诉 (manual §五(二)): 1 申诉类型 · 2 身份验证 (the
// activation fields, 法人账号, 手机号码, the picture captcha and the SMS
// code) · 3 材料上传 (seven materials from the camera or a USB stick, and
// 申诉备注 with n/150) · 完成 (the reference number as text and as a QR
// code). The registration's 法人信息不匹配 and 企业信息变更's mismatch open
// it pre-filled.
func NewAppeal(a *kit.App, p route.AppealParams) kit.Screen {
	s := a.Deps.Accounts
	var ext model.Extended
	if p.Kind == route.AppealChange {
		ext = p.Extended
	}
	identity := append([]form.Field{legalType(), enterpriseName(), uscc(),
		personName(svc.FieldRepName, "field.rep_name", "field.rep_name_placeholder")}, idCard(a)...)
	identity = append(identity, accountField("appeal.account", "field.account_placeholder"))
	identity = append(identity, phone()...)
	step2 := smsPage(a, flow.Step[enrolled]{Title: AppealSteps[1], Fields: identity,
		Hint: func(*enrolled) i18n.Text {
			if ext != (model.Extended{}) {
				return i18n.T("appeal.hint_identity_extended")
			}
			return i18n.T("appeal.hint_identity")
		}},
		func(ctx context.Context, s *svc.Service, v form.Values, proof smscode.Proof) error {
			return s.CheckAppealIdentity(ctx, appealIdentity(v, ext), proof)
		},
		func(ctx context.Context, s *svc.Service, pass captcha.Pass, phone string) (time.Time, error) {
			return s.SendAppealCode(ctx, pass, phone)
		},
		func(ctx context.Context, s *svc.Service, phone, code string) (smscode.Proof, error) {
			return s.VerifyAppealCode(ctx, phone, code)
		})
	d := flow.Def[enrolled]{
		ID: AppealForm, Title: "appeal.title", Submit: "appeal.submit", DoneTitle: AppealSteps[3],
		Saving: "flow.submitting", Hold: true,
		Steps: []flow.Step[enrolled]{
			{Title: AppealSteps[0], Fields: []form.Field{form.Choice(FieldAppealType, "appeal.type", appealTypes(), form.Required).Cycle()},
				Hint: func(*enrolled) i18n.Text { return i18n.T("appeal.hint_type") }},
			step2,
			{Title: AppealSteps[2], Fields: materialFields(),
				Buttons: []form.Button{{ID: AppealTemplateButton, Label: "appeal.template"}},
				Hint:    func(*enrolled) i18n.Text { return i18n.T("appeal.hint_materials") }},
		},
		Final: func(x *enrolled, v form.Values) flow.Job {
			in := svc.AppealSubmission{Identity: appealIdentity(v, ext), Proof: x.proof, Materials: appealUploads(v),
				Remark: v.Text(svc.FieldRemark)}
			return job(s, func(ctx context.Context, s *svc.Service) (any, error) { return s.SubmitAppeal(ctx, in) })
		},
		Done: func(a *kit.App, x *enrolled, res any) flow.Result {
			*x = enrolled{}
			d := res.(svc.AppealDone)
			var pic []string
			if qr, err := widget.QRCompact(d.Ref); err == nil { // none: the number is on screen anyway
				pic = strings.Split(widget.QRView(qr, lipgloss.ColorProfile()), "\n")
			}
			return flow.Result{Lines: appealDone(d), Picture: pic,
				Buttons: []kit.Btn{{ID: DoneHome, Label: "result.to_home"}},
				Go:      func(string) tea.Cmd { return kit.GoHome }}
		},
		Camera: func(a *kit.App, key string) kit.Component {
			return newPhotoFile(a, key)
		},
		Prefill: func(_ *enrolled, f *form.Form) { prefillAppeal(f, p) },
		Refused: func(_ *kit.App, x *enrolled, f *form.Form, err error) []form.Button {
			forgetProof(x, f, err)
			if errors.Is(err, model.ErrAlreadyRegistered) {
				return []form.Button{{ID: RegisterForgot, Label: "home.forgot"}}
			}
			return nil
		},
		Pressed: func(_ *enrolled, id string, _ form.Values) tea.Cmd {
			switch id {
			case RegisterForgot:
				return route.Forgot.Go(kit.None{})
			case AppealTemplateButton:
				return route.AppealTemplate.Go(kit.None{})
			}
			return nil
		},
	}
	return flow.New(a, d)
}

// prefillAppeal fills what the registration or 企业信息变更 carried.
func prefillAppeal(f *form.Form, p route.AppealParams) {
	presetIDType(f)
	switch {
	case p.Kind == route.AppealChange:
		f.SetValue(FieldAppealType, appealTypeChange+string(model.ChangeEnterprise))
	case p.USCC != "" || p.Name != "":
		f.SetValue(FieldAppealType, appealTypeRegister)
	}
	if p.LegalType != "" {
		f.SetValue(svc.FieldLegalType, p.LegalType)
	}
	for key, v := range map[string]string{svc.FieldName: p.Name, svc.FieldUSCC: p.USCC, svc.FieldRepName: p.RepName,
		svc.FieldIDNumber: p.IDNumber} {
		if v != "" {
			f.SetValue(key, v)
		}
	}
}

// appealDone is 完成's sentences: the reference number, and where the
// result will be texted (its QR code is the result's picture).
func appealDone(d svc.AppealDone) []flow.Line {
	return []flow.Line{flow.Won("appeal.done"), flow.Gap, flow.Say("appeal.done_ref", "Ref", d.Ref), flow.Gap,
		flow.Say("appeal.done_notice", "Phone", d.MaskedPhone), flow.Aside("appeal.done_keep")}
}

// photoFile is the camera's document capture as a file field's source: the
// photo, once taken and kept, is a JPEG file for the field.
type photoFile struct {
	*facestep.Document
	key string
}

// appealCameraID is the capture's id (its zones and messages).
const appealCameraID = AppealForm + ":camera"

func newPhotoFile(a *kit.App, key string) *photoFile {
	title := "appeal." + key // "appeal.material.<kind>": the field's own label
	return &photoFile{Document: facestep.NewDocument(a, appealCameraID, title, "appeal.camera_hint"), key: key}
}

func (p *photoFile) Update(msg tea.Msg) tea.Cmd {
	m, ok := msg.(facestep.Captured)
	if !ok || m.ID != appealCameraID || len(m.Images) == 0 {
		return p.Document.Update(msg)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m.Images[0], &jpeg.Options{Quality: 85}); err != nil {
		return tea.Batch(p.Document.Leave(), kit.Emit(kit.StepBack{}))
	}
	name := strings.TrimPrefix(p.key, "material.") + ".jpg"
	return tea.Batch(p.Document.Leave(), kit.Emit(kit.StepDone{Result: form.File{Name: name, Size: int64(buf.Len()),
		Type: material.JPEG, Data: buf.Bytes()}}))
}
