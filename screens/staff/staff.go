// Package staff is the staff console (staff mode, SPEC §1 "Staff console",
// manual §五(二)): the staff login opened by the staff key chord, the staff
// home, 企业查询与解锁, 短信发送异常, 审计日志, 终端状态, 工作人员管理
// (管理员 only) and the place of 申诉处理. Every screen acts through a use case that
// checks the staff login and its role again (model.StaffStands,
// staffdesk.Roles); the route guards (Guard) and the tiles only hide
// what those would refuse. Everything drawn from the store is sanitised
// (kit.List and widget.InfoLines do it) and personal data is masked
// unless the counter needs it whole.
package staff

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/staffdesk"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// Guard is the route guard of a part of the console: a staff member whose
// role staffdesk.Roles allows for it.
func Guard(svc staffdesk.Service) func(*model.Session) bool {
	return kit.Staff(staffdesk.Roles(svc)...)
}

// RoleLabel names a staff role (an empty one is the counter's).
func RoleLabel(r model.StaffRole) i18n.Text {
	switch r {
	case model.StaffReviewer:
		return i18n.T("staff.role.reviewer")
	case model.StaffAdmin:
		return i18n.T("staff.role.admin")
	}
	return i18n.T("staff.role.counter")
}

// Answers of the console's confirm dialogs (zone ids "<dialog id>:ok").
const (
	AskOK     = "ok"
	AskCancel = "cancel"
)

// errNoDesk: the kiosk was built without the console's use cases.
var errNoDesk = model.ErrUnavailable

// who is the staff login of the visit (the route guard made sure of it).
func who(a *kit.App) model.Session {
	if s := a.Session(); s != nil {
		return *s
	}
	return model.Session{}
}

// failed takes a use case's error: a staff login that has ended (disabled
// meanwhile) logs out with its sentence; anything else is a sentence for
// the page and its voice prompt.
func failed(a *kit.App, what string, err error) (i18n.Text, tea.Cmd) {
	if cmd := kit.Ended(err); cmd != nil {
		return i18n.Text{}, cmd
	}
	if errors.Is(err, model.ErrStaffForbidden) {
		return model.UserMessage(err), kit.Play(kit.ErrorPrompt(err))
	}
	return a.Fail(what, err)
}

// page is how every console screen is laid out: its title, the body, the
// sentence of the last action (an error or a success), the buttons.
type page struct {
	title   string // catalog id
	body    []string
	errMsg  i18n.Text
	notice  i18n.Text
	working string // the loader's view, "" when idle
	buttons []string
}

// render draws p for a screen of w cells (0: not sized yet).
func (p page) render(a *kit.App, w int) string {
	st := a.St
	tw := 1 << 16
	if w > 0 {
		tw = max(w-4, 20)
	}
	out := []string{"", "  " + st.Title.Render(a.S(p.title)), ""}
	out = append(out, p.body...)
	if msg := p.messages(a, tw); len(msg) > 0 {
		out = append(append(out, ""), msg...)
	}
	out = append(out, "")
	for _, l := range p.buttons {
		out = append(out, "  "+l)
	}
	return strings.Join(out, "\n")
}

// messages are the page's sentence lines, wrapped to w.
func (p page) messages(a *kit.App, w int) []string {
	var out []string
	switch {
	case !p.errMsg.IsZero():
		for _, l := range widget.Wrap(a.T(p.errMsg), w) {
			out = append(out, "  "+a.St.Error.Render(l))
		}
	case !p.notice.IsZero():
		for _, l := range widget.Wrap(a.T(p.notice), w) {
			out = append(out, "  "+a.St.Success.Render(l))
		}
	}
	if p.working != "" {
		out = append(out, "  "+p.working)
	}
	return out
}

// buttonLines draws a row boxed where there is room, else on one line.
func buttonLines(row *kit.ButtonRow, w, h int) []string {
	bw := 1 << 16
	if w > 0 {
		bw = max(w-4, 20)
	}
	lines := row.Boxed(bw)
	if len(lines) > widget.BoxButtonRows && h > 0 && h < 30 {
		return []string{row.View()}
	}
	return lines
}

// backHelp is esc with its help.
func backHelp(a *kit.App) key.Binding { return a.Keys.Back }

// kick wakes the SMS worker (a message queued again).
func kick(a *kit.App) tea.Cmd {
	ob := a.Deps.Outbox
	if ob == nil {
		return nil
	}
	return func() tea.Msg { ob.Kick(); return nil }
}

// newForm is a one-page form of the console (not a flow: nothing to wipe
// but a look-up's key, and no captcha): Submitted on its primary button,
// Cancelled on its other one and esc.
func newForm(a *kit.App, id, submit, cancel string, fields ...form.Field) *form.Form {
	return form.New(form.Config{ID: id, SubmitLabel: submit, CancelLabel: cancel, Styles: a.St, Keys: a.Keys,
		Zones: a.Zones, Tasks: a, Sprites: a.Sprites, Text: a.T, Lang: a.Lang,
		Steps: []form.Step{{Fields: fields}}})
}

// para is a sentence wrapped to the screen, indented, in style.
func para(a *kit.App, t i18n.Text, w int, style func(...string) string) []string {
	tw := 1 << 16
	if w > 0 {
		tw = max(w-4, 20)
	}
	var out []string
	for _, l := range widget.Wrap(a.T(t), tw) {
		out = append(out, "  "+style(l))
	}
	return out
}
