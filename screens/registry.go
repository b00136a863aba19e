package screens

// Screen ids.
const (
	ScreenHome             ScreenID = "home"
	ScreenEnterpriseLogin  ScreenID = "enterprise-login"
	ScreenAgentLogin       ScreenID = "agent-login"
	ScreenEnterpriseCenter ScreenID = "enterprise-center"
	ScreenAgentCenter      ScreenID = "agent-center"
	// ScreenComingSoon takes the service name (string) as Params.
	ScreenComingSoon ScreenID = "coming-soon"
)

// route builds a screen. Screens are built afresh on every entry, so no
// typed value survives leaving a screen.
type route struct {
	build        func(a *app, params any) Screen
	needsSession bool // entered only while someone is logged in
}

// routes is the one place where screens are registered.
func routes() map[ScreenID]route {
	return map[ScreenID]route{
		ScreenHome:             {build: newHome},
		ScreenComingSoon:       {build: newComingSoon},
		ScreenEnterpriseLogin:  {build: newEnterpriseLogin},
		ScreenAgentLogin:       {build: newAgentLogin},
		ScreenEnterpriseCenter: {build: newEnterpriseCenter, needsSession: true},
		ScreenAgentCenter:      {build: newAgentCenter, needsSession: true},
	}
}
