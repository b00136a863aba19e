package staffadmin_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/model/pwhash"
	"kiosk/model/rules"
	"kiosk/model/staffadmin"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

const goodPw = "Review#2026x"

type fixture struct {
	admin *staffadmin.Admin
	auth  *model.Auth
	store *storage.Store
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clk := clocktest.New(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	h := pwhash.New(pwhash.Fast)
	return &fixture{
		admin: &staffadmin.Admin{Store: st, Clock: clk, Hasher: h, Kiosk: "K1", Actor: "cli"},
		auth:  &model.Auth{Store: st, Clock: clk, Hasher: h, Kiosk: "K1"},
		store: st,
	}
}

func (f *fixture) audit(t *testing.T) []model.AuditRecord {
	t.Helper()
	var out []model.AuditRecord
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		var err error
		out, err = tx.Audit().List(0, 1000)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *fixture) add(t *testing.T, user string, role model.StaffRole) model.Staff {
	t.Helper()
	st, err := f.admin.Add(context.Background(), staffadmin.NewStaff{Username: user, Name: "李审", Role: role, Password: goodPw})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestAddRefusesWeakPassword(t *testing.T) {
	f := newFixture(t)
	for _, pw := range []string{"", "short1A", "alllowercase", "password1", "reviewer1#Ab"} {
		_, err := f.admin.Add(context.Background(), staffadmin.NewStaff{Username: "reviewer1", Name: "李审",
			Role: model.StaffReviewer, Password: pw})
		if rules.Code(err) == "" {
			t.Errorf("password %q: %v, want a password rule refusal", pw, err)
		}
	}
	list, err := f.admin.List(context.Background())
	if err != nil || len(list) != 0 || len(f.audit(t)) != 0 {
		t.Fatalf("a refused add wrote something: %v %v", list, err)
	}
}

func TestAddListDisableResetAudited(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	st := f.add(t, "reviewer1", model.StaffReviewer)
	f.add(t, "Admin_02x", model.StaffAdmin)
	if _, err := f.auth.LoginStaff(ctx, "reviewer1", goodPw); err != nil {
		t.Fatalf("new staff cannot log in: %v", err)
	}
	list, err := f.admin.List(ctx)
	if err != nil || len(list) != 2 || list[0].Username != "Admin_02x" || list[1].Role != model.StaffReviewer {
		t.Fatalf("list: %+v %v", list, err)
	}

	const newPw = "Fresh!Pass77"
	if _, err := f.admin.ResetPassword(ctx, "REVIEWER1", newPw); err != nil {
		t.Fatal(err)
	}
	if _, err := f.admin.ResetPassword(ctx, "reviewer1", newPw); !errors.Is(err, model.ErrSamePassword) {
		t.Fatalf("reset to the current password: %v", err)
	}
	if _, err := f.admin.ResetPassword(ctx, "reviewer1", "weak"); rules.Code(err) == "" {
		t.Fatalf("reset to a weak password: %v", err)
	}
	if _, err := f.auth.LoginStaff(ctx, "reviewer1", goodPw); !errors.Is(err, model.ErrBadCredentials) {
		t.Fatalf("old password after reset: %v", err)
	}
	if _, err := f.auth.LoginStaff(ctx, "reviewer1", newPw); err != nil {
		t.Fatalf("new password after reset: %v", err)
	}

	if _, err := f.admin.Disable(ctx, "reviewer1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.admin.Disable(ctx, "reviewer1"); !errors.Is(err, staffadmin.ErrStaffDisabled) {
		t.Fatalf("second disable: %v", err)
	}
	if _, err := f.auth.LoginStaff(ctx, "reviewer1", newPw); !errors.Is(err, model.ErrBadCredentials) {
		t.Fatalf("disabled staff logged in: %v", err)
	}
	if _, err := f.admin.Disable(ctx, "nobody"); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("disable unknown: %v", err)
	}

	want := map[string]int{staffadmin.AuditStaffAdd: 2, staffadmin.AuditStaffResetPassword: 1, staffadmin.AuditStaffDisable: 1}
	got := map[string]int{}
	for _, r := range f.audit(t) {
		if strings.HasPrefix(r.Action, "staff.") {
			got[r.Action]++
			if r.Actor != "cli" || r.Kiosk != "K1" {
				t.Errorf("%s: actor %q kiosk %q", r.Action, r.Actor, r.Kiosk)
			}
			if r.Action != staffadmin.AuditStaffAdd && r.Subject != "staff:"+st.ID {
				t.Errorf("%s: subject %q, want staff:%s", r.Action, r.Subject, st.ID)
			}
		}
		for _, secret := range []string{goodPw, newPw, "$argon2"} {
			if strings.Contains(r.Detail+r.Subject+r.Outcome, secret) {
				t.Errorf("audit record %d carries a password or hash: %+v", r.Seq, r)
			}
		}
	}
	for a, n := range want {
		if got[a] != n {
			t.Errorf("%d %s records, want %d (all: %v)", got[a], a, n, got)
		}
	}
}

func TestAddRefusesDuplicate(t *testing.T) {
	f := newFixture(t)
	f.add(t, "reviewer1", model.StaffReviewer)
	_, err := f.admin.Add(context.Background(), staffadmin.NewStaff{Username: "Reviewer1", Name: "王五",
		Role: model.StaffAdmin, Password: "Other#Pass99"})
	var dup *model.DuplicateError
	if !errors.As(err, &dup) || dup.Field != "username" {
		t.Fatalf("duplicate username: %v", err)
	}
	if list, _ := f.admin.List(context.Background()); len(list) != 1 {
		t.Fatalf("%d staff after a duplicate add", len(list))
	}
}

func TestAddRefusesBadFields(t *testing.T) {
	f := newFixture(t)
	for _, n := range []staffadmin.NewStaff{
		{Username: "a b", Name: "李审", Role: model.StaffAdmin, Password: goodPw},
		{Username: "reviewer1", Name: "", Role: model.StaffAdmin, Password: goodPw},
		{Username: "reviewer1", Name: "李审", Role: "boss", Password: goodPw},
	} {
		if _, err := f.admin.Add(context.Background(), n); err == nil {
			t.Errorf("%+v accepted", n)
		}
	}
}

func TestParseStaffRole(t *testing.T) {
	for in, want := range map[string]model.StaffRole{
		"审核员": model.StaffReviewer, "管理员": model.StaffAdmin, "reviewer": model.StaffReviewer,
		"Admin": model.StaffAdmin, "counter": model.StaffCounter,
	} {
		if got, ok := staffadmin.ParseStaffRole(in); !ok || got != want {
			t.Errorf("ParseStaffRole(%q) = %q %v", in, got, ok)
		}
	}
	if _, ok := staffadmin.ParseStaffRole("boss"); ok {
		t.Error("unknown role accepted")
	}
}
