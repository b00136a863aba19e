package account

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
)

// Audit action of 企业信息变更 (manual §四(一)(4)).
const AuditChangeEnterprise = "enterprise.change"

// Field keys of 企业信息变更 besides FieldLegalType and FieldName: the
// registry's 拓展信息 (model.Extended), in form order.
const (
	FieldRegisteredAddress = "registered_address" // 注册地址
	FieldRegisteredCapital = "registered_capital" // 注册资本
	FieldRegisteredDate    = "registered_date"    // 注册日期
	FieldBusinessScope     = "business_scope"     // 经营范围
	FieldCodeType          = "code_type"          // 企业代码类型
	FieldIndustry          = "industry"           // 行业类型
	FieldApprovalDate      = "approval_date"      // 核准日期
	FieldApprovalAuthority = "approval_authority" // 核准机构
	FieldRegistryStatus    = "registry_status"    // 企业状态
	FieldEstablishedDate   = "established_date"   // 成立时间
	FieldElectronicLicense = "electronic_license" // 电子营业执照
)

// EnterpriseChange is what 企业信息变更 may change: everything the registry
// knows of the enterprise but the USCC, which is never taken from input
// (the use case changes the enterprise of the login). Dates are calendar
// dates; zero is none.
type EnterpriseChange struct {
	LegalType string // 法人类型, one of model.LegalTypes
	Name      string // 企业名称
	Extended  model.Extended
}

// EnterpriseOnFile is where 企业信息变更 starts: the USCC (shown, never
// changed) and the fields as the record has them.
type EnterpriseOnFile struct {
	USCC    string
	Current EnterpriseChange
}

// EnterpriseChanged is what a saved change reports. It holds no personal
// data but the masked phone the notice went to.
type EnterpriseChanged struct {
	Name        string   // the enterprise's name now, as the registry spells it
	Fields      []string // keys of the fields that changed, in form order
	MaskedPhone string   // 138****5678; "" when there is no reserved phone to tell
}

// FieldChange is one field of a change as the audit record keeps it
// (model.AuditRecord.Change, sealed with the record): before and after as
// text, dates as YYYY-MM-DD, "" for none.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// ChangesOf reads the before/after of an AuditChangeEnterprise record.
func ChangesOf(r model.AuditRecord) ([]FieldChange, error) {
	var out []FieldChange
	if r.Change == "" {
		return nil, nil
	}
	err := json.Unmarshal([]byte(r.Change), &out)
	return out, err
}

// changeField is one field of the change: its key, its label (a catalog
// id, for the mismatch sentence and the screen) and where it is in an
// EnterpriseChange: a free text of at most max characters (the registry
// import's column) with its check, or a date.
type changeField struct {
	key, label string
	text       func(*EnterpriseChange) *string
	max        int
	check      func(string) error // a free text that is not empty; nil: validText
	date       func(*EnterpriseChange) *time.Time
	required   bool
}

