package rules

import "time"

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// ResidentID is a parsed GB 11643-1999 citizen identity number.
type ResidentID struct {
	Number string    // 18 chars, upper-case X
	Birth  time.Time // UTC midnight
	Male   bool      // 17th digit odd
	Region string    // first 6 digits, the administrative division code
}

// ParseResidentID validates an 18-character resident ID number: digits,
// check character, and a birth date that exists, is not before 1900 and is
// not after now's calendar date. Full-width digits and x (from a Chinese
// input method) and lower-case x are accepted and normalised
// (NormalizeCode).
func ParseResidentID(s string, now time.Time) (ResidentID, error) {
	s = NormalizeCode(s)
	if s == "" {
		return ResidentID{}, fail("id_empty")
	}
	if len(s) != 18 {
		return ResidentID{}, fail("id_length")
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return ResidentID{}, fail("id_char")
		}
	}
	if c := s[17]; (c < '0' || c > '9') && c != 'X' {
		return ResidentID{}, fail("id_char")
	}
	birth, err := time.Parse("20060102", s[6:14])
	if err != nil || birth.Year() < 1900 {
		return ResidentID{}, fail("id_birth")
	}
	if birth.After(civilDate(now)) {
		return ResidentID{}, fail("id_birth_future")
	}
	c, _ := IDCheckChar(s[:17])
	if s[17] != c {
		return ResidentID{}, fail("id_check")
	}
	return ResidentID{
		Number: s,
		Birth:  birth,
		Male:   (s[16]-'0')%2 == 1,
		Region: s[:6],
	}, nil
}

// IDCheckChar computes the 18th character of a resident ID from the first
// 17 digits.
func IDCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fail("id_length")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, fail("id_char")
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idCheckChars[sum%11], nil
}

// civilDate is t's calendar date as UTC midnight, so dates from different
// locations compare by year, month and day only.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// AgeOn returns the full years between birth and day, by calendar date. A
// person born on 29 February gains a year on 1 March in non-leap years.
func AgeOn(birth, day time.Time) int {
	by, bm, bd := birth.Date()
	y, m, d := day.Date()
	age := y - by
	if m < bm || (m == bm && d < bd) {
		age--
	}
	return age
}
