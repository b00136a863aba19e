package account

import (
	"context"
	"errors"
	"fmt"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
)

// Audit actions of 修改密码 (manual §四): the change, and each check of
// the old password (counted toward the login lockout).
const (
	AuditChangePassword      = "password.change"
	AuditChangePasswordCheck = "password.change.check"
)

// FieldOldPassword is 原密码 on 修改密码.
const FieldOldPassword = "old_password"

// ChangePassword is 修改密码 for whoever is logged in: an enterprise changes
// its account's password, an agent its own. The old password must be
// right, the new one must follow the policy (with the account, company and
// legal representative's names, or the agent's, as words it must not lean
// on) and differ from the current one. Every other login of that account
// ends (the epoch moves on) and the returned session, carrying the new
// epoch, is the one that stays; the reserved phone gets a notice through
// the outbox; the change is audited. A session that has ended (the
// enterprise closed, the agent disabled, expired, removed, or the password
// changed elsewhere) is refused with model.ErrSessionEnded; a staff login
// or nobody with model.ErrNotPermitted.
func (s *Service) ChangePassword(ctx context.Context, who model.Session, oldPassword, newPassword string) (model.Session, error) {
	p, err := s.authorize(ctx, who, UseChangePassword)
	if err != nil {
		return model.Session{}, err
	}
	ent, ag := p.ent, p.ag
	names, actor, subject := []string{ent.Name, ent.LegalRep.Name}, p.actor(), p.subject()
	if p.agent {
		names = []string{ent.Name, ag.Name}
	}
	if err := s.ready(); err != nil {
		return model.Session{}, err
	}
	if oldPassword == "" {
		return model.Session{}, refuse(FieldOldPassword, model.ErrOldPasswordWrong)
	}
	if err := s.reverify(ctx, who, AuditChangePasswordCheck, FieldOldPassword, oldPassword); err != nil {
		return model.Session{}, err
	}
	if err := rules.CheckPassword(newPassword, ent.Account, names...); err != nil {
		return model.Session{}, refuse(FieldPassword, err)
	}
	if newPassword == oldPassword {
		return model.Session{}, refuse(FieldPassword, model.ErrSamePassword)
	}
	newHash, err := s.Hasher.Hash(newPassword)
	if err != nil {
		return model.Session{}, fmt.Errorf("account: hash password: %w", err)
	}
	now := s.Clock.Now()
	stays := who
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		stays = who // the closure may run again
		q, err := s.authorizeTx(tx, who, UseChangePassword, now)
		if err != nil {
			return err
		}
		// written completes a change: the audit record and the notice.
		written := func(put error, phone string, notice i18n.Text) error {
			return firstErr(put,
				appendAudit(tx, s.record(actor, AuditChangePassword, subject, "ok", "", now)),
				tx.Outbox().Enqueue(model.NewOutboundSMS(phone, i18n.Sentence(ctx, notice), model.SMSKindNotice, now)))
		}
		if !q.agent {
			e := q.ent
			if e.PasswordHash != ent.PasswordHash { // changed since it was checked
				return model.ErrSessionEnded
			}
			e.PasswordHash, e.UpdatedAt = newHash, now
			e.SessionEpoch++
			stays.Epoch = e.SessionEpoch
			return written(tx.Enterprises().Put(e), e.Phone, noticePasswordReset(e.Account))
		}
		a := q.ag
		if a.PasswordHash != ag.PasswordHash {
			return model.ErrSessionEnded
		}
		a.PasswordHash, a.UpdatedAt = newHash, now
		a.SessionEpoch++
		stays.AgentEpoch = a.SessionEpoch
		return written(tx.Agents().Put(a), a.Phone, noticeAgentPasswordChanged())
	})
	if err != nil {
		return model.Session{}, err
	}
	return stays, nil
}

// reverify checks the login's own password again through the login
// lockout (model.Auth.Reverify): a wrong one is refused on field with the
// tries left, a locked login with until when; the login gone is
// model.ErrSessionEnded.
func (s *Service) reverify(ctx context.Context, who model.Session, action, field, password string) error {
	err := s.Auth.Reverify(ctx, who, action, password)
	var bad *model.BadCredentialsError
	var locked *model.LockedError
	if errors.As(err, &bad) || errors.As(err, &locked) {
		return refuse(field, err)
	}
	return err
}
