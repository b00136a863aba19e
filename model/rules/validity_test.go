package rules

import (
	"reflect"
	"testing"
	"time"

	"kiosk/model"
)

func TestExpectedPeriod(t *testing.T) {
	birth := date(2000, 2, 29)
	tests := []struct {
		start time.Time
		want  model.ValidityPeriod
	}{
		{date(2005, 1, 1), model.Validity5Years},
		{date(2016, 2, 28), model.Validity5Years}, // 15 until the birthday
		{date(2016, 2, 29), model.Validity10Years},
		{date(2025, 12, 31), model.Validity10Years},
		{date(2026, 3, 1), model.Validity20Years}, // 26 (non-leap year: from 1 March)
		{date(2046, 2, 28), model.Validity20Years},
		{date(2046, 3, 1), model.ValidityLongTerm},
		{date(2080, 1, 1), model.ValidityLongTerm},
	}
	for _, tt := range tests {
		if got := ExpectedPeriod(birth, tt.start); got != tt.want {
			t.Errorf("ExpectedPeriod(2000-02-29, %s) = %s; want %s", tt.start.Format(time.DateOnly), got, tt.want)
		}
	}
}

func TestValidityEnd(t *testing.T) {
	tests := []struct {
		start time.Time
		p     model.ValidityPeriod
		want  time.Time
	}{
		{date(2020, 5, 1), model.Validity5Years, date(2025, 5, 1)},
		{date(2020, 5, 1), model.Validity10Years, date(2030, 5, 1)},
		{date(2020, 5, 1), model.Validity20Years, date(2040, 5, 1)},
		{date(2020, 5, 1), model.ValidityLongTerm, time.Time{}},
		{date(2020, 5, 1), "", time.Time{}},
		{date(2008, 2, 29), model.Validity10Years, date(2018, 2, 28)}, // non-leap end year keeps February
		{date(2008, 2, 29), model.Validity5Years, date(2013, 2, 28)},
		{date(2008, 2, 29), model.Validity20Years, date(2028, 2, 29)}, // leap end year
		{date(2099, 2, 28), model.Validity5Years, date(2104, 2, 28)},
	}
	for _, tt := range tests {
		if got := ValidityEnd(tt.start, tt.p); !got.Equal(tt.want) {
			t.Errorf("ValidityEnd(%s, %s) = %s; want %s", tt.start.Format(time.DateOnly), tt.p, got, tt.want)
		}
	}
	// Location and midnight follow the start.
	start := time.Date(2020, 5, 1, 0, 0, 0, 0, cst)
	if got := ValidityEnd(start, model.Validity5Years); !got.Equal(time.Date(2025, 5, 1, 0, 0, 0, 0, cst)) {
		t.Errorf("ValidityEnd in CST = %s", got)
	}
}

