package staff

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// 申诉处理 (审核员 and 管理员; manual §五(二)): the appeal queue, one
// appeal's detail with its materials drawn in the terminal, and the
// decisions 受理 → 通过 / 驳回, each after a confirm. Everything acts
// through the review use cases (account.Service: AppealQueue, Appeal,
// AppealMaterial, TakeAppeal, ApproveAppeal, RejectAppeal), which check
// the staff login and its role again and audit every read and decision.
//
// The queue is a list a page of the use case at a time (QueuePage
// appeals; 加载更多 follows its cursor), filtered by 状态 (待处理 by
// default: the work to do), 类型 and age (超过1天/3天/7天), oldest first
// (the order the queue is worked in) or newest first. The screen moves
// between the list, the filter form, the detail, a material and the
// reject reason; esc goes one back.

// Zone ids of 申诉处理.
const (
	AppealsID         = "staff-appeals"              // the list's buttons: AppealsID + ":" + id
	AppealsListID     = "staff-appeals:list"         // rows: kit.RowZone(AppealsListID, i)
	AppealsFilterForm = "staff-appeals-filter"       // the filter form
	AppealDetailID    = "staff-appeal"               // the detail's buttons
	AppealMaterialID  = "staff-appeal-material"      // the material view's buttons
	AppealAskID       = "staff-appeal-ask"           // the decisions' confirm: AppealAskID + ":" + AskOK
	AppealReasonForm  = "staff-appeal-reason"        // the reject reason form
	appealScrollID    = "staff-appeal:scroll"        // the detail's scroll
	appealMaterialZID = "staff-appeal:material-line" // the detail's material lines
)

// Buttons of 申诉处理.
const (
	AppealOpen      = "open"      // list: 详情
	AppealFilter    = "filter"    // list: 筛选
	AppealMore      = "more"      // list: 加载更多
	AppealBack      = "back"      // list: 返回; detail: 返回列表; material: 返回详情
	AppealTake      = "take"      // detail: 受理
	AppealApprove   = "approve"   // detail: 通过
	AppealReject    = "reject"    // detail: 驳回
	AppealMaterials = "materials" // detail: 查看材料
	AppealPrev      = "prev"      // material: 上一份
	AppealNext      = "next"      // material: 下一份
)

// Fields of the filter form and the reason form.
const (
	FieldAppealState  = "state"
	FieldAppealKind   = "kind"
	FieldAppealAge    = "age"
	FieldAppealOrder  = "order"
	FieldAppealReason = "reason"
)

// QueuePage is how many appeals one read of the queue brings.
const QueuePage = 20

// Values of the filter's choices that are not a model value.
const (
	filterAll   = "all"
	orderOldest = "oldest"
	orderNewest = "newest"
	ageAnyDays  = 0
	oneDay      = 24 * time.Hour
)

// appealAges are the filter's ages in days (0: any).
var appealAges = []int{ageAnyDays, 1, 3, 7}

// MaterialZone is the zone of the first line of the detail's material i
// (0-based): a tap opens it.
func MaterialZone(i int) string { return materialLineZone(i, 0) }

type appealPhase int

const (
	phaseList appealPhase = iota
	phaseFilter
	phaseDetail
	phaseMaterial
	phaseReason
)

// queuePage is what a read of the queue brought.
type queuePage struct {
	rows   []model.Appeal
	next   string
	filter model.AppealFilter
	more   bool // a further page: appended
}

type appealsScreen struct {
	kit.Base
	a     *kit.App
	phase appealPhase
	query appealQuery

	// The list.
	load   *kit.Loader
	rows   []model.Appeal
	next   string             // the cursor of the next page, "" for none
	listed model.AppealFilter // the filter the rows were read with (its cursor's)
	ok     bool
	list   *kit.List
	lang   i18n.Lang
	wide   bool // the list was built with 提交时间
	row    kit.ButtonRow
	filter *form.Form

	// One appeal.
	open    *kit.Loader
	act     *kit.Loader
	appeal  model.Appeal
	drow    kit.ButtonRow
	scroll  *kit.Scroll
	confirm *kit.Confirm
	asking  asked
	reason  *form.Form
	// reasonFor is the appeal the reason form was opened for.
	reasonFor string

	// One material.
	mat  *kit.Loader
	idx  int // the material on show
	pic  *picture
	mrow kit.ButtonRow

	errMsg i18n.Text
	notice i18n.Text
	w, h   int
}

