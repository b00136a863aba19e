// Package route names every screen of the kiosk and the type of its
// params, so that any screen can open any other without importing it.
// How each is built, who may see it and what it says on entry is the
// route table (screens/routes.go).
package route

import (
	"kiosk/model"
	"kiosk/screens/kit"
)

// Screens.
var (
	Home             = kit.NewRoute[kit.None]("home")
	EnterpriseLogin  = kit.NewRoute[LoginParams]("enterprise-login")
	AgentLogin       = kit.NewRoute[kit.None]("agent-login")
	EnterpriseCenter = kit.NewRoute[kit.None]("enterprise-center")
	AgentCenter      = kit.NewRoute[kit.None]("agent-center")
	ChangePassword   = kit.NewRoute[kit.None]("change-password")     // 修改密码, from either center
	CenterInfo       = kit.NewRoute[CenterInfoParams]("center-info") // 企业信息 · 法人信息 · 拓展信息
	ChangePhone      = kit.NewRoute[kit.None]("change-phone")        // 修改手机号码 (enterprise)
	ChangeEnterprise = kit.NewRoute[kit.None]("change-enterprise")   // 企业信息变更 (enterprise)
	ChangeLegalRep   = kit.NewRoute[kit.None]("change-legal-rep")    // 法定代表人变更 (enterprise)
	Agents           = kit.NewRoute[kit.None]("agents")              // 我的经办人 (enterprise, admin agent)
	AgentAdd         = kit.NewRoute[kit.None]("agent-add")           // 添加经办人
	AgentEdit        = kit.NewRoute[AgentEditParams]("agent-edit")   // 编辑经办人
	Register         = kit.NewRoute[kit.None]("register")
	PersonRegister   = kit.NewRoute[kit.None]("person-register")
	Forgot           = kit.NewRoute[kit.None]("forgot")
	Activate         = kit.NewRoute[ActivateParams]("activate")
	Appeal           = kit.NewRoute[AppealParams]("appeal")
	AppealTemplate   = kit.NewRoute[kit.None]("appeal-template") // 下载模板 (企业授权书)
	FaceVerify       = kit.NewRoute[FaceParams]("face-verify")
	ComingSoon       = kit.NewRoute[ComingSoonParams]("coming-soon")
)

// The staff console (staff mode): entered by the staff key chord, never
// by a button; its guards are staffdesk.Roles.
var (
	StaffLogin      = kit.NewRoute[kit.None]("staff-login")         // 工作人员登录
	StaffHome       = kit.NewRoute[kit.None]("staff-home")          // 工作人员模式: the menu
	StaffAppeals    = kit.NewRoute[kit.None]("staff-appeals")       // 申诉处理
	StaffEnterprise = kit.NewRoute[kit.None]("staff-enterprise")    // 企业查询与解锁
	StaffSMS        = kit.NewRoute[kit.None]("staff-sms")           // 短信发送异常
	StaffAudit      = kit.NewRoute[kit.None]("staff-audit")         // 审计日志
	StaffMembers    = kit.NewRoute[kit.None]("staff-members")       // 工作人员管理
	StaffAdd        = kit.NewRoute[kit.None]("staff-add")           // 添加工作人员
	StaffReset      = kit.NewRoute[StaffResetParams]("staff-reset") // 重置密码
	StaffFleet      = kit.NewRoute[kit.None]("staff-fleet")         // 终端状态
)

// StaffResetParams names the staff member whose password 重置密码 sets.
type StaffResetParams struct {
	Username string
}

// LoginParams pre-fills 企业登录 (前往登录 after a registration).
type LoginParams struct {
	Account string
}

// ActivateParams pre-fills 账号激活: the login screen passes the USCC a
// pending account was typed as; 立即注册 passes its 企业信息 (法人类型,
// 企业名称, 统一社会信用代码) when the USCC is 待激活.
type ActivateParams struct {
	USCC            string
	LegalType, Name string
}

// AppealParams pre-fills 账号申诉 from a flow the registry refused. Kind
// says which appeal: AppealRegister (or "", the zero value) is the
// 辅助企业注册申诉 of a registration, AppealChange the 修改企业信息申诉 of
// 企业信息变更. Params stay comparable (no slices or maps).
type AppealParams struct {
	Kind                  string
	LegalType, Name, USCC string // 企业信息 (for a change: as typed, the USCC as on record)
	RepName, IDNumber     string // 法定代表人; empty when the mismatch was at step 1 (registration only)

	// For AppealChange: the 拓展信息 as typed, and what the appeal is to
	// change, as model/account field keys (account.ChangeKeys) in form
	// order, comma-separated: Changed differ from the record, Mismatch
	// from the registry.
	Extended          model.Extended
	Changed, Mismatch string
}

// The kinds of appeal (AppealParams.Kind).
const (
	AppealRegister = "register" // 辅助企业注册申诉
	AppealChange   = "change"   // 修改企业信息申诉
)

// FaceParams says whose face the stand-alone face step checks.
type FaceParams struct {
	Name, IDNumber, Purpose string
}

// ComingSoonParams names a service not built yet (a catalog id).
type ComingSoonParams struct {
	Service string
}

// CenterInfoParams says which section of the enterprise a center info
// page shows: "enterprise" (企业信息), "legal_rep" (法人信息) or "extended"
// (拓展信息).
type CenterInfoParams struct {
	Section string
}

// AgentEditParams names the agent 编辑 opens (its internal id).
type AgentEditParams struct {
	ID string
}
