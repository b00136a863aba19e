package account

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
)

// 我的经办人 (manual §四(一)(1)): the enterprise, or an agent with 管理权限,
// lists, adds, edits, disables, enables and removes the enterprise's
// agents. Every use case takes the acting session, authorises it (again
// inside its write transaction) and writes the change, its audit record and
// the agent's SMS notice in one Update.

// Audit actions of 我的经办人. The subject is the agent's id; details never
// hold PII.
const (
	AuditAgentLookup  = "agents.add.lookup" // the natural person looked up for 添加
	AuditAgentAdd     = "agents.add"
	AuditAgentEdit    = "agents.edit"
	AuditAgentDisable = "agents.disable"
	AuditAgentEnable  = "agents.enable"
	AuditAgentRemove  = "agents.remove"
)

// Field keys of 添加经办人 and 编辑经办人 besides the shared ones: the
// agent's 姓名 is FieldName, its card FieldIDNumber, FieldIDPeriod,
// FieldIDFrom and FieldIDTo, its initial password FieldPassword (and
// FieldConfirm on the screen).
const (
	FieldAgentFrom  = "agent_from"  // 授权开始日期
	FieldAgentTo    = "agent_to"    // 授权结束日期
	FieldAgentAdmin = "agent_admin" // 管理权限 是/否
)

// lookupAgent is the look-up flow of 添加经办人 (is this a registered
// natural person), rationed like the registrations' (lookup.go).
const lookupAgent = "agent"

// AgentInput is the 添加经办人 form.
type AgentInput struct {
	Name     string           // 姓名, as the person registered it (compared folded)
	IDDoc    model.IDDocument // 证件号码 and 证件有效期; Type "" means model.IDTypeResident
	From, To time.Time        // 授权开始日期, 授权结束日期: dates, both inclusive
	Password string           // 初始密码 (the screen checks 确认密码)
	Admin    bool             // 管理权限
}

// AgentRow is an agent as 我的经办人 shows it. It holds no password hash
// and no ID number; the name and phone are whole, for the screen to mask.
type AgentRow struct {
	ID        string
	Name      string
	Phone     string
	From, To  time.Time // the authorisation window (dates)
	Admin     bool
	Enabled   bool
	State     model.AgentState // at the time of reading
	Self      bool             // the admin agent logged in: it may not change itself
	CreatedAt time.Time
}

func rowOf(a model.Agent, p principal, now time.Time) AgentRow {
	return AgentRow{ID: a.ID, Name: a.Name, Phone: a.Phone, From: a.ValidFrom, To: a.ValidTo, Admin: a.Admin,
		Enabled: a.Enabled, State: a.State(now), Self: p.agent && p.ag.ID == a.ID, CreatedAt: a.CreatedAt}
}

// Operator is whom the face verification of 添加经办人 is for.
type Operator struct {
	Name     string
	IDNumber string // PII: for the face verifier only
}

// AgentOperator is the person 添加经办人 verifies first: the legal
// representative for an enterprise login, the admin agent itself for an
// agent login. Authorised as UseAddAgent.
func (s *Service) AgentOperator(ctx context.Context, who model.Session) (Operator, error) {
	p, err := s.authorize(ctx, who, UseAddAgent)
	if err != nil {
		return Operator{}, err
	}
	return operatorOf(p), nil
}

func operatorOf(p principal) Operator {
	if p.agent {
		return Operator{Name: p.ag.Name, IDNumber: p.ag.IDNumber}
	}
	return Operator{Name: p.ent.LegalRep.Name, IDNumber: p.ent.LegalRep.ID.Number}
}

