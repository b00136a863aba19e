package usb_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"kiosk/devices/usb"
	"kiosk/model/i18n"
	"kiosk/model/material"
	mt "kiosk/model/material/materialtest"
)

// stick lays out a USB stick and a folder beside it that must stay out of
// reach:
//
//	stick/营业执照.pdf          a PDF
//	stick/假的.pdf              a PNG named .pdf
//	stick/证件/正面.jpg          a JPEG
//	stick/证件/setup.jpg        a Windows program named .jpg
//	stick/证件/readme.txt       text
//	stick/.hidden.pdf
//	stick/fifo.pdf             a named pipe
//	stick/in → 证件              a link inside the stick
//	stick/out → ../secret       a link out of it
//	stick/证件/up → ../..         a link out, two levels up
//	stick/abs → /                a link to the system's root
//	stick/loop → loop
//	secret/secret.pdf
func stick(t testing.TB) (root, secret string) {
	t.Helper()
	dir := t.TempDir()
	root, secret = filepath.Join(dir, "stick"), filepath.Join(dir, "secret")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "证件"), 0o755))
	must(os.MkdirAll(secret, 0o755))
	files := map[string][]byte{
		"营业执照.pdf":        mt.PDF(),
		"假的.pdf":          mt.PNG(8, 8),
		"证件/正面.jpg":       mt.JPEG(16, 16),
		"证件/setup.jpg":    mt.PE(),
		"证件/readme.txt":   []byte("hello"),
		".hidden.pdf":     mt.PDF(),
		"../secret/s.pdf": mt.PDF(),
	}
	for name, data := range files {
		must(os.WriteFile(filepath.Join(root, filepath.FromSlash(name)), data, 0o644))
	}
	must(syscall.Mkfifo(filepath.Join(root, "fifo.pdf"), 0o644))
	must(os.Symlink("证件", filepath.Join(root, "in")))
	must(os.Symlink("../secret", filepath.Join(root, "out")))
	must(os.Symlink("../..", filepath.Join(root, "证件", "up")))
	must(os.Symlink("/", filepath.Join(root, "abs")))
	must(os.Symlink("loop", filepath.Join(root, "loop")))
	return root, secret
}

func zh(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }

func sentence(t *testing.T, err error) string {
	t.Helper()
	var m interface{ Message() i18n.Text }
	if !errors.As(err, &m) {
		t.Fatalf("%v has no sentence", err)
	}
	return zh(m.Message())
}

func TestResolve(t *testing.T) {
	root, _ := stick(t)
	real, _ := filepath.EvalSymlinks(root)
	ok := map[string]string{
		"":            real,
		".":           real,
		"营业执照.pdf":    filepath.Join(real, "营业执照.pdf"),
		"证件/正面.jpg":   filepath.Join(real, "证件", "正面.jpg"),
		"证件/./正面.jpg": filepath.Join(real, "证件", "正面.jpg"),
		"in/正面.jpg":   filepath.Join(real, "证件", "正面.jpg"), // a link that stays inside
		"证件//正面.jpg":  filepath.Join(real, "证件", "正面.jpg"),
	}
	for rel, want := range ok {
		if got, err := usb.Resolve(root, rel); err != nil || got != want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", rel, got, err, want)
		}
	}
	outside := []string{
		"..", "../secret/s.pdf", "证件/../../secret/s.pdf", "/etc/passwd", "out", "out/s.pdf",
		"证件/up", "证件/up/secret/s.pdf", "abs", "abs/etc/passwd", "loop", "a\x00b", "in/up",
	}
	for _, rel := range outside {
		got, err := usb.Resolve(root, rel)
		if !errors.Is(err, usb.ErrOutside) {
			t.Errorf("Resolve(%q) = %q, %v; want ErrOutside", rel, got, err)
			continue
		}
		if s := sentence(t, err); s != "该位置不在U盘内，不能打开" {
			t.Errorf("Resolve(%q) says %q", rel, s)
		}
	}
	if _, err := usb.Resolve(root, "无此文件.pdf"); !errors.Is(err, usb.ErrNotFound) {
		t.Errorf("missing file: %v", err)
	}
	for _, r := range []string{"", filepath.Join(root, "nothing"), filepath.Join(root, "营业执照.pdf")} {
		if _, err := usb.Resolve(r, ""); !errors.Is(err, usb.ErrNoStick) {
			t.Errorf("root %q: %v", r, err)
		}
	}
	// The mount folder may itself be a link (/media/usb → /run/media/…).
	alias := filepath.Join(t.TempDir(), "usb")
	if err := os.Symlink(root, alias); err != nil {
		t.Fatal(err)
	}
	if got, err := usb.Resolve(alias, "营业执照.pdf"); err != nil || got != filepath.Join(real, "营业执照.pdf") {
		t.Errorf("through a linked root: %q, %v", got, err)
	}
}

