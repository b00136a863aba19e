package screens

import (
	"kiosk/devices/audio"
	"kiosk/model/staffdesk"
	"kiosk/screens/account"
	"kiosk/screens/center"
	"kiosk/screens/facestep"
	"kiosk/screens/home"
	"kiosk/screens/kit"
	"kiosk/screens/login"
	"kiosk/screens/route"
	"kiosk/screens/staff"
)

// routes is the route table: every screen of the kiosk, how it is built,
// who may see it, what it says on entry, and its tile on the home menu
// (in menu order). Adding a screen is one entry here and one file in its
// area's package.
func routes() []kit.Entry {
	return []kit.Entry{
		route.Home.Screen(home.New).Prompt(audio.PromptHome),
		route.EnterpriseLogin.Screen(login.NewEnterprise).Allow(kit.Visitor).Prompt(audio.PromptLoginEnterprise).OnHome("home.enterprise_login"),
		route.AgentLogin.Screen(login.NewAgent).Allow(kit.Visitor).Prompt(audio.PromptLoginAgent).OnHome("home.agent_login"),
		route.Register.Screen(account.NewRegister).Allow(kit.Visitor).Prompt(audio.PromptRegister).OnHome("home.register"),
		route.Forgot.Screen(account.NewForgot).Allow(kit.Visitor).Prompt(audio.PromptForgot).OnHome("home.forgot"),
		route.Activate.Screen(account.NewActivate).Allow(kit.Visitor).Prompt(audio.PromptActivate).OnHome("home.activate"),
		route.Appeal.Screen(account.NewAppeal).Prompt(audio.PromptAppeal).OnHome("home.appeal"),
		route.ComingSoon.Screen(home.NewComingSoon),
		route.AppealTemplate.Screen(account.NewAppealTemplate).Prompt(audio.PromptAppeal),
		route.PersonRegister.Screen(account.NewPerson).Allow(kit.Visitor).Prompt(audio.PromptPersonRegister).OnHome("home.person_register"),
		route.EnterpriseCenter.Screen(center.NewEnterprise).Allow(kit.Enterprise).Prompt(audio.PromptCenterEnterprise),
		route.AgentCenter.Screen(center.NewAgent).Allow(kit.Agent).Prompt(audio.PromptCenterAgent),
		route.ChangePassword.Screen(center.NewPassword).Allow(kit.Member).Prompt(audio.PromptChangePassword),
		route.CenterInfo.Screen(center.NewInfo).Allow(kit.Enterprise).Prompt(audio.PromptCenterEnterprise),
		route.ChangePhone.Screen(center.NewChangePhone).Allow(kit.Enterprise).Prompt(audio.PromptChangePhone),
		route.ChangeEnterprise.Screen(center.NewChangeEnterprise).Allow(kit.Enterprise).Prompt(audio.PromptEnterpriseChange),
		route.ChangeLegalRep.Screen(center.NewChangeLegalRep).Allow(kit.Enterprise).Prompt(audio.PromptLegalRepChange),
		route.Agents.Screen(center.NewAgents).Allow(kit.AgentManager).Prompt(audio.PromptMyAgents),
		route.AgentAdd.Screen(center.NewAgentAdd).Allow(kit.AgentManager).Prompt(audio.PromptMyAgents),
		route.AgentEdit.Screen(center.NewAgentEdit).Allow(kit.AgentManager).Prompt(audio.PromptMyAgents),
		kit.NewRoute[kit.None]("about").Screen(home.NewAbout).OnHome("home.about"),
		route.FaceVerify.Screen(newFaceScreen).Prompt(audio.PromptFaceVerify),
		// The staff console: no home tile (the staff chord opens the login);
		// each guard is the role its use cases allow; in staff mode only the
		// staff home speaks, once (Root.staffPrompt).
		route.StaffLogin.Screen(staff.NewLogin).Allow(kit.Visitor).Prompt(audio.PromptStaff),
		route.StaffHome.Screen(staff.NewHome).Allow(staff.Guard(staffdesk.Home)).Prompt(audio.PromptStaff),
		route.StaffAppeals.Screen(staff.NewAppeals).Allow(staff.Guard(staffdesk.Appeals)).Prompt(audio.PromptStaff),
		route.StaffEnterprise.Screen(staff.NewEnterprise).Allow(staff.Guard(staffdesk.Enterprises)).Prompt(audio.PromptStaff),
		route.StaffSMS.Screen(staff.NewSMS).Allow(staff.Guard(staffdesk.Outbox)).Prompt(audio.PromptStaff),
		route.StaffAudit.Screen(staff.NewAudit).Allow(staff.Guard(staffdesk.Audit)).Prompt(audio.PromptStaff),
		route.StaffMembers.Screen(staff.NewMembers).Allow(staff.Guard(staffdesk.Members)).Prompt(audio.PromptStaff),
		route.StaffAdd.Screen(staff.NewMemberAdd).Allow(staff.Guard(staffdesk.Members)).Prompt(audio.PromptStaff),
		route.StaffReset.Screen(staff.NewMemberReset).Allow(staff.Guard(staffdesk.Members)).Prompt(audio.PromptStaff),
		route.StaffFleet.Screen(staff.NewFleet).Allow(staff.Guard(staffdesk.Kiosks)).Prompt(audio.PromptStaff),
	}
}

// newFaceScreen is the face step on its own: 完成 goes back.
func newFaceScreen(a *kit.App, p route.FaceParams) kit.Screen {
	return facestep.NewScreen(a, facestep.Params{Name: p.Name, IDNumber: p.IDNumber, Purpose: p.Purpose}, nil)
}
