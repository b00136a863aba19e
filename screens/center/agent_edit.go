package center

import (
	"context"
	"errors"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// 编辑经办人: the authorisation window and 管理权限 of one agent, read from
// the model and pre-filled. 保存 asks first; when the use case refuses to
// demote the enterprise's last admin agent, the screen asks a second time
// and then insists.

// AgentEditForm is the form id (and zone prefix) of 编辑经办人.
const AgentEditForm = "agent-edit"

// agentEdited is the flow's own state.
type agentEdited struct {
	lastAdminOK bool // the second question was answered: insist once
	askLast     bool // the use case refused for the last admin: ask
}

type agentEdit struct {
	*staged
	fl      *flow.Host[agentEdited]
	row     svc.AgentRow
	confirm *kit.Confirm
	stashed *form.NextRequested // 保存, waiting for the first answer
	second  bool                // the open question is the last-admin one
}

// NewAgentEdit is 编辑经办人 for agent p.ID.
func NewAgentEdit(a *kit.App, p route.AgentEditParams) kit.Screen {
	e := &agentEdit{staged: newStaged(a, "agents.edit_title", nil), confirm: kit.NewConfirm(a, AgentsAskID)}
	id := p.ID
	e.read = func(ctx context.Context, who model.Session, accounts *svc.Service) (any, error) {
		return accounts.EditableAgent(ctx, who, id)
	}
	e.ready = func(v any) tea.Cmd {
		e.row, _ = v.(svc.AgentRow)
		e.fl = editFlow(a, e.row)
		return e.host(e.fl)
	}
	return e
}

// editFlow is the one page of 编辑经办人.
func editFlow(a *kit.App, row svc.AgentRow) *flow.Host[agentEdited] {
	accounts, id, name := a.Deps.Accounts, row.ID, rules.MaskName(row.Name)
	def := flow.Def[agentEdited]{
		ID: AgentEditForm, Title: "agents.edit_title", Submit: "agents.submit_edit", Saving: "flow.saving", Hold: true,
		Steps: []flow.Step[agentEdited]{{Title: "agents.edit_title", Fields: windowFields(), Rules: []form.Rule{windowRule},
			Hint: func(*agentEdited) i18n.Text { return i18n.T("agents.edit_hint", "Name", name) }}},
		Final: func(x *agentEdited, v form.Values) flow.Job {
			who, sure := *a.Session(), x.lastAdminOK
			x.lastAdminOK = false // once
			from, to, admin := window(v)
			return func(ctx context.Context) (any, error) {
				if accounts == nil {
					return nil, model.ErrUnavailable
				}
				return accounts.EditAgent(ctx, who, id, from, to, admin, sure)
			}
		},
		Done: func(a *kit.App, _ *agentEdited, res any) flow.Result {
			r, _ := res.(svc.AgentRow)
			lines := []flow.Line{flow.Won("agents.edited"), flow.Gap,
				flow.Say("agents.added_name", "Name", name),
				flow.Say("agents.added_window", "From", dateOrDash(a, r.From), "To", dateOrDash(a, r.To))}
			if !r.From.Equal(row.From) || !r.To.Equal(row.To) || r.Admin != row.Admin {
				lines = append(lines, flow.Gap, flow.Aside("agents.edited_notice"))
			}
			return flow.Result{Lines: lines, Buttons: []kit.Btn{{ID: AgentsDone, Label: "agents.to_list"}},
				Go: func(string) tea.Cmd { return kit.GoBack }}
		},
		Prefill: func(_ *agentEdited, f *form.Form) { setWindow(f, row.From, row.To, row.Admin) },
		Refused: func(_ *kit.App, x *agentEdited, _ *form.Form, err error) []form.Button {
			x.askLast = errors.Is(err, model.ErrLastAdmin)
			return nil
		},
	}
	return flow.New(a, def)
}

// ask opens a question over the page: 取消 has the focus (and esc).
func (e *agentEdit) ask(text, ok string) {
	e.confirm.Ask(i18n.T(text, "Name", rules.MaskName(e.row.Name)), kit.Btn{ID: AskCancel, Label: "agents.cancel"},
		kit.Btn{ID: AskOK, Label: ok})
}

func (e *agentEdit) Update(msg tea.Msg) tea.Cmd {
	if e.confirm.Open() && isInput(msg) {
		switch e.confirm.Update(msg) {
		case AskOK:
			return e.confirmed()
		case AskCancel:
			if e.stashed != nil { // the form waits for its 保存 to be answered
				e.stashed = nil
				e.fl.Form().Release()
			}
		}
		return nil
	}
	if m, ok := msg.(form.NextRequested); ok && m.Form == AgentEditForm && e.fl != nil {
		e.stashed, e.second = &m, false
		e.ask("agents.confirm_edit", "agents.ok")
		return nil
	}
	cmd := e.staged.Update(msg)
	if e.fl != nil && e.fl.State().askLast {
		e.fl.State().askLast, e.second = false, true
		e.ask("agents.last_admin_demote", "agents.go_on")
	}
	return cmd
}

// confirmed goes on with 保存: the first time as it was pressed, the
// second time insisting on the last admin.
func (e *agentEdit) confirmed() tea.Cmd {
	if !e.second {
		m := *e.stashed
		e.stashed = nil
		return e.fl.Update(m)
	}
	e.second = false
	e.fl.State().lastAdminOK = true
	f := e.fl.Form()
	return e.fl.Update(form.NextRequested{Form: AgentEditForm, Step: f.Step(), Values: f.Values()})
}

func (e *agentEdit) Help() []key.Binding {
	if e.confirm.Open() {
		return e.confirm.Help()
	}
	return e.staged.Help()
}

func (e *agentEdit) View() string {
	if e.confirm.Open() {
		return e.confirm.Over(e.w, e.h)
	}
	return e.staged.View()
}

func isInput(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.KeyMsg, tea.MouseMsg:
		return true
	}
	return false
}
