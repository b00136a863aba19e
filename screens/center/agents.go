package center

import (
	"kiosk/screens/home"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// NewAgents is 我的经办人 (manual §四(一)(1)). Placeholder until built.
func NewAgents(a *kit.App, _ kit.None) kit.Screen {
	return home.NewComingSoon(a, route.ComingSoonParams{Service: "center.agents"})
}

// NewAgentAdd is 添加经办人. Placeholder until built.
func NewAgentAdd(a *kit.App, _ kit.None) kit.Screen {
	return home.NewComingSoon(a, route.ComingSoonParams{Service: "center.agents"})
}

// NewAgentEdit is 编辑经办人. Placeholder until built.
func NewAgentEdit(a *kit.App, _ route.AgentEditParams) kit.Screen {
	return home.NewComingSoon(a, route.ComingSoonParams{Service: "center.agents"})
}
