package account

import (
	"context"
	"fmt"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
)

// Audit action of 修改密码 (manual §四).
const AuditChangePassword = "password.change"

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
	hash, names, actor, subject := ent.PasswordHash, []string{ent.Name, ent.LegalRep.Name}, p.actor(), p.subject()
	if p.agent {
		hash, names = ag.PasswordHash, []string{ent.Name, ag.Name}
	}
	if oldPassword == "" {
		return model.Session{}, refuse(FieldOldPassword, model.ErrOldPasswordWrong)
	}
	if ok, err := s.Hasher.Verify(hash, oldPassword); err != nil || !ok {
		now := s.Clock.Now()
		if aerr := s.Store.Update(ctx, func(tx model.Tx) error {
			return appendAudit(tx, s.record(actor, AuditChangePassword, subject, "fail", "old password wrong", now))
		}); aerr != nil {
			return model.Session{}, aerr
		}
		return model.Session{}, refuse(FieldOldPassword, model.ErrOldPasswordWrong)
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
