package center

import (
	svc "kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/screens/account"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// NewAgent is 经办人中心 (manual §四(二)): the agent's own information,
// masked, its enterprise's basic information (read-only), 修改密码, and
// for an agent with 管理权限 (as stored now) 我的经办人.
func NewAgent(a *kit.App, _ kit.None) kit.Screen {
	tiles := func(v svc.CenterView) []string {
		switch {
		case v.Agent.ID == "": // not read yet: no tile moves under a finger when it is
			return nil
		case v.Agent.Admin:
			return []string{tileChangePassword, tileAgents, tileLogout}
		}
		return []string{tileChangePassword, tileLogout}
	}
	return newScreen(a, "center.agent_title", tiles, func(v svc.CenterView, w int) []string {
		ag, e := v.Agent, v.Enterprise
		admin := a.S("center.no")
		if ag.Admin {
			admin = a.S("center.yes")
		}
		out := section(a, "center.agent_info", w, []widget.Row{
			{Key: "field.name", Value: rules.MaskName(ag.Name)},
			{Key: "field.id_number", Value: rules.MaskID(ag.IDNumber)},
			{Key: "field.phone", Value: rules.MaskMobile(ag.Phone)},
			{Key: "center.authorised", Value: a.S("center.from_to", "From", dateOrDash(a, ag.ValidFrom), "To", dateOrDash(a, ag.ValidTo))},
			{Key: "center.admin", Value: admin},
			{Key: "center.state", Value: a.T(ag.State(a.Now()).Label())},
		})
		out = append(out, "")
		return append(out, section(a, "center.own_enterprise", w, []widget.Row{
			{Key: "field.enterprise_name", Value: e.Name},
			{Key: "field.uscc", Value: e.USCC},
			{Key: "field.legal_type", Value: legalTypeLabel(a, e.LegalType)},
			{Key: "field.enterprise_state", Value: a.T(e.State.Label())},
		})...)
	})
}

// section is a titled info table within w cells, as lines.
func section(a *kit.App, title string, w int, rows []widget.Row) []string {
	out := make([]widget.Row, len(rows))
	for i, r := range rows {
		out[i] = widget.Row{Key: a.S(r.Key), Value: r.Value}
	}
	lines := []string{"  " + a.St.Title.Render(a.S(title))}
	for _, l := range widget.InfoLines(a.St, out, max(w-4, 20)) {
		lines = append(lines, "    "+l)
	}
	return lines
}

// legalTypeLabel shows a stored 法人类型 in the visit's language.
func legalTypeLabel(a *kit.App, v string) string {
	if id, ok := account.LegalTypeLabel(v); ok {
		return a.S(id)
	}
	return v
}
