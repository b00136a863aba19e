package i18n

import (
	"testing"

	"kiosk/assets"
)

// TestGeneratedCatalog: the default catalog's messages, generated into
// catalog_gen.go, are assets/i18n as it is: after editing a catalog file,
// run go generate ./model/i18n.
func TestGeneratedCatalog(t *testing.T) {
	want, err := ParseFS(assets.I18n)
	if err != nil {
		t.Fatal(err)
	}
	got := generated[:]
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Fatalf("catalog_gen.go lacks %s %s (and %d more): run go generate ./model/i18n", want[i].Lang, want[i].ID, len(want)-i-1)
		case i >= len(want):
			t.Fatalf("catalog_gen.go has %s %s, gone from assets/i18n: run go generate ./model/i18n", got[i].Lang, got[i].ID)
		case got[i] != want[i]:
			t.Fatalf("catalog_gen.go has %+v, assets/i18n %+v: run go generate ./model/i18n", got[i], want[i])
		}
	}
}

// TestDefaultIsTheParsedCatalog: the default catalog (generated) renders
// every message as a catalog parsed from the files does.
func TestDefaultIsTheParsedCatalog(t *testing.T) {
	parsed, err := Load(assets.I18n)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range generated {
		for _, n := range []int{1, 2} {
			text := T(m.ID, "N", n, "Name", "王建", "Label", "姓名", "Reason", "x", "Phone", "139****0000")
			if a, b := parsed.Render(m.Lang, text), Default().Render(m.Lang, text); a != b {
				t.Fatalf("%s %s: default %q, parsed %q", m.Lang, m.ID, b, a)
			}
		}
	}
}

// BenchmarkLoadChinese is what the first frame waits for: the Chinese
// messages into their bundle, from the generated data (Default) and
// parsed from the files.
func BenchmarkLoadChinese(b *testing.B) {
	b.Run("generated", func(b *testing.B) {
		for b.Loop() {
			c := newCatalog(assets.I18n)
			c.gen = true
			c.lang(Chinese)
		}
	})
	b.Run("parsed", func(b *testing.B) {
		for b.Loop() {
			newCatalog(assets.I18n).lang(Chinese)
		}
	})
}