func TestCheckIDDocument(t *testing.T) {
	id1990 := makeID(t, "220102", "19900307", "123") // 34 on testNow
	id1949 := "11010519491231002X"                   // 74
	id2000 := makeID(t, "440308", "20000229", "011") // 24
	id2015 := makeID(t, "110101", "20150101", "004") // 9
	doc := func(num string, p model.ValidityPeriod, from, to time.Time) model.IDDocument {
		return model.IDDocument{Type: model.IDTypeResident, Number: num, Period: p, ValidFrom: from, ValidTo: to}
	}
	tests := []struct {
		name string
		doc  model.IDDocument
		code string
	}{
		{"20y ok", doc(id1990, model.Validity20Years, date(2020, 5, 1), date(2040, 5, 1)), ""},
		{"dates in CST", doc(id1990, model.Validity20Years, time.Date(2020, 5, 1, 0, 0, 0, 0, cst), time.Date(2040, 5, 1, 0, 0, 0, 0, cst)), ""},
		{"long ok", doc(id1949, model.ValidityLongTerm, date(2010, 1, 1), time.Time{}), ""},
		{"5y child", doc(id2015, model.Validity5Years, date(2020, 6, 1), date(2025, 6, 1)), ""},
		{"10y Feb 29", doc(id2000, model.Validity10Years, date(2016, 2, 29), date(2026, 2, 28)), ""},
		{"ends today", doc(id2015, model.Validity5Years, date(2019, 6, 15), date(2024, 6, 15)), ""},
		{"issued today", doc(id1990, model.Validity20Years, date(2024, 6, 15), date(2044, 6, 15)), ""},
		{"ended yesterday", doc(id2015, model.Validity5Years, date(2019, 6, 14), date(2024, 6, 14)), CodeExpired},
		{"expired 10y", doc(id1990, model.Validity10Years, date(2010, 1, 1), date(2020, 1, 1)), CodeExpired},
		{"wrong type", model.IDDocument{Type: "护照", Number: id1990, Period: model.Validity20Years, ValidFrom: date(2020, 5, 1), ValidTo: date(2040, 5, 1)}, "id_type"},
		{"bad number", doc("110105194912310021", model.ValidityLongTerm, date(2010, 1, 1), time.Time{}), "id_check"},
		{"no start", doc(id1990, model.Validity20Years, time.Time{}, date(2040, 5, 1)), "id_start_empty"},
		{"start tomorrow", doc(id1990, model.Validity20Years, date(2024, 6, 16), date(2044, 6, 16)), "id_start_future"},
		{"start before birth", doc(id2015, model.Validity5Years, date(2014, 12, 31), date(2019, 12, 31)), "id_start_before_birth"},
		{"no period", doc(id1990, "", date(2020, 5, 1), date(2040, 5, 1)), "id_period_empty"},
		{"bogus period", doc(id1990, "7y", date(2020, 5, 1), date(2027, 5, 1)), "id_period_empty"},
		{"period too short", doc(id1990, model.Validity10Years, date(2020, 5, 1), date(2030, 5, 1)), "id_period"},
		{"long too young", doc(id1990, model.ValidityLongTerm, date(2020, 5, 1), time.Time{}), "id_period"},
		{"wrong end", doc(id1990, model.Validity20Years, date(2020, 5, 1), date(2040, 5, 2)), "id_end"},
		{"missing end", doc(id1990, model.Validity20Years, date(2020, 5, 1), time.Time{}), "id_end"},
		{"Feb 29 end", doc(id2000, model.Validity10Years, date(2016, 2, 29), date(2026, 3, 1)), "id_end"},
		{"long with end", doc(id1949, model.ValidityLongTerm, date(2010, 1, 1), date(2030, 1, 1)), "id_end"},
	}
	for _, tt := range tests {
		err := CheckIDDocument(tt.doc, testNow)
		if Code(err) != tt.code {
			t.Errorf("%s: CheckIDDocument = %v (%s); want code %q", tt.name, err, zh(Message(err)), tt.code)
		}
	}
	err := CheckIDDocument(doc(id1990, model.Validity10Years, date(2010, 1, 1), date(2020, 1, 1)), testNow)
	if zh(Message(err)) != "证件已过期" {
		t.Errorf("expired message = %q", zh(Message(err)))
	}
	err = CheckIDDocument(doc(id1990, model.Validity10Years, date(2020, 5, 1), date(2030, 5, 1)), testNow)
	if m := zh(Message(err)); m != "证件有效期与年龄不符：签发时26至45周岁应为20年，请核对" {
		t.Errorf("period message = %q", m)
	}

	// The sentences of a wrong period or end date name what is expected;
	// the end date is a value of the text (zero-padded parts), not part of
	// the id.
	messages := []struct {
		name string
		doc  model.IDDocument
		want string
	}{
		{"5y expected", doc(id2015, model.Validity10Years, date(2020, 6, 1), date(2030, 6, 1)),
			"证件有效期与年龄不符：签发时未满16周岁应为5年，请核对"},
		{"10y expected", doc(id2000, model.Validity5Years, date(2016, 2, 29), date(2021, 2, 28)),
			"证件有效期与年龄不符：签发时16至25周岁应为10年，请核对"},
		{"long expected", doc(id1949, model.Validity20Years, date(2010, 1, 1), date(2030, 1, 1)),
			"证件有效期与年龄不符：签发时46周岁及以上应为长期，请核对"},
		{"wrong end", doc(id1990, model.Validity20Years, date(2020, 5, 1), date(2040, 5, 2)),
			"证件有效期结束日期应为2040年05月01日，请核对"},
		{"long with end", doc(id1949, model.ValidityLongTerm, date(2010, 1, 1), date(2030, 1, 1)),
			"长期有效的证件不应有结束日期"},
	}
	for _, tt := range messages {
		err := CheckIDDocument(tt.doc, testNow)
		if m := Message(err); !sentence(m) || zh(m) != tt.want {
			t.Errorf("%s: %+v renders %q, want %q", tt.name, m, zh(m), tt.want)
		}
	}
	err = CheckIDDocument(doc(id1990, model.Validity20Years, date(2020, 5, 1), date(2040, 5, 2)), testNow)
	want := map[string]any{"Year": "2040", "Month": "05", "Day": "01"}
	if m := Message(err); m.ID != "rule.id_end.date" || !reflect.DeepEqual(m.Args, want) {
		t.Errorf("end date text %+v, want rule.id_end.date with %v", m, want)
	}
}

