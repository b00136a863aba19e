package rules

import (
	"strings"
	"testing"
)

func TestNormalizeUSCC(t *testing.T) {
	tests := []struct {
		in, want, code string
	}{
		{"91110000600037341L", "91110000600037341L", ""},
		{"91310000MA1FL1MMXL", "91310000MA1FL1MMXL", ""}, // org check char X
		{"91350100M000100Y43", "91350100M000100Y43", ""},
		{"12100000400000624D", "12100000400000624D", ""},
		{"  91440300708461136t ", "91440300708461136T", ""}, // trimmed, upper-cased
		{"", "", "uscc_empty"},
		{"   ", "", "uscc_empty"},
		{"91110000600037341", "", "uscc_length"},
		{"91110000600037341LL", "", "uscc_length"},
		{"91110000600O37341L", "", "uscc_char"}, // letter O is not in the alphabet
		{"9111000060003734IL", "", "uscc_char"},
		{"911100006000373４1L", "91110000600037341L", ""}, // full-width digit
		{"91110000600037341K", "", "uscc_check"},
		{"91440300192203821N", "", "uscc_check"},
		// 18th char recomputed after breaking the org-code check char.
		{"91110000600037342" + string(mustUSCC(t, "91110000600037342")), "", "uscc_org_check"},
	}
	for _, tt := range tests {
		got, err := NormalizeUSCC(tt.in)
		if Code(err) != tt.code || got != tt.want {
			t.Errorf("NormalizeUSCC(%q) = %q, %v; want %q, code %q", tt.in, got, err, tt.want, tt.code)
		}
		if err != nil && !sentence(Message(err)) {
			t.Errorf("NormalizeUSCC(%q): empty message", tt.in)
		}
	}
	_, err := NormalizeUSCC("91110000600037341K")
	if zh(Message(err)) != "统一社会信用代码校验位错误，请核对" {
		t.Errorf("check message = %q", zh(Message(err)))
	}
}

func TestUSCCMessagesDistinct(t *testing.T) {
	seen := map[string]string{}
	for _, in := range []string{"", "9111", "91110000600O37341L", "91110000600037341K",
		"91110000600037342" + string(mustUSCC(t, "91110000600037342"))} {
		_, err := NormalizeUSCC(in)
		m := zh(Message(err))
		if prev, ok := seen[m]; ok {
			t.Errorf("%q and %q share message %q", prev, in, m)
		}
		seen[m] = in
	}
}

func mustUSCC(t testing.TB, first17 string) byte {
	c, err := USCCCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestUSCCCheckChar(t *testing.T) {
	for in, want := range map[string]byte{
		"91110000600037341": 'L',
		"91310000MA1FL1MMX": 'L',
		"91440300192203821": '6',
	} {
		if got, err := USCCCheckChar(in); err != nil || got != want {
			t.Errorf("USCCCheckChar(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "9111000060003734", "9111000060003734I", "91110000600037341L"} {
		if _, err := USCCCheckChar(in); err == nil {
			t.Errorf("USCCCheckChar(%q): want error", in)
		}
	}
}

func TestOrgCodeCheckChar(t *testing.T) {
	for in, want := range map[string]byte{
		"60003734": '1',
		"MA1FL1MM": 'X', // remainder gives 10
		"M000100Y": '4',
		"00000000": '0', // 11 − 0 = 11 → '0'
		"40000062": '4',
	} {
		if got, err := OrgCodeCheckChar(in); err != nil || got != want {
			t.Errorf("OrgCodeCheckChar(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "6000373", "600037341", "6000373a", "6000-373"} {
		if _, err := OrgCodeCheckChar(in); err == nil {
			t.Errorf("OrgCodeCheckChar(%q): want error", in)
		}
	}
}

func FuzzNormalizeUSCC(f *testing.F) {
	for _, s := range []string{"91110000600037341L", "91310000mA1FL1MMXL", "", "911100006000373", "9111000060003734IL"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeUSCC(s)
		if err != nil {
			if Code(err) == "" || !sentence(Message(err)) {
				t.Fatalf("error without code or message: %#v", err)
			}
			return
		}
		if len(got) != 18 || got != strings.ToUpper(got) {
			t.Fatalf("accepted %q as %q", s, got)
		}
		if again, err := NormalizeUSCC(got); err != nil || again != got {
			t.Fatalf("re-validation of %q: %q, %v", got, again, err)
		}
		if w, err := NormalizeUSCC(wide(s)); err != nil || w != got {
			t.Fatalf("full-width form of %q: %q, %v", s, w, err)
		}
		if c, _ := USCCCheckChar(got[:17]); c != got[17] {
			t.Fatalf("%q: check char %q", got, c)
		}
		if c, _ := OrgCodeCheckChar(got[8:16]); c != got[16] {
			t.Fatalf("%q: org check char %q", got, c)
		}
	})
}
