package account

import (
	"context"
	"strings"
	"time"

	"kiosk/model"
	"kiosk/model/i18n"
)

// The changes of 我的经办人 to an existing agent: 编辑, 停用/启用 and 删除.

// EditAgent is 编辑经办人: the window (checked as AddAgent checks it) and
// 管理权限 of agent id. Demoting the enterprise's last enabled admin agent
// is refused with model.ErrLastAdmin unless lastAdminOK (the screen asked
// twice). An agent whose window no longer holds today is logged out at its
// next action by the authorisation check.
func (s *Service) EditAgent(ctx context.Context, who model.Session, id string, from, to time.Time, admin, lastAdminOK bool) (AgentRow, error) {
	p, err := s.authorize(ctx, who, UseEditAgent)
	if err != nil {
		return AgentRow{}, err
	}
	now := s.Clock.Now()
	var f fieldErrs
	from, to = agentWindow(from, to, p, now, &f)
	if err := f.err(); err != nil {
		return AgentRow{}, err
	}
	return s.changeAgent(ctx, who, agentChange{use: UseEditAgent, id: id, lastAdminOK: lastAdminOK, now: now,
		apply: func(q principal, a model.Agent) (model.Agent, string, i18n.Text, error) {
			if beyond(q, to) {
				return a, "", i18n.Text{}, refuse(FieldAgentTo, model.ErrAgentWindowBeyond)
			}
			if a.ValidFrom.Equal(from) && a.ValidTo.Equal(to) && a.Admin == admin {
				return a, AuditAgentEdit, i18n.Text{}, nil // nothing to change, nothing to tell
			}
			a.ValidFrom, a.ValidTo, a.Admin = from, to, admin
			return a, AuditAgentEdit, noticeAgentEdited(q.ent.Account, from, to), nil
		}})
}

// SetAgentEnabled is 停用 (enabled false) and 启用 of agent id. Disabling
// ends every login of the agent (its epoch moves on); disabling the last
// enabled admin agent is refused with model.ErrLastAdmin unless
// lastAdminOK. Setting the state it has already changes nothing.
func (s *Service) SetAgentEnabled(ctx context.Context, who model.Session, id string, enabled, lastAdminOK bool) (AgentRow, error) {
	if !who.IsEnterprise() && !who.IsAgent() {
		return AgentRow{}, model.ErrNotPermitted
	}
	action := AuditAgentDisable
	if enabled {
		action = AuditAgentEnable
	}
	return s.changeAgent(ctx, who, agentChange{use: UseEnableAgent, id: id, lastAdminOK: lastAdminOK, now: s.Clock.Now(),
		apply: func(q principal, a model.Agent) (model.Agent, string, i18n.Text, error) {
			if a.Enabled == enabled {
				return a, action, i18n.Text{}, nil
			}
			a.Enabled = enabled
			if !enabled {
				a.SessionEpoch++
				return a, action, noticeAgentDisabled(q.ent.Account), nil
			}
			return a, action, noticeAgentEnabled(q.ent.Account), nil
		}})
}

// RemoveAgent is 删除 of agent id: the record and its indexes go (its
// logins end: the agent is not found any more). Removing the last enabled
// admin agent is refused with model.ErrLastAdmin unless lastAdminOK.
func (s *Service) RemoveAgent(ctx context.Context, who model.Session, id string, lastAdminOK bool) error {
	if !who.IsEnterprise() && !who.IsAgent() {
		return model.ErrNotPermitted
	}
	_, err := s.changeAgent(ctx, who, agentChange{use: UseRemoveAgent, id: id, lastAdminOK: lastAdminOK, now: s.Clock.Now(),
		remove: true,
		apply: func(q principal, a model.Agent) (model.Agent, string, i18n.Text, error) {
			return a, AuditAgentRemove, noticeAgentRemoved(q.ent.Account), nil
		}})
	return err
}

// agentChange is one change of an existing agent.
type agentChange struct {
	use         Use
	id          string
	lastAdminOK bool
	remove      bool
	now         time.Time
	// apply returns the agent after the change, the audit action and the
	// notice (zero: nothing changed, nothing is written), or a refusal.
	apply func(q principal, a model.Agent) (after model.Agent, action string, notice i18n.Text, refusal error)
}

// changeAgent runs c in one Update: the operator authorised again, the
// agent read (of the operator's enterprise, not the operator itself), the
// last-admin guard, then the record, the audit record and the notice to
// the agent's phone.
func (s *Service) changeAgent(ctx context.Context, who model.Session, c agentChange) (AgentRow, error) {
	now := c.now
	var row AgentRow
	err := s.Store.Update(ctx, func(tx model.Tx) error {
		row = AgentRow{} // fn may be re-run
		q, err := s.authorizeTx(tx, who, c.use, now)
		if err != nil {
			return err
		}
		a, err := agentOf(tx, q, c.id)
		if err != nil {
			return err
		}
		after, action, notice, err := c.apply(q, a)
		if err != nil {
			return err
		}
		if c.remove {
			row = AgentRow{}
		} else {
			row = rowOf(after, q, now)
		}
		if notice.IsZero() {
			return nil
		}
		if !c.lastAdminOK && activeAdmin(a, now) && (c.remove || !activeAdmin(after, now)) {
			last, err := lastAdmin(tx, q.ent.ID, a.ID, now)
			if err != nil {
				return err
			}
			if last {
				return refuse(FieldForm, model.ErrLastAdmin)
			}
		}
		after.UpdatedAt = now
		write := func() error { return tx.Agents().Put(after) }
		detail := windowDetail(after.ValidFrom, after.ValidTo, after.Admin)
		if c.remove {
			write, detail = func() error { return tx.Agents().Delete(a.ID) }, ""
		}
		if c.lastAdminOK {
			detail += " last_admin_confirmed"
		}
		return firstErr(write(),
			appendAudit(tx, s.record(q.actor(), action, a.ID, "ok", strings.TrimSpace(detail), now)),
			tx.Outbox().Enqueue(model.NewOutboundSMS(a.Phone, i18n.Sentence(ctx, notice), model.SMSKindNotice, now)))
	})
	if err != nil {
		return AgentRow{}, err
	}
	return row, nil
}

// activeAdmin reports an agent that may manage agents now or once its
// window starts: 管理权限, enabled, not expired.
func activeAdmin(a model.Agent, now time.Time) bool {
	st := a.State(now)
	return a.Admin && (st == model.AgentValid || st == model.AgentNotYet)
}

// lastAdmin reports whether no active admin agent but id is left in the
// enterprise. It reads the admin index only: the transaction stays small
// however many agents the enterprise has.
func lastAdmin(tx model.Tx, entID, id string, now time.Time) (bool, error) {
	ags, err := tx.Agents().Admins(entID)
	if err != nil {
		return false, err
	}
	for _, o := range ags {
		if o.ID != id && activeAdmin(o, now) {
			return false, nil
		}
	}
	return true, nil
}

func noticeAgentEdited(account string, from, to time.Time) i18n.Text {
	return i18n.T("notice.agents.edited", "Account", account, "From", from.Format(time.DateOnly), "To", to.Format(time.DateOnly))
}

func noticeAgentDisabled(account string) i18n.Text {
	return i18n.T("notice.agents.disabled", "Account", account)
}

func noticeAgentEnabled(account string) i18n.Text {
	return i18n.T("notice.agents.enabled", "Account", account)
}

func noticeAgentRemoved(account string) i18n.Text {
	return i18n.T("notice.agents.removed", "Account", account)
}
