package screens

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/screens/center"
	"kiosk/screens/facestep"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Journeys of 我的经办人 through the real root: keys and taps in, the
// screen and the store (the record, its index, the audit log, the
// outbox) out.

// 添加经办人 at 80×24 with keys: the legal representative's face first,
// then the page; the agent is stored with the person's name, ID number
// and phone, the window from today, no 管理权限; the look-up and the add
// are audited for the enterprise; the person is told by SMS; 返回经办人列表
// shows the new agent in the list, read again.
func TestJourneyAgentAdd(t *testing.T) {
	f := newFixture(t)
	k := startKioskAt(t, f.deps, 80, 24)
	k.agentsOpen()
	k.key(tea.KeyEnter) // 添加 has the focus
	k.passFace()
	k.waitFor(k.text("field.id_type"))
	k.agentsFillAdd(agentsJiangName, agentsJiangID, 3, agentsJiangFrom, "2027-11-30", false)
	k.waitFor(k.text("agents.added"), "姜**")
	a, ok := f.agentsIndexed(agentsJiangID)
	if !ok {
		t.Fatal("no agent indexed under the ID number")
	}
	if a.Name != agentsJiangName || a.Phone != agentsJiangPhone || a.Admin || !a.Enabled || a.PersonID == "" {
		t.Errorf("record %+v", a)
	}
	if !a.ValidFrom.Equal(day(2026, 11, 27)) || !a.ValidTo.Equal(day(2027, 11, 30)) {
		t.Errorf("window %v – %v", a.ValidFrom, a.ValidTo)
	}
	adds := f.agentsAudit(svc.AuditAgentAdd)
	if len(adds) != 1 || adds[0].Subject != a.ID || adds[0].Actor != "enterprise:"+f.ent.ID || adds[0].Outcome != "ok" {
		t.Errorf("add audit %+v", adds)
	}
	if looks := f.agentsAudit(svc.AuditAgentLookup); len(looks) != 1 || looks[0].Outcome != "ok" {
		t.Errorf("look-up audit %+v", looks)
	}
	if n := f.notices(agentsJiangPhone); len(n) != 1 || !strings.Contains(n[0].Text, entAccount) {
		t.Errorf("notices %+v", n)
	}
	k.key(tea.KeyEnter) // 返回经办人列表
	k.waitFor(k.text("agents.col_window"), "姜**", "139****4979")
	r := k.finish()
	if r.Current() != route.Agents.ID() {
		t.Errorf("at %s, want the list", r.Current())
	}
}

// The refusals of 添加经办人, one after another on the same page: another
// name (the same sentence as no such person), an agent already, an end
// before the start (said by the page itself), no registered person.
// Every look-up is audited with its answer; nothing is added, nobody is
// told.
func TestJourneyAgentAddRefusals(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.agentsOpen()
	k.key(tea.KeyEnter)
	k.passFace()
	k.waitFor(k.text("field.id_type"))
	k.agentsFillAdd("姜军", agentsJiangID, 3, agentsJiangFrom, "2027-11-30", false)
	notPerson := agentsHead(zh("error.agents.not_person"))
	k.waitFor(notPerson)
	submit := func() { k.click(form.ButtonZone(center.AgentAddForm, form.ButtonNext)) }
	// 李晓明 is an agent already (20年 from 2020: his card as he would type it).
	k.agentsRetype(center.AgentAddForm, svc.FieldName, "李晓明")
	k.agentsRetype(center.AgentAddForm, svc.FieldIDNumber, f.agent.IDNumber)
	k.agentsRetype(center.AgentAddForm, svc.FieldIDFrom, "2020-01-01")
	submit()
	k.waitFor(agentsHead(zh("error.agents.exists")))
	// The end before the start (today): the page says so before any look-up.
	k.agentsRetype(center.AgentAddForm, svc.FieldAgentTo, "2026-01-01")
	submit()
	k.waitFor(agentsHead(zh("error.agents.window_order")))
	// Nobody registered with this ID number.
	k.agentsRetype(center.AgentAddForm, svc.FieldAgentTo, "2027-11-30")
	k.agentsRetype(center.AgentAddForm, svc.FieldName, "王小二")
	k.agentsRetype(center.AgentAddForm, svc.FieldIDNumber, makeID(t, "22010419800101001"))
	submit()
	eventually(t, "the third look-up", func() bool { return len(f.agentsAudit(svc.AuditAgentLookup)) == 3 })
	k.waitFor(notPerson)
	r := k.finish()
	fm := formOf(t, r)
	if got := fm.Error(svc.FieldIDNumber); got != zh("error.agents.not_person") {
		t.Errorf("证件号码 error %q", got)
	}
	var outcomes []string
	for _, rec := range f.agentsAudit(svc.AuditAgentLookup) {
		outcomes = append(outcomes, rec.Outcome)
		if rec.Actor != "enterprise:"+f.ent.ID || strings.Contains(rec.Detail, agentsJiangID) {
			t.Errorf("look-up record %+v", rec)
		}
	}
	if strings.Join(outcomes, ",") != "mismatch,exists,no_person" {
		t.Errorf("look-up outcomes %v", outcomes)
	}
	if _, ok := f.agentsIndexed(agentsJiangID); ok || len(f.agentsAudit(svc.AuditAgentAdd)) != 0 {
		t.Error("a refused add stored an agent")
	}
	if n := len(f.notices(agentsJiangPhone)) + len(f.notices(agentPhone)); n != 0 {
		t.Errorf("%d notices after refusals", n)
	}
}

