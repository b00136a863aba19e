package staff

import (
	"context"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/staffdesk"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// 审计日志: the audit records of every kiosk sharing the store, newest
// first, in a list a page at a time (PgUp/PgDn, ‹ ›), filtered by action
// (a prefix: "login", "lock.clear"), kiosk and a date range; 详情 (or enter
// on a row) shows one record. Every cell is sanitised (kit.List,
// widget.InfoLines): actors and details come from the kiosks, and a
// record could carry escape sequences meant for whoever reads the log.
//
// A record's Change (the before and after of a change: names, phones) is
// never in the list, and the use case does not even return it; the
// detail of a record that has one offers 查看变更内容 to 管理员 only,
// which reads it through staffdesk.Desk.AuditChange and is itself audited.
// Other roles see that there is one, not what it says.

// Zone ids of 审计日志.
const (
	AuditID       = "staff-audit"        // the list's buttons: AuditID + ":" + id
	AuditListID   = "staff-audit:list"   // rows: kit.RowZone(AuditListID, i)
	AuditDetailID = "staff-audit-detail" // the detail's buttons
	AuditForm     = "staff-audit-filter" // the filter form
)

// Buttons of 审计日志.
const (
	AuditOpen   = "open"
	AuditFilter = "filter"
	AuditBack   = "back"
	AuditChange = "change"
)

// Fields of the filter.
const (
	FieldAction = "action"
	FieldKiosk  = "kiosk"
	FieldFrom   = "from"
	FieldTo     = "to"
)

type auditPhase int

const (
	auditList auditPhase = iota
	auditFiltering
	auditDetail
)

type auditScreen struct {
	kit.Base
	a      *kit.App
	phase  auditPhase
	query  staffdesk.AuditQuery
	form   *form.Form
	load   *kit.Loader
	change *kit.Loader
	page   staffdesk.AuditPage
	ok     bool
	list   *kit.List
	lang   i18n.Lang
	errMsg i18n.Text
	row    kit.ButtonRow
	drow   kit.ButtonRow
	entry  staffdesk.AuditEntry // the record in detail
	diff   string               // its Change, once 管理员 opened it
	opened bool
	scroll *kit.Scroll
	w, h   int
}

// NewAudit is 审计日志: the newest records of every kiosk, unfiltered.
func NewAudit(a *kit.App, _ kit.None) kit.Screen {
	s := &auditScreen{a: a, load: kit.NewLoader(a, "staff-audit:load"), change: kit.NewLoader(a, "staff-audit:change"),
		row: kit.NewButtonRow(a, AuditID), drow: kit.NewButtonRow(a, AuditDetailID),
		scroll: kit.NewScroll(a, "staff-audit:scroll")}
	s.form = newForm(a, AuditForm, "staff.audit.search", "staff.cancel",
		form.Text(FieldAction, "staff.audit.action", form.Placeholder("staff.audit.action_placeholder"), form.Max(40)).Folded(),
		form.Text(FieldKiosk, "staff.audit.kiosk", form.Placeholder("staff.audit.kiosk_placeholder"), form.Max(32)).Folded(),
		form.Date(FieldFrom, "staff.audit.from"),
		form.Date(FieldTo, "staff.audit.to"))
	s.build()
	s.buttons()
	return s
}

func (s *auditScreen) SetSize(w, h int) { s.w, s.h = w, h; s.form.SetWidth(w) }

func (s *auditScreen) Init() tea.Cmd { return s.reload() }

func (s *auditScreen) Leave() tea.Cmd {
	s.load.Cancel()
	s.change.Cancel()
	return nil
}

func (s *auditScreen) reload() tea.Cmd {
	desk, who, q := s.a.Deps.Staff, who(s.a), s.query
	return s.load.Run("staff.loading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if desk == nil {
			return nil, errNoDesk
		}
		return desk.Audit(ctx, who, q)
	})
}

func (s *auditScreen) selected() (staffdesk.AuditEntry, bool) {
	if !s.ok || len(s.page.Entries) == 0 {
		return staffdesk.AuditEntry{}, false
	}
	return s.page.Entries[s.list.Selected()], true
}

func (s *auditScreen) buttons() {
	_, ok := s.selected()
	s.row.Reset(kit.Btn{ID: AuditOpen, Label: "staff.audit.open", Disabled: !ok},
		kit.Btn{ID: AuditFilter, Label: "staff.audit.filter"}, kit.Btn{ID: AuditBack, Label: "staff.back"})
}

func (s *auditScreen) Help() []key.Binding {
	switch s.phase {
	case auditFiltering:
		return s.form.Help()
	case auditDetail:
		s.detailLayout() // the scroll's help turns on what overflows now
		return append(append(s.scroll.Help(), s.drow.Help()...), backHelp(s.a))
	}
	s.listPage() // PgUp/PgDn turn on the pages at the list's size now
	return s.list.HelpWith("staff.audit.open", append(s.row.Help(), backHelp(s.a))...)
}

func (s *auditScreen) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := s.load.Update(msg); done != nil {
		return s.loaded(done)
	} else if cmd != nil {
		return cmd
	}
	if cmd, done := s.change.Update(msg); done != nil {
		return s.changed(done)
	} else if cmd != nil {
		return cmd
	}
	switch m := msg.(type) {
	case form.Submitted:
		if m.Form == AuditForm {
			return s.filtered(m.Values)
		}
		return nil
	case form.Cancelled:
		if m.Form == AuditForm {
			s.phase = auditList
		}
		return nil
	}
	switch s.phase {
	case auditFiltering:
		return s.form.Update(msg)
	case auditDetail:
		return s.detailInput(msg)
	}
	return s.listInput(msg)
}

