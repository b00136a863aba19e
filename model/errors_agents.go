package model

import "kiosk/model/i18n"

// Errors of 我的经办人 (manual §四(一)(1)). The agent use cases return the
// refusals of input inside per-field errors; errors.Is finds them.
var (
	// ErrAgentNotPerson: the name and ID number are not those of a
	// registered natural person. One sentence for "no such person" and
	// "another name": which of the two would tell a guesser too much.
	ErrAgentNotPerson = &DomainError{Code: "agent_not_person", Msg: i18n.T("error.agents.not_person")}
	// ErrAgentExists: the person is an agent of this enterprise already.
	ErrAgentExists = &DomainError{Code: "agent_exists", Msg: i18n.T("error.agents.exists")}
	// ErrAgentNotFound: no such agent in the operator's enterprise (an
	// agent of another enterprise gets the same answer).
	ErrAgentNotFound = &DomainError{Code: "agent_not_found", Msg: i18n.T("error.agents.not_found")}
	// ErrAgentSelf: an admin agent may not edit, disable or remove itself.
	ErrAgentSelf = &DomainError{Code: "agent_self", Msg: i18n.T("error.agents.self")}
	// ErrLastAdmin: the change would leave the enterprise without an
	// enabled admin agent; the use case does it only when asked again.
	ErrLastAdmin = &DomainError{Code: "last_admin", Msg: i18n.T("error.agents.last_admin")}
	// Refusals of the authorisation window (授权开始日期, 授权结束日期).
	ErrAgentWindowMissing = &DomainError{Code: "agent_window_missing", Msg: i18n.T("error.agents.window_missing")}
	ErrAgentWindowOrder   = &DomainError{Code: "agent_window_order", Msg: i18n.T("error.agents.window_order")}
	ErrAgentWindowPast    = &DomainError{Code: "agent_window_past", Msg: i18n.T("error.agents.window_past")}
	// ErrAgentWindowBeyond: an admin agent may not authorise anyone beyond
	// the end of its own authorisation.
	ErrAgentWindowBeyond = &DomainError{Code: "agent_window_beyond", Msg: i18n.T("error.agents.window_beyond")}
)
