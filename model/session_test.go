package model_test

import (
	"testing"

	"kiosk/model"
)

func TestSessionPredicates(t *testing.T) {
	enterprise := &model.Session{Kind: model.SessionEnterprise, EnterpriseID: "e1", Admin: true}
	agent := &model.Session{Kind: model.SessionAgent, EnterpriseID: "e1", AgentID: "a1"}
	adminAgent := &model.Session{Kind: model.SessionAgent, EnterpriseID: "e1", AgentID: "a2", Admin: true}
	staff := func(r model.StaffRole) *model.Session {
		return &model.Session{Kind: model.SessionStaff, StaffID: "s1", StaffRole: r}
	}
	all := []model.StaffRole{model.StaffCounter, model.StaffReviewer, model.StaffAdmin}
	tests := []struct {
		name                                  string
		s                                     *model.Session
		enterprise, agent, adminAgent, agents bool
		staff                                 bool
		staffAs                               map[model.StaffRole]bool // IsStaff(role) for each role
		staffAny                              bool                     // IsStaff(StaffCounter, StaffReviewer)
	}{
		{name: "nil is nobody", s: nil},
		{name: "zero session is nobody", s: &model.Session{}},
		{name: "enterprise", s: enterprise, enterprise: true, agents: true},
		{name: "agent", s: agent, agent: true},
		{name: "admin agent", s: adminAgent, agent: true, adminAgent: true, agents: true},
		{name: "agent kind with staff fields is no staff", s: &model.Session{Kind: model.SessionAgent, StaffID: "s1", StaffRole: model.StaffAdmin}, agent: true},
		{name: "counter", s: staff(model.StaffCounter), staff: true, staffAny: true,
			staffAs: map[model.StaffRole]bool{model.StaffCounter: true}},
		{name: "empty role is counter", s: staff(""), staff: true, staffAny: true,
			staffAs: map[model.StaffRole]bool{model.StaffCounter: true}},
		{name: "reviewer", s: staff(model.StaffReviewer), staff: true, staffAny: true,
			staffAs: map[model.StaffRole]bool{model.StaffReviewer: true}},
		{name: "admin satisfies every role", s: staff(model.StaffAdmin), staff: true, staffAny: true,
			staffAs: map[model.StaffRole]bool{model.StaffCounter: true, model.StaffReviewer: true, model.StaffAdmin: true}},
		{name: "unknown role is staff of no role", s: staff("janitor"), staff: true},
		{name: "staff with Admin flag is no agent", s: &model.Session{Kind: model.SessionStaff, StaffRole: model.StaffCounter, Admin: true},
			staff: true, staffAny: true, staffAs: map[model.StaffRole]bool{model.StaffCounter: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.s
			if got := s.IsEnterprise(); got != tt.enterprise {
				t.Errorf("IsEnterprise = %v", got)
			}
			if got := s.IsAgent(); got != tt.agent {
				t.Errorf("IsAgent = %v", got)
			}
			if got := s.IsAdminAgent(); got != tt.adminAgent {
				t.Errorf("IsAdminAgent = %v", got)
			}
			if got := s.CanManageAgents(); got != tt.agents {
				t.Errorf("CanManageAgents = %v", got)
			}
			if got := s.IsStaff(); got != tt.staff {
				t.Errorf("IsStaff() = %v", got)
			}
			for _, r := range all {
				if got := s.IsStaff(r); got != tt.staffAs[r] {
					t.Errorf("IsStaff(%s) = %v", r, got)
				}
			}
			if got := s.IsStaff(model.StaffCounter, model.StaffReviewer); got != tt.staffAny {
				t.Errorf("IsStaff(counter, reviewer) = %v", got)
			}
		})
	}
}

func TestStaffEffectiveRole(t *testing.T) {
	for role, want := range map[model.StaffRole]model.StaffRole{
		"": model.StaffCounter, model.StaffCounter: model.StaffCounter,
		model.StaffReviewer: model.StaffReviewer, model.StaffAdmin: model.StaffAdmin,
	} {
		if got := (model.Staff{Role: role}).EffectiveRole(); got != want {
			t.Errorf("EffectiveRole of %q = %q, want %q", role, got, want)
		}
	}
	if zh(model.StaffReviewer.Label()) != "审核人员" || zh(model.StaffRole("").Label()) != "窗口工作人员" {
		t.Errorf("labels %q %q", zh(model.StaffReviewer.Label()), zh(model.StaffRole("").Label()))
	}
}
