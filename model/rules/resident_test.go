package rules

import (
	"testing"
	"time"
)

var cst = time.FixedZone("CST", 8*3600)

// testNow is 2024-06-15 10:00 in Beijing time.
var testNow = time.Date(2024, 6, 15, 10, 0, 0, 0, cst)

// makeID builds a valid ID number for a region, a yyyymmdd birth date and a
// 3-digit sequence.
func makeID(t testing.TB, region, birth, seq string) string {
	t.Helper()
	c, err := IDCheckChar(region + birth + seq)
	if err != nil {
		t.Fatal(err)
	}
	return region + birth + seq + string(c)
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseResidentID(t *testing.T) {
	tests := []struct {
		in     string
		code   string
		number string
		birth  time.Time
		male   bool
	}{
		{in: "11010519491231002X", number: "11010519491231002X", birth: date(1949, 12, 31), male: false},
		{in: " 11010519491231002x ", number: "11010519491231002X", birth: date(1949, 12, 31)},
		{in: makeID(t, "220102", "19900307", "123"), number: makeID(t, "220102", "19900307", "123"), birth: date(1990, 3, 7), male: true},
		{in: makeID(t, "440308", "20000229", "011"), number: makeID(t, "440308", "20000229", "011"), birth: date(2000, 2, 29), male: true},
		{in: makeID(t, "440308", "20240615", "020"), number: makeID(t, "440308", "20240615", "020"), birth: date(2024, 6, 15)}, // born today
		{in: "", code: "id_empty"},
		{in: "110105491231002", code: "id_length"}, // old 15-digit number
		{in: "11010519491231002XX", code: "id_length"},
		{in: "1101051949123100AX", code: "id_char"},
		{in: "11010519491231002Y", code: "id_char"},
		{in: "110105194912310021", code: "id_check"},
		{in: makeID(t, "110105", "19490230", "002"), code: "id_birth"}, // 30 February
		{in: makeID(t, "110105", "19491301", "002"), code: "id_birth"},
		{in: makeID(t, "110105", "19000229", "002"), code: "id_birth"}, // 1900 was not leap
		{in: makeID(t, "110105", "18991231", "002"), code: "id_birth"},
		{in: makeID(t, "110105", "20240616", "002"), code: "id_birth_future"},
		{in: "１１０１０５１９４９１２３１００２Ｘ", number: "11010519491231002X", birth: date(1949, 12, 31)}, // full-width
	}
	for _, tt := range tests {
		got, err := ParseResidentID(tt.in, testNow)
		if Code(err) != tt.code {
			t.Errorf("ParseResidentID(%q) error %v; want code %q", tt.in, err, tt.code)
			continue
		}
		if err != nil {
			continue
		}
		if got.Number != tt.number || !got.Birth.Equal(tt.birth) || got.Male != tt.male || got.Region != tt.number[:6] {
			t.Errorf("ParseResidentID(%q) = %+v", tt.in, got)
		}
	}
}

func TestIDCheckChar(t *testing.T) {
	for in, want := range map[string]byte{
		"11010519491231002": 'X',
		"22010219900307123": '5',
		"11010119900307451": '4',
	} {
		if got, err := IDCheckChar(in); err != nil || got != want {
			t.Errorf("IDCheckChar(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1101051949123100", "1101051949123100X", "110105194912310021"} {
		if _, err := IDCheckChar(in); err == nil {
			t.Errorf("IDCheckChar(%q): want error", in)
		}
	}
}

func TestAgeOn(t *testing.T) {
	tests := []struct {
		birth, day time.Time
		want       int
	}{
		{date(1990, 3, 7), date(2020, 3, 6), 29},
		{date(1990, 3, 7), date(2020, 3, 7), 30},
		{date(1990, 3, 7), date(1990, 3, 7), 0},
		{date(2000, 2, 29), date(2016, 2, 28), 15},
		{date(2000, 2, 29), date(2016, 2, 29), 16},
		{date(2000, 2, 29), date(2017, 2, 28), 16},
		{date(2000, 2, 29), date(2018, 2, 28), 17},
		{date(2000, 2, 29), date(2018, 3, 1), 18},
		{date(1990, 12, 31), date(1991, 1, 1), 0},
		{date(1990, 12, 31), time.Date(2000, 12, 31, 23, 59, 0, 0, cst), 10},
	}
	for _, tt := range tests {
		if got := AgeOn(tt.birth, tt.day); got != tt.want {
			t.Errorf("AgeOn(%s, %s) = %d; want %d", tt.birth.Format(time.DateOnly), tt.day.Format(time.DateOnly), got, tt.want)
		}
	}
}

func FuzzParseResidentID(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", "", "110105194912310021", "11010519490230002X", "12345678901234567X"} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, nowDays int64) {
		now := testNow.AddDate(0, 0, int(nowDays%100000))
		id, err := ParseResidentID(s, now)
		if err != nil {
			if Code(err) == "" || !sentence(Message(err)) {
				t.Fatalf("error without code or message: %#v", err)
			}
			return
		}
		if len(id.Number) != 18 || id.Birth.After(civilDate(now)) || id.Birth.Year() < 1900 {
			t.Fatalf("accepted %q: %+v", s, id)
		}
		if c, _ := IDCheckChar(id.Number[:17]); c != id.Number[17] {
			t.Fatalf("%q: check char %q", id.Number, c)
		}
		again, err := ParseResidentID(id.Number, now)
		if err != nil || again != id {
			t.Fatalf("re-parse of %q: %+v, %v", id.Number, again, err)
		}
		if w, err := ParseResidentID(wide(s), now); err != nil || w != id {
			t.Fatalf("full-width form of %q: %+v, %v", s, w, err)
		}
	})
}
