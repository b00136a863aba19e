package staff

import (
	"context"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/devices/audio"
	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/staffdesk"
	"kiosk/screens/kit"
)

// 短信发送异常: the outbox's dead messages (moved aside after repeated
// failure), newest first, with the number masked, the kind, the attempts
// and the last error as a short code; never a message's text (a code SMS
// holds a one-time code). 重试 puts the chosen one back in the queue after
// a confirm (staffdesk.Desk.RetrySMS, audited).

// Zone ids of 短信发送异常.
const (
	SMSID     = "staff-sms"      // buttons: SMSID + ":" + id
	SMSListID = "staff-sms:list" // rows: kit.RowZone(SMSListID, i)
	SMSAskID  = "staff-sms-ask"  // the retry confirm
)

// Buttons of 短信发送异常.
const (
	SMSRetry   = "retry"
	SMSRefresh = "refresh"
	SMSBack    = "back"
)

type smsScreen struct {
	kit.Base
	a       *kit.App
	load    *kit.Loader
	act     *kit.Loader
	msgs    []staffdesk.DeadSMS
	ok      bool
	list    *kit.List
	lang    i18n.Lang
	errMsg  i18n.Text
	notice  i18n.Text
	row     kit.ButtonRow
	confirm *kit.Confirm
	asking  staffdesk.DeadSMS
	w, h    int
}

// NewSMS is 短信发送异常.
func NewSMS(a *kit.App, _ kit.None) kit.Screen {
	s := &smsScreen{a: a, load: kit.NewLoader(a, "staff-sms:load"), act: kit.NewLoader(a, "staff-sms:act"),
		row: kit.NewButtonRow(a, SMSID), confirm: kit.NewConfirm(a, SMSAskID)}
	s.build()
	s.buttons()
	return s
}

func (s *smsScreen) SetSize(w, h int) { s.w, s.h = w, h }

func (s *smsScreen) Init() tea.Cmd { return s.reload() }

func (s *smsScreen) Leave() tea.Cmd {
	s.load.Cancel()
	s.act.Cancel()
	return nil
}

func (s *smsScreen) reload() tea.Cmd {
	desk, who := s.a.Deps.Staff, who(s.a)
	return s.load.Run("staff.loading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if desk == nil {
			return nil, errNoDesk
		}
		return desk.DeadMessages(ctx, who)
	})
}

// kindLabel names a message's kind.
func kindLabel(a *kit.App, kind string) string {
	switch kind {
	case model.SMSKindCode:
		return a.S("staff.sms.kind_code")
	case model.SMSKindNotice:
		return a.S("staff.sms.kind_notice")
	}
	return kind
}

// build makes the list in the visit's language.
func (s *smsScreen) build() {
	a := s.a
	sel := 0
	if s.list != nil {
		sel = s.list.Selected()
	}
	cells := make([][]string, len(s.msgs))
	for i, m := range s.msgs {
		cells[i] = []string{m.CreatedAt.In(a.Now().Location()).Format("2006-01-02 15:04"), m.To,
			kindLabel(a, m.Kind), strconv.Itoa(m.Attempts), m.Error}
	}
	titles := []string{"staff.sms.col_time", "staff.sms.col_to", "staff.sms.col_kind", "staff.sms.col_attempts", "staff.sms.col_error"}
	cols := make([]kit.Column, len(titles))
	for i, t := range titles {
		w := ansi.StringWidth(a.S(t))
		for _, row := range cells {
			w = max(w, ansi.StringWidth(row[i]))
		}
		cols[i] = kit.Column{Title: t, Width: w}
	}
	s.list = kit.NewList(a, SMSListID, cols...)
	s.list.Empty = "staff.sms.empty"
	s.list.SetRows(cells)
	s.list.Select(sel)
	s.lang = a.Lang()
}

func (s *smsScreen) selected() (staffdesk.DeadSMS, bool) {
	if !s.ok || len(s.msgs) == 0 {
		return staffdesk.DeadSMS{}, false
	}
	return s.msgs[s.list.Selected()], true
}

func (s *smsScreen) buttons() {
	_, ok := s.selected()
	s.row.Reset(kit.Btn{ID: SMSRetry, Label: "staff.sms.retry", Disabled: !ok},
		kit.Btn{ID: SMSRefresh, Label: "staff.sms.refresh"}, kit.Btn{ID: SMSBack, Label: "staff.back"})
}

