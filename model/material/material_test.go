package material_test

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"kiosk/model/i18n"
	"kiosk/model/material"
	mt "kiosk/model/material/materialtest"
)

func zh(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }

func msg(t *testing.T, err error) string {
	t.Helper()
	var e *material.Error
	if !errors.As(err, &e) {
		t.Fatalf("%v (%T) is not a *material.Error", err, err)
	}
	return zh(e.Message())
}

// Every sample is named by its content, whatever it is called.
func TestCheckNamesContent(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want material.Type
	}{
		{"营业执照.pdf", mt.PDF(), material.PDF},
		{"photo.jpg", mt.JPEG(32, 24), material.JPEG},
		{"photo.JPEG", mt.JPEG(32, 24), material.JPEG},
		{"scan.png", mt.PNG(32, 24), material.PNG},
		{"授权书.doc", mt.DOC(), material.DOC},
		{"授权书.xls", mt.XLS(), material.XLS},
		{"授权书.docx", mt.DOCX(), material.DOCX},
		{"授权书.xlsx", mt.XLSX(), material.XLSX},
		// No extension, or one that names none of the types: the content decides.
		{"scan", mt.PNG(8, 8), material.PNG},
		{"letter.bin", mt.DOCX(), material.DOCX},
		{"IMG_0001.HEIC", mt.JPEG(8, 8), material.JPEG},
	}
	for _, tt := range tests {
		got, err := material.Check(tt.data, tt.name, material.AuthorisationTypes)
		if err != nil || got != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

// The refusals, each with its sentence.
func TestCheckRefuses(t *testing.T) {
	noise := make([]byte, 8000)
	rand.NewChaCha8([32]byte{1}).Read(noise)
	big := mt.Zip([2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"docProps/thumbnail.jpeg", string(noise)},
		[2]string{"word/document.xml", "<w:document/>"})
	tests := []struct {
		what   string
		name   string
		data   []byte
		accept []material.Type
		is     error
		say    string
	}{
		{"a .pdf that is a PNG", "营业执照.pdf", mt.PNG(16, 16), material.LicenceTypes, material.ErrMismatch,
			"文件内容与类型不符：该文件实为 PNG 图片"},
		{"an .exe renamed .jpg", "身份证正面.jpg", mt.PE(), material.PhotoTypes, material.ErrMismatch,
			"文件内容与类型不符：该文件实为 可执行程序"},
		{"a Linux program renamed .png", "photo.png", mt.ELF(), material.PhotoTypes, material.ErrMismatch,
			"文件内容与类型不符：该文件实为 可执行程序"},
		{"a zip renamed .docx", "授权书.docx", mt.PlainZip(), material.AuthorisationTypes, material.ErrMismatch,
			"文件内容与类型不符：该文件实为 压缩包"},
		{"a GIF renamed .png", "photo.png", mt.GIF(), material.PhotoTypes, material.ErrMismatch,
			"文件内容与类型不符：该文件实为 其他格式的图片"},
		{"a DOC renamed .xls", "授权书.xls", mt.DOC(), material.AuthorisationTypes, material.ErrMismatch,
			"文件内容与类型不符：该文件实为 Word 文档（DOC）"},
		{"a program as it is", "setup.exe", mt.PE(), material.PhotoTypes, material.ErrUnsupported,
			"不支持的文件类型，此项材料只接受 JPG/PNG 文件"},
		{"a document for an ID photo", "身份证.docx", mt.DOCX(), material.PhotoTypes, material.ErrUnsupported,
			"不支持的文件类型，此项材料只接受 JPG/PNG 文件"},
		{"a nameless document for the licence", "scan", mt.XLSX(), material.LicenceTypes, material.ErrUnsupported,
			"不支持的文件类型，此项材料只接受 PDF/JPG/PNG 文件"},
		{"a GIF with no extension", "photo", mt.GIF(), material.PhotoTypes, material.ErrUnsupported,
			"不支持的文件类型，此项材料只接受 JPG/PNG 文件"},
		{"plain text", "note.txt", []byte("hello\n"), nil, material.ErrUnsupported,
			"不支持的文件类型，此项材料只接受 PDF/JPG/PNG/DOC/XLS/DOCX/XLSX 文件"},
		{"a zip that only starts like a DOCX", "授权书.docx", mt.FakeDOCX(), material.AuthorisationTypes, material.ErrCorrupt,
			"文件已损坏或不完整，请重新选择"},
		{"a DOCX cut short", "授权书.docx", mt.DOCX()[:200], material.AuthorisationTypes, material.ErrCorrupt,
			"文件已损坏或不完整，请重新选择"},
		{"a DOCX without [Content_Types].xml", "a.docx",
			mt.Zip([2]string{"docProps/app.xml", "<Properties/>"}, [2]string{"word/document.xml", "<w/>"}),
			material.AuthorisationTypes, material.ErrCorrupt, "文件已损坏或不完整，请重新选择"},
		{"a zip cut short", "a.zip", mt.PlainZip()[:30], nil, material.ErrCorrupt, "文件已损坏或不完整，请重新选择"},
		{"empty", "a.pdf", nil, nil, material.ErrEmpty, "文件为空，请重新选择"},
	}
	for _, tt := range tests {
		got, err := material.Check(tt.data, tt.name, tt.accept)
		if err == nil || !errors.Is(err, tt.is) {
			t.Errorf("%s: %q, %v; want %v", tt.what, got, err, tt.is)
			continue
		}
		if s := msg(t, err); s != tt.say {
			t.Errorf("%s: says %q, want %q", tt.what, s, tt.say)
		}
	}
	// A DOCX whose document lies past the bytes mimetype reads is still
	// one (the zip's directory says), though a listing cannot tell.
	if got, err := material.Check(big, "a.docx", nil); got != material.DOCX || err != nil {
		t.Errorf("big first entry: %q, %v", got, err)
	}
	if got := material.Sniff(big); got != "" {
		t.Errorf("Sniff(big first entry) = %q", got)
	}
}

// The sentences of the other languages render with their values.
func TestCheckSentencesTranslated(t *testing.T) {
	_, err := material.Check(mt.PNG(8, 8), "营业执照.pdf", material.LicenceTypes)
	var e *material.Error
	errors.As(err, &e)
	for l, want := range map[i18n.Lang]string{
		i18n.Korean:  "실제로 PNG 화상입니다",
		i18n.English: "Content found: PNG picture.",
	} {
		if got := i18n.Default().Render(l, e.Message()); !strings.Contains(got, want) {
			t.Errorf("%s: %q", l, got)
		}
	}
}

func TestLimits(t *testing.T) {
	l := material.DefaultLimits
	if l.File != 10<<20 || l.Appeal != 30<<20 {
		t.Fatalf("defaults %+v", l)
	}
	if err := l.CheckFile(10 << 20); err != nil {
		t.Errorf("10 MiB: %v", err)
	}
	err := l.CheckFile(10<<20 + 1)
	if !errors.Is(err, material.ErrTooLarge) || msg(t, err) != "文件过大：单个文件不超过 10 MB" {
		t.Errorf("10 MiB + 1: %v", err)
	}
	err = l.CheckAdd(25<<20, 6<<20)
	if !errors.Is(err, material.ErrTotalTooLarge) || msg(t, err) != "材料总大小超过 30 MB" {
		t.Errorf("25 + 6 MiB: %v", err)
	}
	if err := l.CheckAdd(20<<20, 10<<20); err != nil {
		t.Errorf("20 + 10 MiB: %v", err)
	}
	if err := (material.Limits{File: 1536 << 10}).CheckFile(2 << 20); msg(t, err) != "文件过大：单个文件不超过 1.5 MB" {
		t.Errorf("1.5 MiB limit: %v", err)
	}
	if got := l.Room(25 << 20); got != 5<<20 {
		t.Errorf("Room(25 MiB) = %d", got)
	}
	if got := l.Room(40 << 20); got != 0 {
		t.Errorf("Room(40 MiB) = %d", got)
	}
	if (material.Limits{}).OrDefault() != l {
		t.Errorf("zero limits do not default")
	}
}

func TestExtensions(t *testing.T) {
	if got := material.FromExts([]string{".pdf", ".JPG", ".jpeg", "png", ".exe"}); !equal(got, []material.Type{material.PDF, material.JPEG, material.PNG}) {
		t.Errorf("FromExts = %v", got)
	}
	if got := material.Shorts(material.AuthorisationTypes); got != "DOC/XLS/DOCX/XLSX/JPG/PNG/PDF" {
		t.Errorf("Shorts = %q", got)
	}
	for _, ty := range material.Types {
		if back := material.FromExts(ty.Exts()); !equal(back, []material.Type{ty}) {
			t.Errorf("%s: exts %v come back as %v", ty, ty.Exts(), back)
		}
		if !i18n.Default().Has(i18n.Chinese, ty.Label().ID) || ty.MIME() == "" {
			t.Errorf("%s: label %v, mime %q", ty, ty.Label(), ty.MIME())
		}
	}
	if _, ok := material.FromExt("dir.pdf/file"); ok {
		t.Errorf("FromExt looked past the last element")
	}
}

func equal(a, b []material.Type) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
