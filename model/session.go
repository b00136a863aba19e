package model

// Who a session is. Every predicate is nil-safe: a nil *Session is nobody,
// and every predicate is false for it. Screens guard routes with these; use
// cases check them again.

// IsEnterprise reports an enterprise (法人) login.
func (s *Session) IsEnterprise() bool { return s != nil && s.Kind == SessionEnterprise }

// IsAgent reports an agent (经办人) login, admin or not.
func (s *Session) IsAgent() bool { return s != nil && s.Kind == SessionAgent }

// IsAdminAgent reports an agent with 管理权限.
func (s *Session) IsAdminAgent() bool { return s.IsAgent() && s.Admin }

// CanManageAgents reports whether the session may see and change 我的经办人:
// the enterprise itself or an admin agent.
func (s *Session) CanManageAgents() bool { return s.IsEnterprise() || s.IsAdminAgent() }

// IsStaff reports a staff login. With roles it reports a staff member who
// may act as one of them; StaffAdmin may act as every role. A session with
// an empty StaffRole is a counter clerk (Staff.EffectiveRole).
func (s *Session) IsStaff(roles ...StaffRole) bool {
	return s != nil && s.Kind == SessionStaff && allowsAny(s.StaffRole, roles)
}
