package rules

import (
	"time"

	"kiosk/model"
	"kiosk/model/i18n"
)

// ExpectedPeriod is the validity a resident ID card issued on start has, by
// the holder's age that day: under 16 → 5 years, 16–25 → 10, 26–45 → 20,
// 46 and over → long term.
func ExpectedPeriod(birth, start time.Time) model.ValidityPeriod {
	switch age := AgeOn(birth, start); {
	case age < 16:
		return model.Validity5Years
	case age <= 25:
		return model.Validity10Years
	case age <= 45:
		return model.Validity20Years
	default:
		return model.ValidityLongTerm
	}
}

// periodYears is the length in years of a fixed period; 0 for long term or
// an unknown value.
func periodYears(p model.ValidityPeriod) int {
	switch p {
	case model.Validity5Years:
		return 5
	case model.Validity10Years:
		return 10
	case model.Validity20Years:
		return 20
	}
	return 0
}

// ValidityEnd is the end date of a card valid from start for p: the same
// month and day p's years later, at midnight in start's location; the zero
// time for long term (or an unknown period).
//
// A start of 29 February ends on 28 February when the end year is not a
// leap year: the card prints the start's month and day, so the end keeps the
// month rather than rolling over into March (and never outlives the period).
func ValidityEnd(start time.Time, p model.ValidityPeriod) time.Time {
	n := periodYears(p)
	if n == 0 {
		return time.Time{}
	}
	y, m, d := start.Date()
	y += n
	if m == time.February && d == 29 && !isLeap(y) {
		d = 28
	}
	return time.Date(y, m, d, 0, 0, 0, 0, start.Location())
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// sameDate reports whether a and b fall on the same calendar date, each in
// its own location.
func sameDate(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// CheckIDDocument validates a resident ID card as entered on a form: the
// number, the type, a start date between birth and today, a period that
// matches the holder's age on the start date, the end date the period
// implies, and that the card has not expired (Code CodeExpired).
func CheckIDDocument(doc model.IDDocument, now time.Time) error {
	if doc.Type != model.IDTypeResident {
		return fail("id_type")
	}
	id, err := ParseResidentID(doc.Number, now)
	if err != nil {
		return err
	}
	if doc.ValidFrom.IsZero() {
		return fail("id_start_empty")
	}
	today := civilDate(now)
	start := civilDate(doc.ValidFrom)
	if start.After(today) {
		return fail("id_start_future")
	}
	if start.Before(id.Birth) {
		return fail("id_start_before_birth")
	}
	switch doc.Period {
	case model.Validity5Years, model.Validity10Years, model.Validity20Years, model.ValidityLongTerm:
	default:
		return fail("id_period_empty")
	}
	if want := ExpectedPeriod(id.Birth, start); doc.Period != want {
		return failText("id_period", periodMismatch(want))
	}
	end := ValidityEnd(start, doc.Period)
	if end.IsZero() {
		if !doc.ValidTo.IsZero() {
			return failText("id_end", i18n.T("rule.id_end.long_term"))
		}
		return nil
	}
	if doc.ValidTo.IsZero() || !sameDate(doc.ValidTo, end) {
		// The date as parts (zero-padded), so each language orders them.
		return failText("id_end", i18n.T("rule.id_end.date",
			"Year", end.Format("2006"), "Month", end.Format("01"), "Day", end.Format("02")))
	}
	if end.Before(today) {
		return fail(CodeExpired)
	}
	return nil
}

// periodMismatch says which validity the holder's age implies: one whole
// sentence per period, since the age bands do not fit one placeholder in
// every language.
func periodMismatch(want model.ValidityPeriod) i18n.Text {
	switch want {
	case model.Validity5Years:
		return i18n.T("rule.id_period.5y")
	case model.Validity10Years:
		return i18n.T("rule.id_period.10y")
	case model.Validity20Years:
		return i18n.T("rule.id_period.20y")
	}
	return i18n.T("rule.id_period.long")
}
