package center

import (
	"kiosk/screens/home"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// NewChangePhone is 修改手机号码 (manual §四(一)(2)). Placeholder until built.
func NewChangePhone(a *kit.App, _ kit.None) kit.Screen {
	return home.NewComingSoon(a, route.ComingSoonParams{Service: "center.change_phone"})
}
