package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"kiosk/model"
	"kiosk/storage/kv"
)

// createTests cover Enterprises().Create and model.Prefetch.
var createTests = []struct {
	name string
	fn   func(t *testing.T, s model.Store)
}{
	{"EnterpriseCreate", enterpriseCreate},
	{"EnterpriseCreateIDInUse", enterpriseCreateIDInUse},
	{"PrefetchSameAnswers", prefetchSameAnswers},
}

// enterpriseCreate: Create stores a new enterprise as Put does, checks the
// unique indexes as Put does and writes nothing when one clashes; a View
// refuses it. An engine that creates keys without reading them
// (kv.Creator) finds a clash at commit and runs the closure again, whose
// Create then answers it: the clash is asserted on what Update returns.
func enterpriseCreate(t *testing.T, s model.Store) {
	e := Enterprise("e1", "91110000MA01ABCD2X", "AcmeCorp")
	update(t, s, func(tx model.Tx) error { return tx.Enterprises().Create(e) })
	view(t, s, func(tx model.Tx) error {
		r := tx.Enterprises()
		g1, err1 := r.Get("e1")
		g2, err2 := r.ByUSCC("91110000MA01ABCD2X")
		g3, err3 := r.ByAccount("ACMECORP")
		return firstErr(err1, err2, err3, same("Get", g1, e), same("ByUSCC", g2, e), same("ByAccount", g3, e))
	})
	for _, c := range []struct {
		what, field string
		e           model.Enterprise
	}{
		{"same uscc", "uscc", Enterprise("e2", "91110000ma01abcd2x", "Beta")},
		{"same account", "account", Enterprise("e2", "USCC2", "acmecorp")},
		{"same uscc and account", "uscc", Enterprise("e2", "91110000MA01ABCD2X", "AcmeCorp")},
	} {
		err := s.Update(context.Background(), func(tx model.Tx) error {
			if err := tx.Registry().Put(model.RegistryRecord{USCC: "USCC8", Name: "side write"}); err != nil {
				return err
			}
			return tx.Enterprises().Create(c.e)
		})
		if err := wantDup(c.what, err, c.field); err != nil {
			t.Fatal(err)
		}
	}
	err := s.Update(context.Background(), func(tx model.Tx) error {
		r := tx.Enterprises()
		if _, err := tx.Registry().Get("USCC8"); !errors.Is(err, model.ErrNotFound) {
			return fmt.Errorf("the side write of a refused Create: %v", err)
		}
		_, errGet := r.Get("e2")
		_, errAcct := r.ByAccount("Beta")
		_, errUSCC := r.ByUSCC("USCC2")
		return firstErr(wantNotFound("e2", errGet), wantNotFound("Beta", errAcct), wantNotFound("USCC2", errUSCC),
			r.Create(Enterprise("e3", "USCC3", "")), // empty accounts never clash
			r.Create(Enterprise("e4", "USCC4", "")))
	})
	if err != nil {
		t.Fatal(err)
	}
	view(t, s, func(tx model.Tx) error {
		n, err := tx.Enterprises().Count()
		return firstErr(err, same("Count", n, 3))
	})
	err = s.View(context.Background(), func(tx model.Tx) error { return tx.Enterprises().Create(Enterprise("e5", "USCC5", "")) })
	if !errors.Is(err, kv.ErrReadOnly) {
		t.Fatalf("Create in a View: %v, want kv.ErrReadOnly", err)
	}
	err = s.Update(context.Background(), func(tx model.Tx) error { return tx.Enterprises().Create(Enterprise("a/b", "USCC6", "")) })
	if err == nil {
		t.Fatal("Create with an invalid id succeeded")
	}
}

