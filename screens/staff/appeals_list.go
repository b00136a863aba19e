package staff

import (
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// How 申诉处理's queue is drawn: the list (申诉编号, 类型, 企业名称, 状态,
// 提交时间 where the screen is wide, how long ago), the line that says
// what the filter is, and the filter form.

// wideList is the width from which the list has room for 提交时间 beside
// how long ago it was (below it the age says enough; the detail has the
// time).
const wideList = 110

// appealQuery is the filter as chosen; its model.AppealFilter is taken
// at the time of each first read (the ages count back from then).
type appealQuery struct {
	State  model.AppealState // "" for all
	Kind   model.AppealKind  // "" for all
	Days   int               // older than this many days; 0 for any age
	Newest bool
}

func (q appealQuery) filter(now time.Time) model.AppealFilter {
	f := model.AppealFilter{State: q.State, Kind: q.Kind, NewestFirst: q.Newest}
	if q.Days > 0 {
		f.CreatedBefore = now.Add(-time.Duration(q.Days) * oneDay)
	}
	return f
}

// newAppealFilter is the filter form: 状态, 类型, 提交时间 and 排序 as
// choices, set to the default query.
func newAppealFilter(a *kit.App) *form.Form {
	states := []form.Opt{{Value: filterAll, Label: "staff.appeals.any"}}
	for _, st := range model.AppealStates {
		states = append(states, form.Opt{Value: string(st), Label: st.Label().ID})
	}
	kinds := []form.Opt{{Value: filterAll, Label: "staff.appeals.any"}}
	for _, k := range model.AppealKinds {
		kinds = append(kinds, form.Opt{Value: string(k), Label: k.Label().ID})
	}
	var ages []form.Opt
	for _, d := range appealAges {
		ages = append(ages, form.Opt{Value: strconv.Itoa(d), Label: ageLabel(d)})
	}
	f := newForm(a, AppealsFilterForm, "staff.appeals.apply", "staff.cancel",
		form.Choice(FieldAppealState, "staff.appeals.f_state", states),
		form.Choice(FieldAppealKind, "staff.appeals.f_kind", kinds),
		form.Choice(FieldAppealAge, "staff.appeals.f_age", ages),
		form.Choice(FieldAppealOrder, "staff.appeals.f_order", []form.Opt{
			{Value: orderOldest, Label: "staff.appeals.oldest"}, {Value: orderNewest, Label: "staff.appeals.newest"}}))
	setFilter(f, appealQuery{State: model.AppealPending})
	return f
}

// ageLabel is the catalog id of an age choice.
func ageLabel(days int) string {
	if days <= 0 {
		return "staff.appeals.any"
	}
	return "staff.appeals.older_" + strconv.Itoa(days)
}

// setFilter shows q in the filter form.
func setFilter(f *form.Form, q appealQuery) {
	state, kind, order := filterAll, filterAll, orderOldest
	if q.State != "" {
		state = string(q.State)
	}
	if q.Kind != "" {
		kind = string(q.Kind)
	}
	if q.Newest {
		order = orderNewest
	}
	f.SetValue(FieldAppealState, state)
	f.SetValue(FieldAppealKind, kind)
	f.SetValue(FieldAppealAge, strconv.Itoa(q.Days))
	f.SetValue(FieldAppealOrder, order)
}

// queryOf reads the filter form (values it does not know read as 全部).
func queryOf(v form.Values) appealQuery {
	var q appealQuery
	if st := model.AppealState(v.Text(FieldAppealState)); st.Valid() {
		q.State = st
	}
	if k := model.AppealKind(v.Text(FieldAppealKind)); k.Valid() {
		q.Kind = k
	}
	if d, err := strconv.Atoi(v.Text(FieldAppealAge)); err == nil && d > 0 {
		q.Days = d
	}
	q.Newest = v.Text(FieldAppealOrder) == orderNewest
	return q
}

// Widths of the list's flexible columns.
const (
	kindMost  = 24 // 类型 with three changes
	kindLeast = 16 // 类型 cut where 企业名称 needs the room
	nameWant  = 24 // 企业名称 most of them take
)

// kindWidth is 类型's width in a list of w cells: as wide as its widest
// cell up to kindMost, narrowed down to kindLeast where 企业名称 would
// otherwise get less than it needs (the detail says everything).
func kindWidth(cols []kit.Column, cells [][]string, w int) int {
	if w <= 0 {
		w = 80
	}
	kind, name := cols[1].Width, 0
	for _, row := range cells {
		name = max(name, ansi.StringWidth(rules.Sanitize(row[2])))
	}
	room := w - 2 // kit.List's margin
	for i, c := range cols {
		room -= 2 // the gap (and the mark of the first)
		if i != 1 && i != 2 {
			room -= c.Width
		}
	}
	kind = min(kind, kindMost)
	if want := min(name, nameWant); kind+want > room {
		kind = max(min(kind, kindLeast), room-want)
	}
	return kind
}

// build makes the list at the screen's width: 申诉编号, 状态 and the age
// as wide as they come, 类型 by kindWidth, 企业名称 the rest.
func (s *appealsScreen) build() {
	a := s.a
	now := a.Now()
	wide := s.w >= wideList
	cells := make([][]string, len(s.rows))
	for i, r := range s.rows {
		row := []string{r.Ref, s.kindCell(r), r.EnterpriseName, a.T(r.State.Label())}
		if wide {
			row = append(row, r.CreatedAt.In(now.Location()).Format("01-02 15:04"))
		}
		cells[i] = append(row, s.age(now.Sub(r.CreatedAt)))
	}
	titles := []string{"staff.appeals.col_ref", "staff.appeals.col_kind", "staff.appeals.col_name", "staff.appeals.col_state"}
	if wide {
		titles = append(titles, "staff.appeals.col_time")
	}
	titles = append(titles, "staff.appeals.col_age")
	cols := make([]kit.Column, len(titles))
	for i, t := range titles {
		cols[i] = kit.Column{Title: t}
		if i == 2 {
			continue // 企业名称 takes what is left
		}
		w := ansi.StringWidth(a.S(t))
		for _, row := range cells {
			w = max(w, ansi.StringWidth(rules.Sanitize(row[i])))
		}
		cols[i].Width = w
	}
	cols[1].Width = kindWidth(cols, cells, s.w)
	s.list = relist(a, s.list, AppealsListID, "staff.appeals.empty", cols, cells)
	s.lang, s.wide = a.Lang(), wide
}

// kindCell is the list's 类型: short, with what a change appeal changes
// in the list's short words.
func (s *appealsScreen) kindCell(r model.Appeal) string {
	if r.Kind == model.AppealKindChange {
		cs := make([]string, 0, len(r.Changes))
		for _, c := range r.Changes {
			if c.Valid() {
				cs = append(cs, s.a.S("staff.appeals.change_"+string(c)))
			}
		}
		return s.a.S("staff.appeals.kind_change", "Changes", strings.Join(cs, s.a.S("staff.appeals.changes_sep")))
	}
	if r.Kind == model.AppealKindRegister {
		return s.a.S("staff.appeals.kind_register")
	}
	return s.a.T(r.Kind.Label())
}

// changes names what a change appeal changes, in the kiosk's order.
func (s *appealsScreen) changes(cs []model.AppealChange) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = s.a.T(c.Label())
	}
	return strings.Join(out, s.a.S("staff.appeals.changes_sep"))
}

