package staff

import (
	"context"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/staffdesk"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/login"
	"kiosk/screens/widget"
)

// 企业查询与解锁: a staff member types an enterprise's account or USCC and
// sees the enterprise with its login lock; a counter staff member (or
// 管理员) clears the lock after a confirm (model.Auth.UnlockEnterprise,
// audited with the staff id).
//
// What is shown whole and what masked: the enterprise's name, USCC and
// account whole (the staff member reads them back to the person, who often
// has forgotten the account); the legal representative's name, ID number
// and the reserved mobile masked as everywhere (enough to compare with the
// ID card and the phone in front of them, nothing a passer-by could use).

// Zone ids of 企业查询与解锁.
const (
	EnterpriseForm  = "staff-ent"     // the look-up form
	EnterpriseID    = "staff-ent-btn" // the result's buttons: EnterpriseID + ":" + id
	EnterpriseAskID = "staff-ent-ask" // the unlock confirm: EnterpriseAskID + ":" + AskOK
	FieldIdentifier = "identifier"
)

// Buttons of the result.
const (
	EntUnlock = "unlock"
	EntAgain  = "again"
	EntBack   = "back"
)

type enterpriseScreen struct {
	kit.Base
	a       *kit.App
	form    *form.Form
	load    *kit.Loader // the look-up
	act     *kit.Loader // the unlock
	res     model.EnterpriseLock
	shown   bool // a result is on show (else the form)
	ident   string
	errMsg  i18n.Text
	notice  i18n.Text
	row     kit.ButtonRow
	confirm *kit.Confirm
	scroll  *kit.Scroll
	w, h    int
}

// NewEnterprise is 企业查询与解锁.
func NewEnterprise(a *kit.App, _ kit.None) kit.Screen {
	f := newForm(a, EnterpriseForm, "staff.ent.search", "staff.back",
		form.Text(FieldIdentifier, "login.identifier", form.Placeholder("login.identifier_placeholder"),
			form.Required, form.Max(20), form.Check(login.ValidIdentifier)).Folded())
	return &enterpriseScreen{a: a, form: f, load: kit.NewLoader(a, "staff-ent:load"), act: kit.NewLoader(a, "staff-ent:act"),
		row: kit.NewButtonRow(a, EnterpriseID), confirm: kit.NewConfirm(a, EnterpriseAskID),
		scroll: kit.NewScroll(a, "staff-ent:scroll")}
}

func (e *enterpriseScreen) SetSize(w, h int) { e.w, e.h = w, h; e.form.SetWidth(w) }

func (e *enterpriseScreen) Leave() tea.Cmd {
	e.load.Cancel()
	e.act.Cancel()
	return nil
}

func (e *enterpriseScreen) Help() []key.Binding {
	switch {
	case e.confirm.Open():
		return e.confirm.Help()
	case e.shown:
		e.layout() // the scroll's help turns on what overflows now
		return append(append(e.scroll.Help(), e.row.Help()...), backHelp(e.a))
	}
	return e.form.Help()
}

// lookup runs the look-up of ident.
func (e *enterpriseScreen) lookup(ident string) tea.Cmd {
	e.ident, e.errMsg = ident, i18n.Text{}
	auth, s := e.a.Deps.Auth, who(e.a)
	return e.load.Run("staff.ent.searching", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if auth == nil {
			return nil, errNoDesk
		}
		return auth.LookupEnterprise(ctx, s, ident)
	})
}

func (e *enterpriseScreen) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := e.load.Update(msg); done != nil {
		return e.looked(done)
	} else if cmd != nil {
		return cmd
	}
	if cmd, done := e.act.Update(msg); done != nil {
		return e.unlocked(done)
	} else if cmd != nil {
		return cmd
	}
	if e.confirm.Open() {
		if e.confirm.Update(msg) == AskOK {
			return e.unlock()
		}
		return nil
	}
	switch m := msg.(type) {
	case form.Submitted:
		if m.Form == EnterpriseForm && !e.load.Running() {
			e.notice = i18n.Text{}
			return e.lookup(m.Values.Trim(FieldIdentifier))
		}
		return nil
	case form.Cancelled:
		if m.Form == EnterpriseForm {
			return kit.GoBack
		}
		return nil
	}
	if !e.shown {
		return e.form.Update(msg)
	}
	if e.act.Running() {
		return nil
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, e.a.Keys.Back) {
		return e.again()
	}
	if e.scroll.Update(msg) {
		return nil
	}
	switch e.row.Update(msg) {
	case EntUnlock:
		name := rules.Sanitize(e.res.Enterprise.Name)
		e.confirm.Ask(i18n.T("staff.ent.confirm_unlock", "Name", name),
			kit.Btn{ID: AskCancel, Label: "staff.cancel"}, kit.Btn{ID: AskOK, Label: "staff.ent.unlock"})
	case EntAgain:
		return e.again()
	case EntBack:
		return kit.GoBack
	}
	return nil
}

