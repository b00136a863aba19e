package model

import (
	"context"
	"errors"
	"time"

	"kiosk/model/i18n"
)

// Messager is a domain error that knows its sentence: Message returns the
// catalog text fit for the screen (and the voice prompt), rendered in the
// language of the visit by whoever shows it; never the technical detail,
// which stays in Error for the log.
type Messager interface{ Message() i18n.Text }

// Coder is an error with a stable English code for logs and tests.
type Coder interface{ ErrorCode() string }

// DomainError is an error with a sentence fit for the screen. It has the
// shape every coded domain error shares (rules.Error, face.Error,
// camera.Error): Code and Msg, Error (the code), Message and ErrorCode.
type DomainError struct {
	Code string    // English, for logs and tests
	Msg  i18n.Text // catalog text, for the user
}

func (e *DomainError) Error() string      { return e.Code }
func (e *DomainError) Message() i18n.Text { return e.Msg }
func (e *DomainError) ErrorCode() string  { return e.Code }

// Code returns the English code of the first error in err's chain that has
// one (a Coder), or "" when none has.
func Code(err error) string {
	var c Coder
	if errors.As(err, &c) {
		return c.ErrorCode()
	}
	return ""
}

// Login and account errors. Wording never reveals whether an account exists.
var (
	ErrBadCredentials      = &DomainError{Code: "bad_credentials", Msg: i18n.T("error.bad_credentials")}
	ErrAgentBadCredentials = &DomainError{Code: "agent_bad_credentials", Msg: i18n.T("error.agent_bad_credentials")}
	ErrPendingActivation   = &DomainError{Code: "pending_activation", Msg: i18n.T("error.pending_activation")}
	ErrAccountClosed       = &DomainError{Code: "account_closed", Msg: i18n.T("error.account_closed")}
	ErrEnterpriseNotActive = &DomainError{Code: "enterprise_not_active", Msg: i18n.T("error.enterprise_not_active")}
	ErrSessionEnded        = &DomainError{Code: "session_ended", Msg: i18n.T("error.session_ended")}
	ErrUnavailable         = &DomainError{Code: "unavailable", Msg: i18n.T("error.unavailable")}
)

// ErrServiceDown: the store cannot be reached now (the cluster the kiosks
// share is cut off or has no quorum). The store wraps every such failure
// in it, the engine's error kept beside it for the log; what was refused
// wrote nothing. Distinct from ErrUnavailable (系统繁忙): the screens show
// the 服务暂不可用 page over the visit until the store answers again.
var ErrServiceDown = &DomainError{Code: "service_down", Msg: i18n.T("error.service_down")}

// ErrLoginBusy: as many password checks as a lock allows are in flight
// for the principal (other kiosks); the next one must wait for them.
var ErrLoginBusy = &DomainError{Code: "login_busy", Msg: i18n.T("error.login_busy")}

// LockKind says whose login a lock holds, and so which way in the lock
// message offers.
type LockKind string

const (
	LockEnterprise LockKind = "enterprise" // 忘记密码 or the counter unlocks
	LockAgent      LockKind = "agent"      // the enterprise's admin or the counter
)

// LockedError says a principal is locked until a time.
type LockedError struct {
	Until time.Time
	Who   LockKind // "" for a lock with no way in to offer (staff)
}

func (e *LockedError) Error() string { return "locked until " + e.Until.Format(time.RFC3339) }

// Message names the unlock time in the kiosk's local time (placeholder
// Until, "2006-01-02 15:04") and the way in now.
func (e *LockedError) Message() i18n.Text {
	return e.MessageAt(e.Until.Format("2006-01-02 15:04"))
}

// MessageAt is Message with the unlock time as the caller shows it (a
// string or an i18n.Text): until when, and how to get in now.
func (e *LockedError) MessageAt(until any) i18n.Text {
	switch e.Who {
	case LockEnterprise:
		return i18n.T("error.locked_enterprise", "Until", until)
	case LockAgent:
		return i18n.T("error.locked_agent", "Until", until)
	}
	return i18n.T("error.locked", "Until", until)
}

// EndedError is ErrSessionEnded (errors.Is matches it) with the reason a
// person can act on: an agent disabled, out of its window or removed.
type EndedError struct{ Why i18n.Text }

func (e *EndedError) Error() string        { return ErrSessionEnded.Code }
func (e *EndedError) ErrorCode() string    { return ErrSessionEnded.Code }
func (e *EndedError) Is(target error) bool { return target == ErrSessionEnded }

// Message is "已退出登录：" and the reason.
func (e *EndedError) Message() i18n.Text { return i18n.T("error.session_ended_why", "Why", e.Why) }

// AgentEnded is why ag's login cannot stand at now (its state), or nil.
func AgentEnded(ag Agent, now time.Time) error {
	if st := ag.State(now); st != AgentValid {
		return &EndedError{Why: (&AgentStateError{State: st}).Message()}
	}
	return nil
}

// ErrAgentRemoved is the end of the login of an agent its enterprise
// removed.
var ErrAgentRemoved = &EndedError{Why: i18n.T("error.agent.removed")}

// AgentStateError says an agent exists but may not log in in its state.
type AgentStateError struct{ State AgentState }

func (e *AgentStateError) Error() string { return "agent state " + string(e.State) }

// Message explains the agent state.
func (e *AgentStateError) Message() i18n.Text {
	switch e.State {
	case AgentNotYet:
		return i18n.T("error.agent.not_yet")
	case AgentExpired:
		return i18n.T("error.agent.expired")
	case AgentDisabled:
		return i18n.T("error.agent.disabled")
	}
	return i18n.T("error.agent.unknown")
}

// UserMessage turns any error into a sentence for the screen: the
// Messager's text, error.canceled and error.timeout for the context's
// errors. Errors the domain does not know become a generic sentence
// (ErrUnavailable); their detail belongs in the log, never on the screen.
// The zero Text for a nil error.
func UserMessage(err error) i18n.Text {
	if err == nil {
		return i18n.Text{}
	}
	var m Messager
	if errors.As(err, &m) {
		return m.Message()
	}
	if errors.Is(err, context.Canceled) {
		return i18n.T("error.canceled")
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return i18n.T("error.timeout")
	}
	return ErrUnavailable.Msg
}