// An admin agent adds agents after its own face check, never beyond its
// own window; its own row says 本人 and cannot be changed.
func TestJourneyAgentAddByAdminAgent(t *testing.T) {
	f := newFixture(t)
	f.agentsUpdate(f.agent.ID, func(a *model.Agent) { a.Admin = true })
	k := startKiosk(t, f.deps)
	k.clickHome("home.agent_login")
	k.waitFor(k.text("field.captcha"))
	k.agentLogin(entAccount, f.uscc, agentPhone, f.agent.IDNumber, agentPass)
	k.waitFor(k.text("center.agents"))
	k.click(center.TileZone("center.agents"))
	k.waitFor(k.text("agents.self", "Name", agentsLiMasked), agentsZhaoMasked)
	k.click(center.AgentsButtonZone(center.AgentsAdd))
	k.passFace()
	k.waitFor(k.text("field.id_type"))
	k.agentsFillAdd(agentsJiangName, agentsJiangID, 3, agentsJiangFrom, "2027-01-31", true) // after 2026-12-31
	k.waitFor(agentsHead(zh("error.agents.window_beyond")))
	k.agentsRetype(center.AgentAddForm, svc.FieldAgentTo, "2026-12-31")
	k.click(form.ButtonZone(center.AgentAddForm, form.ButtonNext))
	k.waitFor(k.text("agents.added"))
	a, ok := f.agentsIndexed(agentsJiangID)
	if !ok || !a.Admin || !a.ValidTo.Equal(day(2026, 12, 31)) {
		t.Errorf("record %+v, %v", a, ok)
	}
	if adds := f.agentsAudit(svc.AuditAgentAdd); len(adds) != 1 || adds[0].Actor != "agent:"+f.agent.ID {
		t.Errorf("audit %+v", adds)
	}
}

// 编辑 with keys: the window and 管理权限 pre-filled, 保存 asks first; the
// record, the audit log and the notice; the list shows the change.
func TestJourneyAgentEdit(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.agentsOpen()
	k.key(tea.KeyRight) // 编辑 (李晓明 is chosen)
	k.key(tea.KeyEnter)
	k.waitFor(k.text("agents.edit_hint", "Name", agentsLiMasked), "2026-12-31")
	k.key(tea.KeyTab) // 授权开始日期 stays
	for range 10 {
		k.key(tea.KeyBackspace)
	}
	k.typeFields("2027-06-30")
	k.key(tea.KeyLeft) // 管理权限: 是
	k.key(tea.KeyEnter)
	k.waitFor(agentsHead(k.text("agents.confirm_edit", "Name", agentsLiMasked)))
	k.agentsAnswer(true)
	k.waitFor(k.text("agents.edited"), k.text("agents.edited_notice"))
	a, _ := f.agentsRecord(f.agent.ID)
	if !a.Admin || !a.ValidTo.Equal(day(2027, 6, 30)) || !a.ValidFrom.Equal(f.agent.ValidFrom) {
		t.Errorf("record %+v", a)
	}
	if recs := f.agentsAudit(svc.AuditAgentEdit); len(recs) != 1 || recs[0].Subject != f.agent.ID {
		t.Errorf("audit %+v", recs)
	}
	if n := f.notices(agentPhone); len(n) != 1 || !strings.Contains(n[0].Text, "2027-06-30") {
		t.Errorf("notices %+v", n)
	}
	k.key(tea.KeyEnter) // 返回经办人列表
	k.waitFor("2026-01-01 至 2027-06-30")
}

