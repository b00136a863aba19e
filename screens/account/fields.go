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
	"kiosk/model/rules"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// FieldIDType is the 证件类型 choice; its only value is model.IDTypeResident.
const FieldIDType = "id_type"

// Labels of the 证件有效期 choice, in model.ValidityPeriod order.
const (
	validity5   = "5年"
	validity10  = "10年"
	validity20  = "20年"
	validityEnd = "长期有效"
)

var validityOptions = []string{validity5, validity10, validity20, validityEnd}

// ValidityPeriod maps a choice label to the model's period ("" for none).
func ValidityPeriod(label string) model.ValidityPeriod {
	switch label {
	case validity5:
		return model.Validity5Years
	case validity10:
		return model.Validity10Years
	case validity20:
		return model.Validity20Years
	case validityEnd:
		return model.ValidityLongTerm
	}
	return ""
}

// legalType is 法人类型, the same control in every flow.
func legalType() form.Field {
	return form.Choice(svc.FieldLegalType, "法人类型", model.LegalTypes, form.Required)
}

// enterpriseName is 企业名称.
func enterpriseName() form.Field {
	return form.Text(svc.FieldName, "企业名称", form.Placeholder("与营业执照一致"), form.Required, form.Max(60),
		form.Check(rules.ValidEnterpriseName))
}

// uscc is 统一社会信用代码.
func uscc() form.Field {
	return form.Text(svc.FieldUSCC, "统一社会信用代码", form.Placeholder("18位统一社会信用代码"), form.Required, form.Max(18),
		form.Check(func(v string) error { _, err := rules.NormalizeUSCC(v); return err }))
}

// personName is a person's name (法定代表人姓名, 姓名).
func personName(key, label string) form.Field {
	return form.Text(key, label, form.Placeholder("请输入"+label), form.Required, form.Max(30), form.Check(rules.ValidName))
}

// idNumber is a resident ID number, valid today.
func idNumber(a *kit.App, label, placeholder string) form.Field {
	return form.Text(svc.FieldIDNumber, label, form.Placeholder(placeholder), form.Required, form.Max(18),
		form.Check(func(v string) error { _, err := rules.ParseResidentID(v, a.Now()); return err }))
}

// idCard is 证件类型 (the only type, 居民身份证), 证件号码 and the validity:
// 证件有效期, 开始日期, and 结束日期, which follows the other two.
func idCard(a *kit.App) []form.Field {
	return []form.Field{
		form.Choice(FieldIDType, "证件类型", []string{model.IDTypeResident}, form.Required),
		idNumber(a, "证件号码", "18位居民身份证号码"),
		form.Choice(svc.FieldIDPeriod, "证件有效期", validityOptions, form.Required),
		form.Date(svc.FieldIDFrom, "开始日期", form.Required),
		form.Date(svc.FieldIDTo, "结束日期", form.Placeholder("根据有效期自动填写")).Derived(EndDate),
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
func phone() []form.Field {
	return []form.Field{
		form.Text(svc.FieldPhone, "手机号码", form.Placeholder("11位手机号码"), form.Required, form.Max(11),
			form.Check(rules.ValidMobile)),
		smsCode(),
	}
}

func smsCode() form.Field { return form.SMSCode(svc.FieldSMSCode, "短信验证码", form.Required) }

// maskedPhone is phone as it may be shown (138****5678), or "" when it is
// not a valid mobile number.
func maskedPhone(phone string) string {
	if rules.ValidMobile(phone) != nil {
		return ""
	}
	return rules.MaskMobile(phone)
}

// account is 企业账号 (法人账号).
func accountField(label, placeholder string) form.Field {
	return form.Text(svc.FieldAccount, label, form.Placeholder(placeholder), form.Required, form.Max(20),
		form.Check(rules.ValidAccount))
}

// passwords are a new password and its confirmation, with the rules: the
// password policy (not containing the account typed in the flow, if any)
// and equal confirmation.
func passwords(label, confirm string) ([]form.Field, []form.Rule) {
	fields := []form.Field{
		form.Password(svc.FieldPassword, label, form.Placeholder("8-20位，含大小写字母、数字、符号中至少三种"),
			form.Required, form.Max(20)),
		form.Password(svc.FieldConfirm, confirm, form.Placeholder("请再次输入密码"), form.Required, form.Max(20)),
	}
	rs := []form.Rule{
		{Field: svc.FieldPassword, Check: func(v form.Values) error {
			return rules.CheckPassword(v.Text(svc.FieldPassword), v.Trim(svc.FieldAccount))
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

// sent is a 获取验证码 with the account service.
func sent(s *svc.Service, masked string, fn func(ctx context.Context, s *svc.Service) (time.Time, error)) flow.Send {
	return flow.Send{Masked: masked, Do: func(ctx context.Context) (time.Time, error) {
		if s == nil {
			return time.Time{}, model.ErrUnavailable
		}
		return fn(ctx, s)
	}}
}

// upper is an identifier as the use cases take it.
func upper(v form.Values, key string) string { return strings.ToUpper(v.Trim(key)) }
