package screens

import (
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/rules"
	"kiosk/screens/widget"
)

// enterpriseCenter is the minimal 企业中心 (manual §四(一)); the full center
// comes later.
type enterpriseCenter struct{ centerScreen }

func newEnterpriseCenter(a *app, _ any) Screen {
	c := &enterpriseCenter{}
	auth := a.deps.Auth
	c.setup(a, func(s model.Session) tea.Msg {
		ctx, cancel := opContext()
		defer cancel()
		ent, err := auth.EnterpriseView(ctx, s)
		return centerLoaded{ent: ent, err: err}
	})
	c.body = c.info
	return c
}

func (c *enterpriseCenter) info() string {
	e := c.loaded.ent
	return c.section("企业信息", []widget.Row{
		{Key: "企业名称", Value: e.Name},
		{Key: "统一社会信用代码", Value: e.USCC},
		{Key: "企业账号", Value: e.Account},
		{Key: "法定代表人", Value: rules.MaskName(e.LegalRep.Name)},
		{Key: "企业状态", Value: e.State.Label()},
		{Key: "预留手机号", Value: rules.MaskMobile(e.Phone)},
	})
}

func (c *enterpriseCenter) View() string { return c.frame("企业中心") }
