package center

import (
	"context"
	"errors"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// 我的经办人 (manual §四(一)(1)): the enterprise's agents in a list (name
// and mobile masked, state, 管理权限, authorisation window), a page at a
// time, and the buttons 添加 · 编辑 · 停用/启用 · 删除 · 返回. ↑/↓ (or a tap
// on a row) choose the agent, PgUp/PgDn (or ‹ ›) turn the page, ←/→ and
// tab walk the buttons, enter or a tap presses one. 停用, 启用 and 删除
// ask first; for the last admin agent the use case refuses, and the
// screen asks a second time before it insists.

// Zone ids of the list screen.
const (
	AgentsID     = "agents"      // button zones: AgentsID + ":" + button id
	AgentsListID = "agents:list" // row zones: kit.RowZone(AgentsListID, i)
	AgentsAskID  = "agents-ask"  // the confirm dialog's answers: AgentsAskID + ":" + AskOK / AskCancel
)

// Buttons of the list and answers of its dialogs.
const (
	AgentsAdd    = "add"
	AgentsEdit   = "edit"
	AgentsToggle = "toggle" // 停用 or 启用, as the chosen agent is
	AgentsRemove = "remove"
	AgentsBack   = "back"
	AskOK        = "ok"
	AskCancel    = "cancel"
)

// AgentsButtonZone is the zone of a list button; AgentsRowZone of row i;
// AgentsAskZone of a dialog answer.
func AgentsButtonZone(id string) string { return AgentsID + ":" + id }
func AgentsRowZone(i int) string        { return kit.RowZone(AgentsListID, i) }
func AgentsAskZone(id string) string    { return AgentsAskID + ":" + id }

// The changes a list button makes after its dialog.
const (
	actDisable = "disable"
	actEnable  = "enable"
	actRemove  = "remove"
)

// actTexts are the catalog ids of a change: its question, its second
// question for the last admin agent, and what the list says once it is
// done.
var actTexts = map[string]struct{ confirm, lastAdmin, done string }{
	actDisable: {"agents.confirm_disable", "agents.last_admin_disable", "agents.disabled"},
	actEnable:  {"agents.confirm_enable", "agents.confirm_enable", "agents.enabled"},
	actRemove:  {"agents.confirm_remove", "agents.last_admin_remove", "agents.removed"},
}

// pendingAct is the change the open dialog asks about.
type pendingAct struct {
	kind   string
	row    svc.AgentRow
	second bool // the last-admin question, asked after the use case refused
}

type agentsScreen struct {
	kit.Base
	a       *kit.App
	load    *kit.Loader // the list
	act     *kit.Loader // a change
	rows    []svc.AgentRow
	ok      bool
	list    *kit.List
	lang    i18n.Lang // the list's cells are in it
	errMsg  i18n.Text
	notice  i18n.Text
	row     kit.ButtonRow
	confirm *kit.Confirm
	asking  pendingAct
	doing   pendingAct
	boxes   []drawnButtons // the button rows drawn lately: ↓ only moves the focus of the list
	w, h    int
}

// NewAgents is 我的经办人, for the enterprise or an admin agent.
func NewAgents(a *kit.App, _ kit.None) kit.Screen {
	c := &agentsScreen{a: a, load: kit.NewLoader(a, "agents:load"), act: kit.NewLoader(a, "agents:act"),
		row: kit.NewButtonRow(a, AgentsID), confirm: kit.NewConfirm(a, AgentsAskID)}
	c.build()
	c.buttons()
	return c
}

func (c *agentsScreen) SetSize(w, h int) { c.w, c.h = w, h }

func (c *agentsScreen) Init() tea.Cmd { return c.reload() }

// reload reads the list again (on entry and after each change).
func (c *agentsScreen) reload() tea.Cmd {
	who, accounts := *c.a.Session(), c.a.Deps.Accounts
	return c.load.Run("agents.loading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if accounts == nil {
			return nil, model.ErrUnavailable
		}
		return accounts.ListAgents(ctx, who)
	})
}

// selected is the chosen agent (false with none).
func (c *agentsScreen) selected() (svc.AgentRow, bool) {
	if !c.ok || len(c.rows) == 0 {
		return svc.AgentRow{}, false
	}
	return c.rows[c.list.Selected()], true
}

// buttons labels 停用/启用 after the chosen agent and disables what cannot
// be done to it (anything, when it is the admin agent logged in: the use
// cases refuse that anyway); the focus stays on its button.
func (c *agentsScreen) buttons() {
	r, ok := c.selected()
	none := !ok || r.Self
	toggle := "agents.disable"
	if ok && !r.Enabled {
		toggle = "agents.enable"
	}
	c.row.Reset(kit.Btn{ID: AgentsAdd, Label: "agents.add", Disabled: !c.ok},
		kit.Btn{ID: AgentsEdit, Label: "agents.edit", Disabled: none},
		kit.Btn{ID: AgentsToggle, Label: toggle, Disabled: none},
		kit.Btn{ID: AgentsRemove, Label: "agents.remove", Disabled: none},
		kit.Btn{ID: AgentsBack, Label: "agents.back"})
}

