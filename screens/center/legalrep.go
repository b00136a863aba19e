package center

import (
	"kiosk/screens/home"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// NewChangeLegalRep is 法定代表人变更 (manual §四(一)(4)). Placeholder until built.
func NewChangeLegalRep(a *kit.App, _ kit.None) kit.Screen {
	return home.NewComingSoon(a, route.ComingSoonParams{Service: "center.change_legal_rep"})
}
