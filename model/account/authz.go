package account

import (
	"context"
	"errors"
	"time"

	"kiosk/model"
)

// Use is a use case of the centers (manual §四), for authorisation. Every
// center use case starts with authorize (or authorizeTx inside its write
// transaction): the screens' route guards only hide what it would refuse.
type Use string

const (
	UseViewEnterprise   Use = "view_enterprise"   // 企业信息 · 法人信息 · 拓展信息: the enterprise
	UseViewAgent        Use = "view_agent"        // the agent's own info and its enterprise's basic info
	UseChangePassword   Use = "change_password"   // 修改密码: its own, enterprise or agent
	UseChangePhone      Use = "change_phone"      // 修改手机号码: the enterprise
	UseChangeEnterprise Use = "change_enterprise" // 企业信息变更: the enterprise
	UseChangeLegalRep   Use = "change_legal_rep"  // 法定代表人变更: the enterprise
	UseListAgents       Use = "list_agents"       // 我的经办人: the enterprise or an admin agent
	UseAddAgent         Use = "add_agent"
	UseEditAgent        Use = "edit_agent"
	UseEnableAgent      Use = "enable_agent" // 停用 and 启用
	UseRemoveAgent      Use = "remove_agent"
)

// Uses is every center use case, in menu order (the permission matrix).
var Uses = []Use{UseViewEnterprise, UseViewAgent, UseChangePassword, UseChangePhone, UseChangeEnterprise,
	UseChangeLegalRep, UseListAgents, UseAddAgent, UseEditAgent, UseEnableAgent, UseRemoveAgent}

// manageAgents are the uses of 我的经办人.
func (u Use) manageAgents() bool {
	switch u {
	case UseListAgents, UseAddAgent, UseEditAgent, UseEnableAgent, UseRemoveAgent:
		return true
	}
	return false
}

// principal is who acts, as the store has it now.
type principal struct {
	who   model.Session
	ent   model.Enterprise
	ag    model.Agent // zero for an enterprise login
	agent bool
}

// actor is the audit log's name of the principal.
func (p principal) actor() string {
	if p.agent {
		return "agent:" + p.ag.ID
	}
	return "enterprise:" + p.ent.ID
}

// subject is the audit subject of a change to the principal itself.
func (p principal) subject() string {
	if p.agent {
		return p.ag.ID
	}
	return p.ent.ID
}

// Permit reports whether who may use u now: nil, model.ErrNotPermitted
// (not this principal's to do: a staff login, nobody, an agent outside its
// rights) or model.ErrSessionEnded (the login no longer stands: the
// enterprise closed or its password changed; the agent disabled, removed,
// outside its window or its password changed). The rights:
//
//   - the enterprise: every use but UseViewAgent;
//   - an agent: UseViewAgent and UseChangePassword (its own);
//   - an agent with 管理权限 (as stored now, not as it logged in): also
//     我的经办人 (UseListAgents … UseRemoveAgent).
func (s *Service) Permit(ctx context.Context, who model.Session, u Use) error {
	_, err := s.authorize(ctx, who, u)
	return err
}

// authorize is Permit returning the principal read for the check.
func (s *Service) authorize(ctx context.Context, who model.Session, u Use) (principal, error) {
	if !who.IsEnterprise() && !who.IsAgent() {
		return principal{}, model.ErrNotPermitted
	}
	var p principal
	err := s.Store.View(ctx, func(tx model.Tx) error {
		var err error
		p, err = s.authorizeTx(tx, who, u, s.Clock.Now())
		return err
	})
	return p, err
}

// authorizeTx is authorize inside a transaction: a write re-checks there,
// so that a change made since the first check (the agent disabled, the
// password changed) is caught by the same commit.
func (s *Service) authorizeTx(tx model.Tx, who model.Session, u Use, now time.Time) (principal, error) {
	if !who.IsEnterprise() && !who.IsAgent() {
		return principal{}, model.ErrNotPermitted
	}
	p := principal{who: who, agent: who.IsAgent()}
	var err error
	if p.ent, err = tx.Enterprises().Get(who.EnterpriseID); err != nil {
		return principal{}, ended(err)
	}
	if p.ent.SessionEpoch != who.Epoch || p.ent.State != model.EnterpriseActive {
		return principal{}, model.ErrSessionEnded
	}
	if !p.agent {
		if u == UseViewAgent {
			return principal{}, model.ErrNotPermitted
		}
		return p, nil
	}
	if p.ag, err = tx.Agents().Get(who.AgentID); errors.Is(err, model.ErrNotFound) || err == nil && p.ag.EnterpriseID != p.ent.ID {
		return principal{}, model.ErrAgentRemoved
	} else if err != nil {
		return principal{}, err
	}
	if err := model.AgentEnded(p.ag, now); err != nil {
		return principal{}, err
	}
	if p.ag.SessionEpoch != who.AgentEpoch {
		return principal{}, model.ErrSessionEnded
	}
	switch {
	case u == UseViewAgent, u == UseChangePassword:
		return p, nil
	case u.manageAgents() && p.ag.Admin:
		return p, nil
	}
	return principal{}, model.ErrNotPermitted
}

// ended turns a record gone under a session into the session's end.
func ended(err error) error {
	if errors.Is(err, model.ErrNotFound) {
		return model.ErrSessionEnded
	}
	return err
}

// CenterView is what a center shows. For an enterprise login: the whole
// enterprise (the screens mask the legal representative). For an agent:
// the agent itself and its enterprise's basic information only (name,
// USCC, legal type, state): an agent is not shown the legal
// representative, the reserved phone or the registry's 拓展信息.
type CenterView struct {
	Enterprise model.Enterprise
	Agent      model.Agent // zero for an enterprise login
}

// Center reads the center of who: EnterpriseInfo for an enterprise,
// AgentInfo for an agent.
func (s *Service) Center(ctx context.Context, who model.Session) (CenterView, error) {
	if who.IsAgent() {
		return s.AgentInfo(ctx, who)
	}
	e, err := s.EnterpriseInfo(ctx, who)
	return CenterView{Enterprise: e}, err
}

// EnterpriseInfo is 企业信息 · 法人信息 · 拓展信息 (UseViewEnterprise): the
// whole enterprise, for the enterprise itself (the screens mask the legal
// representative). The password hash never leaves it.
func (s *Service) EnterpriseInfo(ctx context.Context, who model.Session) (model.Enterprise, error) {
	p, err := s.authorize(ctx, who, UseViewEnterprise)
	if err != nil {
		return model.Enterprise{}, err
	}
	e := p.ent
	e.PasswordHash = ""
	return e, nil
}

// AgentInfo is 经办人中心 (UseViewAgent): the agent itself and its
// enterprise's basic information only.
func (s *Service) AgentInfo(ctx context.Context, who model.Session) (CenterView, error) {
	p, err := s.authorize(ctx, who, UseViewAgent)
	if err != nil {
		return CenterView{}, err
	}
	e := p.ent
	basic := model.Enterprise{ID: e.ID, USCC: e.USCC, Name: e.Name, LegalType: e.LegalType, State: e.State}
	ag := p.ag
	ag.PasswordHash = ""
	return CenterView{Enterprise: basic, Agent: ag}, nil
}
