package center

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/account"
	"kiosk/screens/facestep"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// 添加经办人 (manual §四(一)(1)): the face verification of the operator
// first (the legal representative for an enterprise login, the admin
// agent itself for an agent login: the model says who), then one page:
// 姓名, the ID card (证件类型, 证件号码, 证件有效期, 开始日期, 结束日期),
// 授权开始日期, 授权结束日期, 管理权限, 初始密码 and its confirmation.
// The result page leads back to the list, which reads itself again.

// AgentAddForm is the form id (and zone prefix) of 添加经办人.
const AgentAddForm = "agent-add"

// AgentAddSteps are the titles of its step bar.
var AgentAddSteps = []string{"step.face", "agents.step_info", "step.done"}

// AgentsDone is the result pages' button (zone: form id + "-done:" + it).
const AgentsDone = "list"

// agentAdded is the flow's own state: the operator's face verdict.
type agentAdded struct{ face facestep.Verified }

// NewAgentAdd is 添加经办人.
func NewAgentAdd(a *kit.App, _ kit.None) kit.Screen {
	s := newStaged(a, "agents.add_title", AgentAddSteps)
	s.read = func(ctx context.Context, who model.Session, accounts *svc.Service) (any, error) {
		return accounts.AgentOperator(ctx, who)
	}
	s.ready = func(v any) tea.Cmd {
		op := v.(svc.Operator)
		face := facestep.New(a, facestep.Params{Name: op.Name, IDNumber: op.IDNumber, Purpose: "agents.face_purpose",
			For: model.FaceForAddAgent})
		s.show(face)
		return tea.Batch(face.Init(), kit.Play(audio.PromptFaceVerify))
	}
	s.took = func(res any) tea.Cmd {
		v, _ := res.(facestep.Verified)
		return s.host(addFlow(a, v))
	}
	return s
}

// idCardFields are the ID card as registration asks it (证件类型 preset
// with account.PresetIDType; 结束日期 follows 证件有效期 and 开始日期).
func idCardFields(a *kit.App) []form.Field {
	return account.RepFields(a, "field.name", "field.name_placeholder")[1:] // without the representative's name
}

// addFlow is the page after the face verification.
func addFlow(a *kit.App, face facestep.Verified) flowHost {
	accounts := a.Deps.Accounts
	pw, pwRules := account.Passwords("agents.field_password", "agents.field_confirm")
	fields := append([]form.Field{form.Text(svc.FieldName, "field.name", form.Placeholder("field.name_placeholder"),
		form.Required, form.Max(30), form.Check(rules.ValidName))}, idCardFields(a)...)
	fields = append(append(fields, windowFields()...), pw...)
	def := flow.Def[agentAdded]{
		ID: AgentAddForm, Title: "agents.add_title", Submit: "agents.submit_add", DoneTitle: "step.done",
		Saving: "flow.submitting", Hold: true,
		Steps: []flow.Step[agentAdded]{{Title: "agents.step_info", Fields: fields, Rules: append(pwRules, windowRule),
			Hint: func(*agentAdded) i18n.Text { return i18n.T("agents.add_hint") }}},
		Final: func(x *agentAdded, v form.Values) flow.Job {
			who := *a.Session()
			from, to, admin := window(v)
			in := svc.AgentInput{Name: v.Text(svc.FieldName), IDDoc: account.IDDocument(v), From: from, To: to,
				Password: v.Text(svc.FieldPassword), Admin: admin}
			ev := x.face.Evidence()
			return func(ctx context.Context) (any, error) {
				if accounts == nil {
					return nil, model.ErrUnavailable
				}
				return accounts.AddAgent(ctx, who, in, ev)
			}
		},
		Done: func(a *kit.App, x *agentAdded, res any) flow.Result {
			*x = agentAdded{} // the verdict is spent
			r, _ := res.(svc.AgentRow)
			return flow.Result{
				Lines: []flow.Line{flow.Won("agents.added"), flow.Gap,
					flow.Say("agents.added_name", "Name", rules.MaskName(r.Name)),
					flow.Say("agents.added_window", "From", dateOrDash(a, r.From), "To", dateOrDash(a, r.To)),
					flow.Gap, flow.Aside("agents.added_notice", "Phone", rules.MaskMobile(r.Phone))},
				Buttons: []kit.Btn{{ID: AgentsDone, Label: "agents.to_list"}},
				Go:      func(string) tea.Cmd { return kit.GoBack },
			}
		},
		Prefill: func(_ *agentAdded, f *form.Form) {
			account.PresetIDType(f)
			setWindow(f, a.Now(), time.Time{}, false) // from today; the end is the enterprise's to set
		},
	}
	h := flow.New(a, def)
	h.State().face = face
	return h
}