func (s *smsScreen) Help() []key.Binding {
	if s.confirm.Open() {
		return s.confirm.Help()
	}
	p := s.page()
	s.listView(&p) // PgUp/PgDn turn on the pages at the list's size now
	return s.list.HelpWith("staff.sms.retry", append(s.row.Help(), backHelp(s.a))...)
}

func (s *smsScreen) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := s.load.Update(msg); done != nil {
		return s.loaded(done)
	} else if cmd != nil {
		return cmd
	}
	if cmd, done := s.act.Update(msg); done != nil {
		return s.retried(done)
	} else if cmd != nil {
		return cmd
	}
	if s.confirm.Open() {
		if s.confirm.Update(msg) == AskOK {
			return s.retry(s.asking)
		}
		return nil
	}
	if s.act.Running() {
		return nil
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, s.a.Keys.Back) {
		return kit.GoBack
	}
	if moved, tapped := s.list.Move(msg); moved {
		s.buttons()
		if tapped >= 0 {
			return s.pressed(SMSRetry) // a tap on a row asks to retry it
		}
		return nil
	}
	return s.pressed(s.row.Update(msg))
}

func (s *smsScreen) pressed(id string) tea.Cmd {
	switch id {
	case SMSRetry:
		if m, ok := s.selected(); ok {
			s.asking = m
			s.confirm.Ask(i18n.T("staff.sms.confirm_retry", "Phone", m.To),
				kit.Btn{ID: AskCancel, Label: "staff.cancel"}, kit.Btn{ID: AskOK, Label: "staff.sms.retry"})
		}
	case SMSRefresh:
		s.errMsg, s.notice = i18n.Text{}, i18n.Text{}
		return s.reload()
	case SMSBack:
		return kit.GoBack
	}
	return nil
}

func (s *smsScreen) loaded(done *kit.Loaded) tea.Cmd {
	if done.Err != nil {
		var cmd tea.Cmd
		s.errMsg, cmd = failed(s.a, "staff dead sms", done.Err)
		return cmd
	}
	first := !s.ok
	s.msgs, s.ok = done.Value.([]staffdesk.DeadSMS), true
	s.build()
	if first {
		s.row.Set()
	}
	s.buttons()
	return nil
}

func (s *smsScreen) retry(m staffdesk.DeadSMS) tea.Cmd {
	s.errMsg, s.notice = i18n.Text{}, i18n.Text{}
	desk, who, id := s.a.Deps.Staff, who(s.a), m.ID
	return s.act.Run("staff.working", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if desk == nil {
			return nil, errNoDesk
		}
		return nil, desk.RetrySMS(ctx, who, id)
	})
}

func (s *smsScreen) retried(done *kit.Loaded) tea.Cmd {
	if done.Err != nil {
		var cmd tea.Cmd
		s.errMsg, cmd = failed(s.a, "staff sms retry", done.Err)
		return tea.Batch(cmd, s.reload())
	}
	s.notice = i18n.T("staff.sms.retried", "Phone", s.asking.To)
	return tea.Batch(kick(s.a), kit.Play(audio.PromptSuccess), s.reload())
}

func (s *smsScreen) View() string {
	if s.confirm.Open() {
		return s.confirm.Over(s.w, s.h)
	}
	if s.lang != s.a.Lang() {
		s.build()
	}
	p := s.page()
	switch {
	case s.load.Running() && !s.ok:
		p.body = []string{"  " + s.load.View()}
	case s.ok:
		p.body = []string{s.listView(&p)}
	}
	return p.render(s.a, s.w)
}

// page is the screen's page without its body.
func (s *smsScreen) page() page {
	return page{title: "staff.sms.title", errMsg: s.errMsg, notice: s.notice, working: s.act.View(),
		buttons: buttonLines(&s.row, s.w, s.h)}
}

// listView sizes the list to what the page leaves it.
func (s *smsScreen) listView(p *page) string {
	listH := 12
	if s.h > 0 {
		msg := len(p.messages(s.a, max(s.w-4, 20)))
		listH = s.h - 4 - len(p.buttons) - msg
		if msg > 0 {
			listH--
		}
	}
	s.list.SetSize(s.w, min(max(listH, 3), 12))
	return s.list.View()
}