func (c *agentsScreen) Help() []key.Binding {
	if c.confirm.Open() {
		return c.confirm.Help()
	}
	return c.list.HelpWith("agents.choose", append(c.row.Help(), c.a.Keys.Back)...)
}

func (c *agentsScreen) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := c.load.Update(msg); done != nil {
		return c.loaded(done)
	} else if cmd != nil {
		return cmd
	}
	if cmd, done := c.act.Update(msg); done != nil {
		return c.acted(done)
	} else if cmd != nil {
		return cmd
	}
	if c.confirm.Open() {
		if answer := c.confirm.Update(msg); answer == AskOK {
			return c.run(c.asking)
		}
		return nil
	}
	if c.act.Running() {
		return nil // one change at a time
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, c.a.Keys.Back) {
		return kit.GoBack
	}
	if moved, _ := c.list.Move(msg); moved {
		c.buttons()
		return nil
	}
	return c.pressed(c.row.Update(msg))
}

// loaded takes the list.
func (c *agentsScreen) loaded(done *kit.Loaded) tea.Cmd {
	if cmd := kit.Ended(done.Err); cmd != nil {
		return cmd
	}
	if done.Err != nil {
		c.errMsg = c.a.Explain("agents list", done.Err)
		return kit.Play(kit.ErrorPrompt(done.Err))
	}
	first := !c.ok
	c.rows, c.ok = done.Value.([]svc.AgentRow), true
	c.build()
	if first {
		c.row.Set() // the focus goes to the first button that can be pressed: 添加
	}
	c.buttons()
	return nil
}

// pressed answers a list button.
func (c *agentsScreen) pressed(id string) tea.Cmd {
	r, ok := c.selected()
	switch id {
	case AgentsAdd:
		return route.AgentAdd.Go(kit.None{})
	case AgentsBack:
		return kit.GoBack
	case AgentsEdit:
		if ok {
			return route.AgentEdit.Go(route.AgentEditParams{ID: r.ID})
		}
	case AgentsToggle:
		if ok {
			kind := actDisable
			if !r.Enabled {
				kind = actEnable
			}
			c.ask(pendingAct{kind: kind, row: r})
		}
	case AgentsRemove:
		if ok {
			c.ask(pendingAct{kind: actRemove, row: r})
		}
	}
	return nil
}

// ask opens the dialog for p: 取消 has the focus (and esc), a stray key
// changes nothing.
func (c *agentsScreen) ask(p pendingAct) {
	c.asking = p
	name := rules.MaskName(p.row.Name)
	text, ok := actTexts[p.kind].confirm, "agents.ok"
	if p.second { // enabling never takes the last admin away: no second question
		text, ok = actTexts[p.kind].lastAdmin, "agents.go_on"
	}
	c.confirm.Ask(i18n.T(text, "Name", name), kit.Btn{ID: AskCancel, Label: "agents.cancel"}, kit.Btn{ID: AskOK, Label: ok})
}

// run makes the change p asked about.
func (c *agentsScreen) run(p pendingAct) tea.Cmd {
	c.doing, c.errMsg, c.notice = p, i18n.Text{}, i18n.Text{}
	who, accounts := *c.a.Session(), c.a.Deps.Accounts
	id, kind, sure := p.row.ID, p.kind, p.second
	return c.act.Run("agents.working", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if accounts == nil {
			return nil, model.ErrUnavailable
		}
		switch kind {
		case actRemove:
			return nil, accounts.RemoveAgent(ctx, who, id, sure)
		case actEnable:
			return accounts.SetAgentEnabled(ctx, who, id, true, sure)
		}
		return accounts.SetAgentEnabled(ctx, who, id, false, sure)
	})
}

// acted takes a change's outcome: the second question for the last admin,
// a refusal's sentence, or the list read again with what was done.
func (c *agentsScreen) acted(done *kit.Loaded) tea.Cmd {
	p := c.doing
	if cmd := kit.Ended(done.Err); cmd != nil {
		return cmd
	}
	if errors.Is(done.Err, model.ErrLastAdmin) && !p.second {
		p.second = true
		c.ask(p)
		return nil
	}
	if done.Err != nil {
		c.errMsg = c.a.Explain("agents change", done.Err)
		return tea.Batch(kit.Play(kit.ErrorPrompt(done.Err)), c.reload())
	}
	c.notice = i18n.T(actTexts[p.kind].done, "Name", rules.MaskName(p.row.Name))
	var kick tea.Cmd
	if ob := c.a.Deps.Outbox; ob != nil {
		kick = func() tea.Msg { ob.Kick(); return nil } // the notice SMS
	}
	return tea.Batch(kick, kit.Play(audio.PromptSuccess), c.reload())
}

func (c *agentsScreen) Leave() tea.Cmd {
	c.load.Cancel()
	c.act.Cancel()
	return nil
}
