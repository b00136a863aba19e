package kit

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/assets"
)

func runOffer(a *App, o *TemplateOffer, cmd tea.Cmd) tea.Msg {
	for cmd != nil {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			msg = b[len(b)-1]()
		}
		m, ok := a.Scope().Open(msg)
		if !ok || m == nil {
			return nil
		}
		switch m.(type) {
		case StepBack, PlayPrompt:
			return m
		}
		cmd = o.Update(m)
	}
	return nil
}

// 下载模板: the QR code of the template's address, and 保存到U盘 twice
// gives two files, the second numbered; the bytes are the embedded DOCX.
func TestTemplateOffer(t *testing.T) {
	a := newApp(t)
	a.Deps.TemplateURL = "https://ids.example.gov.cn/templates/authorization_letter.docx"
	a.Deps.USBRoot = t.TempDir()
	o := NewTemplateOffer(a, "tpl")
	v := plain(o.View())
	if !strings.Contains(v, "用手机扫描二维码") || strings.Count(v, "█████████") < 4 || !strings.Contains(v, "保存到U盘") {
		t.Fatalf("offer:\n%s", v)
	}
	runOffer(a, o, o.Update(enter))
	if v := plain(o.View()); !strings.Contains(v, "模板已保存到U盘：企业授权书模板.docx") {
		t.Fatalf("first save:\n%s", v)
	}
	runOffer(a, o, o.Update(enter))
	if v := plain(o.View()); !strings.Contains(v, "企业授权书模板 (1).docx") {
		t.Fatalf("second save:\n%s", v)
	}
	want, _ := assets.Templates.ReadFile(assets.AuthorizationLetter)
	for _, n := range []string{"企业授权书模板.docx", "企业授权书模板 (1).docx"} {
		if got, err := os.ReadFile(filepath.Join(a.Deps.USBRoot, n)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %v", n, err)
		}
	}
	// The stick pulled out: the sentence, not a crash.
	a.Deps.USBRoot = filepath.Join(a.Deps.USBRoot, "gone")
	o = NewTemplateOffer(a, "tpl2")
	runOffer(a, o, o.Update(enter))
	if v := plain(o.View()); !strings.Contains(v, "未检测到U盘") {
		t.Errorf("no stick:\n%s", v)
	}
	if m := o.Update(esc)(); m != (StepBack{}) {
		t.Errorf("esc = %#v", m)
	}
	// No stick configured: only the QR code and 返回.
	a.Deps.USBRoot = ""
	if v := plain(NewTemplateOffer(a, "tpl3").View()); strings.Contains(v, "保存到U盘") {
		t.Errorf("save offered without a USB port:\n%s", v)
	}
}