// listInput: ↑/↓ and the pages move the selection, enter or a tap on a
// row opens it, the buttons do the rest.
func (s *auditScreen) listInput(msg tea.Msg) tea.Cmd {
	if cmd, done := listKeys(s.a, s.list, msg, s.buttons, s.open); done {
		return cmd
	}
	switch s.row.Update(msg) {
	case AuditOpen:
		return s.open()
	case AuditFilter:
		s.phase, s.errMsg = auditFiltering, i18n.Text{}
		s.form.Focus(FieldAction)
	case AuditBack:
		return kit.GoBack
	}
	return nil
}

// open shows the chosen record.
func (s *auditScreen) open() tea.Cmd {
	e, ok := s.selected()
	if !ok {
		return nil
	}
	s.phase, s.entry, s.diff, s.opened, s.errMsg = auditDetail, e, "", false, i18n.Text{}
	s.scroll = kit.NewScroll(s.a, "staff-audit:scroll")
	var btns []kit.Btn
	if e.HasChange && staffdesk.Allowed(s.a.Session(), staffdesk.AuditChange) {
		btns = append(btns, kit.Btn{ID: AuditChange, Label: "staff.audit.show_change"})
	}
	s.drow.Set(append(btns, kit.Btn{ID: AuditBack, Label: "staff.audit.back_list"})...)
	return nil
}

func (s *auditScreen) detailInput(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, s.a.Keys.Back) {
		s.phase = auditList
		return nil
	}
	if s.scroll.Update(msg) {
		return nil
	}
	switch s.drow.Update(msg) {
	case AuditChange:
		if !s.change.Running() && !s.opened {
			return s.readChange()
		}
	case AuditBack:
		s.phase = auditList
	}
	return nil
}

// readChange reads the record's Change (管理员; audited).
func (s *auditScreen) readChange() tea.Cmd {
	desk, who, kiosk, seq := s.a.Deps.Staff, who(s.a), s.entry.Record.Kiosk, s.entry.Record.Seq
	return s.change.Run("staff.loading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if desk == nil {
			return nil, errNoDesk
		}
		return desk.AuditChange(ctx, who, kiosk, seq)
	})
}

func (s *auditScreen) changed(done *kit.Loaded) tea.Cmd {
	if done.Err != nil {
		var cmd tea.Cmd
		s.errMsg, cmd = failed(s.a, "staff audit change", done.Err)
		return cmd
	}
	s.diff, s.opened = done.Value.(string), true
	s.drow.Set(kit.Btn{ID: AuditBack, Label: "staff.audit.back_list"})
	return nil
}

// filtered takes the filter form: the query, then the list from its top.
func (s *auditScreen) filtered(v form.Values) tea.Cmd {
	s.form.SetBusy(false) // the filter may be changed again
	loc := s.a.Now().Location()
	q := staffdesk.AuditQuery{Action: v.Trim(FieldAction), Kiosk: v.Trim(FieldKiosk)}
	from, to := v.Date(FieldFrom), v.Date(FieldTo)
	fromOK, toOK := !from.IsZero(), !to.IsZero()
	if fromOK {
		q.From = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	}
	if toOK {
		q.Before = time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, loc)
	}
	if fromOK && toOK && !q.Before.After(q.From) {
		s.form.SetError(FieldTo, i18n.T("staff.audit.bad_range"))
		s.form.Focus(FieldTo)
		return nil
	}
	s.query, s.phase, s.ok, s.errMsg = q, auditList, false, i18n.Text{}
	if s.list != nil {
		s.list.Select(0)
	}
	return s.reload()
}

func (s *auditScreen) loaded(done *kit.Loaded) tea.Cmd {
	if done.Err != nil {
		var cmd tea.Cmd
		s.errMsg, cmd = failed(s.a, "staff audit", done.Err)
		return cmd
	}
	first := !s.ok
	s.page, s.ok = done.Value.(staffdesk.AuditPage), true
	s.build()
	if first {
		s.row.Set()
	}
	s.buttons()
	return nil
}

// summary is the line above the list: the filter and how many matched.
func (s *auditScreen) summary() string {
	a, q := s.a, s.query
	all := a.S("staff.audit.any")
	action, kiosk := rules.Sanitize(q.Action), rules.Sanitize(q.Kiosk)
	if action == "" {
		action = all
	}
	if kiosk == "" {
		kiosk = all
	}
	from, to := all, all
	if !q.From.IsZero() {
		from = q.From.Format("2006-01-02")
	}
	if !q.Before.IsZero() {
		to = q.Before.AddDate(0, 0, -1).Format("2006-01-02")
	}
	out := a.S("staff.audit.summary", "Action", action, "Kiosk", kiosk, "From", from, "To", to)
	if s.ok {
		out += "  " + a.S("staff.audit.total", "N", s.page.Total)
		if n := len(s.page.Entries); n < s.page.Total {
			out += a.S("staff.audit.cut", "Shown", strconv.Itoa(n))
		}
	}
	return out
}