// changeFields are the fields in form order.
var changeFields = []changeField{
	{key: FieldLegalType, label: "field.legal_type", required: true, max: 20,
		text: func(c *EnterpriseChange) *string { return &c.LegalType }, check: checkLegalType},
	{key: FieldName, label: "field.enterprise_name", required: true, max: 100,
		text: func(c *EnterpriseChange) *string { return &c.Name }, check: rules.ValidEnterpriseName},
	{key: FieldRegisteredAddress, label: "enterprise_change.field.registered_address", max: 200,
		text: func(c *EnterpriseChange) *string { return &c.Extended.RegisteredAddress }},
	{key: FieldRegisteredCapital, label: "enterprise_change.field.registered_capital", max: 50,
		text: func(c *EnterpriseChange) *string { return &c.Extended.RegisteredCapital }},
	{key: FieldRegisteredDate, label: "enterprise_change.field.registered_date",
		date: func(c *EnterpriseChange) *time.Time { return &c.Extended.RegisteredDate }},
	{key: FieldBusinessScope, label: "enterprise_change.field.business_scope", max: 2000,
		text: func(c *EnterpriseChange) *string { return &c.Extended.BusinessScope }},
	{key: FieldCodeType, label: "enterprise_change.field.code_type", max: 50,
		text: func(c *EnterpriseChange) *string { return &c.Extended.CodeType }},
	{key: FieldIndustry, label: "enterprise_change.field.industry", max: 100,
		text: func(c *EnterpriseChange) *string { return &c.Extended.Industry }},
	{key: FieldApprovalDate, label: "enterprise_change.field.approval_date",
		date: func(c *EnterpriseChange) *time.Time { return &c.Extended.ApprovalDate }},
	{key: FieldApprovalAuthority, label: "enterprise_change.field.approval_authority", max: 100,
		text: func(c *EnterpriseChange) *string { return &c.Extended.ApprovalAuthority }},
	{key: FieldRegistryStatus, label: "enterprise_change.field.registry_status", max: 30,
		text: func(c *EnterpriseChange) *string { return &c.Extended.RegistryStatus }},
	{key: FieldEstablishedDate, label: "enterprise_change.field.established_date",
		date: func(c *EnterpriseChange) *time.Time { return &c.Extended.EstablishedDate }},
	{key: FieldElectronicLicense, label: "enterprise_change.field.electronic_license", max: 64,
		text: func(c *EnterpriseChange) *string { return &c.Extended.ElectronicLicense }},
}

// The change's fields come after the account fields in the order of
// refusals, before FieldForm (fields.go).
func init() {
	var keys []string
	for _, cf := range changeFields {
		if !slices.Contains(fieldOrder, cf.key) {
			keys = append(keys, cf.key)
		}
	}
	fieldOrder = slices.Insert(fieldOrder, slices.Index(fieldOrder, FieldForm), keys...)
}

// ChangeLabel is the catalog id of the label of a change field (key one
// of FieldLegalType, FieldName and the Field* of 拓展信息), "" for another
// key. The screen labels its fields with these.
func ChangeLabel(key string) string {
	if i := slices.IndexFunc(changeFields, func(cf changeField) bool { return cf.key == key }); i >= 0 {
		return changeFields[i].label
	}
	return ""
}

// ChangeMax is the most characters the free-text change field key takes
// (0 for a date or another key).
func ChangeMax(key string) int {
	if i := slices.IndexFunc(changeFields, func(cf changeField) bool { return cf.key == key }); i >= 0 {
		return changeFields[i].max
	}
	return 0
}

// ChangeKeys are the keys of the change's fields, in form order.
func ChangeKeys() []string {
	out := make([]string, len(changeFields))
	for i, cf := range changeFields {
		out[i] = cf.key
	}
	return out
}

// value is the field of c as text: trimmed, a date as YYYY-MM-DD, "" for
// none.
func (cf changeField) value(c EnterpriseChange) string {
	if cf.date != nil {
		if t := *cf.date(&c); !t.IsZero() {
			return utcDate(t).Format("2006-01-02")
		}
		return ""
	}
	return strings.TrimSpace(*cf.text(&c))
}

func checkLegalType(s string) error {
	if !slices.Contains(model.LegalTypes, s) {
		return errLegalType
	}
	return nil
}

// validText refuses what could not be drawn safely (control, escape and
// invisible characters, invalid UTF-8: whatever rules.Sanitize removes,
// line breaks too) and what is longer than n characters.
func validText(s string, n int) error {
	if rules.Sanitize(s) != s {
		return model.ErrTextChar
	}
	if utf8.RuneCountInString(s) > n {
		return &model.TextTooLongError{Max: n}
	}
	return nil
}

// ChangedKeys are the keys of the fields where to differs from from, in
// form order, compared as the use case compares them (spaces, widths and
// case aside): what a change of from into to would change.
func ChangedKeys(from, to EnterpriseChange) []string { return differing(from, to, false) }

