package staff

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model"
	accountsvc "kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// The decisions on an appeal: 受理 (待处理 → 处理中), then 通过 or 驳回
// with a reason (required, at most model.MaxRejectReason characters,
// texted to the person). Each is confirmed first, in a dialog that says
// what it will do; the use case decides, sends the SMS and writes the
// audit record in one transaction. The result is said in a sentence and
// the queue is read again. A refusal is said in Chinese: a move the
// review does not allow (another reviewer was quicker: the appeal is read
// again to show where it is), a role that may not, a reason refused (back
// at the field); a staff login that no longer stands logs out.

type decision int

const (
	decideTake decision = iota + 1
	decideApprove
	decideReject
)

// asked is the decision the confirm dialog asks about.
type asked struct {
	what   decision
	appeal model.Appeal
	reason string
}

// ask opens the confirm dialog of d on the appeal on show.
func (s *appealsScreen) ask(d decision, reason string) {
	ap := s.appeal
	ref, name := rules.Sanitize(ap.Ref), rules.Sanitize(ap.EnterpriseName)
	var text i18n.Text
	label := ""
	switch d {
	case decideTake:
		text, label = i18n.T("staff.appeals.confirm_take", "Ref", ref), "staff.appeals.take"
	case decideApprove:
		label = "staff.appeals.approve"
		text = i18n.T("staff.appeals.confirm_approve_change", "Ref", ref, "Name", name, "Changes", s.changes(ap.Changes))
		if ap.Kind == model.AppealKindRegister {
			text = i18n.T("staff.appeals.confirm_approve_register", "Ref", ref, "Name", name,
				"Account", rules.Sanitize(ap.Account))
		}
	case decideReject:
		text, label = i18n.T("staff.appeals.confirm_reject", "Ref", ref, "Phone", rules.MaskMobile(ap.Phone),
			"Reason", rules.Sanitize(reason)), "staff.appeals.reject"
	}
	s.asking = asked{what: d, appeal: ap, reason: reason}
	s.errMsg, s.notice = i18n.Text{}, i18n.Text{}
	s.confirm.Ask(text, kit.Btn{ID: AskCancel, Label: "staff.cancel"}, kit.Btn{ID: AskOK, Label: label})
}

// decide runs the decision the dialog confirmed.
func (s *appealsScreen) decide() tea.Cmd {
	accounts, who, q := s.a.Deps.Accounts, who(s.a), s.asking
	return s.act.Run("staff.working", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if accounts == nil {
			return nil, errNoDesk
		}
		switch q.what {
		case decideTake:
			return accounts.TakeAppeal(ctx, who, q.appeal.ID)
		case decideApprove:
			return accounts.ApproveAppeal(ctx, who, q.appeal.ID)
		}
		return accounts.RejectAppeal(ctx, who, q.appeal.ID, q.reason)
	})
}

// acted takes a decision's outcome.
func (s *appealsScreen) acted(done *kit.Loaded) tea.Cmd {
	q := s.asking
	shown := max(QueuePage, len(s.rows))
	if done.Err != nil {
		return s.refused(q, done.Err, shown)
	}
	ap := done.Value.(model.Appeal)
	ref := rules.Sanitize(ap.Ref)
	s.errMsg = i18n.Text{}
	switch q.what {
	case decideTake:
		s.appeal, s.phase = ap, phaseDetail
		s.detailButtons()
		s.notice = i18n.T("staff.appeals.taken", "Ref", ref)
		return tea.Batch(kit.Play(audio.PromptSuccess), s.reload(shown))
	case decideApprove:
		s.notice = i18n.T("staff.appeals.approved_change", "Ref", ref)
		if ap.Kind == model.AppealKindRegister {
			s.notice = i18n.T("staff.appeals.approved_register", "Ref", ref, "Account", rules.Sanitize(ap.Account))
		}
	case decideReject:
		s.notice = i18n.T("staff.appeals.rejected", "Ref", ref)
		s.reason = nil
	}
	s.appeal, s.phase = ap, phaseList
	return tea.Batch(kit.Play(audio.PromptSuccess), kick(s.a), s.reload(shown))
}

