package staff

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/devices/audio"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/staffdesk"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// 工作人员管理 (管理员 only; the screen twin of `kiosk staff …`): every
// staff account (username, name, role, state), 添加, 停用/启用 after a
// confirm, 重置密码. The 管理员 logged in cannot disable or reset
// themselves (the buttons are off on their row, and the use case refuses).

// Zone ids of 工作人员管理.
const (
	MembersID     = "staff-members"      // buttons: MembersID + ":" + id
	MembersListID = "staff-members:list" // rows
	MembersAskID  = "staff-members-ask"  // the disable/enable confirm
)

// Buttons of 工作人员管理.
const (
	MembersAdd    = "add"
	MembersToggle = "toggle"
	MembersReset  = "reset"
	MembersBack   = "back"
)

type membersScreen struct {
	kit.Base
	a       *kit.App
	load    *kit.Loader
	act     *kit.Loader
	rows    []staffdesk.Member
	ok      bool
	list    *kit.List
	lang    i18n.Lang
	errMsg  i18n.Text
	notice  i18n.Text
	row     kit.ButtonRow
	confirm *kit.Confirm
	asking  staffdesk.Member
	w, h    int
}

// NewMembers is 工作人员管理.
func NewMembers(a *kit.App, _ kit.None) kit.Screen {
	m := &membersScreen{a: a, load: kit.NewLoader(a, "staff-members:load"), act: kit.NewLoader(a, "staff-members:act"),
		row: kit.NewButtonRow(a, MembersID), confirm: kit.NewConfirm(a, MembersAskID)}
	m.build()
	m.buttons()
	return m
}

func (m *membersScreen) SetSize(w, h int) { m.w, m.h = w, h }

func (m *membersScreen) Init() tea.Cmd { return m.reload() }

func (m *membersScreen) Leave() tea.Cmd {
	m.load.Cancel()
	m.act.Cancel()
	return nil
}

func (m *membersScreen) reload() tea.Cmd {
	desk, s := m.a.Deps.Staff, who(m.a)
	return m.load.Run("staff.loading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if desk == nil {
			return nil, errNoDesk
		}
		return desk.Members(ctx, s)
	})
}

func (m *membersScreen) build() {
	a := m.a
	sel := 0
	if m.list != nil {
		sel = m.list.Selected()
	}
	cells := make([][]string, len(m.rows))
	for i, r := range m.rows {
		state := a.S("staff.members.enabled")
		if r.Disabled {
			state = a.S("staff.members.disabled")
		}
		name := r.Name
		if r.Self {
			name = a.S("staff.members.self", "Name", rules.Sanitize(r.Name))
		}
		cells[i] = []string{r.Username, name, a.T(RoleLabel(r.Role)), state}
	}
	titles := []string{"staff.members.col_username", "staff.members.col_name", "staff.members.col_role", "staff.members.col_state"}
	cols := make([]kit.Column, len(titles))
	for i, t := range titles {
		w := ansi.StringWidth(a.S(t))
		for _, row := range cells {
			w = max(w, ansi.StringWidth(rules.Sanitize(row[i])))
		}
		cols[i] = kit.Column{Title: t, Width: min(w, 24)}
	}
	m.list = kit.NewList(a, MembersListID, cols...)
	m.list.Empty = "staff.members.empty"
	m.list.SetRows(cells)
	m.list.Select(sel)
	m.lang = a.Lang()
}

func (m *membersScreen) selected() (staffdesk.Member, bool) {
	if !m.ok || len(m.rows) == 0 {
		return staffdesk.Member{}, false
	}
	return m.rows[m.list.Selected()], true
}

func (m *membersScreen) buttons() {
	r, ok := m.selected()
	none := !ok || r.Self
	toggle := "staff.members.disable"
	if ok && r.Disabled {
		toggle = "staff.members.enable"
	}
	m.row.Reset(kit.Btn{ID: MembersAdd, Label: "staff.members.add", Disabled: !m.ok},
		kit.Btn{ID: MembersToggle, Label: toggle, Disabled: none},
		kit.Btn{ID: MembersReset, Label: "staff.members.reset", Disabled: none},
		kit.Btn{ID: MembersBack, Label: "staff.back"})
}