// 停用 then 启用 with keys, each after its question: the agent's logins
// end at 停用 and stay ended; each change is audited and told by SMS.
func TestJourneyAgentDisableEnable(t *testing.T) {
	f := newFixture(t)
	login, err := f.auth.LoginAgent(t.Context(), model.AgentCredentials{Account: entAccount, USCC: f.uscc,
		Phone: agentPhone, IDNumber: f.agent.IDNumber, Password: agentPass})
	if err != nil {
		t.Fatal(err)
	}
	k := startKiosk(t, f.deps)
	k.agentsOpen()
	k.key(tea.KeyRight)
	k.key(tea.KeyRight) // 停用
	k.key(tea.KeyEnter)
	k.waitFor(agentsHead(k.text("agents.confirm_disable", "Name", agentsLiMasked)))
	k.agentsAnswer(true)
	k.waitFor(k.text("agents.disabled", "Name", agentsLiMasked), k.text("state.agent.disabled"), k.text("agents.enable"))
	a, _ := f.agentsRecord(f.agent.ID)
	if a.Enabled || a.SessionEpoch != f.agent.SessionEpoch+1 {
		t.Errorf("record %+v", a)
	}
	if err := f.svc.Permit(t.Context(), login, svc.UseViewAgent); err == nil {
		t.Error("the disabled agent's login goes on")
	}
	k.key(tea.KeyEnter) // the focus stayed on the button: 启用 now
	k.waitFor(agentsHead(k.text("agents.confirm_enable", "Name", agentsLiMasked)))
	k.agentsAnswer(true)
	k.waitFor(k.text("agents.enabled", "Name", agentsLiMasked))
	a, _ = f.agentsRecord(f.agent.ID)
	if !a.Enabled || a.State(f.clock.Now()) != model.AgentValid {
		t.Errorf("record %+v", a)
	}
	if err := f.svc.Permit(t.Context(), login, svc.UseViewAgent); err == nil {
		t.Error("a login from before 停用 came back")
	}
	if d, e := f.agentsAudit(svc.AuditAgentDisable), f.agentsAudit(svc.AuditAgentEnable); len(d) != 1 || len(e) != 1 {
		t.Errorf("audit %+v %+v", d, e)
	}
	if n := len(f.notices(agentPhone)); n != 2 {
		t.Errorf("%d notices, want 2", n)
	}
}

// 删除 asks first: 取消 keeps the agent; 确定 removes it (record and
// index), audits it and tells it; the list reads again without it.
func TestJourneyAgentRemove(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.agentsOpen()
	k.key(tea.KeyDown) // 赵一鸣
	for range 3 {
		k.key(tea.KeyRight) // 删除
	}
	k.key(tea.KeyEnter)
	question := agentsHead(k.text("agents.confirm_remove", "Name", agentsZhaoMasked))
	k.waitFor(question)
	k.agentsAnswer(false)
	k.waitFor(k.text("agents.remove"), agentsZhaoMasked)
	if _, ok := f.agentsRecord(f.expired.ID); !ok {
		t.Fatal("removed after 取消")
	}
	k.key(tea.KeyEnter)
	k.waitFor(question)
	k.agentsAnswer(true)
	k.waitFor(k.text("agents.removed", "Name", agentsZhaoMasked))
	if _, ok := f.agentsRecord(f.expired.ID); ok {
		t.Error("the record is still there")
	}
	if _, ok := f.agentsIndexed(f.expired.IDNumber); ok {
		t.Error("the index still finds it")
	}
	if recs := f.agentsAudit(svc.AuditAgentRemove); len(recs) != 1 || recs[0].Subject != f.expired.ID {
		t.Errorf("audit %+v", recs)
	}
	if n := len(f.notices(expiredPhone)); n != 1 {
		t.Errorf("%d notices, want 1", n)
	}
}

