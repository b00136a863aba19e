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
	"github.com/charmbracelet/x/ansi"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
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

// textWidth is the width of a page's text on a screen of w cells (0: not
// sized yet, as wide as it comes): the screen but the margins.
func textWidth(w int) int {
	if w > 0 {
		return max(w-4, 20)
	}
	return 1 << 16
}

// infoWidth is the width of a detail's fields (widget.InfoLines), which
// stand indented further than the text.
func infoWidth(w int) int {
	if w > 0 {
		return max(w-8, 20)
	}
	return 1 << 16
}

// render draws p for a screen of w cells (0: not sized yet).
func (p page) render(a *kit.App, w int) string {
	st := a.St
	tw := textWidth(w)
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
	lines := row.Boxed(textWidth(w))
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
	var out []string
	for _, l := range widget.Wrap(a.T(t), textWidth(w)) {
		out = append(out, "  "+style(l))
	}
	return out
}

// fitColumns are a list's columns titled by the catalog ids titles: each
// as wide as its title or its widest cell (sanitised, as kit.List draws
// it) and at most most[i] cells; a column whose most is 0 is flexible and
// takes what the others leave.
func fitColumns(a *kit.App, titles []string, cells [][]string, most []int) []kit.Column {
	cols := make([]kit.Column, len(titles))
	for i, t := range titles {
		cols[i] = kit.Column{Title: t}
		if most[i] == 0 {
			continue // flexible
		}
		w := ansi.StringWidth(a.S(t))
		for _, row := range cells {
			w = max(w, ansi.StringWidth(rules.Sanitize(row[i])))
		}
		cols[i].Width = min(w, most[i])
	}
	return cols
}

// relist is a new list of cells (empty: the catalog id it shows when there
// are none) that keeps the selection of old (nil: the first row).
func relist(a *kit.App, old *kit.List, id, empty string, cols []kit.Column, cells [][]string) *kit.List {
	sel := 0
	if old != nil {
		sel = old.Selected()
	}
	l := kit.NewList(a, id, cols...)
	l.Empty = empty
	l.SetRows(cells)
	l.Select(sel)
	return l
}

// listKeys is what a list page does with msg before its buttons: esc goes
// back, ↑/↓ and the pages move the selection (buttons follows it) and a
// tap on a row opens it. done is false for a message it leaves alone.
func listKeys(a *kit.App, list *kit.List, msg tea.Msg, buttons func(), open func() tea.Cmd) (cmd tea.Cmd, done bool) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, a.Keys.Back) {
		return kit.GoBack, true
	}
	if moved, tapped := list.Move(msg); moved {
		buttons()
		if tapped >= 0 {
			return open(), true
		}
		return nil, true
	}
	return nil, false
}

// listBelow is body with the list below it, sized to what p leaves it on
// a screen of w×h cells (0: not sized yet), at most most rows high.
func (p page) listBelow(a *kit.App, list *kit.List, body []string, w, h, most int) []string {
	listH := 12
	if h > 0 {
		msg := len(p.messages(a, textWidth(w)))
		listH = h - 4 - len(body) - len(p.buttons) - msg
		if msg > 0 {
			listH--
		}
	}
	list.SetSize(w, min(max(listH, 3), most))
	return append(body, list.View())
}

// fillScroll puts lines, indented, in sc, sized so that p's sentences and
// buttons always show below it on a screen of w×h cells (0: not sized
// yet).
func (p page) fillScroll(a *kit.App, sc *kit.Scroll, lines []string, w, h int) {
	for i, l := range lines {
		lines[i] = "    " + l
	}
	if h > 0 {
		sc.SetHeight(h - 5 - len(p.buttons) - len(p.messages(a, max(w-4, 20))))
	}
	sc.SetLines(lines)
}
