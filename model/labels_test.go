package model_test

import (
	"testing"

	"kiosk/model"
	"kiosk/model/i18n"
)

// Every state and role has a label in the catalog; unknown values say so.
func TestLabels(t *testing.T) {
	for _, tt := range []struct {
		got  i18n.Text
		want string
	}{
		{model.EnterprisePending.Label(), "待激活"},
		{model.EnterpriseActive.Label(), "正常"},
		{model.EnterpriseClosed.Label(), "注销"},
		{model.EnterpriseState("gone").Label(), "未知"},
		{model.AgentValid.Label(), "有效"},
		{model.AgentNotYet.Label(), "未生效"},
		{model.AgentExpired.Label(), "已过期"},
		{model.AgentDisabled.Label(), "停用"},
		{model.AgentState("gone").Label(), "未知"},
		{model.StaffCounter.Label(), "窗口工作人员"},
		{model.StaffReviewer.Label(), "审核人员"},
		{model.StaffAdmin.Label(), "管理员"},
		{model.StaffRole("gone").Label(), "未知"},
	} {
		if !i18n.Default().Has(i18n.Chinese, tt.got.ID) || zh(tt.got) != tt.want {
			t.Errorf("%+v renders %q, want %q", tt.got, zh(tt.got), tt.want)
		}
	}
}
