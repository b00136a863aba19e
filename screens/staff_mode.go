package screens

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/screens/kit"
	"kiosk/screens/route"
	"kiosk/screens/staff"
)

// Staff mode in the root: the chord that opens the staff login, the staff
// home in place of the visitors' home while a staff member is logged in,
// and staff mode's own idle limit (kit.StaffIdleLimit).

// staffMode follows the keys typed towards the staff chord, and whether
// staff mode has said that it began.
type staffMode struct {
	chord   *kit.ChordMatcher
	greeted bool
}

// newStaffMode reads the configured chord (main has checked it; a bad one
// here is a defect of the caller, logged, and the default chord applies).
func newStaffMode(a *kit.App) staffMode {
	spec := a.Deps.StaffChord
	if spec == "" {
		spec = kit.DefaultStaffChord
	}
	c, err := kit.ParseChord(spec)
	if err != nil {
		a.Deps.Log.Error("staff chord refused, the default applies", "err", err, "kiosk", a.Deps.KioskID)
		c, _ = kit.ParseChord(kit.DefaultStaffChord)
	}
	return staffMode{chord: kit.NewChordMatcher(c)}
}

// staffKey takes every key before the screen does: when it completes the
// chord it is swallowed (ok) and staff mode is asked for.
func (r *Root) staffKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	if r.staff.chord == nil || !r.staff.chord.Key(msg, r.now()) {
		return nil, false
	}
	return r.enterStaff(), true
}

// enterStaff opens the staff login on a fresh history, unless someone is
// using the kiosk: a login (enterprise or agent) must log out first, and a
// visitor who has typed into a flow is never wiped by it; the notice line
// says so and nothing else happens. In staff mode the chord does nothing.
func (r *Root) enterStaff() tea.Cmd {
	s := r.app.Session()
	switch {
	case s.IsStaff() || r.curID == route.StaffLogin.ID():
		return nil
	case s != nil:
		r.notice = i18n.T("staff.chord_logged_in")
		return nil
	}
	if t, ok := r.cur.(interface{ Typed() bool }); ok && t.Typed() {
		r.notice = i18n.T("staff.chord_busy")
		return nil
	}
	r.phone.clear() // the last visitor's codes are nobody's business
	return r.navigate(route.StaffLogin.Nav(kit.None{}), true)
}

// staffHomeInstead shows the staff home wherever the visitors' home would
// show while a staff member is logged in (返回, a result page's esc, a
// refused route): staff mode is left only by 退出, or idle.
func (r *Root) staffHomeInstead(n kit.Navigate, e kit.Entry) (kit.Navigate, kit.Entry) {
	if n.To() != route.Home.ID() || !r.app.Session().IsStaff() {
		return n, e
	}
	r.history = nil
	return route.StaffHome.Nav(kit.None{}), r.routes[route.StaffHome.ID()]
}

// idleTimeout is how long the kiosk waits without input before the idle
// countdown: a staff login leaves at kit.StaffIdleLimit, countdown
// included.
func (r *Root) idleTimeout() time.Duration {
	if r.app.Session().IsStaff() {
		return max(kit.StaffIdleLimit-r.app.Deps.IdleCountdown, time.Second)
	}
	return r.app.Deps.IdleTimeout
}

// staffIdle re-arms the idle timer for a staff login that has just
// started (its limit is not the visitors').
func (r *Root) staffIdle() tea.Cmd {
	if !r.app.Session().IsStaff() {
		return nil
	}
	return r.scheduleIdle(r.idleTimeout() - r.now().Sub(r.lastInput))
}

// staffPrompt is the entry prompt to play: a staff login hears "已进入工作人员
// 模式" once, on the staff home after logging in, and nothing on the staff
// login or the console's other screens (a counter needs no guidance, and the visitors
// around need not hear the console). Visitors hear every prompt.
func (r *Root) staffPrompt(prompt string) string {
	if r.curID == route.StaffLogin.ID() {
		return "" // the chord is nobody else's business
	}
	if !r.app.Session().IsStaff() {
		r.staff.greeted = false
		return prompt
	}
	if r.staff.greeted || r.curID != route.StaffHome.ID() {
		return ""
	}
	r.staff.greeted = true
	return prompt
}

// staffRoleLabel names a staff role in the header.
func staffRoleLabel(role model.StaffRole) i18n.Text { return staff.RoleLabel(role) }
