package account

import (
	"testing"
	"time"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// The ID card fields every account flow shares: 结束日期 follows 开始日期
// and 证件有效期 (EndDate, derived by the form), and the document the use
// cases get (IDDocument) agrees with what is shown.

// idCardForm is a form of the ID card fields alone.
func idCardForm(a *kit.App) *form.Form {
	return form.New(form.Config{ID: "kit", Styles: a.St, Keys: a.Keys, Steps: []form.Step{{Title: "一", Fields: idCard(a)}}})
}

func TestEndDateAndIDDocument(t *testing.T) {
	a := kit.NewApp(kit.Deps{})
	t.Cleanup(a.Zones.Close)
	cases := []struct {
		period, from, typedEnd string
		wantEnd                string
		want                   model.ValidityPeriod
	}{
		{string(model.Validity10Years), "2023-11-25", "", "2033-11-25", model.Validity10Years},
		{string(model.Validity5Years), "2016-02-29", "", "2021-02-28", model.Validity5Years}, // no 29 Feb that year
		{string(model.Validity20Years), "2013-10-25", "1999-01-01", "2033-10-25", model.Validity20Years},
		{string(model.ValidityLongTerm), "2022-08-04", "2030-01-01", "", model.ValidityLongTerm}, // typed end is dropped
		{"", "2022-08-04", "2030-01-01", "", ""},
		{string(model.Validity10Years), "2023-13-01", "", "", model.Validity10Years}, // no such date
	}
	for _, c := range cases {
		fm := idCardForm(a)
		presetIDType(fm)
		fm.SetValue(svc.FieldIDPeriod, c.period)
		fm.SetValue(svc.FieldIDFrom, c.from)
		fm.SetValue(svc.FieldIDTo, c.typedEnd)
		if got := fm.Value(svc.FieldIDTo); got != c.wantEnd {
			t.Errorf("%s from %s: end %q, want %q", c.period, c.from, got, c.wantEnd)
		}
		if got := EndDate(fm.Values()); got != c.wantEnd {
			t.Errorf("%s from %s: EndDate %q, want %q", c.period, c.from, got, c.wantEnd)
		}
		d := IDDocument(fm.Values())
		if d.Type != model.IDTypeResident || d.Period != c.want {
			t.Errorf("%s: document %+v", c.period, d)
		}
		if (c.wantEnd == "") != d.ValidTo.IsZero() {
			t.Errorf("%s: ValidTo %v for end %q", c.period, d.ValidTo, c.wantEnd)
		}
	}
}

// FuzzIDCardValues: whatever is typed into the validity fields, the
// derived end date is empty or exactly what the period implies, and the
// document built from the values agrees with what is shown.
func FuzzIDCardValues(f *testing.F) {
	f.Add(1, "2023-11-25", "")
	f.Add(3, "2000-02-29", "2020-02-29")
	f.Add(4, "2022-08-04", "2030-01-01")
	f.Add(0, "0000-01-01", "")
	f.Add(2, "9999-12-31", "x")
	f.Add(-1, "2023-1-5", "\x1b[2J")
	a := kit.NewApp(kit.Deps{})
	defer a.Zones.Close()
	f.Fuzz(func(t *testing.T, period int, from, typedEnd string) {
		fm := idCardForm(a)
		value := ""
		if period >= 0 && period < len(validityOptions) {
			value = validityOptions[period].Value
		}
		fm.SetValue(svc.FieldIDPeriod, value)
		fm.SetValue(svc.FieldIDFrom, from)
		fm.SetValue(svc.FieldIDTo, typedEnd)
		end := fm.Value(svc.FieldIDTo)
		d := IDDocument(fm.Values())
		if end == "" {
			if !d.ValidTo.IsZero() {
				t.Fatalf("empty end but ValidTo %v", d.ValidTo)
			}
			return
		}
		start, err := time.Parse(form.DateLayout, fm.Value(svc.FieldIDFrom))
		if err != nil {
			t.Fatalf("end %q derived from an unparsable start %q", end, fm.Value(svc.FieldIDFrom))
		}
		if want := rules.ValidityEnd(start, ValidityPeriod(value)).Format(form.DateLayout); end != want {
			t.Fatalf("end %q, want %q", end, want)
		}
		if d.ValidTo.Format(form.DateLayout) != end || d.Period != ValidityPeriod(value) {
			t.Fatalf("document %+v for end %q", d, end)
		}
	})
}