// NewAppeals is 申诉处理: the pending appeals, oldest first.
func NewAppeals(a *kit.App, _ kit.None) kit.Screen {
	s := &appealsScreen{a: a, query: appealQuery{State: model.AppealPending},
		load: kit.NewLoader(a, "staff-appeals:load"), open: kit.NewLoader(a, "staff-appeals:open"),
		act: kit.NewLoader(a, "staff-appeals:act"), mat: kit.NewLoader(a, "staff-appeals:material"),
		row: kit.NewButtonRow(a, AppealsID), drow: kit.NewButtonRow(a, AppealDetailID),
		mrow: kit.NewButtonRow(a, AppealMaterialID), confirm: kit.NewConfirm(a, AppealAskID),
		scroll: kit.NewScroll(a, appealScrollID)}
	s.filter = newAppealFilter(a)
	s.build()
	s.buttons()
	return s
}

func (s *appealsScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.filter.SetWidth(formWidth(w))
	if s.reason != nil {
		s.reason.SetWidth(formWidth(w))
	}
}

// formWidth is the room of a form indented on a page of w cells.
func formWidth(w int) int { return max(w-4, 20) }

func (s *appealsScreen) Init() tea.Cmd { return s.reload(QueuePage) }

func (s *appealsScreen) Leave() tea.Cmd {
	for _, l := range []*kit.Loader{s.load, s.open, s.act, s.mat} {
		l.Cancel()
	}
	s.pic = nil // an ID card photo does not outlive the visit
	return nil
}

// reload reads the queue from its start: limit appeals (after a decision,
// as many as were shown).
func (s *appealsScreen) reload(limit int) tea.Cmd {
	accounts, who, f := s.a.Deps.Accounts, who(s.a), s.query.filter(s.a.Now())
	return s.load.Run("staff.loading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if accounts == nil {
			return nil, errNoDesk
		}
		rows, next, err := accounts.AppealQueue(ctx, who, f, "", limit)
		return queuePage{rows: rows, next: next, filter: f}, err
	})
}

// more reads the next page with the cursor and the filter it came from.
func (s *appealsScreen) more() tea.Cmd {
	if s.next == "" || s.load.Running() {
		return nil
	}
	accounts, who, f, cursor := s.a.Deps.Accounts, who(s.a), s.listed, s.next
	return s.load.Run("staff.loading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if accounts == nil {
			return nil, errNoDesk
		}
		rows, next, err := accounts.AppealQueue(ctx, who, f, cursor, QueuePage)
		return queuePage{rows: rows, next: next, filter: f, more: true}, err
	})
}

func (s *appealsScreen) loaded(done *kit.Loaded) tea.Cmd {
	if done.Err != nil {
		var cmd tea.Cmd
		s.errMsg, cmd = failed(s.a, "staff appeal queue", done.Err)
		return cmd
	}
	p := done.Value.(queuePage)
	if !s.ok {
		s.row.Set() // the focus goes to 详情 once there is something to open
	}
	if p.more {
		s.rows = append(s.rows, p.rows...)
	} else {
		s.rows = p.rows
	}
	s.next, s.listed, s.ok = p.next, p.filter, true
	s.build()
	s.buttons()
	return nil
}

func (s *appealsScreen) selected() (model.Appeal, bool) {
	if !s.ok || len(s.rows) == 0 {
		return model.Appeal{}, false
	}
	return s.rows[s.list.Selected()], true
}

// buttons are the list's: 详情 with a row to open, 加载更多 while the
// queue has more.
func (s *appealsScreen) buttons() {
	_, ok := s.selected()
	s.row.Reset(kit.Btn{ID: AppealOpen, Label: "staff.appeals.open", Disabled: !ok},
		kit.Btn{ID: AppealFilter, Label: "staff.appeals.filter"},
		kit.Btn{ID: AppealMore, Label: "staff.appeals.more", Disabled: s.next == ""},
		kit.Btn{ID: AppealBack, Label: "staff.back"})
}

