package kit

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/material"
	mt "kiosk/model/material/materialtest"
	"kiosk/screens/form"
)

// runPicker runs cmd and what the picker answers to its messages until
// nothing is left or the picker reports (StepDone, StepBack); it returns
// the messages the picker emitted for its host (reports, voice prompts).
// Of a batch only the last command runs: the work, not the spinner's tick.
func runPicker(a *App, p *FilePicker, cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	for cmd != nil {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			msg = b[len(b)-1]()
		}
		m, ok := a.Scope().Open(msg)
		if !ok || m == nil {
			return out
		}
		switch m.(type) {
		case StepDone, StepBack, PlayPrompt:
			return append(out, m)
		}
		cmd = p.Update(m)
	}
	return out
}

func last(msgs []tea.Msg) tea.Msg {
	if len(msgs) == 0 {
		return nil
	}
	return msgs[len(msgs)-1]
}

// pickerStick: a stick with one file of every case, and a secret beside it.
func pickerStick(t *testing.T) (root, secret string) {
	t.Helper()
	dir := t.TempDir()
	root, secret = filepath.Join(dir, "stick"), filepath.Join(dir, "secret.pdf")
	files := map[string][]byte{
		"营业执照.pdf":      mt.PDF(),
		"假的.pdf":        mt.PNG(8, 8),
		"身份证正面.jpg":     mt.JPEG(64, 40),
		"setup.jpg":     mt.PE(),
		"大文件.pdf":       append(mt.PDF(), make([]byte, 10<<20)...),
		"六兆.pdf":        append(mt.PDF(), make([]byte, 6<<20)...),
		"授权书.docx":      mt.DOCX(),
		"notes.txt":     []byte("hello"),
		"../secret.pdf": mt.PDF(),
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(root, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(secret, filepath.Join(root, "link.pdf")); err != nil {
		t.Fatal(err)
	}
	return root, secret
}

// choose moves the selection to the row holding name and presses enter.
func choose(t *testing.T, a *App, p *FilePicker, name string) []tea.Msg {
	t.Helper()
	for i := 0; i < p.list.Len(); i++ {
		if strings.Contains(p.list.Row(i)[0], name) {
			p.list.Select(i)
			return runPicker(a, p, p.Update(enter))
		}
	}
	t.Fatalf("%s is not listed:\n%s", name, plain(p.View()))
	return nil
}

func newPicker(t *testing.T, a *App, root string, accept []string) *FilePicker {
	p := NewFilePicker(a, "pick", root, accept)
	p.SetSize(100, 30)
	runPicker(a, p, p.Init())
	return p
}

// The listing names each file by its content: the accepted ones with their
// type and size, those whose names claim an accepted type but whose content
// is not as 不可用; text, links out of the stick and hidden files not at all.
func TestFilePickerListsByContent(t *testing.T) {
	a := newApp(t)
	root, _ := pickerStick(t)
	p := newPicker(t, a, root, material.Exts(material.AuthorisationTypes))
	v := plain(p.View())
	for _, want := range []string{"营业执照.pdf", "PDF", "假的.pdf", "不可用", "身份证正面.jpg", "JPG", "授权书.docx", "DOCX", "setup.jpg", "类型"} {
		if !strings.Contains(v, want) {
			t.Errorf("listing lacks %q:\n%s", want, v)
		}
	}
	for _, not := range []string{"notes.txt", "link.pdf", "secret"} {
		if strings.Contains(v, not) {
			t.Errorf("listing shows %q:\n%s", not, v)
		}
	}
}

// Each refusal of the acceptance is said above the list, in a sentence,
// and the list stays.
func TestFilePickerRefusals(t *testing.T) {
	a := newApp(t)
	root, secret := pickerStick(t)
	p := newPicker(t, a, root, []string{".pdf", ".jpg", ".png"})
	for name, say := range map[string]string{
		"假的.pdf":    "文件内容与类型不符：该文件实为 PNG 图片",
		"setup.jpg": "文件内容与类型不符：该文件实为 可执行程序",
		"大文件.pdf":   "文件过大：单个文件不超过 10 MB",
	} {
		msgs := choose(t, a, p, name)
		if _, done := last(msgs).(StepDone); done {
			t.Fatalf("%s was taken", name)
		}
		v := plain(p.View())
		if !strings.Contains(v, say) || !strings.Contains(v, "营业执照.pdf") {
			t.Errorf("%s:\n%s", name, v)
		}
	}
	// The appeal's other materials take 25 MB: six more are too many.
	p.SetBudget(material.DefaultLimits, 25<<20)
	choose(t, a, p, "六兆.pdf")
	if v := plain(p.View()); !strings.Contains(v, "材料总大小超过 30 MB") {
		t.Errorf("over the appeal's limit:\n%s", v)
	}
	p.SetBudget(material.DefaultLimits, 0)
	// A file swapped for a link out of the stick after it was listed.
	if err := os.Remove(filepath.Join(root, "营业执照.pdf")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(root, "营业执照.pdf")); err != nil {
		t.Fatal(err)
	}
	msgs := choose(t, a, p, "营业执照.pdf")
	if _, done := last(msgs).(StepDone); done || !strings.Contains(plain(p.View()), "该位置不在U盘内，不能打开") {
		t.Errorf("a link out:\n%s", plain(p.View()))
	}
}

// A large file is read with a progress bar; 返回 stops the read.
func TestFilePickerProgress(t *testing.T) {
	a := newApp(t)
	root, _ := pickerStick(t)
	p := newPicker(t, a, root, []string{".pdf"})
	for i := 0; i < p.list.Len(); i++ {
		if strings.Contains(p.list.Row(i)[0], "六兆.pdf") {
			p.list.Select(i)
		}
	}
	wait := p.Update(enter)
	if p.reading == nil || wait == nil {
		t.Fatal("no read started")
	}
	p.Update(readProgress{picker: "pick", job: p.reading.n, done: 3 << 20, total: 6 << 20})
	v := plain(p.View())
	if !strings.Contains(v, "正在读取 六兆.pdf…") || !strings.Contains(v, "已读取 3.0 MB / 6.0 MB") || !strings.Contains(v, "█") {
		t.Fatalf("reading:\n%s", v)
	}
	if h := p.Help(); len(h) != 1 || h[0].Help().Desc != "material.picker.cancel" {
		t.Errorf("help while reading: %+v", h)
	}
	p.Update(esc) // stops the read, back to the list
	if p.reading != nil || !strings.Contains(plain(p.View()), "营业执照.pdf") {
		t.Fatalf("after esc:\n%s", plain(p.View()))
	}
	if msgs := runPicker(a, p, wait); len(msgs) != 0 {
		t.Errorf("a stopped read reported %v", msgs)
	}
	// Read to the end this time: progress, then the file.
	msgs := choose(t, a, p, "六兆.pdf")
	f, _ := last(msgs).(StepDone).Result.(form.File)
	if f.Type != material.PDF || f.Size != int64(len(mt.PDF())+6<<20) || len(f.Data) != int(f.Size) {
		t.Fatalf("read %+v", msgs)
	}
}

// A picture is shown for review: 使用此文件 takes it, 重新选择 goes back.
func TestFilePickerPictureReview(t *testing.T) {
	a := newApp(t)
	root, _ := pickerStick(t)
	p := newPicker(t, a, root, material.Exts(material.PhotoTypes))
	if msgs := choose(t, a, p, "身份证正面.jpg"); len(msgs) != 0 {
		t.Fatalf("no review: %v", msgs)
	}
	v := plain(p.View())
	for _, want := range []string{"文件：身份证正面.jpg", "类型：JPEG 图片", "使用此文件", "重新选择", "请确认图片清晰"} {
		if !strings.Contains(v, want) {
			t.Errorf("review lacks %q:\n%s", want, v)
		}
	}
	if strings.Count(v, "\n") < 10 {
		t.Errorf("no picture:\n%s", v)
	}
	p.Update(tab) // 重新选择
	p.Update(enter)
	if v := plain(p.View()); strings.Contains(v, "使用此文件") || !strings.Contains(v, "身份证正面.jpg") {
		t.Fatalf("after 重新选择:\n%s", v)
	}
	choose(t, a, p, "身份证正面.jpg")
	done, ok := p.Update(enter)().(StepDone)
	f, _ := done.Result.(form.File)
	if !ok || f.Type != material.JPEG || !bytes.Equal(f.Data, mt.JPEG(64, 40)) {
		t.Fatalf("used %+v", done)
	}
}