func names(es []usb.Entry) string {
	var s []string
	for _, e := range es {
		switch {
		case e.Dir:
			s = append(s, e.Name+"/")
		case e.Err != nil:
			var c interface{ ErrorCode() string }
			errors.As(e.Err, &c)
			s = append(s, e.Name+"!"+c.ErrorCode())
		default:
			s = append(s, e.Name+":"+string(e.Type))
		}
	}
	return strings.Join(s, " ")
}

func TestList(t *testing.T) {
	root, _ := stick(t)
	es, err := usb.List(root, "", material.LicenceTypes)
	if err != nil {
		t.Fatal(err)
	}
	// Folders (the link inside too), then files by content; the PNG named
	// .pdf is listed with its refusal; links out, the FIFO, hidden files
	// and loops are not.
	if got, want := names(es), "in/ 证件/ 假的.pdf!material_mismatch 营业执照.pdf:pdf"; got != want {
		t.Errorf("root:\n got %s\nwant %s", got, want)
	}
	es, _ = usb.List(root, "", material.PhotoTypes)
	// A PNG called .pdf claims no photo type: it is not listed for one.
	if got, want := names(es), "in/ 证件/"; got != want {
		t.Errorf("root, photos:\n got %s\nwant %s", got, want)
	}
	es, _ = usb.List(root, "", []material.Type{material.PDF})
	if got, want := names(es), "in/ 证件/ 假的.pdf!material_mismatch 营业执照.pdf:pdf"; got != want {
		t.Errorf("root, PDF only:\n got %s\nwant %s", got, want)
	}
	es, _ = usb.List(root, "证件", material.PhotoTypes)
	if got, want := names(es), "setup.jpg!material_mismatch 正面.jpg:jpeg"; got != want {
		t.Errorf("证件:\n got %s\nwant %s", got, want)
	}
	if s := sentence(t, es[0].Err); s != "文件内容与类型不符：该文件实为 可执行程序" {
		t.Errorf("setup.jpg: %q", s)
	}
	for _, rel := range []string{"..", "out", "证件/up"} {
		if _, err := usb.List(root, rel, nil); !errors.Is(err, usb.ErrOutside) {
			t.Errorf("List(%q): %v", rel, err)
		}
	}
}

