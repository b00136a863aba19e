package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"kiosk/model"
)

func agentRoundTrip(t *testing.T, s model.Store) {
	a := Agent("a1", "e1", "110105194912310029")
	b := Agent("a2", "e1", "110105194912310037")
	b.CreatedAt = t0.Add(-time.Hour) // listed first
	c := Agent("a3", "e2", "110105194912310029")
	update(t, s, func(tx model.Tx) error { return firstErr(tx.Agents().Put(a), tx.Agents().Put(b), tx.Agents().Put(c)) })
	view(t, s, func(tx model.Tx) error {
		r := tx.Agents()
		g, err1 := r.Get("a1")
		byID, err2 := r.ByEnterpriseAndIDNumber("e1", "110105194912310029")
		byID2, err3 := r.ByEnterpriseAndIDNumber("e2", "110105194912310029")
		list, err4 := r.ListByEnterprise("e1")
		none, err5 := r.ListByEnterprise("e9")
		_, err6 := r.ByEnterpriseAndIDNumber("e9", "110105194912310029")
		_, err7 := r.Get("a9")
		return firstErr(err1, err2, err3, err4, err5, wantNotFound("other enterprise", err6), wantNotFound("Get", err7),
			same("Get", g, a), same("ByEnterpriseAndIDNumber", byID, a), same("same person, other enterprise", byID2, c),
			same("list", list, []model.Agent{b, a}), same("empty list len", len(none), 0))
	})
	// The check letter is matched case-insensitively.
	x := Agent("a4", "e1", "11010519491231002X")
	update(t, s, func(tx model.Tx) error { return tx.Agents().Put(x) })
	view(t, s, func(tx model.Tx) error {
		g, err := tx.Agents().ByEnterpriseAndIDNumber("e1", "11010519491231002x")
		return firstErr(err, same("lower x", g, x))
	})
}