// ListAgents is 我的经办人: every agent of who's enterprise, oldest first
// (ties by id). Authorised as UseListAgents.
func (s *Service) ListAgents(ctx context.Context, who model.Session) ([]AgentRow, error) {
	if !who.IsEnterprise() && !who.IsAgent() {
		return nil, model.ErrNotPermitted
	}
	now := s.Clock.Now()
	var rows []AgentRow
	err := s.Store.View(ctx, func(tx model.Tx) error {
		rows = nil
		p, err := s.authorizeTx(tx, who, UseListAgents, now)
		if err != nil {
			return err
		}
		ags, err := tx.Agents().ListByEnterprise(p.ent.ID)
		if err != nil {
			return err
		}
		rows = make([]AgentRow, 0, len(ags))
		for _, a := range ags {
			rows = append(rows, rowOf(a, p, now))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(rows, func(a, b AgentRow) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return rows, nil
}

// EditableAgent is the agent 编辑经办人 opens: one of who's enterprise
// (model.ErrAgentNotFound otherwise), not the admin agent itself
// (model.ErrAgentSelf). Authorised as UseEditAgent.
func (s *Service) EditableAgent(ctx context.Context, who model.Session, id string) (AgentRow, error) {
	if !who.IsEnterprise() && !who.IsAgent() {
		return AgentRow{}, model.ErrNotPermitted
	}
	now := s.Clock.Now()
	var row AgentRow
	err := s.Store.View(ctx, func(tx model.Tx) error {
		row = AgentRow{}
		p, err := s.authorizeTx(tx, who, UseEditAgent, now)
		if err != nil {
			return err
		}
		a, err := agentOf(tx, p, id)
		if err != nil {
			return err
		}
		row = rowOf(a, p, now)
		return nil
	})
	return row, err
}

// agentOf reads agent id of p's enterprise: another enterprise's agent is
// as unknown as a missing one, and an admin agent may not act on itself.
func agentOf(tx model.Tx, p principal, id string) (model.Agent, error) {
	a, err := tx.Agents().Get(id)
	switch {
	case errors.Is(err, model.ErrNotFound) || err == nil && a.EnterpriseID != p.ent.ID:
		return model.Agent{}, refuse(FieldForm, model.ErrAgentNotFound)
	case err != nil:
		return model.Agent{}, err
	case p.agent && a.ID == p.ag.ID:
		return model.Agent{}, refuse(FieldForm, model.ErrAgentSelf)
	}
	return a, nil
}

// AddAgent is 添加经办人. It checks the fields (name; ID card valid today;
// the window: both dates, end not before start nor before today, and for
// an admin agent not after its own end; the initial password's policy
// with the enterprise's and the agent's names as words it must not lean
// on), then the face evidence, which must be for model.FaceForAddAgent and
// the operator (AgentOperator). Only then is the person looked up, within
// the kiosk's and the ID number's look-up limits (model.ErrLookupLimited),
// audited as AuditAgentLookup: no registered natural person with this ID
// number and name → model.ErrAgentNotPerson on FieldIDNumber (one
// sentence for both); an agent of the enterprise already →
// model.ErrAgentExists on FieldIDNumber. The agent is created enabled,
// with the person's name, ID number and phone, in the look-up's Update
// with its audit record and the agent's SMS notice.
func (s *Service) AddAgent(ctx context.Context, who model.Session, in AgentInput, face model.FaceEvidence) (AgentRow, error) {
	if err := s.ready(); err != nil {
		return AgentRow{}, err
	}
	p, err := s.authorize(ctx, who, UseAddAgent)
	if err != nil {
		return AgentRow{}, err
	}
	now := s.Clock.Now()
	var f fieldErrs
	name, doc, _ := validateRep(in.Name, in.IDDoc, "", now, FieldName, false, &f)
	from, to := agentWindow(in.From, in.To, p, now, &f)
	f.add(FieldPassword, rules.CheckPassword(in.Password, p.ent.Account, p.ent.Name, name))
	f.add(FieldForm, s.checkFace(face, operatorOf(p).IDNumber, model.FaceForAddAgent, now))
	if err := f.err(); err != nil {
		return AgentRow{}, err
	}
	// argon2 is slow: hash before the transaction, never inside it.
	hash, err := s.Hasher.Hash(in.Password)
	if err != nil {
		return AgentRow{}, fmt.Errorf("account: hash password: %w", err)
	}
	lim, blind, id := s.limits(), s.blind("id", doc.Number), model.NewID()
	detail := faceDetail(face) + windowDetail(from, to, in.Admin)
	var (
		row     AgentRow
		refusal error
	)
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		row, refusal = AgentRow{}, nil // fn may be re-run
		q, err := s.authorizeTx(tx, who, UseAddAgent, now)
		if err != nil {
			return err
		}
		if beyond(q, to) { // the operator's own window changed since
			return refuse(FieldAgentTo, model.ErrAgentWindowBeyond)
		}
		identW, identOK, err := s.lookupWindow(tx, identKey(lookupAgent, blind), lim.IdentifierLookups, now)
		if err != nil {
			return err
		}
		kioskW, kioskOK, err := s.lookupWindow(tx, lookupKey(lookupAgent, s.Kiosk), lim.Lookups, now)
		if err != nil {
			return err
		}
		var person model.NaturalPerson
		subject, outcome, note := "unknown", "limited", "ident="+blind
		switch {
		case !identOK:
			refusal, note = refuse(FieldForm, model.ErrLookupLimited), note+" limit=identifier"
		case !kioskOK:
			refusal, note = refuse(FieldForm, model.ErrLookupLimited), note+" limit=kiosk"
		default:
			identW.Events = append(identW.Events, now)
			kioskW.Events = append(kioskW.Events, now)
			if person, subject, outcome, refusal, err = judgeAgent(tx, q.ent.ID, name, doc.Number); err != nil {
				return err
			}
		}
		if err := firstErr(tx.Rates().Put(identW), tx.Rates().Put(kioskW),
			appendAudit(tx, s.record(q.actor(), AuditAgentLookup, subject, outcome, note, now))); err != nil {
			return err
		}
		if refusal != nil {
			return nil // the spent look-up and its record are committed with the answer
		}
		a := model.Agent{ID: id, EnterpriseID: q.ent.ID, PersonID: person.ID, Name: person.Name,
			IDNumber: person.Document.Number, Phone: person.Phone, ValidFrom: from, ValidTo: to, Admin: in.Admin,
			Enabled: true, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
		err = tx.Agents().Put(a)
		if dup := (*model.DuplicateError)(nil); errors.As(err, &dup) {
			return refuse(FieldIDNumber, model.ErrAgentExists)
		}
		row = rowOf(a, q, now)
		return firstErr(err,
			appendAudit(tx, s.record(q.actor(), AuditAgentAdd, a.ID, "ok", detail, now)),
			// The outbox goes last: a failing outbox proves the rest rolls back.
			tx.Outbox().Enqueue(model.NewOutboundSMS(a.Phone,
				i18n.Sentence(ctx, noticeAgentAdded(q.ent.Account, from, to)), model.SMSKindNotice, now)))
	})
	switch {
	case err != nil:
		return AgentRow{}, err
	case refusal != nil:
		return AgentRow{}, refusal
	}
	return row, nil
}

// judgeAgent answers the look-up of 添加经办人 in its transaction: the
// person, the audit subject and outcome, and nil or the refusal; err is a
// failure of the store.
func judgeAgent(tx model.Tx, entID, name, idNumber string) (np model.NaturalPerson, subject, outcome string, refusal, err error) {
	np, err = tx.Persons().ByIDNumber(idNumber)
	switch {
	case errors.Is(err, model.ErrNotFound):
		return np, "unknown", "no_person", refuse(FieldIDNumber, model.ErrAgentNotPerson), nil
	case err != nil:
		return np, "", "", nil, err
	case foldName(np.Name) != foldName(name):
		return np, np.ID, "mismatch", refuse(FieldIDNumber, model.ErrAgentNotPerson), nil
	}
	_, err = tx.Agents().ByEnterpriseAndIDNumber(entID, np.Document.Number)
	switch {
	case err == nil:
		return np, np.ID, "exists", refuse(FieldIDNumber, model.ErrAgentExists), nil
	case !errors.Is(err, model.ErrNotFound):
		return np, "", "", nil, err
	}
	return np, np.ID, "ok", nil, nil
}

// agentWindow checks the authorisation window and returns it as dates at
// midnight in the kiosk's zone (Agent.State compares whole days there).
func agentWindow(from, to time.Time, p principal, now time.Time, f *fieldErrs) (time.Time, time.Time) {
	from, to = localDate(from, now.Location()), localDate(to, now.Location())
	if from.IsZero() {
		f.add(FieldAgentFrom, model.ErrAgentWindowMissing)
	}
	switch {
	case to.IsZero():
		f.add(FieldAgentTo, model.ErrAgentWindowMissing)
	case !from.IsZero() && utcDate(to).Before(utcDate(from)):
		f.add(FieldAgentTo, model.ErrAgentWindowOrder)
	case utcDate(to).Before(utcDate(now)):
		f.add(FieldAgentTo, model.ErrAgentWindowPast)
	case beyond(p, to):
		f.add(FieldAgentTo, model.ErrAgentWindowBeyond)
	}
	return from, to
}

// beyond reports whether an admin agent would authorise someone after the
// end of its own authorisation.
func beyond(p principal, to time.Time) bool {
	return p.agent && !p.ag.ValidTo.IsZero() && utcDate(to).After(utcDate(p.ag.ValidTo))
}

// localDate is t's calendar date at midnight in loc (zero stays zero).
func localDate(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func windowDetail(from, to time.Time, admin bool) string {
	return " from=" + from.Format(time.DateOnly) + " to=" + to.Format(time.DateOnly) + " admin=" + strconv.FormatBool(admin)
}

// The SMS notices of 我的经办人, to the agent's phone. Account is the
// enterprise account the agent logs in with; the dates are the window.

func noticeAgentAdded(account string, from, to time.Time) i18n.Text {
	return i18n.T("notice.agents.added", "Account", account, "From", from.Format(time.DateOnly), "To", to.Format(time.DateOnly))
}