// again shows the form again, with what was typed.
func (e *enterpriseScreen) again() tea.Cmd {
	e.shown, e.errMsg, e.notice = false, i18n.Text{}, i18n.Text{}
	e.form.Focus(FieldIdentifier)
	return nil
}

// looked takes a look-up's answer.
func (e *enterpriseScreen) looked(done *kit.Loaded) tea.Cmd {
	e.form.SetBusy(false) // the form may be submitted again
	if done.Err != nil {
		var cmd tea.Cmd
		e.errMsg, cmd = failed(e.a, "staff enterprise lookup", done.Err)
		return cmd
	}
	e.res, e.shown = done.Value.(model.EnterpriseLock), true
	e.buttons()
	return nil
}

// buttons: 解锁 only for whom the use case allows it, pressable only when
// there is something to clear.
func (e *enterpriseScreen) buttons() {
	var btns []kit.Btn
	if staffdesk.Allowed(e.a.Session(), staffdesk.Unlock) {
		btns = append(btns, kit.Btn{ID: EntUnlock, Label: "staff.ent.unlock", Disabled: e.res.Lock.Clear(e.a.Now())})
	}
	e.row.Set(append(btns, kit.Btn{ID: EntAgain, Label: "staff.ent.again"}, kit.Btn{ID: EntBack, Label: "staff.back"})...)
}

// unlock runs the unlock of the enterprise on show (by its USCC).
func (e *enterpriseScreen) unlock() tea.Cmd {
	e.errMsg, e.notice = i18n.Text{}, i18n.Text{}
	auth, s, uscc := e.a.Deps.Auth, who(e.a), e.res.Enterprise.USCC
	return e.act.Run("staff.working", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if auth == nil {
			return nil, errNoDesk
		}
		return nil, auth.UnlockEnterprise(ctx, s, uscc)
	})
}

// unlocked takes the unlock's outcome, and reads the enterprise again.
func (e *enterpriseScreen) unlocked(done *kit.Loaded) tea.Cmd {
	if done.Err != nil {
		var cmd tea.Cmd
		e.errMsg, cmd = failed(e.a, "staff unlock", done.Err)
		return cmd
	}
	e.notice = i18n.T("staff.ent.unlocked", "Name", rules.Sanitize(e.res.Enterprise.Name))
	return tea.Batch(kit.Play(audio.PromptSuccess), e.lookup(e.res.Enterprise.USCC))
}

// rows are the enterprise and its lock.
func (e *enterpriseScreen) rows() []widget.Row {
	a, ent, l := e.a, e.res.Enterprise, e.res.Lock
	now := a.Now()
	state := a.S("staff.ent.not_locked")
	if l.Locked(now) {
		state = a.S("staff.ent.locked_until", "Until", kit.UnlockTime(l.LockedUntil, now))
	}
	last := ""
	if !l.LastFailure.IsZero() {
		last = l.LastFailure.In(now.Location()).Format("2006-01-02 15:04")
	}
	return []widget.Row{
		{Key: a.S("field.enterprise_name"), Value: ent.Name},
		{Key: a.S("field.uscc"), Value: ent.USCC},
		{Key: a.S("field.account"), Value: ent.Account},
		{Key: a.S("field.enterprise_state"), Value: a.T(ent.State.Label())},
		{Key: a.S("field.rep_name"), Value: rules.MaskName(ent.LegalRep.Name)},
		{Key: a.S("field.id_number"), Value: rules.MaskID(ent.LegalRep.ID.Number)},
		{Key: a.S("field.reserved_phone"), Value: rules.MaskMobile(ent.Phone)},
		{Key: a.S("staff.ent.lock"), Value: state},
		{Key: a.S("staff.ent.failures"), Value: strconv.Itoa(l.Failures)},
		{Key: a.S("staff.ent.locks"), Value: strconv.Itoa(l.Locks)},
		{Key: a.S("staff.ent.last_failure"), Value: last},
	}
}

func (e *enterpriseScreen) View() string {
	if e.confirm.Open() {
		return e.confirm.Over(e.w, e.h)
	}
	p := page{title: "staff.ent.title", errMsg: e.errMsg, notice: e.notice}
	if !e.shown {
		p.body = strings.Split(kit.Indent(e.form.View(), "  "), "\n")
		p.working = e.load.View()
		return p.render(e.a, e.w)
	}
	p = e.layout()
	p.body = e.scroll.View()
	return p.render(e.a, e.w)
}

// layout is the result's page with the fields in the scroll, sized so
// that the buttons always show below them.
func (e *enterpriseScreen) layout() page {
	p := page{title: "staff.ent.title", errMsg: e.errMsg, notice: e.notice, working: e.act.View(),
		buttons: buttonLines(&e.row, e.w, e.h)}
	p.fillScroll(e.a, e.scroll, widget.InfoLines(e.a.St, e.rows(), infoWidth(e.w)), e.w, e.h)
	return p
}