func agentUnique(t *testing.T, s model.Store) {
	update(t, s, func(tx model.Tx) error { return tx.Agents().Put(Agent("a1", "e1", "110105194912310029")) })
	err := s.Update(context.Background(), func(tx model.Tx) error {
		r := tx.Agents()
		errDup := r.Put(Agent("a2", "e1", "110105194912310029"))
		_, errGet := r.Get("a2")
		list, errList := r.ListByEnterprise("e1")
		return firstErr(wantDup("agent", errDup, "agent"), wantNotFound("rejected agent", errGet), errList,
			same("list after clash", len(list), 1))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func agentMoveAndDelete(t *testing.T, s model.Store) {
	a := Agent("a1", "e1", "110105194912310029")
	update(t, s, func(tx model.Tx) error { return tx.Agents().Put(a) })
	// New ID number and new enterprise: both index entries move.
	a.IDNumber, a.EnterpriseID = "110105194912310037", "e2"
	update(t, s, func(tx model.Tx) error { return tx.Agents().Put(a) })
	view(t, s, func(tx model.Tx) error {
		r := tx.Agents()
		_, e1 := r.ByEnterpriseAndIDNumber("e1", "110105194912310029")
		g, e2 := r.ByEnterpriseAndIDNumber("e2", "110105194912310037")
		l1, e3 := r.ListByEnterprise("e1")
		l2, e4 := r.ListByEnterprise("e2")
		return firstErr(wantNotFound("old index", e1), e2, e3, e4, same("moved", g, a),
			same("old list", len(l1), 0), same("new list", l2, []model.Agent{a}))
	})
	update(t, s, func(tx model.Tx) error {
		return firstErr(tx.Agents().Put(Agent("a2", "e1", "110105194912310029")), tx.Agents().Delete("a1"))
	})
	view(t, s, func(tx model.Tx) error {
		r := tx.Agents()
		_, e1 := r.Get("a1")
		_, e2 := r.ByEnterpriseAndIDNumber("e2", "110105194912310037")
		l, e3 := r.ListByEnterprise("e2")
		return firstErr(wantNotFound("deleted Get", e1), wantNotFound("deleted index", e2), e3, same("list", len(l), 0))
	})
	err := s.Update(context.Background(), func(tx model.Tx) error { return tx.Agents().Delete("a1") })
	if err := wantNotFound("delete absent", err); err != nil {
		t.Fatal(err)
	}
	// The deleted agent's ID number is free again in e2.
	update(t, s, func(tx model.Tx) error { return tx.Agents().Put(Agent("a3", "e2", "110105194912310037")) })
}

func personRepo(t *testing.T, s model.Store) {
	p := model.NaturalPerson{
		ID: "p1", Name: "王五", Phone: "13700137000", PasswordHash: "$argon2id$p", CreatedAt: t0,
		Document: model.IDDocument{Type: model.IDTypeResident, Number: "11010519491231002X", Period: model.ValidityLongTerm, ValidFrom: day0},
	}
	update(t, s, func(tx model.Tx) error { return tx.Persons().Put(p) })
	err := s.Update(context.Background(), func(tx model.Tx) error {
		r := tx.Persons()
		g, e1 := r.Get("p1")
		g2, e2 := r.ByIDNumber("11010519491231002x")
		q := p
		q.ID = "p2"
		errDup := r.Put(q)
		_, e3 := r.Get("p2")
		_, e4 := r.Get("p9")
		_, e5 := r.ByIDNumber("110105194912310037")
		_, e6 := r.ByIDNumber("")
		return firstErr(e1, e2, same("Get", g, p), same("ByIDNumber", g2, p), wantDup("person", errDup, "id_number"),
			wantNotFound("rejected", e3), wantNotFound("Get", e4), wantNotFound("ByIDNumber", e5), wantNotFound("empty", e6))
	})
	if err != nil {
		t.Fatal(err)
	}
	p.Document.Number = "110105194912310037"
	update(t, s, func(tx model.Tx) error { return tx.Persons().Put(p) })
	view(t, s, func(tx model.Tx) error {
		_, e1 := tx.Persons().ByIDNumber("11010519491231002X")
		g, e2 := tx.Persons().ByIDNumber("110105194912310037")
		return firstErr(wantNotFound("old number", e1), e2, same("moved", g, p))
	})
}

func staffRepo(t *testing.T, s model.Store) {
	st := model.Staff{ID: "s1", Username: "Window01", Name: "赵六", PasswordHash: "$argon2id$s", CreatedAt: t0}
	update(t, s, func(tx model.Tx) error { return tx.Staff().Put(st) })
	err := s.Update(context.Background(), func(tx model.Tx) error {
		r := tx.Staff()
		g, e1 := r.ByUsername("window01")
		errDup := r.Put(model.Staff{ID: "s2", Username: "WINDOW01"})
		_, e2 := r.ByUsername("nobody")
		_, e3 := r.ByUsername("")
		return firstErr(e1, same("ByUsername", g, st), wantDup("staff", errDup, "username"),
			wantNotFound("absent", e2), wantNotFound("empty", e3))
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Username = "Window02"
	update(t, s, func(tx model.Tx) error {
		return firstErr(tx.Staff().Put(st), tx.Staff().Put(model.Staff{ID: "s2", Username: "window01"}))
	})
	view(t, s, func(tx model.Tx) error {
		g, e1 := tx.Staff().ByUsername("WINDOW02")
		g2, e2 := tx.Staff().ByUsername("Window01")
		return firstErr(e1, e2, same("moved", g, st), same("freed name reused", g2.ID, "s2"))
	})
}

// staffRoleAndDisabled: the role and the disabled flag are stored; a staff
// member stored without a role (as every store before roles did) reads
// back with an empty role, which is a counter clerk.
func staffRoleAndDisabled(t *testing.T, s model.Store) {
	want := []model.Staff{
		{ID: "s1", Username: "old01", Name: "赵六", PasswordHash: "$argon2id$a", CreatedAt: t0},
		{ID: "s2", Username: "review01", PasswordHash: "$argon2id$b", Role: model.StaffReviewer, CreatedAt: t0},
		{ID: "s3", Username: "admin01", PasswordHash: "$argon2id$c", Role: model.StaffAdmin, Disabled: true, CreatedAt: t0},
		{ID: "s4", Username: "counter01", Role: model.StaffCounter},
	}
	update(t, s, func(tx model.Tx) error {
		for _, st := range want {
			if err := tx.Staff().Put(st); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx model.Tx) error {
		for _, w := range want {
			g, err := tx.Staff().ByUsername(w.Username)
			if err := firstErr(err, same("staff "+w.ID, g, w)); err != nil {
				return err
			}
		}
		old, err := tx.Staff().ByUsername("OLD01")
		return firstErr(err, same("role of a staff member stored without one", old.EffectiveRole(), model.StaffCounter))
	})
	// Re-enabling and changing the role are stored too.
	w := want[2]
	w.Disabled, w.Role = false, model.StaffCounter
	update(t, s, func(tx model.Tx) error { return tx.Staff().Put(w) })
	view(t, s, func(tx model.Tx) error {
		g, err := tx.Staff().ByUsername("admin01")
		return firstErr(err, same("updated staff", g, w))
	})
}

func invalidIDs(t *testing.T, s model.Store) {
	err := s.Update(context.Background(), func(tx model.Tx) error {
		for _, id := range []string{"", "a/b"} {
			if tx.Enterprises().Put(Enterprise(id, "U"+id, "")) == nil {
				return fmt.Errorf("enterprise id %q accepted", id)
			}
			if tx.Agents().Put(Agent(id, "e1", "1")) == nil || tx.Agents().Put(Agent("a1", id, "1")) == nil {
				return fmt.Errorf("agent with id/enterprise %q accepted", id)
			}
			if tx.Persons().Put(model.NaturalPerson{ID: id}) == nil || tx.Staff().Put(model.Staff{ID: id}) == nil {
				return fmt.Errorf("person/staff id %q accepted", id)
			}
		}
		if tx.Lockouts().Put(model.Lockout{}) == nil || tx.Registry().Put(model.RegistryRecord{}) == nil {
			return fmt.Errorf("empty lockout key or registry USCC accepted")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
