package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"

	"kiosk/model"
)

func lockoutRepo(t *testing.T, s model.Store) {
	key := "enterprise:acmecorp"
	l := model.Lockout{Key: key, Failures: 3, LockedUntil: t0.Add(15 * time.Minute), Locks: 2, UpdatedAt: t0}
	view(t, s, func(tx model.Tx) error {
		g, err := tx.Lockouts().Get(key)
		return firstErr(err, same("default", g, model.Lockout{Key: key}))
	})
	update(t, s, func(tx model.Tx) error { return tx.Lockouts().Put(l) })
	view(t, s, func(tx model.Tx) error {
		g, err := tx.Lockouts().Get(key)
		other, err2 := tx.Lockouts().Get("agent:e1:110105194912310029")
		return firstErr(err, err2, same("Get", g, l), same("other key", other, model.Lockout{Key: "agent:e1:110105194912310029"}))
	})
	update(t, s, func(tx model.Tx) error { return firstErr(tx.Lockouts().Delete(key), tx.Lockouts().Delete("never")) })
	view(t, s, func(tx model.Tx) error {
		g, err := tx.Lockouts().Get(key)
		return firstErr(err, same("after delete", g, model.Lockout{Key: key}))
	})
	lockoutList(t, s)
}

func auditRecord(i int) model.AuditRecord {
	return model.AuditRecord{Seq: 999, Time: t0.Add(time.Duration(i) * time.Second), Kiosk: "K01",
		Actor: "enterprise:e1", Action: "login.enterprise", Subject: "e1", Outcome: "ok", Detail: fmt.Sprint("n", i)}
}

func auditAppendOnly(t *testing.T, s model.Store) {
	// The interface has no way to change or remove a record.
	var log model.AuditLog
	if m := reflect.TypeOf(&log).Elem().NumMethod(); m != 2 {
		t.Fatalf("AuditLog has %d methods, want only Append and List", m)
	}
	var seqs []uint64
	for i := 1; i <= 12; i++ { // past 9 and 10: ordering is numeric, not lexical
		var seq uint64
		update(t, s, func(tx model.Tx) (err error) {
			seq, err = tx.Audit().Append(auditRecord(i))
			return err
		})
		seqs = append(seqs, seq)
	}
	for i, seq := range seqs {
		if seq != uint64(i+1) {
			t.Fatalf("Append seqs = %v, want 1..12", seqs)
		}
	}
	// A rolled-back append leaves nothing.
	boom := errors.New("boom")
	_ = s.Update(context.Background(), func(tx model.Tx) error { _, _ = tx.Audit().Append(auditRecord(99)); return boom })
	view(t, s, func(tx model.Tx) error {
		all, err := tx.Audit().List(0, 100)
		if err != nil {
			return err
		}
		if len(all) != 12 {
			return fmt.Errorf("List(0,100) len = %d, want 12", len(all))
		}
		for i, r := range all {
			want := auditRecord(i + 1)
			want.Seq = uint64(i + 1)
			if !reflect.DeepEqual(r, want) {
				return fmt.Errorf("record %d = %+v, want %+v", i, r, want)
			}
		}
		page, err := tx.Audit().List(9, 2)
		if err != nil {
			return err
		}
		none, err := tx.Audit().List(12, 10)
		zero, err2 := tx.Audit().List(0, 0)
		return firstErr(err, err2, same("page", []uint64{page[0].Seq, page[1].Seq}, []uint64{10, 11}),
			same("after last", len(none), 0), same("limit 0", len(zero), 0))
	})
	update(t, s, func(tx model.Tx) error {
		seq, err := tx.Audit().Append(auditRecord(13))
		return firstErr(err, same("seq after rollback", seq, uint64(13)))
	})
}

func auditConcurrent(t *testing.T, s model.Store) {
	const workers, each = 4, 10
	var (
		mu   sync.Mutex
		seqs []uint64
		wg   sync.WaitGroup
	)
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				var seq uint64
				err := s.Update(context.Background(), func(tx model.Tx) (err error) {
					seq, err = tx.Audit().Append(auditRecord(w*100 + i))
					return err
				})
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				seqs = append(seqs, seq)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	for i, seq := range seqs {
		if seq != uint64(i+1) {
			t.Fatalf("concurrent seqs not 1..%d without gaps or repeats: %v", workers*each, seqs)
		}
	}
}

