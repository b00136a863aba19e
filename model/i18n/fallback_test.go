package i18n

import (
	"strings"
	"testing"
	"testing/fstest"
)

// An id a language lacks renders in Chinese, with its values and plural
// form; an id no catalog has renders as ⟦id⟧.
func TestRenderFallsBackToChinese(t *testing.T) {
	c, err := Load(fstest.MapFS{
		"i18n/zh/a.toml": {Data: []byte("[x]\nplain = \"你好\"\nvalue = \"请于 {{.Until}} 后重试\"\ncount = { other = \"请{{.N}}秒后再试\" }\n")},
		"i18n/en/a.toml": {Data: []byte("[x]\nplain = \"Hello\"\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		l    Lang
		t    Text
		want string
	}{
		{English, T("x.plain"), "Hello"},
		{Korean, T("x.plain"), "你好"},
		{English, T("x.value", "Until", "10:15"), "请于 10:15 后重试"},
		{English, T("x.count", "N", 1), "请1秒后再试"},
		{Korean, T("x.count", "N", 30), "请30秒后再试"},
		{English, T("x.missing"), "⟦x.missing⟧"},
		{Chinese, T("x.missing", "N", 1), "⟦x.missing⟧"},
	} {
		if got := c.Render(tt.l, tt.t); got != tt.want {
			t.Errorf("Render(%s, %+v) = %q, want %q", tt.l, tt.t, got, tt.want)
		}
	}
}

// Languages are read on first use, from any goroutine, once; a broken file
// is reported by Load with its path.
func TestLanguagesReadOnFirstUse(t *testing.T) {
	fsys := fstest.MapFS{
		"i18n/zh/a.toml": {Data: []byte("[x]\nplain = \"你好\"\n")},
		"i18n/ko/a.toml": {Data: []byte("[x]\nplain = \"안녕하십니까\"\n")},
		"i18n/en/a.toml": {Data: []byte("[x]\nplain = \"Hello\"\n")},
	}
	c := newCatalog(fsys)
	c.Preload(English)
	done := make(chan string)
	for i := 0; i < 12; i++ {
		go func() { done <- c.Render(Langs[i%3], T("x.plain")) }()
	}
	got := map[string]int{}
	for i := 0; i < 12; i++ {
		got[<-done]++
	}
	if got["你好"] != 4 || got["안녕하십니까"] != 4 || got["Hello"] != 4 {
		t.Errorf("renders %v", got)
	}
	fsys["i18n/ko/b.toml"] = &fstest.MapFile{Data: []byte("[x\nbroken")}
	if _, err := Load(fsys); err == nil || !strings.Contains(err.Error(), "i18n/ko/b.toml") {
		t.Errorf("broken file: %v", err)
	}
}