// enterpriseCreateIDInUse: Create with the id of a stored enterprise is
// refused (DuplicateError on "id"), whether the transaction read that
// record or not, and changes nothing: the record, its indexes, the new
// values' indexes, the transaction's other writes.
func enterpriseCreateIDInUse(t *testing.T, s model.Store) {
	orig := Enterprise("e1", "USCC1", "Alpha")
	update(t, s, func(tx model.Tx) error { return tx.Enterprises().Put(orig) })
	for _, readFirst := range []bool{false, true} {
		err := s.Update(context.Background(), func(tx model.Tx) error {
			if err := tx.Registry().Put(model.RegistryRecord{USCC: "USCC9", Name: "side write"}); err != nil {
				return err
			}
			if readFirst {
				if _, err := tx.Enterprises().Get("e1"); err != nil {
					return err
				}
			}
			return tx.Enterprises().Create(Enterprise("e1", "USCC9", "Other"))
		})
		if err := wantDup("id in use", err, "id"); err != nil {
			t.Fatalf("read first %v: %v", readFirst, err)
		}
	}
	view(t, s, func(tx model.Tx) error {
		r := tx.Enterprises()
		g, err := r.Get("e1")
		byOld, errOld := r.ByUSCC("USCC1")
		_, errNew := r.ByUSCC("USCC9")
		_, errAcct := r.ByAccount("Other")
		_, errReg := tx.Registry().Get("USCC9")
		return firstErr(err, errOld, same("record", g, orig), same("old index", byOld, orig),
			wantNotFound("new uscc", errNew), wantNotFound("new account", errAcct), wantNotFound("side write", errReg))
	})
	// Twice in one transaction: the second is refused.
	err := s.Update(context.Background(), func(tx model.Tx) error {
		r := tx.Enterprises()
		if err := r.Create(Enterprise("e2", "USCC2", "Beta")); err != nil {
			return err
		}
		return wantDup("second Create", r.Create(Enterprise("e2", "USCC3", "Gamma")), "id")
	})
	if err != nil {
		t.Fatal(err)
	}
}

// prefetchSameAnswers: look-ups after model.Prefetch answer as without it,
// found or not, in a View and in an Update, whose writes still commit.
func prefetchSameAnswers(t *testing.T, s model.Store) {
	e := Enterprise("e1", "USCC1", "Alpha")
	rec := model.RegistryRecord{USCC: "USCC1", Name: e.Name, LegalType: e.LegalType, LegalRep: e.LegalRep}
	update(t, s, func(tx model.Tx) error {
		_, err := tx.Audit().Append(auditRecord(1))
		return firstErr(tx.Enterprises().Put(e), tx.Registry().Put(rec), err)
	})
	reads := model.Reads{
		EnterpriseUSCC:    []string{"uscc1", "USCC2", ""},
		EnterpriseAccount: []string{"ALPHA", "beta", ""},
		Registry:          []string{"USCC1", "USCC2"},
		AuditHeads:        []string{"K01", "K02", ""},
	}
	check := func(tx model.Tx) error {
		r := tx.Enterprises()
		g1, err1 := r.ByUSCC("USCC1")
		g2, err2 := r.ByAccount("alpha")
		_, err3 := r.ByUSCC("USCC2")
		_, err4 := r.ByAccount("Beta")
		g5, err5 := tx.Registry().Get("USCC1")
		_, err6 := tx.Registry().Get("USCC2")
		return firstErr(err1, err2, err5, same("ByUSCC", g1, e), same("ByAccount", g2, e), same("registry", g5, rec),
			wantNotFound("USCC2", err3), wantNotFound("beta", err4), wantNotFound("registry USCC2", err6))
	}
	view(t, s, func(tx model.Tx) error { return firstErr(model.Prefetch(tx, reads), check(tx)) })
	var seq uint64
	update(t, s, func(tx model.Tx) error {
		if err := model.Prefetch(tx, reads); err != nil {
			return err
		}
		if err := check(tx); err != nil {
			return err
		}
		var err error
		seq, err = tx.Audit().Append(auditRecord(2))
		return firstErr(err, tx.Enterprises().Create(Enterprise("e2", "USCC2", "Beta")))
	})
	view(t, s, func(tx model.Tx) error {
		_, err := tx.Enterprises().ByAccount("beta")
		recs, errList := tx.Audit().List(0, 10)
		return firstErr(err, errList, same("Seq", seq, uint64(2)), same("records", len(recs), 2))
	})
	if err := model.Prefetch(nil, model.Reads{}); err != nil {
		t.Fatalf("Prefetch with a Tx that cannot: %v", err)
	}
}
