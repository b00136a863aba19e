package center

import (
	"kiosk/screens/home"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// NewInfo is a section of the enterprise: 企业信息, 法人信息 or 拓展信息.
func NewInfo(a *kit.App, p route.CenterInfoParams) kit.Screen {
	return home.NewComingSoon(a, route.ComingSoonParams{Service: "center.enterprise_info"})
}
