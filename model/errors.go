package model

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Messager is a domain error that knows its Chinese sentence: Message
// returns the sentence fit for the screen (and the voice prompt), never the
// technical detail, which stays in Error for the log.
type Messager interface{ Message() string }

// Coder is an error with a stable English code for logs and tests.
type Coder interface{ ErrorCode() string }

// DomainError is an error with a Chinese sentence fit for the screen. It has
// the shape every coded domain error shares (rules.Error, face.Error,
// camera.Error): Code and Msg, Error (the code), Message and ErrorCode.
type DomainError struct {
	Code string // English, for logs and tests
	Msg  string // Chinese, for the user
}

func (e *DomainError) Error() string     { return e.Code }
func (e *DomainError) Message() string   { return e.Msg }
func (e *DomainError) ErrorCode() string { return e.Code }

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
	ErrBadCredentials      = &DomainError{"bad_credentials", "账号或密码错误"}
	ErrAgentBadCredentials = &DomainError{"agent_bad_credentials", "登录信息或密码错误，请核对后重试"}
	ErrPendingActivation   = &DomainError{"pending_activation", "该企业账号尚未激活，请先完成账号激活"}
	ErrAccountClosed       = &DomainError{"account_closed", "该企业账号已注销，如有疑问请咨询窗口工作人员"}
	ErrEnterpriseNotActive = &DomainError{"enterprise_not_active", "所属企业账号状态异常，经办人暂不能登录"}
	ErrSessionEnded        = &DomainError{"session_ended", "登录已失效，请重新登录"}
	ErrUnavailable         = &DomainError{"unavailable", "系统繁忙，请稍后再试或咨询窗口工作人员"}
)

// LockedError says a principal is locked until a time.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string { return "locked until " + e.Until.Format(time.RFC3339) }

// Message names the unlock time in the kiosk's local time.
func (e *LockedError) Message() string {
	return fmt.Sprintf("连续登录失败次数过多，账号已锁定，请于 %s 后重试", e.Until.Format("2006-01-02 15:04"))
}

// AgentStateError says an agent exists but may not log in in its state.
type AgentStateError struct{ State AgentState }

func (e *AgentStateError) Error() string { return "agent state " + string(e.State) }

// Message explains the agent state.
func (e *AgentStateError) Message() string {
	switch e.State {
	case AgentNotYet:
		return "经办人授权尚未生效，请在授权有效期内登录"
	case AgentExpired:
		return "经办人授权已过期，请联系企业重新授权"
	case AgentDisabled:
		return "经办人账号已停用，请联系企业管理员"
	}
	return "经办人状态异常，请联系企业管理员"
}

// UserMessage turns any error into a Chinese sentence for the screen. Errors
// the domain does not know become a generic sentence; their detail belongs in
// the log, never on the screen.
func UserMessage(err error) string {
	if err == nil {
		return ""
	}
	var m Messager
	if errors.As(err, &m) {
		return m.Message()
	}
	if errors.Is(err, context.Canceled) {
		return "操作已取消"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "操作超时，请重试或咨询窗口工作人员"
	}
	return ErrUnavailable.Msg
}
