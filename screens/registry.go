package screens

import "kiosk/devices/audio"

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
	needsSession bool   // entered only while someone is logged in
	prompt       string // voice prompt played on entry (audio.Prompt*); "" for none
}

// routes is the one place where screens are registered.
func routes() map[ScreenID]route {
	return map[ScreenID]route{
		ScreenHome:             {build: newHome, prompt: audio.PromptHome},
		ScreenComingSoon:       {build: newComingSoon},
		ScreenEnterpriseLogin:  {build: newEnterpriseLogin, prompt: audio.PromptLoginEnterprise},
		ScreenAgentLogin:       {build: newAgentLogin, prompt: audio.PromptLoginAgent},
		ScreenEnterpriseCenter: {build: newEnterpriseCenter, needsSession: true, prompt: audio.PromptCenterEnterprise},
		ScreenAgentCenter:      {build: newAgentCenter, needsSession: true, prompt: audio.PromptCenterAgent},
		ScreenFaceVerify:       {build: newFaceScreen, prompt: audio.PromptFaceVerify},
		ScreenRegister:         {build: newRegister, prompt: audio.PromptRegister},
		ScreenPersonRegister:   {build: newPersonRegister, prompt: audio.PromptPersonRegister},
		ScreenAppeal:           {build: newAppealSoon, prompt: audio.PromptAppeal},
		ScreenForgot:           {build: newForgot, prompt: audio.PromptForgot},
		ScreenActivate:         {build: newActivate, prompt: audio.PromptActivate},
	}
}
