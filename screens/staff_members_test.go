package screens

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/staffadmin"
	"kiosk/screens/form"
	"kiosk/screens/route"
	"kiosk/screens/staff"
)

// 工作人员管理 (管理员): add, disable, enable, reset, on the real root, with
// the store and the audit log asserted.

// staffRowOf selects the list row of username (rows are ordered by it).
func staffRowOf(t *testing.T, r *Root, f *fixture, username string) {
	t.Helper()
	all, err := f.staffDesk().Members(context.Background(), *r.Session())
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range all {
		if m.Username == username {
			staffTap(t, r, "staff-members:list:row:"+string(rune('0'+i)))
			return
		}
	}
	t.Fatalf("no row of %s", username)
}

func TestStaffMembersJourney(t *testing.T) {
	f := staffFixture(t)
	r := staffLoginAt(t, f, staffAdmin, 120, 40)
	admin := f.staffStaff(staffAdmin)
	staffOpen(t, r, staff.TileMembers)
	staffSees(t, r, staffAdmin, "张管理（本人）", staffCounter, "窗口工作人员", staffReviewer, "审核员")

	// 添加: username, name, role, initial password twice.
	staffTap(t, r, staffButton(staff.MembersID, staff.MembersAdd))
	if r.Current() != route.StaffAdd.ID() {
		t.Fatalf("添加 opened %s", r.Current())
	}
	typeRunes(r, "window07")
	r.Update(tea.KeyMsg{Type: tea.KeyTab})
	typeRunes(r, "刘窗口")
	r.Update(tea.KeyMsg{Type: tea.KeyTab})
	staffTap(t, r, form.OptionZone(staff.AddForm, staff.FieldRole, 1)) // 审核员
	formOf(t, r).Focus(staff.FieldNewPassword)
	typeRunes(r, "Tq8$vLm2#Rw")
	r.Update(tea.KeyMsg{Type: tea.KeyTab})
	typeRunes(r, "Tq8$vLm2#Rw")
	staffTap(t, r, form.ButtonZone(staff.AddForm, form.ButtonNext))
	staffSees(t, r, "已添加工作人员 window07（审核员）")
	st := f.staffStaff("window07")
	if st.Role != model.StaffReviewer || st.Disabled || st.Name != "刘窗口" {
		t.Fatalf("added: %+v", st)
	}
	if rec, ok := f.staffAuditOf(staffadmin.AuditStaffAdd); !ok || rec.Actor != "staff:"+admin.ID || rec.Subject != "staff:"+st.ID {
		t.Fatalf("add audited as %+v", rec)
	}
	if _, err := f.auth.LoginStaff(context.Background(), "window07", "Tq8$vLm2#Rw"); err != nil {
		t.Fatalf("the new staff member cannot log in: %v", err)
	}
	staffTap(t, r, staffButton(staff.AddForm+"-done", "back"))
	if r.Current() != route.StaffMembers.ID() {
		t.Fatalf("after 添加: %s", r.Current())
	}

	// A second add of the same username is refused on the form.
	staffTap(t, r, staffButton(staff.MembersID, staff.MembersAdd))
	fm := formOf(t, r)
	fm.SetValue(staff.FieldMemberUser, "WINDOW07")
	fm.SetValue(staff.FieldMemberName, "刘窗口")
	fm.SetValue(staff.FieldRole, string(model.StaffCounter))
	fm.SetValue(staff.FieldNewPassword, "Tq8$vLm2#Rw")
	fm.SetValue(staff.FieldNewConfirm, "Tq8$vLm2#Rw")
	staffTap(t, r, form.ButtonZone(staff.AddForm, form.ButtonNext))
	staffSees(t, r, "该工作人员账号已被使用")
	staffKeys(r, tea.KeyEsc)
	staffTap(t, r, "staff-add-confirm:leave")

	// 停用 after the confirm, then 启用.
	if r.Current() != route.StaffMembers.ID() {
		t.Fatalf("back from 添加: %s", r.Current())
	}
	staffRowOf(t, r, f, "window07")
	staffTap(t, r, staffButton(staff.MembersID, staff.MembersToggle))
	staffSees(t, r, "确定停用工作人员 window07 吗？")
	staffTap(t, r, staffAsk(staff.MembersAskID, staff.AskOK))
	staffSees(t, r, "已停用工作人员 window07", "已停用")
	if !f.staffStaff("window07").Disabled {
		t.Fatal("not disabled in the store")
	}
	if rec, ok := f.staffAuditOf(staffadmin.AuditStaffDisable); !ok || rec.Actor != "staff:"+admin.ID {
		t.Fatalf("disable audited as %+v", rec)
	}
	staffTap(t, r, staffButton(staff.MembersID, staff.MembersToggle))
	staffSees(t, r, "确定启用工作人员 window07 吗？")
	staffTap(t, r, staffAsk(staff.MembersAskID, staff.AskOK))
	staffSees(t, r, "已启用工作人员 window07")
	if f.staffStaff("window07").Disabled {
		t.Fatal("not enabled in the store")
	}

	// 重置密码: the new password works at once.
	staffTap(t, r, staffButton(staff.MembersID, staff.MembersReset))
	if r.Current() != route.StaffReset.ID() {
		t.Fatalf("重置密码 opened %s", r.Current())
	}
	staffSees(t, r, "为工作人员 window07 设置新密码")
	typeRunes(r, "Zp4!kWn9@Ce")
	r.Update(tea.KeyMsg{Type: tea.KeyTab})
	typeRunes(r, "Zp4!kWn9@Ce")
	staffTap(t, r, form.ButtonZone(staff.ResetForm, form.ButtonNext))
	staffSees(t, r, "已重置工作人员 window07 的密码")
	if _, err := f.auth.LoginStaff(context.Background(), "window07", "Zp4!kWn9@Ce"); err != nil {
		t.Fatalf("the reset password does not work: %v", err)
	}
	if rec, ok := f.staffAuditOf(staffadmin.AuditStaffResetPassword); !ok || rec.Actor != "staff:"+admin.ID {
		t.Fatalf("reset audited as %+v", rec)
	}
}

