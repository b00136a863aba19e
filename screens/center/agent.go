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
	return newScreen(a, "center.agent_title", func(ctx context.Context, s model.Session) (loaded, error) {
		ag, ent, err := auth.AgentView(ctx, s)
		return loaded{ent: ent, agent: ag}, err
	}, func(l loaded) string {
		ag, e := l.agent, l.ent
		admin := a.S("center.no")
		if ag.Admin {
			admin = a.S("center.yes")
		}
		return kit.Section(a, "center.agent_info", []widget.Row{
			{Key: "field.name", Value: rules.MaskName(ag.Name)},
			{Key: "field.id_number", Value: rules.MaskID(ag.IDNumber)},
			{Key: "field.phone", Value: rules.MaskMobile(ag.Phone)},
			{Key: "center.authorised", Value: a.S("center.from_to", "From", dateOrDash(a, ag.ValidFrom), "To", dateOrDash(a, ag.ValidTo))},
			{Key: "center.admin", Value: admin},
			{Key: "center.state", Value: a.T(ag.State(a.Now()).Label())},
		}) + "\n\n" + kit.Section(a, "center.own_enterprise", []widget.Row{
			{Key: "field.enterprise_name", Value: e.Name},
			{Key: "field.uscc", Value: e.USCC},
			{Key: "field.enterprise_state", Value: a.T(e.State.Label())},
		})
	})
}
