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
		"张\u200b三":              "name_invisible", // zero-width space
		"\ufeff张三":              "name_invisible", // BOM
		"张\u00ad三":              "name_invisible", // soft hyphen
		"张\u2060三":              "name_invisible", // word joiner
		"张三\u202e":              "name_invisible", // bidi override
		"\u2066张三\u2069":        "name_invisible", // bidi isolate
		"张\u200f三":              "name_invisible", // RLM
		"张三\U000e0041":          "name_invisible", // tag
		"张\u200b":               "name_invisible", // before the length: the person sees 张
		"\u200b":                "name_invisible",
	}
	for in, code := range tests {
		if got := Code(ValidName(in)); got != code {
			t.Errorf("ValidName(%q) code %q; want %q", in, got, code)
		}
	}
}

// The refusal of a hidden character is a sentence of the catalog, and says
// what the person cannot see.
func TestInvisibleNameSentence(t *testing.T) {
	for _, err := range []error{ValidName("张\u200b三"), ValidEnterpriseName("某某\u200b公司")} {
		if m := Message(err); !sentence(m) || !strings.Contains(zh(m), "零宽空格") {
			t.Errorf("%v: %q is not the sentence about hidden characters", err, zh(m))
		}
	}
}

func FuzzValidName(f *testing.F) {
	for _, s := range []string{"张三", "买买提·艾力", "·张", "张1", "张\u200b三", "\ufeff张三", "张三\U000e0041"} {
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
		"北京某某科技有限公司":               "",
		"ABC (China) Co., Ltd.":    "",
		"":                         "ent_name_empty",
		" ":                        "ent_name_empty",
		"北":                        "ent_name_length",
		strings.Repeat("企", 101):   "ent_name_length",
		strings.Repeat("企", 100):   "",
		"某某\x1b[31m公司":             "ent_name_char",
		"某某\u202e公司":               "ent_name_invisible",
		"某某\u200b公司":               "ent_name_invisible",
		"\ufeff某某公司":               "ent_name_invisible",
		"某某\u00ad公司":               "ent_name_invisible",
		"某某\u2060公司":               "ent_name_invisible",
		"某某\u2067公司\u2069":         "ent_name_invisible",
		"某某\u200e公司":               "ent_name_invisible",
		"某某公司\U000e0001\U000e007f": "ent_name_invisible",
		"ABC\u200d Co., Ltd.":      "ent_name_invisible",
		"某某\n公司":                   "ent_name_char",
		"某某\xff公司":                 "ent_name_char",
	}
	for in, code := range tests {
		if got := Code(ValidEnterpriseName(in)); got != code {
			t.Errorf("ValidEnterpriseName(%q) code %q; want %q", in, got, code)
		}
	}
}

func FuzzValidEnterpriseName(f *testing.F) {
	for _, s := range []string{"北京某某科技有限公司", "某某\x1b[31m公司", "", "某某\u200b公司", "某某\u00ad公司\ufeff", "某某\u2066公司\U000e007f"} {
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
