package center

import (
	"context"

	"kiosk/model"
	"kiosk/model/rules"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// NewEnterprise is the minimal 企业中心 (manual §四(一)).
func NewEnterprise(a *kit.App, _ kit.None) kit.Screen {
	auth := a.Deps.Auth
	return newScreen(a, "企业中心", func(ctx context.Context, s model.Session) (loaded, error) {
		ent, err := auth.EnterpriseView(ctx, s)
		return loaded{ent: ent}, err
	}, func(l loaded) string {
		e := l.ent
		return kit.Section(a.St, "企业信息", []widget.Row{
			{Key: "企业名称", Value: e.Name},
			{Key: "统一社会信用代码", Value: e.USCC},
			{Key: "企业账号", Value: e.Account},
			{Key: "法定代表人", Value: rules.MaskName(e.LegalRep.Name)},
			{Key: "企业状态", Value: e.State.Label()},
			{Key: "预留手机号", Value: rules.MaskMobile(e.Phone)},
		})
	})
}
