package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"kiosk/model"
)

// outboxPurgeSent: PurgeSent deletes old sent messages in batches that
// resume at the cursor, and keeps pending, dead, recent and late-sent ones.
func outboxPurgeSent(t *testing.T, s model.Store) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	cut := now.Add(-720 * time.Hour)
	type spec struct {
		id            string
		state         model.OutboxState
		created, sent time.Time
		purged        bool
	}
	specs := []spec{
		{"pending", model.OutboxPending, cut.Add(-2 * time.Hour), time.Time{}, false},
		{"dead", model.OutboxDead, cut.Add(-2 * time.Hour), time.Time{}, false},
		{"recent", model.OutboxSent, now.Add(-time.Hour), now.Add(-time.Hour), false},
		{"late", model.OutboxSent, cut.Add(-3 * time.Hour), cut.Add(time.Minute), false},
	}
	for i := range 5 {
		at := cut.Add(-time.Duration(i+1) * time.Hour)
		specs = append(specs, spec{fmt.Sprintf("old%d", i), model.OutboxSent, at, at.Add(time.Second), true})
	}
	err := s.Update(ctx, func(tx model.Tx) error {
		for _, sp := range specs {
			m := model.OutboundSMS{ID: sp.id, To: "13100000000", Text: "t", Kind: model.SMSKindNotice,
				State: model.OutboxPending, CreatedAt: sp.created, NextAttempt: sp.created}
			if err := tx.Outbox().Enqueue(m); err != nil {
				return err
			}
			m.State, m.SentAt = sp.state, sp.sent
			if err := tx.Outbox().Put(m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	total, cursor := 0, ""
	for range 10 {
		var (
			n    int
			next string
		)
		err := s.Update(ctx, func(tx model.Tx) error {
			var err error
			n, next, err = tx.Outbox().PurgeSent(cut, cursor, 2)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		total += n
		if cursor = next; cursor == "" {
			break
		}
	}
	if total != 5 || cursor != "" {
		t.Fatalf("purged %d (cursor %q), want 5", total, cursor)
	}
	err = s.View(ctx, func(tx model.Tx) error {
		for _, sp := range specs {
			_, err := tx.Outbox().Get(sp.id)
			if gone := errors.Is(err, model.ErrNotFound); gone != sp.purged {
				t.Errorf("%s: gone %v, want %v (%v)", sp.id, gone, sp.purged, err)
			}
		}
		sent, err := tx.Outbox().List(model.OutboxSent, 100)
		if len(sent) != 2 {
			t.Errorf("sent list: %d, want 2", len(sent))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.View(ctx, func(tx model.Tx) error {
		_, _, err := tx.Outbox().PurgeSent(cut, "", 10)
		return err
	}); err == nil {
		t.Error("PurgeSent in a View succeeded")
	}
}

// staffList: every staff member, ordered by username case-insensitively.
func staffList(t *testing.T, s model.Store) {
	err := s.Update(context.Background(), func(tx model.Tx) error {
		for _, st := range []model.Staff{
			{ID: "s2", Username: "zhang_wei1", Name: "张伟", Role: model.StaffAdmin},
			{ID: "s1", Username: "Counter01", Name: "王芳", Disabled: true},
			{ID: "s3", Username: "li_review", Name: "李审", Role: model.StaffReviewer},
		} {
			if err := tx.Staff().Put(st); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.View(context.Background(), func(tx model.Tx) error {
		list, err := tx.Staff().List()
		if err != nil || len(list) != 3 || list[0].Username != "Counter01" || !list[0].Disabled ||
			list[1].Role != model.StaffReviewer || list[2].ID != "s2" {
			t.Fatalf("List: %+v %v", list, err)
		}
		return nil
	})
}

// metaDemoMark: a fresh store is not marked; MarkDemo is transactional;
// MarkDemoSeeding marks apart.
func metaDemoMark(t *testing.T, s model.Store) {
	ctx := context.Background()
	marked := func() bool {
		var m bool
		if err := s.View(ctx, func(tx model.Tx) error {
			var err error
			m, err = tx.Meta().DemoMarked()
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if marked() {
		t.Fatal("fresh store marked as demo")
	}
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx model.Tx) error {
		if err := tx.Meta().MarkDemo(time.Now()); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || marked() {
		t.Fatalf("rolled-back mark: %v, marked %v", err, marked())
	}
	if err := s.Update(ctx, func(tx model.Tx) error { return tx.Meta().MarkDemo(time.Now()) }); err != nil || !marked() {
		t.Fatalf("MarkDemo: %v, marked %v", err, marked())
	}
	// The mark of a seed begun is a mark of its own.
	seeding := func() (m bool) {
		view(t, s, func(tx model.Tx) (err error) { m, err = tx.Meta().DemoSeeding(); return })
		return m
	}
	if seeding() {
		t.Fatal("MarkDemo marked a seed begun")
	}
	update(t, s, func(tx model.Tx) error { return tx.Meta().MarkDemoSeeding(time.Now()) })
	if !seeding() {
		t.Fatal("MarkDemoSeeding did not mark")
	}
	if err := s.View(ctx, func(tx model.Tx) error { return tx.Meta().MarkDemoSeeding(time.Now()) }); err == nil {
		t.Error("MarkDemoSeeding in a View succeeded")
	}
}