// After a change the list is read again: a removed agent is gone from it
// (fed by hand, so the reload is done when the keys are).
func TestAgentsListReadsAgain(t *testing.T) {
	f := newFixture(t)
	r := agentsRoot(t, f, 120, 40, i18n.Chinese)
	for _, k := range []tea.KeyType{tea.KeyDown, tea.KeyRight, tea.KeyRight, tea.KeyRight, tea.KeyEnter, tea.KeyRight, tea.KeyEnter} {
		feed(r, tea.KeyMsg{Type: k})
	}
	v := r.View()
	if !strings.Contains(v, zh("agents.removed", "Name", agentsZhaoMasked)) || strings.Contains(v, "137****2222") ||
		!strings.Contains(v, "139****4321") {
		t.Errorf("after 删除:\n%s", v)
	}
	if _, ok := f.agentsRecord(f.expired.ID); ok {
		t.Error("not removed")
	}
}

// The last admin agent: 停用 asks, the model refuses, the screen asks a
// second time; 取消 there changes nothing, 仍然继续 does it (audited as
// confirmed).
func TestJourneyAgentLastAdminDisable(t *testing.T) {
	f := newFixture(t)
	f.agentsUpdate(f.agent.ID, func(a *model.Agent) { a.Admin = true })
	k := startKiosk(t, f.deps)
	k.agentsOpen()
	k.key(tea.KeyRight)
	k.key(tea.KeyRight) // 停用
	second := agentsHead(k.text("agents.last_admin_disable", "Name", agentsLiMasked))
	for _, insist := range []bool{false, true} {
		k.key(tea.KeyEnter)
		k.waitFor(agentsHead(k.text("agents.confirm_disable", "Name", agentsLiMasked)))
		k.agentsAnswer(true)
		k.waitFor(second, k.text("agents.go_on"))
		if a, _ := f.agentsRecord(f.agent.ID); !a.Enabled {
			t.Fatal("disabled before the second answer")
		}
		k.agentsAnswer(insist)
		if !insist {
			k.waitFor(k.text("agents.disable"))
		}
	}
	k.waitFor(k.text("agents.disabled", "Name", agentsLiMasked))
	a, _ := f.agentsRecord(f.agent.ID)
	if a.Enabled {
		t.Error("not disabled")
	}
	if recs := f.agentsAudit(svc.AuditAgentDisable); len(recs) != 1 || !strings.Contains(recs[0].Detail, "last_admin_confirmed") {
		t.Errorf("audit %+v", recs)
	}
}

// 编辑 taking 管理权限 from the last admin agent asks twice too.
func TestJourneyAgentLastAdminDemote(t *testing.T) {
	f := newFixture(t)
	f.agentsUpdate(f.agent.ID, func(a *model.Agent) { a.Admin = true })
	k := startKiosk(t, f.deps)
	k.agentsOpen()
	k.key(tea.KeyRight)
	k.key(tea.KeyEnter) // 编辑
	k.waitFor(k.text("agents.edit_hint", "Name", agentsLiMasked))
	k.click(form.OptionZone(center.AgentEditForm, svc.FieldAgentAdmin, 1)) // 否
	k.waitFor("(*) " + k.text("agents.admin_no"))
	k.click(form.ButtonZone(center.AgentEditForm, form.ButtonNext))
	k.waitFor(agentsHead(k.text("agents.confirm_edit", "Name", agentsLiMasked)))
	k.agentsAnswer(true)
	k.waitFor(agentsHead(k.text("agents.last_admin_demote", "Name", agentsLiMasked)))
	if a, _ := f.agentsRecord(f.agent.ID); !a.Admin {
		t.Fatal("demoted before the second answer")
	}
	k.agentsAnswer(true)
	k.waitFor(k.text("agents.edited"))
	a, _ := f.agentsRecord(f.agent.ID)
	if a.Admin {
		t.Error("still an admin")
	}
	if recs := f.agentsAudit(svc.AuditAgentEdit); len(recs) != 1 || !strings.Contains(recs[0].Detail, "last_admin_confirmed") {
		t.Errorf("audit %+v", recs)
	}
}