// TestStaffMembersNotSelf: on the 管理员's own row 停用 and 重置密码 are
// off; a reviewer never reaches the screen (the guard), and the use case
// refuses a reviewer anyway.
func TestStaffMembersNotSelf(t *testing.T) {
	f := staffFixture(t)
	r := staffLoginAt(t, f, staffAdmin, 120, 40)
	staffOpen(t, r, staff.TileMembers)
	staffRowOf(t, r, f, staffAdmin)
	staffTap(t, r, staffButton(staff.MembersID, staff.MembersToggle))
	staffTap(t, r, staffButton(staff.MembersID, staff.MembersReset))
	if r.Current() != route.StaffMembers.ID() || f.staffStaff(staffAdmin).Disabled {
		t.Fatalf("the 管理员 acted on themselves: %s", r.Current())
	}
	rev := f.staffSession(staffReviewer)
	if _, err := f.staffDesk().Members(context.Background(), rev); err == nil {
		t.Fatal("a reviewer listed the staff")
	}
	r = staffLoginAt(t, f, staffReviewer, 120, 40)
	feed(r, route.StaffMembers.Nav(struct{}{}))
	if r.Current() != route.StaffHome.ID() {
		t.Fatalf("a reviewer reached %s", r.Current())
	}
}

// TestStaffDisabledWhileLoggedIn: a 管理员 disabled by another while
// logged in is logged out at the next screen, with the reason.
func TestStaffDisabledWhileLoggedIn(t *testing.T) {
	f := staffFixture(t)
	r := staffLoginAt(t, f, staffAdmin2, 120, 40)
	if err := f.staffDesk().SetMemberDisabled(context.Background(), f.staffSession(staffAdmin), staffAdmin2, true); err != nil {
		t.Fatal(err)
	}
	staffOpen(t, r, staff.TileMembers)
	if r.Session() != nil || r.Current() != route.Home.ID() {
		t.Fatalf("a disabled 管理员 stays: %s %+v", r.Current(), r.Session())
	}
	staffSees(t, r, "登录已失效")
}
