package storetest

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"kiosk/model"
)

// lockoutList: List pages through every counter exactly once, with the
// fields the lockout keeps (failures, lock, last failure, slots in flight),
// and a page cut where a record was deleted still goes on after it.
func lockoutList(t *testing.T, s model.Store) {
	const n = 7
	want := map[string]model.Lockout{}
	update(t, s, func(tx model.Tx) error {
		for i := range n {
			l := model.Lockout{Key: fmt.Sprintf("list:%d", i), Failures: i % 5, Locks: i,
				LockedUntil: t0.Add(time.Duration(i) * time.Minute), LastFailure: t0, UpdatedAt: t0}
			l.Pending[0] = t0.Add(time.Second)
			want[l.Key] = l
			if err := tx.Lockouts().Put(l); err != nil {
				return err
			}
		}
		return nil
	})
	page := func(cursor string, limit int) (ls []model.Lockout, next string) {
		view(t, s, func(tx model.Tx) error {
			var err error
			ls, next, err = tx.Lockouts().List(cursor, limit)
			return err
		})
		return ls, next
	}
	var keys []string
	cursor, pages := "", 0
	for {
		ls, next := page(cursor, 3)
		pages++
		for _, l := range ls {
			if w, ok := want[l.Key]; ok {
				if !l.LockedUntil.Equal(w.LockedUntil) || l.Failures != w.Failures || !l.Pending[0].Equal(w.Pending[0]) ||
					!l.LastFailure.Equal(w.LastFailure) {
					t.Errorf("List %s = %+v, want %+v", l.Key, l, w)
				}
				keys = append(keys, l.Key)
			}
		}
		if next == "" {
			break
		}
		if pages > n {
			t.Fatalf("List does not end")
		}
		if pages == 1 { // the last record of a page goes; the walk goes on after it
			update(t, s, func(tx model.Tx) error { return tx.Lockouts().Delete(ls[len(ls)-1].Key) })
		}
		cursor = next
	}
	sort.Strings(keys)
	if len(keys) != n || len(uniq(keys)) != n {
		t.Errorf("List walked %v, want each of %d keys once", keys, n)
	}
	if ls, next := page("", 0); len(ls) != 0 || next != "" {
		t.Errorf("List with limit 0 = %v %q", ls, next)
	}
	update(t, s, func(tx model.Tx) error {
		for k := range want {
			if err := tx.Lockouts().Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

func uniq(sorted []string) []string {
	var out []string
	for i, k := range sorted {
		if i == 0 || k != sorted[i-1] {
			out = append(out, k)
		}
	}
	return out
}