// By touch alone at 80×24: the login, the tile, a row, 停用 and its
// answer; then 编辑 of the other agent (its end date typed, 管理权限 and
// 保存 tapped) and back to the list.
func TestJourneyAgentsByTouch(t *testing.T) {
	f := newFixture(t)
	k := startKioskAt(t, f.deps, 80, 24)
	k.clickHome("home.enterprise_login")
	k.waitFor(k.text("field.captcha"))
	k.typeText(entAccount)
	k.click(form.FieldZone("elogin", "password"))
	k.typeText(entPassword)
	k.click(form.FieldZone("elogin", "captcha"))
	k.typeText(captchaText)
	k.waitFor("[" + captchaText)
	k.click(form.ButtonZone("elogin", form.ButtonNext))
	k.waitFor(k.text("center.agents"))
	k.click(center.TileZone("center.agents"))
	k.waitFor(agentsLiMasked, agentsZhaoMasked)
	k.click(center.AgentsRowZone(1)) // 赵一鸣
	k.click(center.AgentsButtonZone(center.AgentsToggle))
	k.waitFor(agentsHead(k.text("agents.confirm_disable", "Name", agentsZhaoMasked)))
	k.click(center.AgentsAskZone(center.AskOK))
	k.waitFor(k.text("agents.disabled", "Name", agentsZhaoMasked))
	if a, _ := f.agentsRecord(f.expired.ID); a.Enabled {
		t.Error("not disabled")
	}
	k.click(center.AgentsRowZone(0)) // 李晓明
	k.click(center.AgentsButtonZone(center.AgentsEdit))
	k.waitFor(k.text("agents.edit_hint", "Name", agentsLiMasked))
	k.agentsRetype(center.AgentEditForm, svc.FieldAgentTo, "2027-03-31")
	k.click(form.OptionZone(center.AgentEditForm, svc.FieldAgentAdmin, 0)) // 是
	k.waitFor("(*) " + k.text("agents.admin_yes"))                         // the focus moved: the help, and the page, may too
	k.click(form.ButtonZone(center.AgentEditForm, form.ButtonNext))
	k.waitFor(agentsHead(k.text("agents.confirm_edit", "Name", agentsLiMasked)))
	k.click(center.AgentsAskZone(center.AskOK))
	k.waitFor(k.text("agents.edited"))
	k.click(center.AgentEditForm + "-done:" + center.AgentsDone)
	k.waitFor("2026-01-01 至 2027-03-31")
	a, _ := f.agentsRecord(f.agent.ID)
	if !a.Admin || !a.ValidTo.Equal(day(2027, 3, 31)) {
		t.Errorf("record %+v", a)
	}
	r := k.finish()
	if r.Current() != route.Agents.ID() {
		t.Errorf("at %s", r.Current())
	}
}

// A login that ended under the list (the enterprise's password changed
// at another kiosk) is logged out at the next key, with the reason on the
// home screen; nothing is changed.
func TestJourneyAgentsSessionEnded(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.agentsOpen()
	other := f.otherLogin()
	if _, err := f.svc.ChangePassword(t.Context(), other, entPassword, "Fresh#Pass2027"); err != nil {
		t.Fatal(err)
	}
	k.key(tea.KeyRight) // the root checks the login at each key (the use cases at each change)
	k.waitFor(k.text("home.welcome"), zh("error.session_ended"))
	r := k.finish()
	if r.Session() != nil {
		t.Error("still logged in")
	}
	if a, _ := f.agentsRecord(f.agent.ID); !a.Enabled || len(f.agentsAudit(svc.AuditAgentDisable)) != 0 {
		t.Error("disabled by an ended login")
	}
}

