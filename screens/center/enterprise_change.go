package center

import (
	"kiosk/screens/home"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// NewChangeEnterprise is 企业信息变更 (manual §四(一)(4)). Placeholder until built.
func NewChangeEnterprise(a *kit.App, _ kit.None) kit.Screen {
	return home.NewComingSoon(a, route.ComingSoonParams{Service: "center.change_enterprise"})
}
