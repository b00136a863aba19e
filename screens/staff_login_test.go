package screens

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model"
	"kiosk/screens/kit"
	"kiosk/screens/login"
	"kiosk/screens/route"
	"kiosk/screens/staff"
)

// The way into staff mode: the chord (no button anywhere), the staff
// login with its captcha and lockout, and the staff home.

// TestStaffChordOpensLogin: the chord opens the staff login from the home
// screen, and from a page where nothing was typed; the home screen has no
// way into staff mode; the login leads to the staff home.
func TestStaffChordOpensLogin(t *testing.T) {
	f := staffFixture(t)
	r := newRoot(t, f.deps, 120, 40)
	for _, s := range []string{"工作人员模式", "工作人员登录", "staff"} {
		if strings.Contains(ansi.Strip(r.View()), s) {
			t.Fatalf("the home screen shows %q", s)
		}
	}
	// A near miss does nothing.
	feed(r, tea.KeyMsg{Type: tea.KeyCtrlS})
	feed(r, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s"), Alt: true})
	if r.Current() != route.Home.ID() {
		t.Fatalf("a near miss opened %s", r.Current())
	}
	feed(r, toEnterpriseLogin) // nothing typed: the chord may leave it
	staffLoginOn(t, r, staffCounter, staffCounterPw)
	if r.Current() != route.StaffHome.ID() || !r.Session().IsStaff(model.StaffCounter) {
		t.Fatalf("after the staff login: %s %+v", r.Current(), r.Session())
	}
	staffSees(t, r, "工作人员模式", "当前登录：工作人员 演示客服（窗口工作人员）", "企业查询与解锁", "短信发送异常", "审计日志", "退出")
	v := ansi.Strip(r.View())
	if strings.Contains(v, "工作人员管理") || strings.Contains(v, "申诉处理") {
		t.Errorf("a counter clerk sees what is not theirs:\n%s", v)
	}
	// 返回 and 返回首页 stay in staff mode; the chord does nothing there.
	feed(r, kit.Back{})
	feed(r, kit.Home{})
	feed(r, staffChordKey)
	if r.Current() != route.StaffHome.ID() || !r.Session().IsStaff() {
		t.Fatalf("staff mode left by back/home/chord: %s", r.Current())
	}
	if rec, ok := f.staffAuditOf("login.staff"); !ok || rec.Actor != "staff:"+f.staffStaff(staffCounter).ID {
		t.Errorf("login audited as %+v", rec)
	}
	// 退出 logs out to the visitors' home.
	staffOpen(t, r, staff.TileLogout)
	if r.Current() != route.Home.ID() || r.Session() != nil {
		t.Fatalf("退出: %s %+v", r.Current(), r.Session())
	}
	eventually(t, "the staff logout audited", func() bool { return hasAudit(f.audit(), "logout", "ok") })
}

// TestStaffChordRespectsTheVisitor: a visitor who typed into a flow, or a
// logged-in enterprise, is never pushed out by the chord: the notice line
// says to finish first, and what was typed stays.
func TestStaffChordRespectsTheVisitor(t *testing.T) {
	f := staffFixture(t)
	r := newRoot(t, f.deps, 120, 40)
	feed(r, toEnterpriseLogin)
	typeRunes(r, entAccount)
	feed(r, staffChordKey)
	if r.Current() != route.EnterpriseLogin.ID() || formOf(t, r).Value(login.FieldIdentifier) != entAccount {
		t.Fatalf("the chord pushed a visitor out: %s", r.Current())
	}
	staffSees(t, r, "有访客正在办理业务")

	r = newRoot(t, f.deps, 120, 40)
	feed(r, toEnterpriseLogin)
	typeRunes(r, entAccount)
	r.Update(tea.KeyMsg{Type: tea.KeyTab})
	typeRunes(r, entPassword)
	r.Update(tea.KeyMsg{Type: tea.KeyTab})
	typeRunes(r, captchaText)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if !r.Session().IsEnterprise() {
		t.Fatalf("enterprise login failed: %s", r.Current())
	}
	feed(r, staffChordKey)
	if !r.Session().IsEnterprise() || r.Current() != route.EnterpriseCenter.ID() {
		t.Fatalf("the chord ended an enterprise login: %s", r.Current())
	}
	staffSees(t, r, "当前有用户已登录")
}

// TestStaffLoginLockout: wrong passwords say the tries left, the fifth
// locks the staff member until a time, and then even the right password
// is refused; the lock and every attempt are in the store.
func TestStaffLoginLockout(t *testing.T) {
	f := staffFixture(t)
	r := newRoot(t, f.deps, 120, 40)
	feed(r, staffChordKey)
	for i := 1; i <= model.MaxFailures; i++ {
		fm := formOf(t, r)
		fm.SetValue(staff.FieldUsername, staffReviewer)
		fm.SetValue(staff.FieldPassword, "Wrong#Pass2026")
		fm.SetValue(staff.FieldCaptcha, captchaText)
		fm.Focus(staff.FieldCaptcha)
		feed(r, tea.KeyMsg{Type: tea.KeyEnter})
		if i < model.MaxFailures {
			staffSees(t, r, "账号或密码错误，还可尝试 "+string(rune('0'+model.MaxFailures-i))+" 次")
		}
		if fm.Value(staff.FieldPassword) != "" {
			t.Fatal("the wrong password stays in the form")
		}
	}
	until := f.clock.Now().Add(model.BaseLock).Format("15:04")
	staffSees(t, r, "账号已锁定，请于 "+until+" 后重试")
	fm := formOf(t, r)
	fm.SetValue(staff.FieldPassword, staffPw)
	fm.SetValue(staff.FieldCaptcha, captchaText)
	fm.Focus(staff.FieldCaptcha)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if r.Session() != nil || r.Current() != route.StaffLogin.ID() {
		t.Fatalf("a locked staff member got in: %s", r.Current())
	}
	staffSees(t, r, "账号已锁定")
	l, _ := readTx(f.store, func(tx model.Tx) (model.Lockout, error) {
		return tx.Lockouts().Get(model.StaffLockKey(staffReviewer))
	})
	if !l.LockedUntil.Equal(f.clock.Now().Add(model.BaseLock)) {
		t.Errorf("lockout record: %+v", l)
	}
	if f.auditCount("login.staff", "locked") < 2 || f.auditCount("login.staff", "fail") != model.MaxFailures-1 {
		t.Errorf("attempts audited: %d locked, %d fail", f.auditCount("login.staff", "locked"), f.auditCount("login.staff", "fail"))
	}
	// A wrong picture captcha never reaches the use case.
	before := f.auditCount("login.staff", "")
	fm.SetValue(staff.FieldPassword, staffPw)
	fm.SetValue(staff.FieldCaptcha, "ZZZZ")
	fm.Focus(staff.FieldCaptcha)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if f.auditCount("login.staff", "") != before {
		t.Error("a wrong captcha was checked against the password")
	}
}
