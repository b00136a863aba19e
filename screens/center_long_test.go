package screens

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/screens/center"
	"kiosk/screens/route"
)

// The long journey of the centers, on two kiosks of one store:
//
//  1. 冯强 registers as a natural person at kiosk A;
//  2. the enterprise logs in at A, adds him as an agent with 管理权限
//     (after the legal representative's face check), and logs out;
//  3. 冯强 logs in at A as an agent with the initial password, sees 我的
//     经办人, adds 姜军东 without 管理权限 (after his own face check), and
//     logs out;
//  4. 姜军东 logs in at A and sees no 我的经办人; logs out;
//  5. 冯强 logs in at kiosk B and stays on his center; the enterprise, at
//     A, disables him (the last admin agent: asked twice);
//  6. 冯强's next action at B logs him out with the reason.
func TestJourneyCentersLong(t *testing.T) {
	f := newFixture(t)
	fengName, fengID, fengPhone := sampleTonghua.rep, sampleTonghua.id, sampleTonghua.phone
	a := startKiosk(t, f.deps)

	// 1. 自然人注册.
	a.openPersonRegister()
	a.fillRep(sampleTonghua.rep, sampleTonghua.id, sampleTonghua.period, sampleTonghua.from, fengPhone)
	a.requestCode()
	a.waitFor("验证码已发送至 187****2385")
	a.typeText(f.deliver(fengPhone))
	a.key(tea.KeyEnter)
	a.waitFor("确认密码")
	a.typeText(personPassword)
	a.key(tea.KeyTab)
	a.typeText(personPassword)
	a.key(tea.KeyEnter)
	a.waitFor("本人人脸核验")
	a.passFace()
	a.waitFor("✔ 自然人注册成功")
	if _, ok := f.person(fengID); !ok {
		t.Fatal("the natural person is not stored")
	}
	a.key(tea.KeyEsc) // the result page: esc goes home
	a.waitFor("欢迎使用单位服务自助终端")

	// 2. The enterprise adds him with 管理权限.
	a.agentsOpen()
	a.key(tea.KeyEnter) // 添加
	a.passFace()
	a.waitFor(a.text("field.id_type"))
	a.agentsFillAdd(fengName, fengID, sampleTonghua.period, sampleTonghua.from, "2027-11-30", true)
	a.waitFor(a.text("agents.added"))
	feng, ok := f.agentsIndexed(fengID)
	if !ok || !feng.Admin || feng.Phone != fengPhone {
		t.Fatalf("the first agent: %+v (stored %v)", feng, ok)
	}
	a.logoutFromAdded()

	// 3. 冯强 logs in, adds 姜军东 without 管理权限.
	a.agentAt(f, fengPhone, fengID, agentsNewPass)
	a.waitFor(a.text("center.agents"))
	a.click(center.TileZone("center.agents"))
	a.waitFor(a.text("agents.title"))
	a.click(center.AgentsButtonZone(center.AgentsAdd))
	a.passFace()
	a.waitFor(a.text("field.id_type"))
	a.agentsFillAdd(agentsJiangName, agentsJiangID, 3, agentsJiangFrom, "2027-11-30", false)
	a.waitFor(a.text("agents.added"))
	jiang, ok := f.agentsIndexed(agentsJiangID)
	if !ok || jiang.Admin {
		t.Fatalf("the second agent: %+v (stored %v)", jiang, ok)
	}
	if adds := f.agentsAudit("agents.add"); len(adds) != 2 || adds[1].Actor != "agent:"+feng.ID {
		t.Errorf("add audit %+v", adds)
	}
	a.logoutFromAdded()

	// 4. 姜军东 sees no 我的经办人 (at kiosk C, read when it is done).
	c := startKiosk(t, f.deps)
	c.agentAt(f, agentsJiangPhone, agentsJiangID, agentsNewPass)
	c.waitFor(c.text("center.agent_info"), c.text("center.change_password"), "姜**")
	if v := c.finish().View(); strings.Contains(v, c.text("center.agents")) || !strings.Contains(v, c.text("center.logout")) {
		t.Errorf("the agent without 管理权限 sees:\n%s", v)
	}

	// 5. 冯强 at kiosk B; the enterprise at A disables him.
	b := startKiosk(t, f.deps)
	b.agentAt(f, fengPhone, fengID, agentsNewPass)
	b.waitFor(b.text("center.agents"))
	a.agentsOpen()
	a.click(center.AgentsRowZone(f.agentsRow(feng.ID)))
	a.click(center.AgentsButtonZone(center.AgentsToggle))
	a.waitFor(agentsHead(a.text("agents.confirm_disable", "Name", "冯*")))
	a.agentsAnswer(true)
	a.waitFor(agentsHead(a.text("agents.last_admin_disable", "Name", "冯*")))
	a.agentsAnswer(true) // the second question: yes, still
	a.waitFor(a.text("agents.disabled", "Name", "冯*"))
	if got, _ := f.agentsRecord(feng.ID); got.Enabled {
		t.Fatal("not disabled")
	}

	// 6. His next action at B.
	b.key(tea.KeyRight)
	b.waitFor("欢迎使用单位服务自助终端", "已退出登录："+zh("error.agent.disabled"))
	rb := b.finish()
	if rb.Session() != nil || rb.Current() != route.Home.ID() {
		t.Fatalf("kiosk B at %s, session %v", rb.Current(), rb.Session())
	}
	ra := a.finish()
	if ra.Session() == nil || !ra.Session().IsEnterprise() {
		t.Error("the enterprise's login at A ended")
	}
	// He was told of each: registered, added, disabled.
	var texts []string
	for _, n := range f.notices(fengPhone) {
		texts = append(texts, n.Text)
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"自然人账号", "添加为经办人", "已停用您的经办人账号"} {
		if !strings.Contains(all, want) {
			t.Errorf("no notice with %q to the first agent:\n%s", want, all)
		}
	}
}

// agentsRow is the row of agent id in the enterprise's 我的经办人, as the
// use case lists them.
func (f *fixture) agentsRow(id string) int {
	f.t.Helper()
	rows, err := f.svc.ListAgents(f.t.Context(), f.otherLogin())
	if err != nil {
		f.t.Fatal(err)
	}
	for i, r := range rows {
		if r.ID == id {
			return i
		}
	}
	f.t.Fatalf("agent %s is not listed", id)
	return -1
}

// agentAt logs an agent of the fixture's enterprise in from home.
func (k *kiosk) agentAt(f *fixture, phone, id, password string) {
	k.t.Helper()
	k.clickHome("home.agent_login")
	k.waitFor(k.text("field.captcha"))
	k.agentLogin(entAccount, f.uscc, phone, id, password)
}

// logoutFromAdded goes from 添加经办人's result page back to the list, the
// center, and taps 退出.
func (k *kiosk) logoutFromAdded() {
	k.t.Helper()
	k.key(tea.KeyEnter) // 返回经办人列表
	k.waitFor(k.text("agents.col_window"))
	k.click(center.AgentsButtonZone(center.AgentsBack))
	k.waitFor(k.text("center.change_password"))
	k.click(center.Logout)
	k.waitFor("欢迎使用单位服务自助终端")
}