// 我的经办人 is whole in every language at 80×24 and 120×40: the list (a
// long one turns pages), its dialog and 编辑经办人.
func TestAgentsWholeInEveryLanguage(t *testing.T) {
	for _, l := range i18n.Langs {
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", l, sz[0], sz[1]), func(t *testing.T) {
				f := newFixture(t)
				agentsSeed(t, f.store, f.ent.ID, 30, f.clock.Now())
				r := agentsRoot(t, f, sz[0], sz[1], l)
				checkRoot(t, r)
				if v := r.View(); !strings.Contains(v, i18n.Default().Render(l, i18n.T("list.next"))) {
					t.Errorf("no pager for 32 agents:\n%s", v)
				}
				feed(r, tea.KeyMsg{Type: tea.KeyPgDown})
				feed(r, tea.KeyMsg{Type: tea.KeyRight})
				feed(r, tea.KeyMsg{Type: tea.KeyRight})
				feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // 停用 or 启用: its question
				checkRoot(t, r)
				if v := r.View(); !strings.Contains(v, i18n.Default().Render(l, i18n.T("agents.cancel"))) {
					t.Errorf("no dialog:\n%s", v)
				}
				feed(r, tea.KeyMsg{Type: tea.KeyEsc})
				feed(r, route.AgentEdit.Nav(route.AgentEditParams{ID: f.agent.ID}))
				if r.Current() != route.AgentEdit.ID() {
					t.Fatalf("编辑 not opened: at %s", r.Current())
				}
				checkRoot(t, r)
			})
		}
	}
}

// 添加经办人's page (after the face step) is whole in every language at
// 80×24 and 120×40, empty and with every refusal of an empty page shown.
func TestAgentAddWholeInEveryLanguage(t *testing.T) {
	for _, l := range i18n.Langs {
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", l, sz[0], sz[1]), func(t *testing.T) {
				f := newFixture(t)
				f.deps.Camera = nil // no stream to feed by hand: the face step waits
				r := agentsRoot(t, f, sz[0], sz[1], l)
				feed(r, route.AgentAdd.Nav(kit.None{}))
				if r.Current() != route.AgentAdd.ID() {
					t.Fatalf("添加 not opened: at %s", r.Current())
				}
				if titles, cur := r.cur.Steps(); len(titles) != 3 || cur != 0 {
					t.Errorf("step bar %v at %d, want the face first", titles, cur)
				}
				feed(r, kit.StepDone{Result: facestep.Verified{}}) // as the face step reports a pass
				fm := formOf(t, r)
				if fm == nil || fm.Field(svc.FieldAgentTo) == nil {
					t.Fatalf("not on the page:\n%s", r.View())
				}
				if _, cur := r.cur.Steps(); cur != 1 {
					t.Errorf("step %d, want 经办人信息", cur)
				}
				checkRoot(t, r)
				fm.Validate()
				checkRoot(t, r)
			})
		}
	}
}

// The route guard and the model agree: an agent without 管理权限 is sent
// home from 我的经办人, and the screens never show another enterprise's
// agent to edit.
func TestAgentsGuarded(t *testing.T) {
	f := newFixture(t)
	r := agentsRoot(t, f, 120, 40, i18n.Chinese)
	feed(r, route.AgentEdit.Nav(route.AgentEditParams{ID: "no-such-agent"}))
	if v := r.View(); !strings.Contains(v, zh("error.agents.not_found")) {
		t.Errorf("an unknown agent opened:\n%s", v)
	}
	feed(r, kit.EndSession{})
	s := model.Session{Kind: model.SessionAgent, EnterpriseID: f.ent.ID, AgentID: f.agent.ID,
		Epoch: f.ent.SessionEpoch, AgentEpoch: f.agent.SessionEpoch}
	feed(r, kit.SessionStarted{Session: s, Then: route.Agents.Nav(kit.None{})})
	if r.Current() == route.Agents.ID() {
		t.Errorf("an agent without 管理权限 sees 我的经办人")
	}
}