// ValidRegistryDate is the check of a date of the change (注册日期, 核准日期,
// 成立时间) alone, for a form: not before 1900, not after today (the
// kiosk's calendar date at now).
func ValidRegistryDate(t, now time.Time) error { return validDate(utcDate(t), now) }

// validDate refuses a registry date before 1900 or after today (the
// kiosk's calendar date).
func validDate(t, now time.Time) error {
	y, m, d := now.Date()
	switch {
	case t.Year() < 1900:
		return model.ErrDateRange
	case t.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)):
		return model.ErrDateFuture
	}
	return nil
}

// validateChange checks every field alone and returns the change as it
// will be compared: texts trimmed, dates at UTC midnight.
func validateChange(in EnterpriseChange, now time.Time) (EnterpriseChange, error) {
	var f fieldErrs
	for _, cf := range changeFields {
		if cf.date != nil {
			p := cf.date(&in)
			if p.IsZero() {
				continue
			}
			*p = utcDate(*p)
			f.add(cf.key, validDate(*p, now))
			continue
		}
		p := cf.text(&in)
		*p = strings.TrimSpace(*p)
		switch {
		case *p == "" && !cf.required:
		case cf.check != nil:
			f.add(cf.key, cf.check(*p))
		default:
			f.add(cf.key, validText(*p, cf.max))
		}
	}
	return in, f.err()
}

// differing are the keys of the fields where a and b differ, in form
// order: compared as names are (foldName, case aside), or exactly.
func differing(a, b EnterpriseChange, exact bool) []string {
	var out []string
	for _, cf := range changeFields {
		va, vb := cf.value(a), cf.value(b)
		if exact && va != vb || !strings.EqualFold(foldName(va), foldName(vb)) {
			out = append(out, cf.key)
		}
	}
	return out
}

func changeOfEnterprise(e model.Enterprise) EnterpriseChange {
	return EnterpriseChange{LegalType: e.LegalType, Name: e.Name, Extended: e.Extended}
}

func changeOfRegistry(r model.RegistryRecord) EnterpriseChange {
	return EnterpriseChange{LegalType: r.LegalType, Name: r.Name, Extended: r.Extended}
}

// EnterpriseForChange reads what 企业信息变更 starts from, for the
// enterprise logged in (UseChangeEnterprise: an agent, a staff login or
// nobody is refused with model.ErrNotPermitted, an ended login with
// model.ErrSessionEnded).
func (s *Service) EnterpriseForChange(ctx context.Context, who model.Session) (EnterpriseOnFile, error) {
	p, err := s.authorize(ctx, who, UseChangeEnterprise)
	if err != nil {
		return EnterpriseOnFile{}, err
	}
	return EnterpriseOnFile{USCC: p.ent.USCC, Current: changeOfEnterprise(p.ent)}, nil
}

