package account

import (
	"context"
	"errors"
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
	if !who.IsEnterprise() && !who.IsAgent() {
		return model.Session{}, model.ErrNotPermitted
	}
	ent, ag, err := s.loggedIn(ctx, who)
	if err != nil {
		return model.Session{}, err
	}
	hash, names, actor, subject := ent.PasswordHash, []string{ent.Name, ent.LegalRep.Name}, "enterprise:"+ent.ID, ent.ID
	if who.IsAgent() {
		hash, names, actor, subject = ag.PasswordHash, []string{ent.Name, ag.Name}, "agent:"+ag.ID, ag.ID
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
		// written completes a change: the audit record and the notice.
		written := func(put error, phone string, notice i18n.Text) error {
			return firstErr(put,
				appendAudit(tx, s.record(actor, AuditChangePassword, subject, "ok", "", now)),
				tx.Outbox().Enqueue(model.NewOutboundSMS(phone, i18n.Sentence(ctx, notice), model.SMSKindNotice, now)))
		}
		e, err := tx.Enterprises().Get(ent.ID)
		if err != nil {
			return err
		}
		if e.SessionEpoch != who.Epoch || e.State != model.EnterpriseActive {
			return model.ErrSessionEnded
		}
		if !who.IsAgent() {
			if e.PasswordHash != ent.PasswordHash { // changed since it was checked
				return model.ErrSessionEnded
			}
			e.PasswordHash, e.UpdatedAt = newHash, now
			e.SessionEpoch++
			stays.Epoch = e.SessionEpoch
			return written(tx.Enterprises().Put(e), e.Phone, noticePasswordReset(e.Account))
		}
		a, err := tx.Agents().Get(ag.ID)
		if err != nil {
			return err
		}
		if a.EnterpriseID != e.ID || a.SessionEpoch != who.AgentEpoch || a.PasswordHash != ag.PasswordHash ||
			a.State(now) != model.AgentValid {
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

// loggedIn reads who's enterprise (and agent) and refuses a session that
// has ended, as model.Auth's views do.
func (s *Service) loggedIn(ctx context.Context, who model.Session) (model.Enterprise, model.Agent, error) {
	var ent model.Enterprise
	var ag model.Agent
	err := s.Store.View(ctx, func(tx model.Tx) error {
		var err error
		if ent, err = tx.Enterprises().Get(who.EnterpriseID); err != nil {
			return err
		}
		if who.IsAgent() {
			ag, err = tx.Agents().Get(who.AgentID)
		}
		return err
	})
	if errors.Is(err, model.ErrNotFound) {
		return ent, ag, model.ErrSessionEnded // removed under the session
	}
	if err != nil {
		return ent, ag, err
	}
	if ent.SessionEpoch != who.Epoch || ent.State != model.EnterpriseActive {
		return ent, ag, model.ErrSessionEnded
	}
	if who.IsAgent() && (ag.EnterpriseID != ent.ID || ag.SessionEpoch != who.AgentEpoch || ag.State(s.Clock.Now()) != model.AgentValid) {
		return ent, ag, model.ErrSessionEnded
	}
	return ent, ag, nil
}