// refused says why a decision was refused, and where it leaves the appeal.
func (s *appealsScreen) refused(q asked, err error, shown int) tea.Cmd {
	if cmd := kit.Ended(err); cmd != nil {
		return cmd
	}
	var fields *accountsvc.FieldErrors
	if errors.As(err, &fields) && q.what == decideReject && s.reason != nil {
		if msg, ok := fields.Fields[accountsvc.FieldReason]; ok {
			s.phase = phaseReason
			s.reason.SetBusy(false)
			s.reason.SetError(FieldAppealReason, msg)
			s.reason.Focus(FieldAppealReason)
			return kit.Play(kit.ErrorPrompt(err))
		}
	}
	var cmd tea.Cmd
	s.errMsg, cmd = failed(s.a, "staff appeal decision", err)
	s.phase = phaseDetail
	var moved *model.AppealTransitionError
	if errors.As(err, &moved) || errors.Is(err, model.ErrAppealNotFound) {
		// Decided meanwhile (another reviewer): show where it is now.
		return tea.Batch(cmd, s.read(q.appeal.ID), s.reload(shown))
	}
	return cmd
}

// startReject opens the reason form (what was typed for this appeal is
// kept when the reviewer comes back to it).
func (s *appealsScreen) startReject() tea.Cmd {
	if s.reason == nil || s.reasonFor != s.appeal.ID {
		s.reason = newForm(s.a, AppealReasonForm, "staff.appeals.reject", "staff.cancel", newReasonField())
		s.reason.SetWidth(formWidth(s.w))
		s.reasonFor = s.appeal.ID
	}
	s.reason.SetBusy(false)
	s.reason.Focus(FieldAppealReason)
	s.phase, s.errMsg, s.notice = phaseReason, i18n.Text{}, i18n.Text{}
	return nil
}

// reasoned takes the reason form: checked once more, then the confirm.
func (s *appealsScreen) reasoned(v form.Values) tea.Cmd {
	s.reason.SetBusy(false)
	reason := v.Text(FieldAppealReason)
	if err := model.CheckRejectReason(reason); err != nil {
		s.reason.SetError(FieldAppealReason, form.ErrorText(err))
		return kit.Play(kit.ErrorPrompt(err))
	}
	s.ask(decideReject, strings.TrimSpace(reason))
	return nil
}

func (s *appealsScreen) reasonView() string {
	ap := s.appeal
	p := page{title: "staff.appeals.reason_title", errMsg: s.errMsg, working: s.act.View()}
	p.body = para(s.a, i18n.T("staff.appeals.reason_for", "Ref", rules.Sanitize(ap.Ref),
		"Name", rules.Sanitize(ap.EnterpriseName)), s.w, s.a.St.Muted.Render)
	p.body = append(append(p.body, ""), strings.Split(kit.Indent(s.reason.View(), "  "), "\n")...)
	return p.render(s.a, s.w)
}

// reasonCap is the most the reason field takes: past the limit, so that
// a reason one character too long is refused with its sentence rather
// than cut without a word, and still bounded.
const reasonCap = 2 * model.MaxRejectReason

// reasonField is 驳回原因: a text area whose counter says "n/100" and
// turns to the error colour past the limit.
type reasonField struct{ *form.AreaField }

func newReasonField() *reasonField {
	return &reasonField{form.TextArea(FieldAppealReason, "staff.appeals.reason",
		form.Required, form.Max(reasonCap), form.Placeholder("staff.appeals.reason_placeholder"),
		form.Check(model.CheckRejectReason))}
}

// Empty is the sentence of an empty reason: the use case's.
func (f *reasonField) Empty() i18n.Text { return form.ErrorText(model.ErrRejectReasonRequired) }

func (f *reasonField) View(c *form.Ctx, focused bool) (string, []string) {
	in, below := f.AreaField.View(c, focused)
	if len(below) == 0 {
		return in, below
	}
	n := utf8.RuneCountInString(f.Text())
	style := c.St.Muted
	if n > model.MaxRejectReason {
		style = c.St.FieldError
	}
	w := max(min(c.Width-2, 60), 10) // as the area draws its box
	counter := strconv.Itoa(n) + "/" + strconv.Itoa(model.MaxRejectReason)
	below[len(below)-1] = style.Render(widget.PadLeft(counter, w+2))
	return in, below
}
