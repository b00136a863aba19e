package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"kiosk/model"
)

// Run runs the model.Store conformance suite. open must return a fresh,
// empty store and register its own cleanup.
func Run(t *testing.T, open func(t *testing.T) model.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s model.Store)
	}{
		{"EnterpriseRoundTrip", enterpriseRoundTrip},
		{"EnterpriseUnique", enterpriseUnique},
		{"EnterpriseIndexMove", enterpriseIndexMove},
		{"EnterpriseNotFound", enterpriseNotFound},
		{"EnterpriseCount", enterpriseCount},
		{"RegistryRoundTrip", registryRoundTrip},
		{"AgentRoundTrip", agentRoundTrip},
		{"AgentUnique", agentUnique},
		{"AgentMoveAndDelete", agentMoveAndDelete},
		{"PersonRepo", personRepo},
		{"StaffRepo", staffRepo},
		{"StaffRoleAndDisabled", staffRoleAndDisabled},
		{"LockoutRepo", lockoutRepo},
		{"OutboxRoundTrip", outboxRoundTrip},
		{"OutboxDue", outboxDue},
		{"OutboxList", outboxList},
		{"OutboxInvalid", outboxInvalid},
		{"OutboxPurgeSent", outboxPurgeSent},
		{"OutboxClaims", outboxClaims},
		{"StaffList", staffList},
		{"MetaDemoMark", metaDemoMark},
		{"SMSCodeRepo", smsCodeRepo},
		{"RateRepo", rateRepo},
		{"AuditAppendOnly", auditAppendOnly},
		{"AuditConcurrent", auditConcurrent},
		{"AuditPerKiosk", auditPerKiosk},
		{"RollbackOnError", rollbackOnError},
		{"RollbackOnPanic", rollbackOnPanic},
		{"ViewRejectsWrites", viewRejectsWrites},
		{"InvalidIDs", invalidIDs},
	}
	tests = append(tests, appealTests...)
	tests = append(tests, limitTests...)
	tests = append(tests, createTests...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// Fixed instants in UTC so round trips compare with reflect.DeepEqual.
var (
	t0   = time.Date(2024, 3, 1, 9, 30, 15, 123456789, time.UTC)
	day0 = time.Date(2020, 5, 17, 0, 0, 0, 0, time.UTC)
)

// Enterprise returns a fully populated enterprise; every field is set so a
// round trip that drops one fails.
func Enterprise(id, uscc, account string) model.Enterprise {
	return model.Enterprise{
		ID: id, USCC: uscc, Name: "测试企业" + id, LegalType: model.LegalTypes[0],
		LegalRep: model.LegalRep{Name: "张三" + id, ID: model.IDDocument{
			Type: model.IDTypeResident, Number: "11010519491231002X", Period: model.Validity20Years,
			ValidFrom: day0, ValidTo: day0.AddDate(20, 0, 0),
		}},
		Extended: model.Extended{
			RegisteredAddress: "北京市朝阳区", RegisteredCapital: "500万元人民币", RegisteredDate: day0,
			BusinessScope: "软件开发", CodeType: "统一社会信用代码", Industry: "信息技术", ApprovalDate: day0.AddDate(1, 0, 0),
			ApprovalAuthority: "市场监督管理局", RegistryStatus: "存续", EstablishedDate: day0.AddDate(-1, 0, 0),
			ElectronicLicense: "EL-" + id,
		},
		Account: account, PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", Phone: "13800138000",
		State: model.EnterpriseActive, SessionEpoch: 3, CreatedAt: t0, UpdatedAt: t0.Add(time.Hour),
	}
}

// Agent returns a fully populated agent of enterpriseID.
func Agent(id, enterpriseID, idNumber string) model.Agent {
	return model.Agent{
		ID: id, EnterpriseID: enterpriseID, PersonID: "p-" + id, Name: "李四" + id, IDNumber: idNumber,
		Phone: "13900139000", ValidFrom: day0, ValidTo: day0.AddDate(1, 0, 0), Admin: true, Enabled: true,
		PasswordHash: "$argon2id$x", CreatedAt: t0, UpdatedAt: t0.Add(time.Minute),
	}
}

func update(t *testing.T, s model.Store, fn func(model.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s model.Store, fn func(model.Tx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func same(what string, got, want any) error {
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
	return nil
}

func wantNotFound(what string, err error) error {
	if !errors.Is(err, model.ErrNotFound) {
		return fmt.Errorf("%s: err = %v, want ErrNotFound", what, err)
	}
	return nil
}

func wantDup(what string, err error, field string) error {
	var d *model.DuplicateError
	if !errors.As(err, &d) || d.Field != field {
		return fmt.Errorf("%s: err = %v, want DuplicateError{%s}", what, err, field)
	}
	return nil
}

// firstErr returns the first non-nil error, so a check can be one line.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func enterpriseRoundTrip(t *testing.T, s model.Store) {
	e := Enterprise("e1", "91110000MA01ABCD2X", "AcmeCorp")
	update(t, s, func(tx model.Tx) error { return tx.Enterprises().Put(e) })
	view(t, s, func(tx model.Tx) error {
		r := tx.Enterprises()
		g1, err1 := r.Get("e1")
		g2, err2 := r.ByUSCC("91110000MA01ABCD2X")
		g3, err3 := r.ByAccount("acmecorp")
		g4, err4 := r.ByAccount("ACMECORP")
		return firstErr(err1, err2, err3, err4,
			same("Get", g1, e), same("ByUSCC", g2, e), same("ByAccount lower", g3, e), same("ByAccount upper", g4, e))
	})
	// A non-UTC instant keeps its offset, so DateOf keeps the calendar day.
	cst := time.FixedZone("CST", 8*3600)
	e.CreatedAt = time.Date(2024, 1, 1, 0, 30, 0, 0, cst)
	update(t, s, func(tx model.Tx) error { return tx.Enterprises().Put(e) })
	view(t, s, func(tx model.Tx) error {
		g, err := tx.Enterprises().Get("e1")
		if err != nil {
			return err
		}
		if _, off := g.CreatedAt.Zone(); !g.CreatedAt.Equal(e.CreatedAt) || off != 8*3600 || model.DateOf(g.CreatedAt).Day() != 1 {
			return fmt.Errorf("CreatedAt = %v, want %v with +08:00", g.CreatedAt, e.CreatedAt)
		}
		return nil
	})
}

func enterpriseUnique(t *testing.T, s model.Store) {
	update(t, s, func(tx model.Tx) error { return tx.Enterprises().Put(Enterprise("e1", "USCC1", "Alpha")) })
	err := s.Update(context.Background(), func(tx model.Tx) error {
		r := tx.Enterprises()
		if err := firstErr(
			wantDup("same uscc", r.Put(Enterprise("e2", "USCC1", "Beta")), "uscc"),
			wantDup("same uscc other case", r.Put(Enterprise("e2", "uscc1", "Beta")), "uscc"),
			wantDup("same account other case", r.Put(Enterprise("e2", "USCC2", "ALPHA")), "account"),
			wantDup("both clash: uscc first", r.Put(Enterprise("e2", "USCC1", "alpha")), "uscc"),
		); err != nil {
			return err
		}
		// The rejected Puts wrote nothing, not even inside this tx.
		_, errGet := r.Get("e2")
		_, errAcct := r.ByAccount("Beta")
		_, errUSCC := r.ByUSCC("USCC2")
		n, errN := r.Count()
		return firstErr(wantNotFound("e2", errGet), wantNotFound("Beta", errAcct), wantNotFound("USCC2", errUSCC),
			errN, same("Count", n, 1),
			r.Put(Enterprise("e1", "USCC1", "Alpha")), // re-putting itself is not a clash
			r.Put(Enterprise("e2", "USCC2", "")),      // empty accounts never clash
			r.Put(Enterprise("e3", "USCC3", "")))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func enterpriseIndexMove(t *testing.T, s model.Store) {
	update(t, s, func(tx model.Tx) error { return tx.Enterprises().Put(Enterprise("e1", "OLDUSCC", "OldAcct")) })
	update(t, s, func(tx model.Tx) error { return tx.Enterprises().Put(Enterprise("e1", "NEWUSCC", "NewAcct")) })
	view(t, s, func(tx model.Tx) error {
		r := tx.Enterprises()
		_, e1 := r.ByUSCC("OLDUSCC")
		_, e2 := r.ByAccount("oldacct")
		g, e3 := r.ByAccount("newacct")
		_, e4 := r.ByUSCC("NEWUSCC")
		n, e5 := r.Count()
		return firstErr(wantNotFound("old uscc", e1), wantNotFound("old account", e2), e3, e4, e5,
			same("moved id", g.ID, "e1"), same("Count after update", n, 1))
	})
	// The freed values can be taken by another enterprise.
	update(t, s, func(tx model.Tx) error { return tx.Enterprises().Put(Enterprise("e2", "OLDUSCC", "oldacct")) })
	// Clearing the account frees it too.
	update(t, s, func(tx model.Tx) error { return tx.Enterprises().Put(Enterprise("e1", "NEWUSCC", "")) })
	update(t, s, func(tx model.Tx) error { return tx.Enterprises().Put(Enterprise("e3", "USCC3", "NewAcct")) })
}

func enterpriseNotFound(t *testing.T, s model.Store) {
	view(t, s, func(tx model.Tx) error {
		r := tx.Enterprises()
		_, e1 := r.Get("nope")
		_, e2 := r.ByUSCC("NOPE")
		_, e3 := r.ByAccount("nope")
		_, e4 := r.ByAccount("")
		_, e5 := r.ByUSCC("")
		_, e6 := r.Get("")
		return firstErr(wantNotFound("Get", e1), wantNotFound("ByUSCC", e2), wantNotFound("ByAccount", e3),
			wantNotFound("ByAccount empty", e4), wantNotFound("ByUSCC empty", e5), wantNotFound("Get empty", e6))
	})
}

func enterpriseCount(t *testing.T, s model.Store) {
	update(t, s, func(tx model.Tx) error {
		for i := range 7 {
			if err := tx.Enterprises().Put(Enterprise(fmt.Sprint("e", i), fmt.Sprint("U", i), fmt.Sprint("a", i))); err != nil {
				return err
			}
		}
		return tx.Enterprises().Put(Enterprise("e0", "U0", "a0")) // update, not a new one
	})
	view(t, s, func(tx model.Tx) error {
		n, err := tx.Enterprises().Count()
		return firstErr(err, same("Count", n, 7))
	})
}

func registryRoundTrip(t *testing.T, s model.Store) {
	e := Enterprise("x", "91440300MA5ABCDE1K", "")
	rec := model.RegistryRecord{USCC: e.USCC, Name: e.Name, LegalType: e.LegalType, LegalRep: e.LegalRep, Phone: e.Phone, Extended: e.Extended}
	update(t, s, func(tx model.Tx) error {
		r := tx.Registry()
		other := rec
		other.USCC, other.Name = "91440300MA5ABCDE2K", "另一家"
		return firstErr(r.Put(rec), r.Put(other), r.Put(rec))
	})
	view(t, s, func(tx model.Tx) error {
		g, err := tx.Registry().Get(rec.USCC)
		n, errN := tx.Registry().Count()
		_, errMiss := tx.Registry().Get("91440300MA5ABCDE3K")
		return firstErr(err, errN, same("Get", g, rec), same("Count", n, 2), wantNotFound("missing", errMiss))
	})
	rec.Name = "改名后"
	update(t, s, func(tx model.Tx) error { return tx.Registry().Put(rec) })
	view(t, s, func(tx model.Tx) error {
		g, err := tx.Registry().Get(rec.USCC)
		n, errN := tx.Registry().Count()
		return firstErr(err, errN, same("replaced", g, rec), same("Count after replace", n, 2))
	})
}
