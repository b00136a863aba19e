package home

import (
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	svc "kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/screens/kit"
	"kiosk/screens/route"
	"kiosk/screens/widget"
)

// newChangeAppealSoon is 账号申诉 for a 修改企业信息申诉 (p.Kind
// route.AppealChange) until the appeal flow exists: it says so and shows
// what the appeal carries: the enterprise, and each field it is to change
// with the value typed, marked where the registry did not match. Values
// are one line each (a long 经营范围 is cut), so the page stays within
// 80×24.
func newChangeAppealSoon(a *kit.App, p route.AppealParams) kit.Screen {
	st := a.St
	changed, mismatch := splitKeys(p.Changed), splitKeys(p.Mismatch)
	return &page{a: a, title: "enterprise_change.appeal_soon.title", backZone: AppealSoonBack, body: func(w int) []string {
		mark := func(key string) string {
			if slices.Contains(mismatch, key) {
				return " " + a.S("enterprise_change.appeal_soon.mismatch")
			}
			return ""
		}
		type row struct{ key, label, value string }
		rows := []row{{svc.FieldUSCC, a.S("field.uscc"), p.USCC}, {svc.FieldName, a.S("field.enterprise_name"), p.Name}}
		for _, k := range svc.ChangeKeys() {
			if k != svc.FieldName && (slices.Contains(changed, k) || slices.Contains(mismatch, k)) {
				rows = append(rows, row{k, a.S(svc.ChangeLabel(k)), appealValue(p, k)})
			}
		}
		kw := 0
		for _, r := range rows {
			kw = max(kw, ansi.StringWidth(r.label))
		}
		table := make([]widget.Row, len(rows))
		for i, r := range rows {
			m := mark(r.key)
			v := ansi.Truncate(rules.Sanitize(r.value), max(w-kw-2-ansi.StringWidth(m), 8), "…")
			table[i] = widget.Row{Key: r.label, Value: v + m}
		}
		return []string{sentence(st.Text, a.S("enterprise_change.appeal_soon.text"), w), "",
			sentence(st.Muted, a.S("home.appeal_check")+" "+a.S("enterprise_change.appeal_soon.count", "N", len(changed)), w), "",
			widget.InfoTable(st, table)}
	}}
}

func splitKeys(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// appealValue is the typed value of the field key, as the form showed it.
func appealValue(p route.AppealParams, key string) string {
	x := p.Extended
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	}
	switch key {
	case svc.FieldLegalType:
		return p.LegalType
	case svc.FieldName:
		return p.Name
	case svc.FieldRegisteredAddress:
		return x.RegisteredAddress
	case svc.FieldRegisteredCapital:
		return x.RegisteredCapital
	case svc.FieldRegisteredDate:
		return day(x.RegisteredDate)
	case svc.FieldBusinessScope:
		return x.BusinessScope
	case svc.FieldCodeType:
		return x.CodeType
	case svc.FieldIndustry:
		return x.Industry
	case svc.FieldApprovalDate:
		return day(x.ApprovalDate)
	case svc.FieldApprovalAuthority:
		return x.ApprovalAuthority
	case svc.FieldRegistryStatus:
		return x.RegistryStatus
	case svc.FieldEstablishedDate:
		return day(x.EstablishedDate)
	case svc.FieldElectronicLicense:
		return x.ElectronicLicense
	}
	return ""
}
