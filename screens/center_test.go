package screens

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/screens/center"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// scopeTail is the last words of the long 经营范围 longScope stores: they
// show only once the page is scrolled to its end at 80×24.
const scopeTail = "以上经营项目依法须经批准的项目经相关部门批准后方可开展"

// longScope gives the fixture's enterprise the registry's 拓展信息 with a
// 经营范围 far longer than a small screen.
func longScope(t *testing.T, f *fixture) {
	t.Helper()
	err := f.store.Update(context.Background(), func(tx model.Tx) error {
		e, err := tx.Enterprises().Get(f.ent.ID)
		if err != nil {
			return err
		}
		e.Extended = model.Extended{
			RegisteredAddress: "北京市海淀区中关村大街1号星河大厦12层1201室",
			RegisteredCapital: "500万元人民币", RegisteredDate: day(2019, 3, 12),
			BusinessScope: strings.Repeat("技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务；"+
				"数据处理和存储支持服务；", 8) + scopeTail,
			CodeType: "统一社会信用代码", Industry: "软件和信息技术服务业", ApprovalDate: day(2024, 6, 18),
			ApprovalAuthority: "北京市海淀区市场监督管理局", RegistryStatus: "存续", EstablishedDate: day(2019, 3, 12),
			ElectronicLicense: "EL-1101082019031200123",
		}
		return tx.Enterprises().Put(e)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// centerLogin logs the fixture's enterprise in at k.
func (k *kiosk) centerLogin() {
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, entPassword)
	k.waitFor(k.text("center.change_legal_rep"))
}

// touchLogin logs an enterprise in by touch alone: 企业登录's tile, each
// field and 登录 tapped (only the text itself is typed).
func (k *kiosk) touchLogin(account, password string) {
	k.clickHome("home.enterprise_login")
	k.waitFor(k.text("field.captcha"))
	k.typeText(account)
	k.click(form.FieldZone("elogin", "password"))
	k.typeText(password)
	k.click(form.FieldZone("elogin", "captcha"))
	k.typeText(captchaText)
	k.waitFor("[" + captchaText)
	k.click(form.ButtonZone("elogin", form.ButtonNext))
	k.waitFor(k.text("center.change_password"))
}

// 企业中心 by touch alone: the menu's nine tiles, each info page with its
// fields, personal data masked, and 返回 back to the menu.
func TestJourneyCenterInfoPagesByTouch(t *testing.T) {
	f := newFixture(t)
	longScope(t, f)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, entPassword)
	k.waitFor("企业信息", "法人信息", "拓展信息", "修改手机号码", "修改密码", "企业信息变更", "法定代表人变更", "我的经办人", "退出")
	k.click(center.TileZone("center.enterprise_info"))
	k.waitFor(entName, f.uscc, "企业法人", entAccount, "正常")
	k.click(center.InfoBack)
	k.waitFor("法定代表人变更")

	k.click(center.TileZone("center.legal_rep_info"))
	k.waitFor("王**", "110108********123", "138****5678", "长期", "居民身份证")
	k.click(center.InfoBack)

	k.click(center.TileZone("center.extended_info"))
	k.waitFor("注册资本", "500万元人民币", "2019-03-12", "软件和信息技术服务业", "北京市海淀区市场监督管理局", "EL-1101082019031200123")
	r := k.finish()
	v := r.View()
	for _, clear := range []string{"王建国", "13812345678", f.ent.LegalRep.ID.Number} {
		if strings.Contains(v, clear) {
			t.Errorf("%q in clear on a center page", clear)
		}
	}
}

// At 80×24 the long 经营范围 scrolls with ↓ and with a tap on the ▼ line,
// 返回 always on screen, and every field reachable.
func TestJourneyExtendedInfoScrollsAt80x24(t *testing.T) {
	f := newFixture(t)
	longScope(t, f)
	k := startKioskAt(t, f.deps, 80, 24)
	k.centerLogin()
	k.click(center.TileZone("center.extended_info"))
	k.waitFor("注册地址", "▼", "返回")
	k.click(kit.ScrollZone("center-info:scroll", +1)) // a tap on ▼ turns a page
	k.waitFor("▲")
	for range 40 { // to the end: the last field, and 返回 still there
		k.key(tea.KeyDown)
	}
	k.waitFor("EL-1101082019031200123")
	k.key(tea.KeyEnter) // 返回
	k.waitFor("法定代表人变更")
}

// 经办人中心: the agent's own information masked, the enterprise's basic
// information only (no legal representative, no reserved phone), and 我的
// 经办人 only for an agent with 管理权限 as stored now.
func TestJourneyAgentCenterTiles(t *testing.T) {
	for _, admin := range []bool{false, true} {
		f := newFixture(t)
		if admin {
			setAgent(t, f, f.agent.ID, func(a *model.Agent) { a.Admin = true })
		}
		k := startKiosk(t, f.deps)
		k.clickHome("home.agent_login")
		k.waitFor("经办人身份证号")
		k.agentLogin(entAccount, f.uscc, agentPhone, f.agent.IDNumber, agentPass)
		k.waitFor("经办人信息", "李**", "139****4321", "企业法人", "修改密码", "退出")
		r := k.finish()
		v := r.View()
		if got := strings.Contains(v, "我的经办人"); got != admin {
			t.Errorf("admin %v: 我的经办人 shown %v", admin, got)
		}
		for _, hidden := range []string{"王**", "138****5678", "13987654321", "李晓明"} {
			if strings.Contains(v, hidden) {
				t.Errorf("agent center shows %q", hidden)
			}
		}
	}
}

// setAgent changes an agent in the store, as the enterprise would from
// another kiosk.
func setAgent(t *testing.T, f *fixture, id string, change func(a *model.Agent)) {
	t.Helper()
	err := f.store.Update(context.Background(), func(tx model.Tx) error {
		a, err := tx.Agents().Get(id)
		if err != nil {
			return err
		}
		change(&a)
		return tx.Agents().Put(a)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// An agent disabled, removed or out of its window while logged in is
// logged out at its next action, whatever it is, with a sentence on the
// home screen; a harmless key of a login that still stands changes
// nothing.
func TestJourneyAgentEndedAtNextAction(t *testing.T) {
	for _, c := range []struct {
		name   string
		why    string
		change func(t *testing.T, f *fixture)
	}{
		{"disabled", "经办人账号已停用，请联系企业管理员", func(t *testing.T, f *fixture) { setAgent(t, f, f.agent.ID, func(a *model.Agent) { a.Enabled = false }) }},
		{"window_ended", "经办人授权已过期，请联系企业重新授权", func(t *testing.T, f *fixture) {
			setAgent(t, f, f.agent.ID, func(a *model.Agent) { a.ValidTo = day(2026, 11, 26) })
		}},
		{"removed", "经办人授权已被企业删除，请联系企业管理员", func(t *testing.T, f *fixture) {
			if err := f.store.Update(context.Background(), func(tx model.Tx) error { return tx.Agents().Delete(f.agent.ID) }); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			k := startKiosk(t, f.deps)
			k.clickHome("home.agent_login")
			k.waitFor("经办人身份证号")
			k.agentLogin(entAccount, f.uscc, agentPhone, f.agent.IDNumber, agentPass)
			k.waitFor("经办人信息", "修改密码")
			k.key(tea.KeyRight) // still standing: the focus moves, nothing else
			k.waitFor("╔══")
			c.change(t, f)
			k.key(tea.KeyRight) // the next action
			k.waitFor("欢迎使用单位服务自助终端", "已退出登录："+c.why)
			r := k.finish()
			if r.Session() != nil || r.Current() != route.Home.ID() {
				t.Fatalf("still logged in at %s", r.Current())
			}
		})
	}
}

// The same for a use case refused under a login that has ended: the flow
// does not place the refusal on its form, it logs out.
func TestJourneyEnterpriseEndedOnSubmit(t *testing.T) {
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openChangePassword()
	k.typeFields(entPassword, changedPass)
	k.typeText(changedPass)
	// The password is reset from another kiosk meanwhile.
	err := f.store.Update(context.Background(), func(tx model.Tx) error {
		e, err := tx.Enterprises().Get(f.ent.ID)
		if err != nil {
			return err
		}
		e.SessionEpoch++
		return tx.Enterprises().Put(e)
	})
	if err != nil {
		t.Fatal(err)
	}
	k.key(tea.KeyEnter)
	k.waitFor("欢迎使用单位服务自助终端", "登录已失效，请重新登录")
	if r := k.finish(); r.Session() != nil {
		t.Fatal("still logged in")
	}
}

// The 80×24 page of 拓展信息 opens at its top: the last field is below
// the ▼ line, not drawn.
func TestExtendedInfoOpensAtTop(t *testing.T) {
	f := newFixture(t)
	longScope(t, f)
	r := newRoot(t, f.deps, 80, 24)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // 企业登录
	for _, v := range []string{entAccount, entPassword} {
		typeInto(r, v)
		feed(r, tea.KeyMsg{Type: tea.KeyTab})
	}
	typeInto(r, captchaText)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	feed(r, route.CenterInfo.Nav(route.CenterInfoParams{Section: center.SectionExtended}))
	v := r.View()
	if !strings.Contains(v, "注册地址") || !strings.Contains(v, "▼") || strings.Contains(v, "EL-1101082019031200123") {
		t.Fatalf("the page does not open at its top with more below:\n%s", v)
	}
	for range 3 {
		feed(r, tea.KeyMsg{Type: tea.KeyPgDown})
	}
	if v := r.View(); !strings.Contains(v, "EL-1101082019031200123") || !strings.Contains(v, "返回") {
		t.Fatalf("PgDn does not reach the end:\n%s", v)
	}
	checkRoot(t, r)
}

// A check of the login that answers after the login moved on (its own
// password change gave it a new epoch) does not end it.
func TestStaleLoginCheckKeepsTheNewerLogin(t *testing.T) {
	f := newFixture(t)
	r := newRoot(t, f.deps, 120, 40)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // 企业登录
	for _, v := range []string{entAccount, entPassword} {
		typeInto(r, v)
		feed(r, tea.KeyMsg{Type: tea.KeyTab})
	}
	typeInto(r, captchaText)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if r.Session() == nil {
		t.Fatal("not logged in")
	}
	_, cmd := r.Update(tea.KeyMsg{Type: tea.KeyRight}) // starts a check of this login
	s, err := f.svc.ChangePassword(context.Background(), *r.Session(), entPassword, changedPass)
	if err != nil {
		t.Fatal(err)
	}
	r.app.SetSession(&s) // as the 修改密码 flow does
	for _, m := range collect(cmd) {
		feed(r, m)
	}
	if r.Session() == nil || r.Current() != route.EnterpriseCenter.ID() {
		t.Fatalf("a stale check ended the login: at %s", r.Current())
	}
	feed(r, tea.KeyMsg{Type: tea.KeyRight}) // and a fresh check keeps it
	if r.Session() == nil {
		t.Fatal("the login ended")
	}
}
