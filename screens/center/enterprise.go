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
	return newScreen(a, "center.enterprise_title", func(ctx context.Context, s model.Session) (loaded, error) {
		ent, err := auth.EnterpriseView(ctx, s)
		return loaded{ent: ent}, err
	}, func(l loaded) string {
		e := l.ent
		return kit.Section(a, "center.enterprise_info", []widget.Row{
			{Key: "field.enterprise_name", Value: e.Name},
			{Key: "field.uscc", Value: e.USCC},
			{Key: "field.account", Value: e.Account},
			{Key: "field.legal_rep", Value: rules.MaskName(e.LegalRep.Name)},
			{Key: "field.enterprise_state", Value: a.T(e.State.Label())},
			{Key: "field.reserved_phone", Value: rules.MaskMobile(e.Phone)},
		})
	})
}