// auditPerKiosk: every kiosk numbers its own records from 1, also when
// kiosks sharing one database append at once, and List returns them all.
func auditPerKiosk(t *testing.T, s model.Store) {
	const each = 10
	kiosks := []string{"K01", "K02", "K03"}
	var wg sync.WaitGroup
	errs := make(chan error, len(kiosks)*each)
	for _, k := range kiosks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r := auditRecord(i)
				r.Kiosk = k
				err := s.Update(context.Background(), func(tx model.Tx) error {
					seq, err := tx.Audit().Append(r)
					if err == nil && seq != uint64(i+1) {
						err = fmt.Errorf("kiosk %s: append %d got seq %d, want %d", k, i, seq, i+1)
					}
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	view(t, s, func(tx model.Tx) error {
		all, err := tx.Audit().List(0, 1000)
		if err != nil {
			return err
		}
		next := map[string]uint64{}
		for _, r := range all {
			next[r.Kiosk]++
			if r.Seq != next[r.Kiosk] || r.Detail != fmt.Sprint("n", r.Seq-1) {
				return fmt.Errorf("kiosk %s: record %+v out of order", r.Kiosk, r)
			}
		}
		return firstErr(same("records", len(all), len(kiosks)*each),
			same("per kiosk", next, map[string]uint64{"K01": each, "K02": each, "K03": each}))
	})
}

// populate writes one record of every kind; used to prove rollbacks.
func populate(tx model.Tx) error {
	return firstErr(
		tx.Enterprises().Put(Enterprise("e1", "USCC1", "acct1")),
		tx.Agents().Put(Agent("a1", "e1", "110105194912310029")),
		tx.Persons().Put(model.NaturalPerson{ID: "p1", Document: model.IDDocument{Number: "110105194912310029"}}),
		tx.Staff().Put(model.Staff{ID: "s1", Username: "u1"}),
		tx.Lockouts().Put(model.Lockout{Key: "k1", Failures: 1}),
		tx.Registry().Put(model.RegistryRecord{USCC: "USCC1"}),
		func() error { _, err := tx.Audit().Append(auditRecord(1)); return err }(),
		tx.Outbox().Enqueue(SMS("m1", t0)),
		tx.SMSCodes().Put(model.SMSCode{Purpose: "register", Phone: "13800138000", Hash: "h"}),
		tx.Rates().Put(model.RateWindow{Key: "r1", Events: []time.Time{t0}}),
	)
}

// assertEmpty checks that no record of populate is visible.
func assertEmpty(t *testing.T, s model.Store) {
	t.Helper()
	view(t, s, func(tx model.Tx) error {
		_, e1 := tx.Enterprises().Get("e1")
		_, e2 := tx.Enterprises().ByAccount("acct1")
		_, e3 := tx.Agents().ByEnterpriseAndIDNumber("e1", "110105194912310029")
		agents, e4 := tx.Agents().ListByEnterprise("e1")
		_, e5 := tx.Persons().ByIDNumber("110105194912310029")
		_, e6 := tx.Staff().ByUsername("u1")
		lock, e7 := tx.Lockouts().Get("k1")
		_, e8 := tx.Registry().Get("USCC1")
		audit, e9 := tx.Audit().List(0, 10)
		ne, e10 := tx.Enterprises().Count()
		nr, e11 := tx.Registry().Count()
		_, e12 := tx.Outbox().Get("m1")
		due, e13 := tx.Outbox().Due(t0.Add(time.Hour), 10)
		pending, e14 := tx.Outbox().List(model.OutboxPending, 10)
		_, e15 := tx.SMSCodes().Get("register", "13800138000")
		rate, e16 := tx.Rates().Get("r1")
		return firstErr(wantNotFound("enterprise", e1), wantNotFound("account", e2), wantNotFound("agent", e3), e4,
			wantNotFound("person", e5), wantNotFound("staff", e6), e7, wantNotFound("registry", e8), e9, e10, e11,
			same("agents", len(agents), 0), same("lockout", lock, model.Lockout{Key: "k1"}), same("audit", len(audit), 0),
			same("enterprise count", ne, 0), same("registry count", nr, 0),
			wantNotFound("outbox", e12), e13, e14, wantNotFound("sms code", e15), e16,
			same("due", len(due), 0), same("pending", len(pending), 0), same("rate", rate, model.RateWindow{Key: "r1"}))
	})
}

func rollbackOnError(t *testing.T, s model.Store) {
	boom := errors.New("boom")
	err := s.Update(context.Background(), func(tx model.Tx) error {
		if err := populate(tx); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want the fn's error", err)
	}
	assertEmpty(t, s)
	update(t, s, populate) // and the same writes then succeed
}

func rollbackOnPanic(t *testing.T, s model.Store) {
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic was swallowed")
			}
		}()
		_ = s.Update(context.Background(), func(tx model.Tx) error {
			_ = populate(tx)
			panic("boom")
		})
	}()
	assertEmpty(t, s)
}

func viewRejectsWrites(t *testing.T, s model.Store) {
	view(t, s, func(tx model.Tx) error {
		_, errAudit := tx.Audit().Append(auditRecord(1))
		for i, err := range []error{
			tx.Enterprises().Put(Enterprise("e1", "USCC1", "acct1")),
			tx.Agents().Put(Agent("a1", "e1", "110105194912310029")),
			tx.Agents().Delete("a1"),
			tx.Persons().Put(model.NaturalPerson{ID: "p1"}),
			tx.Staff().Put(model.Staff{ID: "s1", Username: "u1"}),
			tx.Lockouts().Put(model.Lockout{Key: "k1"}),
			tx.Lockouts().Delete("k1"),
			tx.Registry().Put(model.RegistryRecord{USCC: "USCC1"}),
			errAudit,
			tx.Outbox().Enqueue(SMS("m1", t0)),
			tx.Outbox().Put(SMS("m1", t0)),
			tx.SMSCodes().Put(model.SMSCode{Purpose: "register", Phone: "13800138000"}),
			tx.SMSCodes().Delete("register", "13800138000"),
			tx.Rates().Put(model.RateWindow{Key: "r1", Events: []time.Time{t0}}),
		} {
			if err == nil {
				return fmt.Errorf("write %d inside View succeeded", i)
			}
		}
		return nil
	})
	assertEmpty(t, s)
}
