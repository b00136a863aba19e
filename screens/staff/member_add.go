package staff

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/staffadmin"
	"kiosk/model/staffdesk"
	"kiosk/screens/account"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Form ids (and zone prefixes) of 添加工作人员 and 重置密码.
const (
	AddForm   = "staff-add"
	ResetForm = "staff-reset"
)

// FieldRole is the role of a new staff member. The username and name keep
// the account flows' keys, so that the password policy's meter and rule
// take them as inputs (account.Passwords).
const (
	FieldRole        = "role"
	FieldMemberUser  = svc.FieldAccount
	FieldMemberName  = svc.FieldName
	FieldNewPassword = svc.FieldPassword
	FieldNewConfirm  = svc.FieldConfirm
)

type memberState struct{}

// back is the result page's button: 工作人员管理 again, read afresh.
var back = []kit.Btn{{ID: "back", Label: "staff.members.back_list"}}

func toMembers(string) tea.Cmd { return route.StaffMembers.Fresh(kit.None{}) }

// NewMemberAdd is 添加工作人员 (管理员): username (an account name: 8–20,
// letter first), name, role, an initial password under the platform's
// policy and its confirmation; staffdesk.Desk.AddMember makes it, audited
// with the 管理员 as actor.
func NewMemberAdd(a *kit.App, _ kit.None) kit.Screen {
	desk := a.Deps.Staff
	pw, pwRules := account.Passwords("staff.members.initial_password", "field.confirm")
	fields := append([]form.Field{
		form.Text(FieldMemberUser, "staff.members.col_username", form.Placeholder("staff.members.username_placeholder"),
			form.Required, form.Max(20), form.Check(rules.ValidAccount)).Folded(),
		form.Text(FieldMemberName, "staff.members.col_name", form.Placeholder("staff.members.name_placeholder"),
			form.Required, form.Max(30), form.Check(rules.ValidName)),
		form.Choice(FieldRole, "staff.members.col_role", []form.Opt{
			{Value: string(model.StaffCounter), Label: "staff.role.counter"},
			{Value: string(model.StaffReviewer), Label: "staff.role.reviewer"},
			{Value: string(model.StaffAdmin), Label: "staff.role.admin"}}, form.Required),
	}, pw...)
	d := flow.Def[memberState]{
		ID: AddForm, Title: "staff.members.add_title", Submit: "staff.members.add", Saving: "flow.saving", Hold: true,
		Steps: []flow.Step[memberState]{{Title: "staff.members.add_title", Fields: fields, Rules: pwRules}},
		Final: func(_ *memberState, v form.Values) flow.Job {
			s := who(a)
			n := staffadmin.NewStaff{Username: v.Trim(FieldMemberUser), Name: v.Trim(FieldMemberName),
				Role: model.StaffRole(v.Text(FieldRole)), Password: v.Text(FieldNewPassword)}
			return func(ctx context.Context) (any, error) {
				if desk == nil {
					return nil, errNoDesk
				}
				return desk.AddMember(ctx, s, n)
			}
		},
		Done: func(_ *kit.App, _ *memberState, res any) flow.Result {
			m := res.(staffdesk.Member)
			return flow.Result{Lines: []flow.Line{
				flow.Won("staff.members.added", "Username", rules.Sanitize(m.Username), "Role", RoleLabel(m.Role))},
				Buttons: back, Go: toMembers}
		},
		Refused: func(_ *kit.App, _ *memberState, f *form.Form, _ error) []form.Button {
			f.Clear(FieldNewPassword)
			f.Clear(FieldNewConfirm)
			return nil
		},
	}
	return flow.New(a, d)
}

// NewMemberReset is 重置密码 (管理员) for the staff member p names: a new
// password under the policy and its confirmation; their failed logins end
// with it (staffadmin.ResetPassword).
func NewMemberReset(a *kit.App, p route.StaffResetParams) kit.Screen {
	desk := a.Deps.Staff
	user := p.Username
	pw, pwRules := account.Passwords("field.new_password", "field.new_confirm")
	d := flow.Def[memberState]{
		ID: ResetForm, Title: "staff.members.reset_title", Submit: "staff.members.reset", Saving: "flow.saving", Hold: true,
		Steps: []flow.Step[memberState]{{Title: "staff.members.reset_title", Fields: pw, Rules: pwRules,
			Hint: func(*memberState) i18n.Text {
				return i18n.T("staff.members.reset_for", "Username", rules.Sanitize(user))
			}}},
		Final: func(_ *memberState, v form.Values) flow.Job {
			s, pw := who(a), v.Text(FieldNewPassword)
			return func(ctx context.Context) (any, error) {
				if desk == nil {
					return nil, errNoDesk
				}
				return nil, desk.ResetMemberPassword(ctx, s, user, pw)
			}
		},
		Done: func(_ *kit.App, _ *memberState, _ any) flow.Result {
			return flow.Result{Lines: []flow.Line{flow.Won("staff.members.reset_done", "Username", rules.Sanitize(user))},
				Buttons: back, Go: toMembers}
		},
		Refused: func(_ *kit.App, _ *memberState, f *form.Form, _ error) []form.Button {
			f.Clear(FieldNewPassword)
			f.Clear(FieldNewConfirm)
			return nil
		},
	}
	return flow.New(a, d)
}
