package center

import (
	"context"

	"kiosk/model"
	"kiosk/model/rules"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// NewAgent is the minimal 经办人中心 (manual §四(二)): the agent's own
// information, masked, and the enterprise's basic information.
func NewAgent(a *kit.App, _ kit.None) kit.Screen {
	auth := a.Deps.Auth
	return newScreen(a, "经办人中心", func(ctx context.Context, s model.Session) (loaded, error) {
		ag, ent, err := auth.AgentView(ctx, s)
		return loaded{ent: ent, agent: ag}, err
	}, func(l loaded) string {
		ag, e := l.agent, l.ent
		admin := "否"
		if ag.Admin {
			admin = "是"
		}
		return kit.Section(a.St, "经办人信息", []widget.Row{
			{Key: "姓名", Value: rules.MaskName(ag.Name)},
			{Key: "身份证号", Value: rules.MaskID(ag.IDNumber)},
			{Key: "手机号", Value: rules.MaskMobile(ag.Phone)},
			{Key: "授权有效期", Value: dateOrDash(ag.ValidFrom) + " 至 " + dateOrDash(ag.ValidTo)},
			{Key: "管理权限", Value: admin},
			{Key: "状态", Value: ag.State(a.Now()).Label()},
		}) + "\n\n" + kit.Section(a.St, "所属企业", []widget.Row{
			{Key: "企业名称", Value: e.Name},
			{Key: "统一社会信用代码", Value: e.USCC},
			{Key: "企业状态", Value: e.State.Label()},
		})
	})
}
