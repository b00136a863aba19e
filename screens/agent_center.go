package screens

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/rules"
	"kiosk/screens/widget"
)

// agentCenter is the minimal 经办人中心 (manual §四(二)): the agent's own
// information, masked, and the enterprise's basic information.
type agentCenter struct{ centerScreen }

func newAgentCenter(a *app, _ any) Screen {
	c := &agentCenter{}
	auth := a.deps.Auth
	c.setup(a, func(s model.Session) tea.Msg {
		ctx, cancel := opContext()
		defer cancel()
		ag, ent, err := auth.AgentView(ctx, s)
		return centerLoaded{ent: ent, agent: ag, err: err}
	})
	c.body = c.info
	return c
}

func (c *agentCenter) info() string {
	ag, e := c.loaded.agent, c.loaded.ent
	admin := "否"
	if ag.Admin {
		admin = "是"
	}
	window := dateOrDash(ag.ValidFrom) + " 至 " + dateOrDash(ag.ValidTo)
	return c.section("经办人信息", []widget.Row{
		{Key: "姓名", Value: rules.MaskName(ag.Name)},
		{Key: "身份证号", Value: rules.MaskID(ag.IDNumber)},
		{Key: "手机号", Value: rules.MaskMobile(ag.Phone)},
		{Key: "授权有效期", Value: window},
		{Key: "管理权限", Value: admin},
		{Key: "状态", Value: ag.State(c.a.now()).Label()},
	}) + "\n\n" + c.section("所属企业", []widget.Row{
		{Key: "企业名称", Value: e.Name},
		{Key: "统一社会信用代码", Value: e.USCC},
		{Key: "企业状态", Value: e.State.Label()},
	})
}

func (c *agentCenter) View() string { return c.frame("经办人中心") }

func dateOrDash(t time.Time) string {
	if t.IsZero() {
		return "长期"
	}
	return t.Format("2006-01-02")
}
