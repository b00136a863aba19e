package account

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/screens/kit"
)

// AppealTemplateButton is 材料上传's 下载模板 button id.
const AppealTemplateButton = "template"

// templatePage is 下载模板 (the 企业授权书 template) as a page of its own:
// the QR code of its address on the platform's website and 保存到U盘.
// 返回 goes back to the appeal, with what was typed in it.
type templatePage struct {
	kit.Base
	offer *kit.TemplateOffer
}

// NewAppealTemplate is 下载模板.
func NewAppealTemplate(a *kit.App, _ kit.None) kit.Screen {
	return &templatePage{offer: kit.NewTemplateOffer(a, "template")}
}

func (p *templatePage) Init() tea.Cmd       { return p.offer.Init() }
func (p *templatePage) SetSize(w, h int)    { p.offer.SetSize(w, h) }
func (p *templatePage) Help() []key.Binding { return p.offer.Help() }
func (p *templatePage) Leave() tea.Cmd      { return p.offer.Leave() }
func (p *templatePage) View() string        { return p.offer.View() }

func (p *templatePage) Update(msg tea.Msg) tea.Cmd {
	cmd := p.offer.Update(msg)
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		if m := cmd(); m != nil {
			if _, back := m.(kit.StepBack); back {
				return kit.Back{}
			}
			return m
		}
		return nil
	}
}
