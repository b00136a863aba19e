package staff

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/staffdesk"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// How 审计日志 is drawn: the list (time, kiosk, action, actor, outcome) in
// the visit's language, the filter, and one record's detail.

// build makes the list: time and kiosk as wide as they come (the kiosk at
// most 14 cells), action and actor share the rest.
func (s *auditScreen) build() {
	a := s.a
	loc := a.Now().Location()
	cells := make([][]string, len(s.page.Entries))
	for i, e := range s.page.Entries {
		r := e.Record
		cells[i] = []string{r.Time.In(loc).Format("01-02 15:04:05"), r.Kiosk, r.Action, actorOf(a, e), r.Outcome}
	}
	titles := []string{"staff.audit.col_time", "staff.audit.col_kiosk", "staff.audit.col_action",
		"staff.audit.col_actor", "staff.audit.col_outcome"}
	cols := fitColumns(a, titles, cells, []int{14, 14, 0, 0, 14})
	s.list = relist(a, s.list, AuditListID, "staff.audit.empty", cols, cells)
	s.lang = a.Lang()
}

func (s *auditScreen) View() string {
	if s.lang != s.a.Lang() {
		s.build()
	}
	switch s.phase {
	case auditFiltering:
		p := page{title: "staff.audit.filter_title", errMsg: s.errMsg}
		p.body = strings.Split(kit.Indent(s.form.View(), "  "), "\n")
		return p.render(s.a, s.w)
	case auditDetail:
		return s.detailView()
	}
	return s.listPage().render(s.a, s.w)
}

// listPage is the list's page: the filter's summary and the list, sized
// to what the page leaves it.
func (s *auditScreen) listPage() page {
	p := page{title: "staff.audit.title", errMsg: s.errMsg, buttons: buttonLines(&s.row, s.w, s.h)}
	body := para(s.a, i18n.Raw(s.summary()), s.w, s.a.St.Muted.Render)
	switch {
	case s.load.Running():
		body = append(body, "  "+s.load.View())
	case s.ok:
		body = p.listBelow(s.a, s.list, body, s.w, s.h, 14)
	}
	p.body = body
	return p
}

// actorOf is the list's actor: a staff member by username, anyone else as
// recorded.
func actorOf(a *kit.App, e staffdesk.AuditEntry) string {
	if e.Staff != "" {
		return a.S("staff.audit.staff_actor", "Username", rules.Sanitize(e.Staff))
	}
	return e.Record.Actor
}

// detailRows are the record's fields.
func (s *auditScreen) detailRows() []widget.Row {
	a, r := s.a, s.entry.Record
	change := a.S("staff.audit.change_none")
	if s.entry.HasChange {
		change = a.S("staff.audit.change_admin_only")
		if staffdesk.Allowed(a.Session(), staffdesk.AuditChange) {
			change = a.S("staff.audit.change_hidden")
		}
	}
	if s.opened {
		change = a.S("staff.audit.change_below")
	}
	return []widget.Row{
		{Key: a.S("staff.audit.col_time"), Value: r.Time.In(a.Now().Location()).Format("2006-01-02 15:04:05 -0700")},
		{Key: a.S("staff.audit.col_kiosk"), Value: r.Kiosk},
		{Key: a.S("staff.audit.seq"), Value: strconv.FormatUint(r.Seq, 10)},
		{Key: a.S("staff.audit.col_actor"), Value: r.Actor},
		{Key: a.S("staff.audit.staff"), Value: s.entry.Staff},
		{Key: a.S("staff.audit.col_action"), Value: r.Action},
		{Key: a.S("staff.audit.subject"), Value: r.Subject},
		{Key: a.S("staff.audit.col_outcome"), Value: r.Outcome},
		{Key: a.S("staff.audit.detail"), Value: r.Detail},
		{Key: a.S("staff.audit.change"), Value: change},
	}
}

// changeLines are the record's Change as 管理员 opened it: JSON indented,
// every line sanitised and wrapped.
func changeLines(change string, w int) []string {
	var b bytes.Buffer
	if json.Indent(&b, []byte(change), "", "  ") == nil {
		change = b.String()
	}
	var out []string
	for _, l := range strings.Split(rules.SanitizeMultiline(change), "\n") {
		out = append(out, widget.Wrap(l, w)...)
	}
	return out
}

func (s *auditScreen) detailView() string {
	p := s.detailLayout()
	p.body = s.scroll.View()
	return p.render(s.a, s.w)
}

// detailLayout is the detail's page with the record in the scroll, sized
// so that the buttons always show below it.
func (s *auditScreen) detailLayout() page {
	p := page{title: "staff.audit.detail_title", errMsg: s.errMsg, working: s.change.View(),
		buttons: buttonLines(&s.drow, s.w, s.h)}
	w := infoWidth(s.w)
	lines := widget.InfoLines(s.a.St, s.detailRows(), w)
	if s.opened {
		lines = append(lines, "", s.a.St.InfoKey.Render(s.a.S("staff.audit.change")))
		for _, l := range changeLines(s.diff, w-2) {
			lines = append(lines, "  "+s.a.St.InfoValue.Render(l))
		}
	}
	p.fillScroll(s.a, s.scroll, lines, s.w, s.h)
	return p
}