func (s *appealsScreen) Help() []key.Binding {
	switch {
	case s.confirm.Open():
		return s.confirm.Help()
	case s.phase == phaseFilter:
		return s.filter.Help()
	case s.phase == phaseReason:
		return s.reason.Help()
	case s.phase == phaseDetail:
		s.detailLayout() // the scroll's help turns on what overflows now
		h := s.scroll.Help()
		if n := len(s.appeal.Materials); n > 0 {
			h = append(h, materialKeys(n))
		}
		return append(append(h, s.drow.Help()...), backHelp(s.a))
	case s.phase == phaseMaterial:
		return append(s.mrow.Help(), backHelp(s.a))
	}
	s.listPage() // PgUp/PgDn turn on the pages at the list's size now
	return s.list.HelpWith("staff.appeals.open", append(s.row.Help(), backHelp(s.a))...)
}

func (s *appealsScreen) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := s.load.Update(msg); done != nil {
		return s.loaded(done)
	} else if cmd != nil {
		return cmd
	}
	if cmd, done := s.open.Update(msg); done != nil {
		return s.opened(done)
	} else if cmd != nil {
		return cmd
	}
	if cmd, done := s.act.Update(msg); done != nil {
		return s.acted(done)
	} else if cmd != nil {
		return cmd
	}
	if cmd, done := s.mat.Update(msg); done != nil {
		return s.shown(done)
	} else if cmd != nil {
		return cmd
	}
	switch m := msg.(type) {
	case form.Submitted:
		switch m.Form {
		case AppealsFilterForm:
			return s.filtered(m.Values)
		case AppealReasonForm:
			return s.reasoned(m.Values)
		}
		return nil
	case form.Cancelled:
		switch m.Form {
		case AppealsFilterForm:
			s.phase = phaseList
			s.row.Focus(AppealOpen)
		case AppealReasonForm:
			s.phase = phaseDetail
		}
		return nil
	}
	if s.confirm.Open() {
		if s.confirm.Update(msg) == AskOK {
			return s.decide()
		}
		return nil
	}
	if s.act.Running() { // a decision under way: nothing else until it answers
		return nil
	}
	switch s.phase {
	case phaseFilter:
		return s.filter.Update(msg)
	case phaseReason:
		return s.reason.Update(msg)
	case phaseDetail:
		return s.detailInput(msg)
	case phaseMaterial:
		return s.materialInput(msg)
	}
	return s.listInput(msg)
}

// listInput: ↑/↓ and the pages move the selection, enter or a tap on a
// row opens it, the buttons do the rest.
func (s *appealsScreen) listInput(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, s.a.Keys.Back) {
		return kit.GoBack
	}
	if moved, tapped := s.list.Move(msg); moved {
		s.buttons()
		if tapped >= 0 {
			return s.openSelected()
		}
		return nil
	}
	switch s.row.Update(msg) {
	case AppealOpen:
		return s.openSelected()
	case AppealFilter:
		s.phase, s.errMsg, s.notice = phaseFilter, i18n.Text{}, i18n.Text{}
		s.filter.SetBusy(false)
		setFilter(s.filter, s.query) // what is applied, not what was left unapplied
		s.filter.Focus(FieldAppealState)
	case AppealMore:
		return s.more()
	case AppealBack:
		return kit.GoBack
	}
	return nil
}

// openSelected reads the chosen appeal (an audited read).
func (s *appealsScreen) openSelected() tea.Cmd {
	a, ok := s.selected()
	if !ok || s.open.Running() {
		return nil
	}
	s.errMsg, s.notice = i18n.Text{}, i18n.Text{}
	return s.read(a.ID)
}

// read reads the appeal id for the detail.
func (s *appealsScreen) read(id string) tea.Cmd {
	accounts, who := s.a.Deps.Accounts, who(s.a)
	return s.open.Run("staff.loading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if accounts == nil {
			return nil, errNoDesk
		}
		return accounts.Appeal(ctx, who, id)
	})
}

// opened shows the appeal read; the scroll keeps its place when it is the
// one already on show (read again after a refusal).
func (s *appealsScreen) opened(done *kit.Loaded) tea.Cmd {
	if done.Err != nil {
		var cmd tea.Cmd
		s.errMsg, cmd = failed(s.a, "staff appeal", done.Err)
		return cmd
	}
	a := done.Value.(model.Appeal)
	if a.ID != s.appeal.ID {
		s.scroll = kit.NewScroll(s.a, appealScrollID)
	}
	if s.phase == phaseList {
		s.phase = phaseDetail
	}
	s.appeal = a
	s.detailButtons()
	return nil
}