// FuzzCheckIDDocument: no panic, and an accepted document is consistent.
// A 17-digit number gets its check char appended so valid cards are reachable.
func FuzzCheckIDDocument(f *testing.F) {
	f.Add("22010219900307123", "20y", int64(18383), int64(25688), int64(0))
	f.Add("11010519491231002X", "long", int64(14610), int64(0), int64(0))
	f.Add("11010120150101004", "5y", int64(18414), int64(20240), int64(0))
	f.Add("44030820000229011", "10y", int64(16860), int64(20512), int64(100))
	f.Add("", "", int64(0), int64(0), int64(0))
	f.Fuzz(func(t *testing.T, num, period string, fromDays, toDays, nowDays int64) {
		if len(num) == 17 {
			if c, err := IDCheckChar(num); err == nil {
				num += string(c)
			}
		}
		epoch := date(1970, 1, 1)
		day := func(n int64) time.Time {
			if n == 0 {
				return time.Time{}
			}
			return epoch.AddDate(0, 0, int(n%200000))
		}
		now := testNow.AddDate(0, 0, int(nowDays%40000))
		doc := model.IDDocument{Type: model.IDTypeResident, Number: num, Period: model.ValidityPeriod(period),
			ValidFrom: day(fromDays), ValidTo: day(toDays)}
		err := CheckIDDocument(doc, now)
		if err != nil {
			if Code(err) == "" || !sentence(Message(err)) {
				t.Fatalf("error without code or message: %#v", err)
			}
			return
		}
		id, err := ParseResidentID(num, now)
		if err != nil {
			t.Fatalf("accepted document with bad number %q: %v", num, err)
		}
		if doc.Period != ExpectedPeriod(id.Birth, doc.ValidFrom) {
			t.Fatalf("accepted period %s for birth %s start %s", doc.Period, id.Birth, doc.ValidFrom)
		}
		end := ValidityEnd(doc.ValidFrom, doc.Period)
		if !sameDate(end, doc.ValidTo) && !(end.IsZero() && doc.ValidTo.IsZero()) {
			t.Fatalf("accepted end %s, want %s", doc.ValidTo, end)
		}
		if !end.IsZero() && end.Before(civilDate(now)) {
			t.Fatalf("accepted expired card ending %s on %s", end, now)
		}
		if doc.ValidFrom.After(now) || doc.ValidFrom.Before(id.Birth) {
			t.Fatalf("accepted start %s", doc.ValidFrom)
		}
	})
}
