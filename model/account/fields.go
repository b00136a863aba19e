package account

import (
	"errors"
	"slices"
	"strings"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// Field keys of the account forms. A screen declares its form fields with
// these keys and places each message of a *FieldErrors next to the field of
// the same key; FieldForm is for what belongs to no single field (shown
// above the buttons).
const (
	FieldForm      = "form"
	FieldLegalType = "legal_type" // 法人类型
	FieldName      = "name"       // 企业名称; the person's 姓名 in natural-person registration
	FieldUSCC      = "uscc"       // 统一社会信用代码
	FieldRepName   = "rep_name"   // 法定代表人姓名
	FieldIDNumber  = "id_number"  // 证件号码 (and 证件类型)
	FieldIDPeriod  = "id_period"  // 证件有效期 5年/10年/20年/长期有效
	FieldIDFrom    = "id_from"    // 开始日期
	FieldIDTo      = "id_to"      // 结束日期
	FieldPhone     = "phone"      // 手机号码
	FieldSMSCode   = "sms_code"   // 短信验证码 (and its 获取验证码 button)
	FieldAccount   = "account"    // 企业账号 / 法人账号
	FieldPassword  = "password"   // 密码 / 新密码
	FieldConfirm   = "confirm"    // 确认密码
)

// fieldOrder is the order of the fields on the forms, so the first message
// (the one spoken by the voice prompt) is the topmost one.
var fieldOrder = []string{FieldLegalType, FieldName, FieldUSCC, FieldRepName, FieldIDNumber, FieldIDPeriod,
	FieldIDFrom, FieldIDTo, FieldPhone, FieldSMSCode, FieldAccount, FieldAgentFrom, FieldAgentTo, FieldAgentAdmin,
	FieldOldPassword, FieldPassword, FieldConfirm, FieldForm}

// FieldErrors is how every use case of this package refuses input: one
// sentence (a catalog text) per field key. errors.Is and errors.As see the causes
// (model.ErrRegistryMismatch, *smscode.TooSoonError…), so a screen can add
// the button that goes with an error (申诉, 忘记密码, 账号激活, countdown).
// Errors that are not a *FieldErrors are failures of the system (store,
// registry): show model.UserMessage(err) and log the error.
type FieldErrors struct {
	Fields map[string]i18n.Text // field key → sentence
	causes map[string]error
}

// Error lists the fields and the English codes of their causes, for logs.
func (e *FieldErrors) Error() string {
	var b strings.Builder
	b.WriteString("invalid fields:")
	for _, k := range e.Keys() {
		b.WriteString(" " + k + "=" + codeOf(e.causes[k]))
	}
	return b.String()
}

// Message is the sentence of the topmost field, for model.UserMessage and
// the voice prompt; the zero Text when no field has one.
func (e *FieldErrors) Message() i18n.Text {
	if k := e.Keys(); len(k) > 0 {
		return e.Fields[k[0]]
	}
	return i18n.Text{}
}

// Keys returns the keys with an error in form order.
func (e *FieldErrors) Keys() []string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return keys
}

// Code returns the English code of key's cause ("" when key has no error),
// for tests and logs.
func (e *FieldErrors) Code(key string) string {
	if _, ok := e.Fields[key]; !ok {
		return ""
	}
	return codeOf(e.causes[key])
}

// Unwrap returns the causes in form order.
func (e *FieldErrors) Unwrap() []error {
	var out []error
	for _, k := range e.Keys() {
		if c := e.causes[k]; c != nil {
			out = append(out, c)
		}
	}
	return out
}

func rank(key string) int {
	if i := slices.Index(fieldOrder, key); i >= 0 {
		return i
	}
	return len(fieldOrder)
}

func codeOf(err error) string {
	var (
		d    *model.DomainError
		soon *smscode.TooSoonError
		bad  *smscode.WrongCodeError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &soon):
		return smscode.ErrTooSoon.Code
	case errors.As(err, &bad):
		return smscode.ErrWrongCode.Code
	case errors.As(err, &d):
		return d.Code
	case rules.Code(err) != "":
		return rules.Code(err)
	}
	return err.Error()
}

// messageOf is the sentence for a refusal: rules and domain errors carry
// their own.
func messageOf(err error) i18n.Text {
	if m := rules.Message(err); !m.IsZero() {
		return m
	}
	return model.UserMessage(err)
}

// fieldErrs collects at most one error per field.
type fieldErrs struct{ e *FieldErrors }

func (f *fieldErrs) add(key string, err error) {
	if err == nil {
		return
	}
	if f.e == nil {
		f.e = &FieldErrors{Fields: map[string]i18n.Text{}, causes: map[string]error{}}
	}
	if _, dup := f.e.Fields[key]; dup {
		return
	}
	f.e.Fields[key] = messageOf(err)
	f.e.causes[key] = err
}

// merge adds the fields of err when it is a *FieldErrors and reports
// whether it was; other errors are left to the caller.
func (f *fieldErrs) merge(err error) bool {
	var fe *FieldErrors
	if !errors.As(err, &fe) {
		return false
	}
	for _, k := range fe.Keys() {
		f.add(k, fe.causes[k])
	}
	return true
}

func (f *fieldErrs) err() error {
	if f.e == nil {
		return nil
	}
	return f.e
}

// refuse is a single-field refusal.
func refuse(key string, err error) error {
	var f fieldErrs
	f.add(key, err)
	return f.err()
}

// Identifiers reach the use cases as typed, from any caller: in full width
// from a Chinese input method (１３８…, Ｘ), in lower case, with spaces
// around. Every use case reads them through these before it validates,
// compares, looks up or stores them, so ＡＢ and ab are one USCC and the
// record holds the normal form. Names are compared folded (foldName) and
// stored as the registry spells them; passwords are never normalised.
func normIdentifier(s string) string { return rules.NormalizeCode(s) }  // USCC, ID number
func normInput(s string) string      { return rules.NormalizeInput(s) } // mobile, SMS code, account

// idField places a rules.CheckIDDocument failure on its field.
func idField(err error) string {
	switch rules.Code(err) {
	case "id_start_empty", "id_start_future", "id_start_before_birth":
		return FieldIDFrom
	case "id_period_empty", "id_period":
		return FieldIDPeriod
	case "id_end", rules.CodeExpired:
		return FieldIDTo
	}
	return FieldIDNumber // type, format, birth date, check digit
}
