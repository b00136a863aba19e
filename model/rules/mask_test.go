package rules

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMask(t *testing.T) {
	tests := []struct {
		fn   func(string) string
		name string
		in   string
		want string
	}{
		{MaskMobile, "mobile", "13812345678", "138****5678"},
		{MaskMobile, "mobile", "", ""},
		{MaskMobile, "mobile", "1", "*"},
		{MaskMobile, "mobile", "1381", "****"},
		{MaskMobile, "mobile", "13812", "1****"},
		{MaskMobile, "mobile", "13812345", "13****45"},
		{MaskMobile, "mobile", "+8613812345678", "+86*******5678"},
		{MaskID, "id", "22010219900307123X", "220102********123X"},
		{MaskID, "id", "220102199003071", "2201********071"}, // old 15-digit
		{MaskID, "id", "220102", "******"},
		{MaskID, "id", "", ""},
		{MaskName, "name", "张三丰", "张**"},
		{MaskName, "name", "张三", "张*"},
		{MaskName, "name", "张", "*"},
		{MaskName, "name", "买买提·艾力", "买*****"},
		{MaskName, "name", "", ""},
		{MaskMobile, "mobile", "138\x1b[2J12345678", "138****5678"}, // escape stripped first
		{MaskName, "name", "\xff\xfe", ""},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("Mask %s(%q) = %q; want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// FuzzMask: masks never panic, keep the rune count of the sanitised input,
// hide at least the minimum and reveal no more than the rule allows.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"13812345678", "22010219900307123X", "张三丰", "", "\x1b[31m", "a\xffb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		clean := Sanitize(s)
		n := utf8.RuneCountInString(clean)
		for _, m := range []struct {
			fn                   func(string) string
			head, tail, minStars int
		}{{MaskMobile, 3, 4, 4}, {MaskID, 6, 4, 8}, {MaskName, 1, 0, 1}} {
			got := m.fn(s)
			if utf8.RuneCountInString(got) != n || Sanitize(got) != got {
				t.Fatalf("mask(%q) = %q", s, got)
			}
			r := []rune(got)
			stars := 0
			for i, c := range r {
				if i < m.head || i >= n-m.tail {
					continue
				}
				if c != '*' {
					t.Fatalf("mask(%q) = %q reveals position %d", s, got, i)
				}
				stars++
			}
			if stars < min(m.minStars, n) && strings.Count(got, "*") < min(m.minStars, n) {
				t.Fatalf("mask(%q) = %q hides too little", s, got)
			}
		}
	})
}
