package registry

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"kiosk/model"
	"kiosk/model/rules"
)

// fieldErr is one problem in one column of a row.
type fieldErr struct {
	col string
	err error
}

// maxRunes bounds the free-text columns; registry values are far shorter,
// so anything longer is a broken export rather than data.
var maxRunes = map[string]int{
	ColRegisteredAddress: 200,
	ColRegisteredCapital: 50,
	ColBusinessScope:     2000,
	ColCodeType:          50,
	ColIndustry:          100,
	ColApprovalAuthority: 100,
	ColRegistryStatus:    30,
	ColElectronicLicense: 64,
}

// periods maps the accepted spellings of rep_id_period to the model value.
var periods = map[string]model.ValidityPeriod{
	"5y": model.Validity5Years, "10y": model.Validity10Years,
	"20y": model.Validity20Years, "long": model.ValidityLongTerm,
	// i18n:data, spellings the registry's CSV may use
	"5年": model.Validity5Years, "10年": model.Validity10Years,
	// i18n:data, likewise
	"20年": model.Validity20Years, "长期": model.ValidityLongTerm, "长期有效": model.ValidityLongTerm,
}

// parseRow builds and validates one record from a row; get returns a
// column's raw value ("" for an absent optional column).
func parseRow(get func(col string) string, now time.Time) (model.RegistryRecord, []fieldErr) {
	var (
		rec  model.RegistryRecord
		errs []fieldErr
	)
	bad := func(col string, err error) { errs = append(errs, fieldErr{col, err}) }
	text := func(col string) string {
		raw := get(col)
		if !utf8.ValidString(raw) {
			bad(col, errors.New("not valid UTF-8"))
			return ""
		}
		v := strings.TrimSpace(rules.Sanitize(raw))
		if n, ok := maxRunes[col]; ok && utf8.RuneCountInString(v) > n {
			bad(col, fmt.Errorf("longer than %d characters", n))
			return ""
		}
		return v
	}
	date := func(col string, required, past bool) time.Time {
		t, err := parseDate(text(col), now, required, past)
		if err != nil {
			bad(col, err)
		}
		return t
	}

	if u, err := rules.NormalizeUSCC(get(ColUSCC)); err != nil {
		bad(ColUSCC, err)
	} else {
		rec.USCC = u
	}
	rec.Name = text(ColName)
	if err := rules.ValidEnterpriseName(rec.Name); err != nil {
		bad(ColName, err)
	}
	rec.LegalType = text(ColLegalType)
	if !slices.Contains(model.LegalTypes, rec.LegalType) {
		bad(ColLegalType, fmt.Errorf("unknown legal type %q, want one of %s", rec.LegalType, strings.Join(model.LegalTypes, "/")))
	}

	rep := &rec.LegalRep
	rep.Name = text(ColRepName)
	if err := rules.ValidName(rep.Name); err != nil {
		bad(ColRepName, err)
	}
	rep.ID.Type = text(ColRepIDType)
	if rep.ID.Type == "" {
		rep.ID.Type = model.IDTypeResident
	}
	if rep.ID.Type != model.IDTypeResident {
		bad(ColRepIDType, fmt.Errorf("unsupported id type %q", rep.ID.Type))
	}
	idOK := true
	if id, err := rules.ParseResidentID(get(ColRepIDNumber), now); err != nil {
		bad(ColRepIDNumber, err)
		idOK = false
	} else {
		rep.ID.Number = id.Number
	}
	periodText := text(ColRepIDPeriod)
	if p, ok := periods[strings.ToLower(periodText)]; ok {
		rep.ID.Period = p
	} else {
		bad(ColRepIDPeriod, fmt.Errorf("unknown period %q, want 5y/10y/20y/long", periodText))
		idOK = false
	}
	nBefore := len(errs)
	rep.ID.ValidFrom = date(ColRepIDFrom, true, true)
	rep.ID.ValidTo = date(ColRepIDTo, false, false)
	if idOK && len(errs) == nBefore && rep.ID.Type == model.IDTypeResident {
		if err := checkDocument(rep.ID, now); err != nil {
			bad(documentColumn(err), err)
		}
	}

	if p := strings.TrimSpace(get(ColRepPhone)); p != "" {
		if err := rules.ValidMobile(p); err != nil {
			bad(ColRepPhone, err)
		} else {
			rec.Phone = p
		}
	}

	x := &rec.Extended
	x.RegisteredAddress = text(ColRegisteredAddress)
	x.RegisteredCapital = text(ColRegisteredCapital)
	x.RegisteredDate = date(ColRegisteredDate, false, true)
	x.BusinessScope = text(ColBusinessScope)
	x.CodeType = text(ColCodeType)
	x.Industry = text(ColIndustry)
	x.ApprovalDate = date(ColApprovalDate, false, true)
	x.ApprovalAuthority = text(ColApprovalAuthority)
	x.RegistryStatus = text(ColRegistryStatus)
	x.EstablishedDate = date(ColEstablishedDate, false, true)
	x.ElectronicLicense = text(ColElectronicLicense)
	return rec, errs
}

// checkDocument applies the ID card rules except expiry: the registry
// legitimately records a legal representative whose card has lapsed; the
// flows that take a card from a person refuse it there ("证件已过期").
func checkDocument(doc model.IDDocument, now time.Time) error {
	err := rules.CheckIDDocument(doc, now)
	if rules.Code(err) == rules.CodeExpired {
		return nil
	}
	return err
}

// documentColumn names the column an ID document error belongs to.
func documentColumn(err error) string {
	switch code := rules.Code(err); {
	case strings.HasPrefix(code, "id_start"):
		return ColRepIDFrom
	case strings.HasPrefix(code, "id_period"):
		return ColRepIDPeriod
	case code == "id_end":
		return ColRepIDTo
	case code == "id_type":
		return ColRepIDType
	}
	return ColRepIDNumber
}

// parseDate reads a YYYY-MM-DD date as UTC midnight, between 1900 and 9999.
// A past date (every registry date but a card's end) may not be after now's
// calendar date.
func parseDate(s string, now time.Time, required, past bool) (time.Time, error) {
	if s == "" {
		if required {
			return time.Time{}, errors.New("date required")
		}
		return time.Time{}, nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad date %q, want YYYY-MM-DD", s)
	}
	if t.Year() < 1900 {
		return time.Time{}, fmt.Errorf("date %s before 1900", s)
	}
	y, m, d := now.Date()
	if past && t.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
		return time.Time{}, fmt.Errorf("date %s is in the future", s)
	}
	return t, nil
}