func (m *membersScreen) Help() []key.Binding {
	if m.confirm.Open() {
		return m.confirm.Help()
	}
	p := m.page()
	m.listView(&p) // PgUp/PgDn turn on the pages at the list's size now
	return m.list.HelpWith("staff.members.choose", append(m.row.Help(), backHelp(m.a))...)
}

func (m *membersScreen) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := m.load.Update(msg); done != nil {
		return m.loaded(done)
	} else if cmd != nil {
		return cmd
	}
	if cmd, done := m.act.Update(msg); done != nil {
		return m.acted(done)
	} else if cmd != nil {
		return cmd
	}
	if m.confirm.Open() {
		if m.confirm.Update(msg) == AskOK {
			return m.toggle(m.asking)
		}
		return nil
	}
	if m.act.Running() {
		return nil
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, m.a.Keys.Back) {
		return kit.GoBack
	}
	if moved, _ := m.list.Move(msg); moved {
		m.buttons()
		return nil
	}
	return m.pressed(m.row.Update(msg))
}

func (m *membersScreen) pressed(id string) tea.Cmd {
	r, ok := m.selected()
	switch id {
	case MembersAdd:
		return route.StaffAdd.Go(kit.None{})
	case MembersBack:
		return kit.GoBack
	case MembersReset:
		if ok && !r.Self {
			return route.StaffReset.Go(route.StaffResetParams{Username: r.Username})
		}
	case MembersToggle:
		if ok && !r.Self {
			m.asking = r
			text, btn := "staff.members.confirm_disable", "staff.members.disable"
			if r.Disabled {
				text, btn = "staff.members.confirm_enable", "staff.members.enable"
			}
			m.confirm.Ask(i18n.T(text, "Username", rules.Sanitize(r.Username)),
				kit.Btn{ID: AskCancel, Label: "staff.cancel"}, kit.Btn{ID: AskOK, Label: btn})
		}
	}
	return nil
}

func (m *membersScreen) toggle(r staffdesk.Member) tea.Cmd {
	m.errMsg, m.notice = i18n.Text{}, i18n.Text{}
	desk, s, user, disable := m.a.Deps.Staff, who(m.a), r.Username, !r.Disabled
	return m.act.Run("staff.working", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if desk == nil {
			return nil, errNoDesk
		}
		return nil, desk.SetMemberDisabled(ctx, s, user, disable)
	})
}

func (m *membersScreen) loaded(done *kit.Loaded) tea.Cmd {
	if done.Err != nil {
		var cmd tea.Cmd
		m.errMsg, cmd = failed(m.a, "staff members", done.Err)
		return cmd
	}
	first := !m.ok
	m.rows, m.ok = done.Value.([]staffdesk.Member), true
	m.build()
	if first {
		m.row.Set()
	}
	m.buttons()
	return nil
}

func (m *membersScreen) acted(done *kit.Loaded) tea.Cmd {
	if done.Err != nil {
		var cmd tea.Cmd
		m.errMsg, cmd = failed(m.a, "staff member change", done.Err)
		return tea.Batch(cmd, m.reload())
	}
	done2 := "staff.members.disabled_done"
	if m.asking.Disabled {
		done2 = "staff.members.enabled_done"
	}
	m.notice = i18n.T(done2, "Username", rules.Sanitize(m.asking.Username))
	return tea.Batch(kit.Play(audio.PromptSuccess), m.reload())
}

func (m *membersScreen) View() string {
	if m.confirm.Open() {
		return m.confirm.Over(m.w, m.h)
	}
	if m.lang != m.a.Lang() {
		m.build()
	}
	p := m.page()
	switch {
	case m.load.Running() && !m.ok:
		p.body = []string{"  " + m.load.View()}
	case m.ok:
		p.body = []string{m.listView(&p)}
	}
	return p.render(m.a, m.w)
}

// page is the screen's page without its body.
func (m *membersScreen) page() page {
	return page{title: "staff.members.title", errMsg: m.errMsg, notice: m.notice, working: m.act.View(),
		buttons: buttonLines(&m.row, m.w, m.h)}
}

// listView sizes the list to what the page leaves it.
func (m *membersScreen) listView(p *page) string {
	listH := 12
	if m.h > 0 {
		msg := len(p.messages(m.a, max(m.w-4, 20)))
		listH = m.h - 4 - len(p.buttons) - msg
		if msg > 0 {
			listH--
		}
	}
	m.list.SetSize(m.w, min(max(listH, 3), 12))
	return m.list.View()
}
