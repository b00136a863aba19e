package account

import (
	"context"
	"errors"
	"strings"
	"time"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
)

// Audit actions of the appeal review (the staff console, manual §五(二)).
const (
	AuditAppealView     = "appeal.view"
	AuditAppealMaterial = "appeal.material.view"
	AuditAppealTake     = "appeal.take"
	AuditAppealApprove  = "appeal.approve"
	AuditAppealReject   = "appeal.reject"
)

// FieldReason is 驳回原因.
const FieldReason = "reason"

// reviewer refuses anyone but a staff member who reviews appeals (审核员,
// or 管理员, who may act as every role).
func reviewer(who model.Session) error {
	if !who.IsStaff(model.StaffReviewer) {
		return model.ErrStaffForbidden
	}
	return nil
}

// staffActor is the audit actor of a staff login.
func staffActor(who model.Session) string { return "staff:" + who.StaffID }

// AppealQueue is the review queue: up to limit appeals matching f from
// cursor, and the next page's cursor ("" for none).
func (s *Service) AppealQueue(ctx context.Context, who model.Session, f model.AppealFilter, cursor string, limit int) ([]model.Appeal, string, error) {
	if err := reviewer(who); err != nil {
		return nil, "", err
	}
	var (
		out  []model.Appeal
		next string
	)
	err := s.Store.View(ctx, func(tx model.Tx) error {
		if err := model.StaffStands(tx, who, model.StaffReviewer); err != nil {
			return err
		}
		var err error
		out, next, err = tx.Appeals().List(f, cursor, limit)
		return err
	})
	return out, next, err
}

// Appeal is one appeal for the review, every field (the screen sanitises
// and shows them); reading it is audited.
func (s *Service) Appeal(ctx context.Context, who model.Session, id string) (model.Appeal, error) {
	if err := reviewer(who); err != nil {
		return model.Appeal{}, err
	}
	var a model.Appeal
	now := s.Clock.Now()
	err := s.Store.Update(ctx, func(tx model.Tx) error {
		if err := model.StaffStands(tx, who, model.StaffReviewer); err != nil {
			return err
		}
		var err error
		if a, err = tx.Appeals().Get(id); err != nil {
			return notFoundAppeal(err)
		}
		return appendAudit(tx, s.record(staffActor(who), AuditAppealView, a.ID, "ok", "", now))
	})
	return a, err
}

// AppealMaterial is the file of one material of an appeal, checked whole
// against its hash; reading it is audited (an ID card photo).
func (s *Service) AppealMaterial(ctx context.Context, who model.Session, id string, k model.MaterialKind) ([]byte, error) {
	if err := reviewer(who); err != nil {
		return nil, err
	}
	var a model.Appeal
	err := s.Store.View(ctx, func(tx model.Tx) error {
		if err := model.StaffStands(tx, who, model.StaffReviewer); err != nil {
			return err
		}
		var err error
		a, err = tx.Appeals().Get(id)
		return notFoundAppeal(err)
	})
	if err != nil {
		return nil, err
	}
	m, ok := a.Material(k)
	if !ok {
		return nil, &model.MaterialRequiredError{Kind: k}
	}
	data, err := model.ReadMaterial(ctx, s.Store, m)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		return appendAudit(tx, s.record(staffActor(who), AuditAppealMaterial, a.ID, "ok", "kind="+string(k), now))
	})
	return data, err
}

// TakeAppeal puts a pending appeal in review (处理中) by who.
func (s *Service) TakeAppeal(ctx context.Context, who model.Session, id string) (model.Appeal, error) {
	return s.review(ctx, who, id, AuditAppealTake, func(tx model.Tx, a model.Appeal) (model.Appeal, []model.OutboundSMS, error) {
		a, err := a.Take(who.StaffID, s.Clock.Now())
		return a, nil, err
	})
}

