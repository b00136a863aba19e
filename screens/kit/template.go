package kit

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/assets"
	"kiosk/devices/usb"
	"kiosk/model/i18n"
	"kiosk/screens/widget"
)

// TemplateFileName is the name 下载模板 gives the 企业授权书 template on a
// USB stick (a second copy becomes "企业授权书模板 (1).docx").
const TemplateFileName = "企业授权书模板.docx" // i18n:data: a file name, the same in every language

// Button ids of the template offer.
const (
	TemplateSave = "save"
	TemplateBack = "back"
)

// TemplateOffer is 下载模板: the 企业授权书 template's address on the
// platform's website as a QR code for a phone (Deps.TemplateURL), and 保存到U盘,
// which writes the embedded template to the stick without overwriting
// anything. It reports StepBack.
type TemplateOffer struct {
	Base
	a       *App
	id      string
	qr      []string
	note    i18n.Text // the last save's outcome
	failed  bool
	load    *Loader
	buttons ButtonRow
}

// NewTemplateOffer builds the offer; without a stick (Deps.USBRoot "")
// 保存到U盘 is not offered.
func NewTemplateOffer(a *App, id string) *TemplateOffer {
	t := &TemplateOffer{a: a, id: id, load: NewLoader(a, id+":save"), buttons: NewButtonRow(a, id)}
	if a.Deps.TemplateURL != "" {
		if qr, err := widget.QR(a.Deps.TemplateURL); err == nil {
			t.qr = qr
		}
	}
	var btns []Btn
	if a.Deps.USBRoot != "" {
		btns = append(btns, Btn{ID: TemplateSave, Label: "material.template.save"})
	}
	t.buttons.Set(append(btns, Btn{ID: TemplateBack, Label: "key.back"})...)
	return t
}

func (t *TemplateOffer) Help() []key.Binding { return append(t.buttons.Help(), t.a.Keys.Back) }

func (t *TemplateOffer) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := t.load.Update(msg); done != nil {
		if done.Err != nil {
			var cmd tea.Cmd
			t.note, cmd = t.a.Fail("usb save", done.Err)
			t.failed = true
			return cmd
		}
		t.note, t.failed = i18n.T("material.template.saved", "Name", done.Value.(string)), false
		return nil
	} else if cmd != nil {
		return cmd
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, t.a.Keys.Back) {
		return Emit(StepBack{})
	}
	if t.load.Running() {
		return nil
	}
	switch t.buttons.Update(msg) {
	case TemplateSave:
		root := t.a.Deps.USBRoot
		return t.load.Run("material.template.saving", OpTimeout, func(context.Context) (any, error) {
			data, err := assets.Templates.ReadFile(assets.AuthorizationLetter)
			if err != nil {
				return nil, err
			}
			return usb.SaveTemplate(root, TemplateFileName, data)
		})
	case TemplateBack:
		return Emit(StepBack{})
	}
	return nil
}

func (t *TemplateOffer) Leave() tea.Cmd {
	t.load.Cancel()
	return nil
}

func (t *TemplateOffer) View() string {
	st := t.a.St
	lines := []string{"  " + st.Title.Render(t.a.S("material.template.title")), ""}
	if t.qr != nil {
		lines = append(lines, "  "+st.Text.Render(t.a.S("material.template.scan")), "")
		for _, l := range strings.Split(widget.QRView(t.qr, lipgloss.ColorProfile()), "\n") {
			lines = append(lines, "  "+l)
		}
		lines = append(lines, "  "+st.Muted.Render(t.a.Deps.TemplateURL))
	} else {
		lines = append(lines, "  "+st.Muted.Render(t.a.S("material.template.no_qr")))
	}
	lines = append(lines, "")
	switch {
	case t.load.Running():
		lines = append(lines, "  "+t.load.View())
	case !t.note.IsZero() && t.failed:
		lines = append(lines, "  "+st.Error.Render(t.a.T(t.note)))
	case !t.note.IsZero():
		lines = append(lines, "  "+st.Success.Render(t.a.T(t.note)))
	}
	return strings.Join(append(lines, "", "  "+t.buttons.View()), "\n")
}
