package staff

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

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
	sel := 0
	if s.list != nil {
		sel = s.list.Selected()
	}
	cells := make([][]string, len(s.page.Entries))
	for i, e := range s.page.Entries {
		r := e.Record
		cells[i] = []string{r.Time.In(loc).Format("01-02 15:04:05"), r.Kiosk, r.Action, actorOf(a, e), r.Outcome}
	}
	titles := []string{"staff.audit.col_time", "staff.audit.col_kiosk", "staff.audit.col_action",
		"staff.audit.col_actor", "staff.audit.col_outcome"}
	cols := make([]kit.Column, len(titles))
	for i, t := range titles {
		cols[i] = kit.Column{Title: t}
		if i == 2 || i == 3 {
			continue // flexible
		}
		w := ansi.StringWidth(a.S(t))
		for _, row := range cells {
			w = max(w, ansi.StringWidth(rules.Sanitize(row[i])))
		}
		cols[i].Width = min(w, 14)
	}
	s.list = kit.NewList(a, AuditListID, cols...)
	s.list.Empty = "staff.audit.empty"
	s.list.SetRows(cells)
	s.list.Select(sel)
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
	tw := 1 << 16
	if s.w > 0 {
		tw = max(s.w-4, 20)
	}
	var body []string
	for _, l := range widget.Wrap(s.summary(), tw) {
		body = append(body, "  "+s.a.St.Muted.Render(l))
	}
	switch {
	case s.load.Running():
		body = append(body, "  "+s.load.View())
	case s.ok:
		listH := 12
		if s.h > 0 {
			msg := len(p.messages(s.a, tw))
			listH = s.h - 4 - len(body) - len(p.buttons) - msg
			if msg > 0 {
				listH--
			}
		}
		s.list.SetSize(s.w, min(max(listH, 3), 14))
		body = append(body, s.list.View())
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
	w := 1 << 16
	if s.w > 0 {
		w = max(s.w-8, 20)
	}
	lines := widget.InfoLines(s.a.St, s.detailRows(), w)
	if s.opened {
		lines = append(lines, "", s.a.St.InfoKey.Render(s.a.S("staff.audit.change")))
		for _, l := range changeLines(s.diff, w-2) {
			lines = append(lines, "  "+s.a.St.InfoValue.Render(l))
		}
	}
	for i, l := range lines {
		lines[i] = "    " + l
	}
	if s.h > 0 {
		s.scroll.SetHeight(s.h - 5 - len(p.buttons) - len(p.messages(s.a, max(s.w-4, 20))))
	}
	s.scroll.SetLines(lines)
	return p
}
