package i18n

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"kiosk/assets"
)

// Every id of the Chinese source is in every language, and no language has
// an id the source lacks (a typo, or a sentence left behind).
func TestCatalogComplete(t *testing.T) {
	c, err := Load(assets.I18n)
	if err != nil {
		t.Fatal(err)
	}
	src := c.IDs(Chinese)
	if len(src) < 100 {
		t.Fatalf("the Chinese catalog has only %d ids", len(src))
	}
	for _, l := range Langs[1:] {
		var missing, extra []string
		for _, id := range src {
			if !c.Has(l, id) {
				missing = append(missing, id)
			}
		}
		for _, id := range c.IDs(l) {
			if !c.Has(Chinese, id) {
				extra = append(extra, id)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s lacks %d ids: %s", l, len(missing), strings.Join(missing, " "))
		}
		if len(extra) > 0 {
			t.Errorf("%s has %d ids the source lacks: %s", l, len(extra), strings.Join(extra, " "))
		}
	}
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// A translation uses exactly the placeholders of its source: a value that
// goes missing would leave a citizen without their phone number or code.
func TestCatalogPlaceholders(t *testing.T) {
	c, err := Load(assets.I18n)
	if err != nil {
		t.Fatal(err)
	}
	args := func(l Lang, id string) []string {
		set := map[string]bool{}
		for _, form := range c.forms(l, id) {
			for _, m := range placeholder.FindAllStringSubmatch(form, -1) {
				set[m[1]] = true
			}
		}
		var out []string
		for k := range set {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	for _, id := range c.IDs(Chinese) {
		want := strings.Join(args(Chinese, id), ",")
		for _, l := range Langs[1:] {
			if !c.Has(l, id) {
				continue // TestCatalogComplete says so
			}
			if got := strings.Join(args(l, id), ","); got != want {
				t.Errorf("%s %s uses {%s}, the source {%s}", l, id, got, want)
			}
		}
	}
}

// Every sentence renders in every language without a template error.
func TestCatalogRenders(t *testing.T) {
	c := Default()
	vals := map[string]any{}
	for _, id := range c.IDs(Chinese) {
		for _, form := range c.forms(Chinese, id) {
			for _, m := range placeholder.FindAllStringSubmatch(form, -1) {
				vals[m[1]] = 2
			}
		}
	}
	for _, l := range Langs {
		for _, id := range c.IDs(l) {
			if s := c.Render(l, Text{ID: id, Args: vals}); strings.HasPrefix(s, "⟦") || strings.Contains(s, "<no value>") {
				t.Errorf("%s %s renders as %q", l, id, s)
			}
		}
	}
}
