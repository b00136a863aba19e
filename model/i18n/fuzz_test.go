package i18n

import (
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// FuzzLoad: any catalog file either loads or is refused with an error;
// what loads renders every id without a panic (go-i18n + go-toml parse,
// our reading of the messages and of plural forms). Seeds:
// testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("[x]\nplain = \"你好\"\ncount = { one = \"{{.N}} try\", other = \"{{.N}} tries\" }\n"), "x.count")
	f.Add([]byte("[x]\nother = \"reserved\"\n"), "x")
	f.Add([]byte("[x\n"), "x")
	f.Fuzz(func(t *testing.T, data []byte, id string) {
		c, err := Load(fstest.MapFS{"i18n/zh/a.toml": {Data: data}, "i18n/en/a.toml": {Data: data}})
		if err != nil {
			return
		}
		for _, l := range Langs {
			for _, x := range append(c.IDs(l), id) {
				s := c.Render(l, T(x, "N", 2, "Label", T(id)))
				if !utf8.ValidString(s) && utf8.Valid(data) && utf8.ValidString(id) {
					t.Errorf("%s %s: invalid UTF-8 %q", l, x, s)
				}
			}
		}
	})
}

// FuzzParse: a language code parses to one of the languages or not at all.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"zh", "ko_KR", "EN-us", "", "fr"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, ok := Parse(s)
		if ok != (l != "") {
			t.Fatalf("Parse(%q) = %q, %v", s, l, ok)
		}
		if ok {
			if again, _ := Parse(string(l)); again != l {
				t.Fatalf("Parse(%q) = %q, then %q", s, l, again)
			}
		}
	})
}
