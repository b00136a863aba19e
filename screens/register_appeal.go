package screens

import (
	"github.com/charmbracelet/lipgloss"

	"kiosk/model/rules"
	"kiosk/screens/theme"
	"kiosk/screens/widget"
)

// The 账号申诉 (辅助企业注册申诉) flow is a later issue. Until it exists,
// the registration's way-on button leads here: the screen says honestly that
// the service is being prepared, shows (masked) what the appeal will be
// pre-filled with so the person can take it to the counter, and offers
// 返回. The route takes AppealParams, which the real appeal screen will
// read in the same way.

// AppealSoonText is the honest sentence of the placeholder.
const AppealSoonText = "账号申诉服务正在准备中，请到窗口办理辅助企业注册申诉"

// AppealSoonBack is the zone id of the 返回 button.
const AppealSoonBack = "appeal-soon:back"

func newAppealSoon(a *app, params any) Screen {
	p, _ := params.(AppealParams)
	return &comingSoon{a: a, title: "账号申诉 · 辅助企业注册申诉", backZone: AppealSoonBack,
		body: func(st *theme.Styles) []string { return appealSoonBody(st, p) }}
}

// appealSoonBody shows the pre-filled details: the enterprise's public
// details as typed, the legal representative's masked.
func appealSoonBody(st *theme.Styles, p AppealParams) []string {
	row := func(label, v string) string {
		if v == "" {
			v = "—"
		}
		return st.Muted.Render(widget.PadRight(label, 18)) + st.Text.Render(rules.Sanitize(v))
	}
	info := lipgloss.JoinVertical(lipgloss.Left,
		row("法人类型", p.LegalType),
		row("企业名称", p.Name),
		row("统一社会信用代码", p.USCC),
		row("法定代表人", rules.MaskName(rules.Sanitize(p.RepName))),
		row("证件号码", rules.MaskID(rules.Sanitize(p.IDNumber))),
	)
	return []string{
		st.Text.Render(AppealSoonText),
		"",
		st.Muted.Render("办理时请核对以下信息："),
		"",
		info,
	}
}