// ApproveAppeal approves an appeal in review and applies it, with its
// audit record and the SMS of the result, in one transaction:
//
//   - 辅助企业注册申诉 opens the enterprise account (正常) with the appeal's
//     enterprise, legal representative, 法人账号 and phone as its reserved
//     phone; it has no password yet: the SMS tells the person to set one
//     with 忘记密码 (which proves the phone again). A USCC or account
//     taken since is refused (model.ErrAlreadyRegistered,
//     model.ErrAccountTaken) and nothing changes.
//   - 修改企业信息申诉 changes what it asks of the enterprise (the phone,
//     the legal representative, the name and legal type) and ends every
//     login of the account; a changed phone's old number is told too.
func (s *Service) ApproveAppeal(ctx context.Context, who model.Session, id string) (model.Appeal, error) {
	return s.review(ctx, who, id, AuditAppealApprove, func(tx model.Tx, a model.Appeal) (model.Appeal, []model.OutboundSMS, error) {
		now := s.Clock.Now()
		a, err := a.Approve(who.StaffID, now)
		if err != nil {
			return a, nil, err
		}
		if a.Kind == model.AppealKindRegister {
			return a, []model.OutboundSMS{s.notice(ctx, a.Phone, noticeAppealOpened(a.Ref, a.Account))}, openFromAppeal(tx, a, now)
		}
		e, err := tx.Enterprises().ByUSCC(a.USCC)
		if err != nil {
			return a, nil, notFoundAppeal(err)
		}
		if e.State != model.EnterpriseActive {
			return a, nil, model.ErrEnterpriseNotActive
		}
		msgs := []model.OutboundSMS{s.notice(ctx, a.Phone, noticeAppealChanged(a.Ref))}
		for _, c := range a.Changes {
			switch c {
			case model.ChangePhone:
				if e.Phone != "" && e.Phone != a.Phone {
					msgs = append(msgs, s.notice(ctx, e.Phone, noticePhoneChanged(e.Account, rules.MaskMobile(a.Phone))))
				}
				e.Phone = a.Phone
			case model.ChangeLegalRep:
				e.LegalRep = a.LegalRep
			case model.ChangeEnterprise:
				e.Name, e.LegalType = a.EnterpriseName, a.LegalType
				if a.Extended != (model.Extended{}) {
					e.Extended = a.Extended
				}
			}
		}
		e.SessionEpoch++
		e.UpdatedAt = now
		return a, msgs, tx.Enterprises().Put(e)
	})
}

// RejectAppeal rejects an appeal in review with reason (required, at most
// model.MaxRejectReason characters), texted to the appeal's phone.
func (s *Service) RejectAppeal(ctx context.Context, who model.Session, id, reason string) (model.Appeal, error) {
	if err := model.CheckRejectReason(reason); err != nil {
		if err := reviewer(who); err != nil {
			return model.Appeal{}, err
		}
		return model.Appeal{}, refuse(FieldReason, err)
	}
	return s.review(ctx, who, id, AuditAppealReject, func(tx model.Tx, a model.Appeal) (model.Appeal, []model.OutboundSMS, error) {
		a, err := a.Reject(who.StaffID, reason, s.Clock.Now())
		if err != nil {
			return a, nil, err
		}
		return a, []model.OutboundSMS{s.notice(ctx, a.Phone, noticeAppealRejected(a.Ref, a.Reason))}, nil
	})
}

// review runs one step of the review in one transaction: the appeal read,
// step's change (and whatever it applies), the appeal stored, the audit
// record and the SMS messages step returns.
func (s *Service) review(ctx context.Context, who model.Session, id, action string,
	step func(tx model.Tx, a model.Appeal) (model.Appeal, []model.OutboundSMS, error)) (model.Appeal, error) {
	if err := reviewer(who); err != nil {
		return model.Appeal{}, err
	}
	var out model.Appeal
	now := s.Clock.Now()
	err := s.Store.Update(ctx, func(tx model.Tx) error {
		if err := model.StaffStands(tx, who, model.StaffReviewer); err != nil {
			return err
		}
		a, err := tx.Appeals().Get(id)
		if err != nil {
			return notFoundAppeal(err)
		}
		a, msgs, err := step(tx, a)
		if err != nil {
			return err
		}
		out = a
		if err := tx.Appeals().Put(a); err != nil {
			return err
		}
		for _, m := range msgs {
			if err := tx.Outbox().Enqueue(m); err != nil {
				return err
			}
		}
		return appendAudit(tx, s.record(staffActor(who), action, a.ID, "ok", appealDetail(a), now))
	})
	if err != nil {
		return model.Appeal{}, err
	}
	return out, nil
}

// openFromAppeal creates the enterprise a 辅助企业注册申诉 asked for.
func openFromAppeal(tx model.Tx, a model.Appeal, now time.Time) error {
	if _, err := tx.Enterprises().ByUSCC(a.USCC); err == nil {
		return model.ErrAlreadyRegistered
	} else if !errors.Is(err, model.ErrNotFound) {
		return err
	}
	e := model.Enterprise{ID: model.NewID(), USCC: a.USCC, Name: a.EnterpriseName, LegalType: a.LegalType,
		LegalRep: a.LegalRep, Account: a.Account, Phone: a.Phone, State: model.EnterpriseActive,
		CreatedAt: now, UpdatedAt: now}
	err := tx.Enterprises().Create(e)
	var dup *model.DuplicateError
	if errors.As(err, &dup) {
		if strings.Contains(dup.Field, "account") {
			return model.ErrAccountTaken
		}
		return model.ErrAlreadyRegistered
	}
	return err
}

// notice is an SMS notice in the language of the request.
func (s *Service) notice(ctx context.Context, phone string, t i18n.Text) model.OutboundSMS {
	return model.NewOutboundSMS(phone, i18n.Sentence(ctx, t), model.SMSKindNotice, s.Clock.Now())
}

// notFoundAppeal is model.ErrAppealNotFound for a record not found.
func notFoundAppeal(err error) error {
	if errors.Is(err, model.ErrNotFound) {
		return model.ErrAppealNotFound
	}
	return err
}