func TestRead(t *testing.T) {
	root, _ := stick(t)
	big := append(mt.PNG(8, 8), bytes.Repeat([]byte{0}, 3<<20)...)
	if err := os.WriteFile(filepath.Join(root, "big.png"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	var calls int
	var last [2]int64
	data, err := usb.Read(context.Background(), root, "big.png", 10<<20, func(done, total int64) {
		calls++
		if done < last[0] || total != int64(len(big)) {
			t.Fatalf("progress %d/%d after %d", done, total, last[0])
		}
		last = [2]int64{done, total}
	})
	if err != nil || !bytes.Equal(data, big) {
		t.Fatalf("read %d bytes, %v", len(data), err)
	}
	if want := (len(big) + usb.ReadChunk - 1) / usb.ReadChunk; calls != want || last[0] != int64(len(big)) {
		t.Errorf("%d progress calls (want %d), last %v", calls, want, last)
	}
	// Too large: refused before reading, with the size sentence.
	_, err = usb.Read(context.Background(), root, "big.png", 2<<20, func(int64, int64) { t.Error("read a file too large") })
	if !errors.Is(err, material.ErrTooLarge) || sentence(t, err) != "文件过大：单个文件不超过 2 MB" {
		t.Errorf("too large: %v", err)
	}
	// Cancelled.
	ctx, cancel := context.WithCancel(context.Background())
	_, err = usb.Read(ctx, root, "big.png", 0, func(int64, int64) { cancel() })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	for rel, want := range map[string]error{
		"../secret/s.pdf": usb.ErrOutside,
		"out/s.pdf":       usb.ErrOutside,
		"abs/etc/passwd":  usb.ErrOutside,
		"fifo.pdf":        usb.ErrNotFile,
		"证件":              usb.ErrNotFile,
		"gone.pdf":        usb.ErrNotFound,
	} {
		if _, err := usb.Read(context.Background(), root, rel, 0, nil); !errors.Is(err, want) {
			t.Errorf("Read(%q): %v, want %v", rel, err, want)
		}
	}
	if data, err := usb.Read(context.Background(), root, "in/正面.jpg", 0, nil); err != nil || len(data) == 0 {
		t.Errorf("through a link inside: %v", err)
	}
}

func TestSaveTemplate(t *testing.T) {
	root, _ := stick(t)
	data := mt.DOCX()
	var got []string
	for range 3 {
		name, err := usb.SaveTemplate(root, "企业授权书模板.docx", data)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, name)
	}
	if strings.Join(got, "|") != "企业授权书模板.docx|企业授权书模板 (1).docx|企业授权书模板 (2).docx" {
		t.Errorf("names %q", got)
	}
	for _, n := range got {
		if b, err := os.ReadFile(filepath.Join(root, n)); err != nil || !bytes.Equal(b, data) {
			t.Errorf("%s: %v", n, err)
		}
	}
	// A link in the way is neither followed nor replaced.
	if err := os.Symlink("../secret/s.pdf", filepath.Join(root, "t.pdf")); err != nil {
		t.Fatal(err)
	}
	if name, err := usb.SaveTemplate(root, "t.pdf", data); err != nil || name != "t (1).pdf" {
		t.Errorf("past a link: %q, %v", name, err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "..", "secret", "s.pdf")); !bytes.Equal(b, mt.PDF()) {
		t.Errorf("the file behind the link changed")
	}
	for _, bad := range []string{"", "../x.docx", "a/b.docx", ".x", ".."} {
		if _, err := usb.SaveTemplate(root, bad, data); !errors.Is(err, usb.ErrOutside) {
			t.Errorf("SaveTemplate(%q): %v", bad, err)
		}
	}
	if _, err := usb.SaveTemplate("", "a.docx", data); !errors.Is(err, usb.ErrNoStick) {
		t.Errorf("no stick: %v", err)
	}
	ro := t.TempDir()
	os.Chmod(ro, 0o555)
	defer os.Chmod(ro, 0o755)
	if os.Geteuid() != 0 { // root writes anyway
		if _, err := usb.SaveTemplate(ro, "a.docx", data); !errors.Is(err, usb.ErrSaveFailed) {
			t.Errorf("read-only stick: %v", err)
		}
	}
}

// FuzzResolve: whatever path is asked for, Resolve either refuses it or
// names a place inside the stick that exists, and never accepts ".." or
// an absolute path.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"", ".", "营业执照.pdf", "证件/正面.jpg", "in/正面.jpg", "..", "../secret/s.pdf",
		"证件/../../secret", "/etc/passwd", "out/s.pdf", "证件/up/secret", "abs/etc", "loop",
		"a\x00b", `..\..\x`, `C:\x`, "证件/./正面.jpg", "证件//正面.jpg", "in/up/secret",
		strings.Repeat("in/", 50),
	} {
		f.Add(s)
	}
	root, _ := stick(f)
	real, _ := filepath.EvalSymlinks(root)
	f.Fuzz(func(t *testing.T, rel string) {
		got, err := usb.Resolve(root, rel)
		if err != nil {
			var e *usb.Error
			if !errors.As(err, &e) || !i18n.Default().Has(i18n.Chinese, e.Msg.ID) {
				t.Fatalf("%q: %v without a sentence", rel, err)
			}
			return
		}
		if got != real && !strings.HasPrefix(got, real+string(filepath.Separator)) {
			t.Fatalf("%q resolved outside the stick: %q", rel, got)
		}
		if _, err := os.Lstat(got); err != nil {
			t.Fatalf("%q resolved to %q, which is not there: %v", rel, got, err)
		}
		if filepath.IsAbs(rel) || strings.HasPrefix(rel, "/") {
			t.Fatalf("accepted the absolute %q", rel)
		}
		for _, el := range strings.Split(rel, "/") {
			if el == ".." {
				t.Fatalf("accepted %q", rel)
			}
		}
	})
}