// ChangeEnterprise is 企业信息变更 (manual §四(一)(4)) for the enterprise
// logged in: the USCC stays; 法人类型, 企业名称 and the 拓展信息 are
// replaced when every one of them matches the business registry's record
// for the USCC. Refusals, as *FieldErrors:
//
//   - a field alone: 法人类型 not one of model.LegalTypes, the name
//     (rules.ValidEnterpriseName), a text with characters that cannot be
//     drawn (model.ErrTextChar) or longer than its registry column
//     (*model.TextTooLongError), a date before 1900 or after today;
//   - nothing differs from the record: model.ErrEnterpriseUnchanged on
//     FieldForm;
//   - fields that differ from the registry: model.ErrFieldMismatch on each
//     and a *model.ChangeMismatchError on FieldForm, which names them and
//     the way on, the appeal 修改企业信息申诉 (errors.Is finds
//     model.ErrRegistryMismatch in both); a USCC the registry does not
//     know, likewise on FieldUSCC. Audited as a mismatch.
//
// Saved: the record takes the registry's spelling of every field, in one
// transaction with the audit record (its Change holds before and after of
// the fields that changed) and a notice to the reserved phone. Logins go
// on. The authorisation is UseChangeEnterprise's, checked again in the
// write.
func (s *Service) ChangeEnterprise(ctx context.Context, who model.Session, in EnterpriseChange) (EnterpriseChanged, error) {
	p, err := s.authorize(ctx, who, UseChangeEnterprise)
	if err != nil {
		return EnterpriseChanged{}, err
	}
	now := s.Clock.Now()
	if in, err = validateChange(in, now); err != nil {
		return EnterpriseChanged{}, err
	}
	if len(differing(changeOfEnterprise(p.ent), in, false)) == 0 {
		return EnterpriseChanged{}, refuse(FieldForm, model.ErrEnterpriseUnchanged)
	}
	actor, subject := p.actor(), p.subject()
	rec, err := s.Registry.LookupUSCC(ctx, p.ent.USCC)
	var bad []string
	switch {
	case errors.Is(err, model.ErrNotFound):
		bad = []string{FieldUSCC}
	case err != nil:
		return EnterpriseChanged{}, err
	default:
		bad = differing(changeOfRegistry(rec), in, false)
	}
	if len(bad) > 0 {
		detail := "fields=" + strings.Join(bad, ",")
		if err := s.Store.Update(ctx, func(tx model.Tx) error {
			return appendAudit(tx, s.record(actor, AuditChangeEnterprise, subject, "mismatch", detail, now))
		}); err != nil {
			return EnterpriseChanged{}, err
		}
		return EnterpriseChanged{}, changeMismatch(bad)
	}
	after := changeOfRegistry(rec) // the registry's spelling of what matched
	var done EnterpriseChanged
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		done = EnterpriseChanged{} // the closure may run again
		q, err := s.authorizeTx(tx, who, UseChangeEnterprise, now)
		if err != nil {
			return err
		}
		e := q.ent
		before := changeOfEnterprise(e)
		keys := differing(before, after, true)
		if len(keys) == 0 { // the same change was saved meanwhile
			return refuse(FieldForm, model.ErrEnterpriseUnchanged)
		}
		changes := make([]FieldChange, len(keys))
		for i, k := range keys {
			cf := changeFields[slices.IndexFunc(changeFields, func(cf changeField) bool { return cf.key == k })]
			changes[i] = FieldChange{Field: k, Before: cf.value(before), After: cf.value(after)}
		}
		blob, err := json.Marshal(changes)
		if err != nil {
			return err
		}
		e.LegalType, e.Name, e.Extended, e.UpdatedAt = after.LegalType, after.Name, after.Extended, now
		r := s.record(actor, AuditChangeEnterprise, subject, "ok", "fields="+strings.Join(keys, ","), now)
		r.Change = string(blob)
		done = EnterpriseChanged{Name: e.Name, Fields: keys}
		writes := []error{tx.Enterprises().Put(e), appendAudit(tx, r)}
		if rules.ValidMobile(e.Phone) == nil {
			done.MaskedPhone = rules.MaskMobile(e.Phone)
			writes = append(writes, tx.Outbox().Enqueue(model.NewOutboundSMS(e.Phone,
				i18n.Sentence(ctx, noticeEnterpriseChanged(e.Account)), model.SMSKindNotice, now)))
		}
		return firstErr(writes...)
	})
	if err != nil {
		return EnterpriseChanged{}, err
	}
	return done, nil
}

// noticeEnterpriseChanged tells the reserved phone that account's
// enterprise information was changed.
func noticeEnterpriseChanged(account string) i18n.Text {
	return i18n.T("notice.enterprise_changed", "Account", account)
}

// changeMismatch is the refusal of fields (keys, in form order) that
// differ from the registry.
func changeMismatch(keys []string) error {
	var f fieldErrs
	m := &model.ChangeMismatchError{Keys: keys}
	for _, k := range keys {
		f.add(k, model.ErrFieldMismatch)
		label := ChangeLabel(k)
		if k == FieldUSCC {
			label = "field.uscc"
		}
		m.Labels = append(m.Labels, i18n.T(label))
	}
	f.add(FieldForm, m)
	return f.err()
}