// age is how long ago an appeal was filed, in its largest unit.
func (s *appealsScreen) age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return s.a.S("staff.appeals.age_now")
	case d < time.Hour:
		return s.a.S("staff.appeals.age_minutes", "N", int(d/time.Minute))
	case d < oneDay:
		return s.a.S("staff.appeals.age_hours", "N", int(d/time.Hour))
	}
	return s.a.S("staff.appeals.age_days", "N", int(d/oneDay))
}

func (s *appealsScreen) View() string {
	if s.confirm.Open() {
		return s.confirm.Over(s.w, s.h)
	}
	if s.lang != s.a.Lang() || (s.w >= wideList) != s.wide {
		s.build()
	}
	switch s.phase {
	case phaseFilter:
		p := page{title: "staff.appeals.filter_title"}
		p.body = strings.Split(kit.Indent(s.filter.View(), "  "), "\n")
		return p.render(s.a, s.w)
	case phaseReason:
		return s.reasonView()
	case phaseDetail:
		return s.detailView()
	case phaseMaterial:
		return s.materialView()
	}
	return s.listPage().render(s.a, s.w)
}

// listPage is the list's page: what the filter is and the list, sized to
// what the page leaves it.
func (s *appealsScreen) listPage() page {
	p := page{title: "staff.appeals.title", errMsg: s.errMsg, notice: s.notice, working: s.open.View(),
		buttons: buttonLines(&s.row, s.w, s.h)}
	body := para(s.a, i18n.Raw(s.summary()), s.w, s.a.St.Muted.Render)
	switch {
	case s.load.Running() && !s.ok:
		body = append(body, "  "+s.load.View())
	case s.ok:
		body = p.listBelow(s.a, s.list, body, s.w, s.h, 2+QueuePage)
	}
	p.body = body
	return p
}

// summary is the line above the list: the filter, and how many are shown.
func (s *appealsScreen) summary() string {
	a, q := s.a, s.query
	state, kind := a.S("staff.appeals.any"), a.S("staff.appeals.any")
	if q.State != "" {
		state = a.T(q.State.Label())
	}
	if q.Kind != "" {
		kind = a.T(q.Kind.Label())
	}
	order := a.S("staff.appeals.oldest")
	if q.Newest {
		order = a.S("staff.appeals.newest")
	}
	out := a.S("staff.appeals.summary", "State", state, "Kind", kind, "Age", a.S(ageLabel(q.Days)), "Order", order)
	if s.ok {
		out += "  " + a.S("staff.appeals.shown", "N", len(s.rows))
		if s.next != "" {
			out += a.S("staff.appeals.has_more")
		}
	}
	return out
}

// filtered takes the filter form: the query, then the list from its top.
func (s *appealsScreen) filtered(v form.Values) tea.Cmd {
	s.filter.SetBusy(false)
	s.query = queryOf(v)
	s.phase, s.ok, s.errMsg, s.notice = phaseList, false, i18n.Text{}, i18n.Text{}
	s.rows, s.next = nil, ""
	s.build()
	s.buttons()
	return s.reload(QueuePage)
}
