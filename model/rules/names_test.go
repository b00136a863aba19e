package rules

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidName(t *testing.T) {
	tests := map[string]string{
		"张三":                    "",
		"张三丰":                   "",
		"买买提·艾力":                "",
		"阿卜杜拉·买买提·艾力":           "",
		"𠀋林":                    "", // CJK extension B
		"":                      "name_empty",
		"  ":                    "name_empty",
		"张":                     "name_length",
		strings.Repeat("张", 31): "name_length",
		"张三1":                   "name_char",
		"Zhang San":             "name_char",
		"张 三":                   "name_char",
		"张\u0000三":              "name_char",
		"·张三":                   "name_dot",
		"张三·":                   "name_dot",
		"张··三":                  "name_dot",
		"张\xff三":                "name_char",
	}
	for in, code := range tests {
		if got := Code(ValidName(in)); got != code {
			t.Errorf("ValidName(%q) code %q; want %q", in, got, code)
		}
	}
}

func FuzzValidName(f *testing.F) {
	for _, s := range []string{"张三", "买买提·艾力", "·张", "张1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidName(s) != nil {
			return
		}
		if n := utf8.RuneCountInString(s); n < 2 || n > 30 || Sanitize(s) != s {
			t.Fatalf("accepted %q", s)
		}
	})
}

func TestValidEnterpriseName(t *testing.T) {
	tests := map[string]string{
		"北京某某科技有限公司":             "",
		"ABC (China) Co., Ltd.":  "",
		"":                       "ent_name_empty",
		" ":                      "ent_name_empty",
		"北":                      "ent_name_length",
		strings.Repeat("企", 101): "ent_name_length",
		strings.Repeat("企", 100): "",
		"某某\x1b[31m公司":           "ent_name_char",
		"某某\u202e公司":             "ent_name_char",
		"某某\n公司":                 "ent_name_char",
		"某某\xff公司":               "ent_name_char",
	}
	for in, code := range tests {
		if got := Code(ValidEnterpriseName(in)); got != code {
			t.Errorf("ValidEnterpriseName(%q) code %q; want %q", in, got, code)
		}
	}
}

func FuzzValidEnterpriseName(f *testing.F) {
	for _, s := range []string{"北京某某科技有限公司", "某某\x1b[31m公司", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidEnterpriseName(s) != nil {
			return
		}
		if n := utf8.RuneCountInString(s); n < 2 || n > 100 || Sanitize(s) != s {
			t.Fatalf("accepted %q", s)
		}
	})
}
