package staffadmin_test

import (
	"context"
	"errors"
	"testing"

	"kiosk/model"
	"kiosk/model/staffadmin"
)

// Enable undoes Disable: the member logs in again with the same password,
// and each step is audited; enabling an enabled member is refused.
func TestEnableAfterDisable(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	st := f.add(t, "reviewer1", model.StaffReviewer)
	if _, err := f.admin.Enable(ctx, "reviewer1"); !errors.Is(err, staffadmin.ErrStaffEnabled) {
		t.Fatalf("enable of an enabled member: %v", err)
	}
	if _, err := f.admin.Disable(ctx, "reviewer1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.admin.Enable(ctx, "REVIEWER1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.LoginStaff(ctx, "reviewer1", goodPw); err != nil {
		t.Fatalf("enabled member cannot log in: %v", err)
	}
	if _, err := f.admin.Enable(ctx, "nobody"); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("enable of nobody: %v", err)
	}
	var enabled int
	for _, r := range f.audit(t) {
		if r.Action == staffadmin.AuditStaffEnable {
			enabled++
			if r.Subject != "staff:"+st.ID || r.Actor != "cli" {
				t.Errorf("enable audited as %+v", r)
			}
		}
	}
	if enabled != 1 {
		t.Errorf("%d enable records, want 1", enabled)
	}
}
