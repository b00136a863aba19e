package material_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"kiosk/model/i18n"
	"kiosk/model/material"
	mt "kiosk/model/material/materialtest"
)

var writeCorpus = flag.Bool("write-corpus", false, "write the seed corpus of FuzzCheck to testdata/fuzz")

// seeds are the seed corpus: every accepted type, the refusals of the
// acceptance (a PNG named .pdf, programs named .jpg), broken documents.
func seeds() []struct {
	file string
	data []byte
	name string
	mask uint8
} {
	all := uint8(0x7f)
	return []struct {
		file string
		data []byte
		name string
		mask uint8
	}{
		{"pdf", mt.PDF(), "营业执照.pdf", all},
		{"png", mt.PNG(4, 4), "photo.png", all},
		{"jpeg", mt.JPEG(8, 8), "photo.jpg", all},
		{"docx", mt.DOCX(), "授权书.docx", all},
		{"xlsx", mt.XLSX(), "授权书.xlsx", all},
		{"doc", mt.DOC(), "授权书.doc", all},
		{"xls", mt.XLS(), "授权书.xls", all},
		{"png_named_pdf", mt.PNG(4, 4), "营业执照.pdf", 0b0000111},
		{"exe_named_jpg", mt.PE(), "身份证.jpg", 0b0000110},
		{"elf_named_png", mt.ELF(), "photo.png", 0b0000110},
		{"fake_docx", mt.FakeDOCX(), "授权书.docx", all},
		{"plain_zip", mt.PlainZip(), "a.zip", all},
		{"gif", mt.GIF(), "a.gif", 0b0000110},
		{"empty", nil, "", 0},
	}
}

func accept(mask uint8) []material.Type {
	var out []material.Type
	for i, t := range material.Types {
		if mask&(1<<i) != 0 {
			out = append(out, t)
		}
	}
	return out
}

// FuzzCheck: Check never panics, accepts only what it was asked to, names
// the content the same whatever the file is called, never lets a name
// make content acceptable, and says every refusal with a catalog sentence.
func FuzzCheck(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s.data, s.name, s.mask)
	}
	cat := i18n.Default()
	f.Fuzz(func(t *testing.T, data []byte, name string, mask uint8) {
		acc := accept(mask)
		got, err := material.Check(data, name, acc)
		bare, bareErr := material.Check(data, "", acc)
		if err != nil {
			var e *material.Error
			if !errors.As(err, &e) || !cat.Has(i18n.Chinese, e.Msg.ID) || e.Code == "" {
				t.Fatalf("refusal %v without a sentence", err)
			}
			if got != "" {
				t.Fatalf("refused with a type %q", got)
			}
			return
		}
		if len(acc) == 0 {
			acc = material.Types
		}
		if !contains(acc, got) {
			t.Fatalf("accepted %q outside %v", got, acc)
		}
		if declared, ok := material.FromExt(name); ok && declared != got {
			t.Fatalf("accepted %q named %q", got, name)
		}
		// The name only ever refuses: without it the content passes too,
		// as the same type.
		if bareErr != nil || bare != got {
			t.Fatalf("named %q: %q; unnamed: %q, %v", name, got, bare, bareErr)
		}
		// What a listing sniffs from the start agrees, except for zips
		// whose parts lie past it.
		if s := material.Sniff(data); s != got && got != material.DOCX && got != material.XLSX {
			t.Fatalf("Sniff %q, Check %q", s, got)
		}
	})
}

func contains(ts []material.Type, t material.Type) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// The committed seed corpus (testdata/fuzz/FuzzCheck) is what seeds()
// makes; go test -run TestSeedCorpus -write-corpus writes it again.
func TestSeedCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzCheck")
	for _, s := range seeds() {
		want := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nstring(%q)\nuint8(%d)\n", s.data, s.name, s.mask)
		p := filepath.Join(dir, "seed_"+s.file)
		if *writeCorpus {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != want {
			t.Errorf("%s is not the seed it should be (go test -run TestSeedCorpus -write-corpus): %v", p, err)
		}
	}
}
