package staffdesk

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"kiosk/model"
)

// MaxAudit is the most records one audit query returns (the newest that
// match); a narrower filter reaches older ones.
const MaxAudit = 500

// AuditQuery filters the audit log. Empty fields do not filter.
type AuditQuery struct {
	Action string    // the action starts with it ("login", "lock.clear"), any case
	Kiosk  string    // the kiosk id starts with it, any case
	From   time.Time // at or after
	Before time.Time // before
	Limit  int       // most records returned; MaxAudit when 0 or more
}

// AuditEntry is a record as the list shows it: its Change (the before and
// after of a change, personal data) is never in it; HasChange says there
// is one, for 管理员 to open (AuditChange). Records name a staff member by
// internal id ("staff:<id>"); Staff is that member's username, for the
// staff reading the log ("" for other actors and unknown ids).
type AuditEntry struct {
	Record    model.AuditRecord
	HasChange bool
	Staff     string
}

// AuditPage is the answer of a query: the newest matching records first,
// and how many matched in all (more than len(Entries) when cut at Limit).
type AuditPage struct {
	Entries []AuditEntry
	Total   int
}

// Audit reads the audit log for any staff member: the records of every
// kiosk's chain that match q, newest first (by time, then kiosk, then the
// chain's order). The store lists the chains whole, so each query reads
// the log once; nothing is written (browsing is not audited, opening a
// record's Change is).
func (d *Desk) Audit(ctx context.Context, s model.Session, q AuditQuery) (AuditPage, error) {
	if q.Limit <= 0 || q.Limit > MaxAudit {
		q.Limit = MaxAudit
	}
	action, kiosk := strings.ToLower(strings.TrimSpace(q.Action)), strings.ToLower(strings.TrimSpace(q.Kiosk))
	var page AuditPage
	err := d.Store.View(ctx, func(tx model.Tx) error {
		page = AuditPage{}
		if err := model.StaffStands(tx, s, Roles(Audit)...); err != nil {
			return err
		}
		all, err := tx.Audit().List(0, math.MaxInt)
		if err != nil {
			return err
		}
		members, err := tx.Staff().List()
		if err != nil {
			return err
		}
		names := make(map[string]string, len(members))
		for _, m := range members {
			names["staff:"+m.ID] = m.Username
		}
		for _, r := range all {
			switch {
			case action != "" && !strings.HasPrefix(strings.ToLower(r.Action), action),
				kiosk != "" && !strings.HasPrefix(strings.ToLower(r.Kiosk), kiosk),
				!q.From.IsZero() && r.Time.Before(q.From),
				!q.Before.IsZero() && !r.Time.Before(q.Before):
				continue
			}
			has := r.Change != ""
			r.Change = ""
			page.Entries = append(page.Entries, AuditEntry{Record: r, HasChange: has, Staff: names[r.Actor]})
		}
		return nil
	})
	if err != nil {
		return AuditPage{}, err
	}
	slices.SortStableFunc(page.Entries, func(a, b AuditEntry) int {
		x, y := a.Record, b.Record
		if c := y.Time.Compare(x.Time); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Kiosk, y.Kiosk); c != 0 {
			return c
		}
		return cmp.Compare(y.Seq, x.Seq)
	})
	page.Total = len(page.Entries)
	if len(page.Entries) > q.Limit {
		page.Entries = slices.Clip(page.Entries[:q.Limit])
	}
	return page, nil
}

// AuditChange returns the Change of one record (the kiosk's chain and its
// Seq) for 管理员 only, and records that it was read ("audit.view_change",
// subject the record as kiosk#seq). "" when the record has none;
// model.ErrNotFound when there is no such record.
func (d *Desk) AuditChange(ctx context.Context, s model.Session, kiosk string, seq uint64) (string, error) {
	if seq == 0 {
		return "", model.ErrNotFound
	}
	// The record is found in a read-only transaction: records never
	// change, and a scan of the log inside the write below would conflict
	// with every audit record another kiosk appends meanwhile.
	var change string
	err := d.Store.View(ctx, func(tx model.Tx) error {
		change = ""
		if err := model.StaffStands(tx, s, Roles(AuditChange)...); err != nil {
			return err
		}
		recs, err := tx.Audit().List(seq-1, math.MaxInt)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(recs, func(r model.AuditRecord) bool { return r.Kiosk == kiosk && r.Seq == seq })
		if i < 0 {
			return model.ErrNotFound
		}
		change = recs[i].Change
		return nil
	})
	if err != nil {
		return "", err
	}
	// The reading is recorded, by a staff member who still stands.
	err = d.Store.Update(ctx, func(tx model.Tx) error {
		if err := model.StaffStands(tx, s, Roles(AuditChange)...); err != nil {
			return err
		}
		_, err := tx.Audit().Append(d.record(s, "audit.view_change", kiosk+"#"+strconv.FormatUint(seq, 10), "ok", ""))
		return err
	})
	if err != nil {
		return "", err
	}
	return change, nil
}
