package screens

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model"
	"kiosk/model/staffdesk"
	"kiosk/screens/kit"
	"kiosk/screens/route"
	"kiosk/screens/staff"
)

// Who reaches which staff screen: every staff route walked as a visitor,
// an enterprise, an agent, a counter clerk, a reviewer and a 管理员. The
// route guard sends anyone else away (the visitors' home, or the staff
// home for a staff member); the tiles show exactly what the guards allow.

// staffRoutes are the console's routes with the params they open with.
var staffRoutes = []kit.Navigate{
	route.StaffLogin.Nav(kit.None{}),
	route.StaffHome.Nav(kit.None{}),
	route.StaffAppeals.Nav(kit.None{}),
	route.StaffEnterprise.Nav(kit.None{}),
	route.StaffSMS.Nav(kit.None{}),
	route.StaffAudit.Nav(kit.None{}),
	route.StaffMembers.Nav(kit.None{}),
	route.StaffAdd.Nav(kit.None{}),
	route.StaffReset.Nav(route.StaffResetParams{Username: staffReviewer}),
	route.StaffFleet.Nav(kit.None{}),
}

func TestStaffRouteGuards(t *testing.T) {
	f := staffFixture(t)
	who := map[string]*model.Session{
		"visitor":    nil,
		"enterprise": {Kind: model.SessionEnterprise, EnterpriseID: f.ent.ID, EnterpriseName: entName, Admin: true},
		"agent":      {Kind: model.SessionAgent, EnterpriseID: f.ent.ID, AgentID: f.agent.ID, Admin: true},
	}
	for _, u := range []string{staffCounter, staffReviewer, staffAdmin} {
		s := f.staffSession(u)
		who[u] = &s
	}
	// What the issue asks, spelt out (✓ reaches the screen).
	want := map[string]string{ //        login home appeals ent sms audit members add reset fleet
		"visitor":     "✓---------",
		"enterprise":  "----------",
		"agent":       "----------",
		staffCounter:  "-✓-✓✓✓---✓",
		staffReviewer: "-✓✓✓-✓----",
		staffAdmin:    "-✓✓✓✓✓✓✓✓✓",
	}
	for name, s := range who {
		got := ""
		for _, n := range staffRoutes {
			r := newRoot(t, f.deps, 120, 40)
			r.app.SetSession(s)
			feed(r, n)
			if r.Current() == n.To() {
				got += "✓"
			} else {
				got += "-"
				home := route.Home.ID()
				if s.IsStaff() {
					home = route.StaffHome.ID()
				}
				if r.Current() != home {
					t.Errorf("%s refused %s to %s, want %s", name, n.To(), r.Current(), home)
				}
			}
		}
		if got != want[name] {
			t.Errorf("%s reaches %s, want %s", name, got, want[name])
		}
	}
	// The guards are the use cases' table.
	for _, svc := range []staffdesk.Service{staffdesk.Appeals, staffdesk.Outbox, staffdesk.Members, staffdesk.Kiosks} {
		for _, u := range []string{staffCounter, staffReviewer, staffAdmin} {
			if staff.Guard(svc)(who[u]) != staffdesk.Allowed(who[u], svc) {
				t.Errorf("guard and use case disagree on %s for %s", svc, u)
			}
		}
	}
	// The tiles: what the guards allow, and 退出.
	for u, tiles := range map[string][]string{
		staffCounter:  {staff.TileEnterprise, staff.TileSMS, staff.TileAudit, staff.TileFleet, staff.TileLogout},
		staffReviewer: {staff.TileAppeals, staff.TileEnterprise, staff.TileAudit, staff.TileLogout},
		staffAdmin: {staff.TileAppeals, staff.TileEnterprise, staff.TileSMS, staff.TileAudit, staff.TileFleet, staff.TileMembers,
			staff.TileLogout},
	} {
		if got := staff.Tiles(who[u]); strings.Join(got, " ") != strings.Join(tiles, " ") {
			t.Errorf("%s's tiles: %v, want %v", u, got, tiles)
		}
	}
	r := staffLoginAt(t, f, staffReviewer, 120, 40)
	if v := ansi.Strip(r.View()); strings.Contains(v, "工作人员管理") || strings.Contains(v, "短信发送异常") {
		t.Errorf("a reviewer's home:\n%s", v)
	}
}

// TestStaffScreensRefuseWithoutGuard: a staff screen built for someone its
// guard would refuse (as if the guard were wrong) gets nothing from its use
// case: a reviewer's 工作人员管理 and 短信发送异常, and an enterprise's
// 审计日志, show the refusal and no data.
func TestStaffScreensRefuseWithoutGuard(t *testing.T) {
	f := staffFixture(t)
	f.staffDead("dead1", "13812345678")
	rev := f.staffSession(staffReviewer)
	ent := model.Session{Kind: model.SessionEnterprise, EnterpriseID: f.ent.ID, Admin: true}
	for _, tc := range []struct {
		name  string
		s     *model.Session
		build func(a *kit.App) kit.Screen
		never string
		act   func(r *Root)
	}{
		{"members as reviewer", &rev, func(a *kit.App) kit.Screen { return staff.NewMembers(a, kit.None{}) }, staffAdmin, nil},
		{"sms as reviewer", &rev, func(a *kit.App) kit.Screen { return staff.NewSMS(a, kit.None{}) }, "138****5678", nil},
		{"audit as enterprise", &ent, func(a *kit.App) kit.Screen { return staff.NewAudit(a, kit.None{}) }, "seed.demo", nil},
		{"enterprise as enterprise", &ent, func(a *kit.App) kit.Screen { return staff.NewEnterprise(a, kit.None{}) }, entName,
			func(r *Root) { typeRunes(r, entAccount); feed(r, tea.KeyMsg{Type: tea.KeyEnter}) }},
	} {
		r := newRoot(t, f.deps, 120, 40)
		r.app.SetSession(tc.s)
		r.app.BeginVisit()
		r.cur = tc.build(r.app)
		r.resize()
		for _, m := range collect(r.app.Scope().Wrap(r.cur.Init())) {
			feed(r, m)
		}
		if tc.act != nil {
			tc.act(r)
		}
		v := ansi.Strip(r.View())
		if strings.Contains(v, tc.never) {
			t.Errorf("%s: data shown:\n%s", tc.name, v)
		}
		if !strings.Contains(v, "无权") {
			t.Errorf("%s: no refusal shown:\n%s", tc.name, v)
		}
	}
	// The enterprise look-up refuses an enterprise login too.
	if _, err := f.auth.LookupEnterprise(t.Context(), ent, f.uscc); !errors.Is(err, model.ErrStaffForbidden) {
		t.Errorf("look-up as an enterprise: %v", err)
	}
}
