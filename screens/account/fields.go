// Package account holds the account flows of the kiosk, each declared for
// the flow host in one file: 立即注册 (manual §二), 自然人注册, 忘记密码
// (§三) and 账号激活 (§五(一)). The use cases are model/account's.
package account

import (
	"context"
	"strings"
	"time"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/rules"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// FieldIDType is the 证件类型 choice; its only value is model.IDTypeResident.
const FieldIDType = "id_type"

// The 证件有效期 choice: the model's periods, shown by catalog ids.
var validityOptions = []form.Opt{
	{Value: string(model.Validity5Years), Label: "validity.5y"},
	{Value: string(model.Validity10Years), Label: "validity.10y"},
	{Value: string(model.Validity20Years), Label: "validity.20y"},
	{Value: string(model.ValidityLongTerm), Label: "validity.long"},
}

// ValidityPeriod maps a choice value to the model's period ("" for none).
func ValidityPeriod(v string) model.ValidityPeriod {
	for _, o := range validityOptions {
		if o.Value == v {
			return model.ValidityPeriod(v)
		}
	}
	return ""
}

// legalTypeLabels shows the stored legal types (model.LegalTypes, in
// records as they are) by catalog ids.
var legalTypeLabels = []string{"legal_type.enterprise", "legal_type.non_enterprise", "legal_type.individual", "legal_type.organization"}

// LegalTypeLabel is the catalog id that shows the stored legal type v; a
// value from outside the list shows as it is (i18n.Raw by the caller).
func LegalTypeLabel(v string) (string, bool) {
	for i, t := range model.LegalTypes {
		if t == v && i < len(legalTypeLabels) {
			return legalTypeLabels[i], true
		}
	}
	return "", false
}

func legalTypeOptions() []form.Opt {
	out := make([]form.Opt, len(model.LegalTypes))
	for i, v := range model.LegalTypes {
		out[i] = form.Opt{Value: v}
		if i < len(legalTypeLabels) {
			out[i].Label = legalTypeLabels[i]
		}
	}
	return out
}

// legalType is 法人类型, the same control in every flow.
func legalType() form.Field {
	return form.Choice(svc.FieldLegalType, "field.legal_type", legalTypeOptions(), form.Required)
}

// enterpriseName is 企业名称.
func enterpriseName() form.Field {
	return form.Text(svc.FieldName, "field.enterprise_name", form.Placeholder("field.enterprise_name_placeholder"), form.Required, form.Max(60),
		form.Check(rules.ValidEnterpriseName))
}

// uscc is 统一社会信用代码, shown as the rules read it: full width folded,
// upper case.
func uscc() form.Field {
	return form.Text(svc.FieldUSCC, "field.uscc", form.Placeholder("field.uscc_placeholder"), form.Required, form.Max(18),
		form.Check(func(v string) error { _, err := rules.NormalizeUSCC(v); return err })).Identifier()
}

// personName is a person's name (法定代表人姓名, 姓名): label and placeholder
// are catalog ids.
func personName(key, label, placeholder string) form.Field {
	return form.Text(key, label, form.Placeholder(placeholder), form.Required, form.Max(30), form.Check(rules.ValidName))
}

// idNumber is a resident ID number, valid today; full width folded and
// its x shown as X.
func idNumber(a *kit.App, label, placeholder string) form.Field {
	return form.Text(svc.FieldIDNumber, label, form.Placeholder(placeholder), form.Required, form.Max(18),
		form.Check(func(v string) error { _, err := rules.ParseResidentID(v, a.Now()); return err })).Identifier()
}

// idCard is 证件类型 (the only type, 居民身份证), 证件号码 and the validity:
// 证件有效期, 开始日期, and 结束日期, which follows the other two.
func idCard(a *kit.App) []form.Field {
	return []form.Field{
		form.Choice(FieldIDType, "field.id_type", []form.Opt{{Value: model.IDTypeResident, Label: "id_type.resident"}}, form.Required),
		idNumber(a, "field.id_number", "field.id_placeholder"),
		form.Choice(svc.FieldIDPeriod, "field.id_period", validityOptions, form.Required),
		form.Date(svc.FieldIDFrom, "field.id_from", form.Required),
		form.Date(svc.FieldIDTo, "field.id_to", form.Placeholder("field.id_to_placeholder")).Derived(EndDate).Shows(endDateWords),
	}
}

// EndDate derives 结束日期 from 开始日期 and 证件有效期: empty for 长期有效
// or while either is missing.
func EndDate(v form.Values) string {
	start, err := time.Parse(form.DateLayout, v.Text(svc.FieldIDFrom))
	if err != nil {
		return ""
	}
	// A five-digit year does not fit the field; the start is refused anyway.
	if t := rules.ValidityEnd(start, ValidityPeriod(v.Text(svc.FieldIDPeriod))); !t.IsZero() && t.Year() <= 9999 {
		return t.Format(form.DateLayout)
	}
	return ""
}

// endDateWords is what 结束日期 says for a card that never expires: 长期.
func endDateWords(v form.Values) string {
	if ValidityPeriod(v.Text(svc.FieldIDPeriod)) == model.ValidityLongTerm {
		return "validity.long_end"
	}
	return ""
}

// presetIDType chooses the only ID type, so nobody has to pick it.
func presetIDType(f *form.Form) { f.SetValue(FieldIDType, model.IDTypeResident) }

// IDDocument builds the ID card from the values; dates that do not parse
// stay zero (the use case says what is missing).
func IDDocument(v form.Values) model.IDDocument {
	d := model.IDDocument{Type: v.Text(FieldIDType), Number: v.Trim(svc.FieldIDNumber),
		Period: ValidityPeriod(v.Text(svc.FieldIDPeriod)), ValidFrom: v.Date(svc.FieldIDFrom), ValidTo: v.Date(svc.FieldIDTo)}
	if d.Type == "" {
		d.Type = model.IDTypeResident
	}
	return d
}

// phone is 手机号码 and 短信验证码 (with 获取验证码).
//
// Between them the picture captcha that gates 获取验证码 (answered when the
// code is asked for, once a visit; so not required on 下一步).
func phone() []form.Field {
	return []form.Field{
		form.Text(svc.FieldPhone, "field.phone", form.Placeholder("field.phone_placeholder"), form.Required, form.Max(11),
			form.Check(rules.ValidMobile)).Folded(),
		form.Captcha(captchaKey, "field.captcha"),
		smsCode(),
	}
}

func smsCode() form.Field { return form.SMSCode(svc.FieldSMSCode, "field.sms_code", form.Required) }

// maskedPhone is phone as it may be shown (138****5678), or "" when it is
// not a valid mobile number.
func maskedPhone(phone string) string {
	if rules.ValidMobile(phone) != nil {
		return ""
	}
	return rules.MaskMobile(phone)
}

// accountField is 企业账号 (法人账号); label and placeholder are catalog ids.
// Full width is folded; the case is the person's (accounts are unique
// case-insensitively).
func accountField(label, placeholder string) form.Field {
	return form.Text(svc.FieldAccount, label, form.Placeholder(placeholder), form.Required, form.Max(20),
		form.Check(rules.ValidAccount)).Folded()
}

// passwordInputs are the values of a flow a new password must not be
// built from: the account, the enterprise's (or the person's) name, the
// legal representative's name; those the flow does not ask are "".
func passwordInputs(v form.Values) []string {
	return []string{v.Trim(svc.FieldAccount), v.Trim(svc.FieldName), v.Trim(svc.FieldRepName)}
}

// passwords are a new password, with its strength meter, and its
// confirmation (labels are catalog ids), with the rules: the password
// policy (its inputs those typed in the flow) and equal confirmation.
func passwords(label, confirm string) ([]form.Field, []form.Rule) { return Passwords(label, confirm) }

// Passwords are a new password (policy, strength meter) and its
// confirmation, labelled by catalog ids, with their rules.
func Passwords(label, confirm string) ([]form.Field, []form.Rule) {
	fields := []form.Field{
		form.Password(svc.FieldPassword, label, form.Placeholder("field.password_placeholder"),
			form.Required, form.Max(20)).Meter(passwordInputs),
		form.Password(svc.FieldConfirm, confirm, form.Placeholder("field.confirm_placeholder"), form.Required, form.Max(20)),
	}
	rs := []form.Rule{
		{Field: svc.FieldPassword, Check: func(v form.Values) error {
			in := passwordInputs(v)
			return rules.CheckPassword(v.Text(svc.FieldPassword), in[0], in[1:]...)
		}},
		form.Equal(svc.FieldConfirm, svc.FieldPassword, model.ErrPasswordConfirm),
	}
	return fields, rs
}

// job runs fn with the account service, or refuses when the kiosk has
// none (the store could not be opened).
func job(s *svc.Service, fn func(ctx context.Context, s *svc.Service) (any, error)) flow.Job {
	return func(ctx context.Context) (any, error) {
		if s == nil {
			return nil, model.ErrUnavailable
		}
		return fn(ctx, s)
	}
}

// sent is a 获取验证码 with the account service, behind the flow's
// captcha pass.
func sent(s *svc.Service, masked string, fn func(ctx context.Context, s *svc.Service, pass captcha.Pass) (time.Time, error)) flow.Send {
	return flow.Send{Masked: masked, Do: func(ctx context.Context, pass captcha.Pass) (time.Time, error) {
		if s == nil {
			return time.Time{}, model.ErrUnavailable
		}
		return fn(ctx, s, pass)
	}}
}

// upper is an identifier as the use cases take it.
func upper(v form.Values, key string) string { return strings.ToUpper(v.Trim(key)) }
