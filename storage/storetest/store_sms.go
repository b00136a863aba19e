package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"kiosk/model"
)

// SMS returns a fully populated pending message to "13800138000".
func SMS(id string, created time.Time) model.OutboundSMS {
	return model.OutboundSMS{
		ID: id, To: "13800138000", Text: model.SMSSignature + "您的验证码为123456，5分钟内有效。", Kind: model.SMSKindCode,
		State: model.OutboxPending, Attempts: 2, NextAttempt: created.Add(time.Minute), LastError: "modem timeout",
		CreatedAt: created, SentAt: created.Add(time.Hour),
	}
}

func ids(ms []model.OutboundSMS) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func outboxRoundTrip(t *testing.T, s model.Store) {
	m := SMS("m1", t0)
	noState := SMS("m2", t0)
	noState.State = ""
	update(t, s, func(tx model.Tx) error { return firstErr(tx.Outbox().Enqueue(m), tx.Outbox().Enqueue(noState)) })
	err := s.Update(context.Background(), func(tx model.Tx) error {
		r := tx.Outbox()
		g, e1 := r.Get("m1")
		g2, e2 := r.Get("m2")
		_, e3 := r.Get("nope")
		_, e4 := r.Get("")
		noState.State = model.OutboxPending
		return firstErr(e1, e2, same("Get", g, m), same("empty state is pending", g2, noState),
			wantNotFound("Get absent", e3), wantNotFound("Get empty", e4),
			wantDup("enqueue twice", r.Enqueue(m), "id"),
			wantNotFound("Put never enqueued", r.Put(SMS("m9", t0))))
	})
	if err != nil {
		t.Fatal(err)
	}
	m.State, m.Attempts, m.LastError, m.SentAt = model.OutboxSent, 3, "", t0.Add(2*time.Minute)
	update(t, s, func(tx model.Tx) error { return tx.Outbox().Put(m) })
	view(t, s, func(tx model.Tx) error {
		g, err := tx.Outbox().Get("m1")
		return firstErr(err, same("after Put", g, m))
	})
}

func outboxDue(t *testing.T, s model.Store) {
	now := t0.Add(time.Hour)
	at := func(id string, next time.Time) model.OutboundSMS {
		m := SMS(id, t0)
		m.NextAttempt = next
		return m
	}
	update(t, s, func(tx model.Tx) error {
		r := tx.Outbox()
		return firstErr(
			r.Enqueue(at("late", now.Add(time.Second))), // not yet
			r.Enqueue(at("b", now.Add(-time.Minute))),
			r.Enqueue(at("zero", time.Time{})),        // the zero time means at once
			r.Enqueue(at("a", now.Add(-time.Minute))), // tie with b: by id
			r.Enqueue(at("exact", now)),
			r.Enqueue(at("old", now.Add(-48*time.Hour))),
		)
	})
	view(t, s, func(tx model.Tx) error {
		r := tx.Outbox()
		all, e1 := r.Due(now, 100)
		two, e2 := r.Due(now, 2)
		none, e3 := r.Due(now, 0)
		early, e4 := r.Due(time.Time{}, 10)
		return firstErr(e1, e2, e3, e4,
			same("Due", ids(all), []string{"zero", "old", "a", "b", "exact"}),
			same("Due limit 2", ids(two), []string{"zero", "old"}),
			same("Due limit 0", len(none), 0), same("Due at zero time", ids(early), []string{"zero"}))
	})
	// Backing off moves a message in the index; sent and dead leave it.
	update(t, s, func(tx model.Tx) error {
		r := tx.Outbox()
		old, _ := r.Get("old")
		old.NextAttempt, old.Attempts = now.Add(time.Hour), old.Attempts+1
		sent, _ := r.Get("a")
		sent.State = model.OutboxSent
		dead, _ := r.Get("zero")
		dead.State = model.OutboxDead
		return firstErr(r.Put(old), r.Put(sent), r.Put(dead))
	})
	view(t, s, func(tx model.Tx) error {
		r := tx.Outbox()
		due, e1 := r.Due(now, 100)
		later, e2 := r.Due(now.Add(2*time.Hour), 100)
		return firstErr(e1, e2, same("Due after moves", ids(due), []string{"b", "exact"}),
			same("Due later", ids(later), []string{"b", "exact", "late", "old"}))
	})
	// A dead message put back to pending (staff retry) is due again.
	update(t, s, func(tx model.Tx) error {
		m, err := tx.Outbox().Get("zero")
		m.State = model.OutboxPending
		return firstErr(err, tx.Outbox().Put(m))
	})
	view(t, s, func(tx model.Tx) error {
		due, err := tx.Outbox().Due(now, 1)
		return firstErr(err, same("revived", ids(due), []string{"zero"}))
	})
}

func outboxList(t *testing.T, s model.Store) {
	update(t, s, func(tx model.Tx) error {
		for i := range 12 { // past 9 and 10: ordering is by time, not lexical
			m := SMS(fmt.Sprintf("m%02d", i), t0.Add(time.Duration(i)*time.Second))
			if err := tx.Outbox().Enqueue(m); err != nil {
				return err
			}
		}
		tie := SMS("m99", t0.Add(11*time.Second)) // same instant as m11: by id
		return tx.Outbox().Enqueue(tie)
	})
	update(t, s, func(tx model.Tx) error {
		r := tx.Outbox()
		for _, id := range []string{"m01", "m05", "m03"} {
			m, err := r.Get(id)
			if err != nil {
				return err
			}
			m.State = model.OutboxSent
			if err := r.Put(m); err != nil {
				return err
			}
		}
		m, err := r.Get("m07")
		m.State, m.CreatedAt = model.OutboxDead, t0.Add(-time.Hour) // a changed CreatedAt moves too
		return firstErr(err, r.Put(m))
	})
	view(t, s, func(tx model.Tx) error {
		r := tx.Outbox()
		pending, e1 := r.List(model.OutboxPending, 4)
		sent, e2 := r.List(model.OutboxSent, 100)
		dead, e3 := r.List(model.OutboxDead, 100)
		none, e4 := r.List(model.OutboxPending, 0)
		bogus, e5 := r.List("bogus", 10)
		allPending, e6 := r.List(model.OutboxPending, 100)
		return firstErr(e1, e2, e3, e4, e5, e6,
			same("pending newest first", ids(pending), []string{"m11", "m99", "m10", "m09"}),
			same("sent", ids(sent), []string{"m05", "m03", "m01"}),
			same("dead", ids(dead), []string{"m07"}),
			same("limit 0", len(none), 0), same("unknown state", len(bogus), 0),
			same("pending count", len(allPending), 9))
	})
}

func outboxInvalid(t *testing.T, s model.Store) {
	err := s.Update(context.Background(), func(tx model.Tx) error {
		r := tx.Outbox()
		bad := []model.OutboundSMS{SMS("", t0), SMS("a/b", t0), SMS("x", t0), SMS("y", t0)}
		bad[2].To = ""
		bad[3].State = "bogus"
		for _, m := range bad {
			if r.Enqueue(m) == nil {
				return fmt.Errorf("Enqueue(%+v) accepted", m)
			}
		}
		sent := SMS("s", t0)
		sent.State = model.OutboxSent
		if r.Enqueue(sent) == nil {
			return fmt.Errorf("Enqueue of a sent message accepted")
		}
		if err := r.Enqueue(SMS("ok", t0)); err != nil {
			return err
		}
		m := SMS("ok", t0)
		m.State = "bogus"
		if r.Put(m) == nil {
			return fmt.Errorf("Put with unknown state accepted")
		}
		due, err := r.Due(t0.Add(time.Hour), 10)
		return firstErr(err, same("only the valid one", ids(due), []string{"ok"}))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func smsCodeRepo(t *testing.T, s model.Store) {
	c := model.SMSCode{Purpose: "register", Phone: "13800138000", Hash: "h1", SentAt: t0, Expires: t0.Add(5 * time.Minute), Tries: 2, Used: true}
	other := c
	other.Purpose, other.Hash = "reset", "h2"
	update(t, s, func(tx model.Tx) error { return firstErr(tx.SMSCodes().Put(c), tx.SMSCodes().Put(other)) })
	view(t, s, func(tx model.Tx) error {
		r := tx.SMSCodes()
		g, e1 := r.Get("register", "13800138000")
		g2, e2 := r.Get("reset", "13800138000")
		_, e3 := r.Get("register", "13800138001")
		_, e4 := r.Get("", "")
		return firstErr(e1, e2, same("Get", g, c), same("other purpose", g2, other),
			wantNotFound("other phone", e3), wantNotFound("empty", e4))
	})
	c.Hash, c.Tries, c.Used = "h3", 0, false
	update(t, s, func(tx model.Tx) error {
		return firstErr(tx.SMSCodes().Put(c), tx.SMSCodes().Delete("reset", "13800138000"), tx.SMSCodes().Delete("never", "1"))
	})
	err := s.Update(context.Background(), func(tx model.Tx) error {
		r := tx.SMSCodes()
		g, e1 := r.Get("register", "13800138000")
		_, e2 := r.Get("reset", "13800138000")
		if r.Put(model.SMSCode{Phone: "1"}) == nil || r.Put(model.SMSCode{Purpose: "p"}) == nil {
			return fmt.Errorf("code without purpose or phone accepted")
		}
		return firstErr(e1, same("replaced", g, c), wantNotFound("deleted", e2))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func rateRepo(t *testing.T, s model.Store) {
	w := model.RateWindow{Key: "sms-phone:13800138000", Events: []time.Time{t0, t0.Add(time.Minute)}}
	view(t, s, func(tx model.Tx) error {
		g, err := tx.Rates().Get(w.Key)
		return firstErr(err, same("default", g, model.RateWindow{Key: w.Key}))
	})
	update(t, s, func(tx model.Tx) error { return tx.Rates().Put(w) })
	err := s.Update(context.Background(), func(tx model.Tx) error {
		g, e1 := tx.Rates().Get(w.Key)
		g2, e2 := tx.Rates().Get("sms-kiosk:K01")
		if tx.Rates().Put(model.RateWindow{Events: w.Events}) == nil {
			return fmt.Errorf("empty rate key accepted")
		}
		return firstErr(e1, e2, same("Get", g, w), same("other", g2, model.RateWindow{Key: "sms-kiosk:K01"}))
	})
	if err != nil {
		t.Fatal(err)
	}
	// Pruned to nothing: the record goes away.
	update(t, s, func(tx model.Tx) error { return tx.Rates().Put(model.RateWindow{Key: w.Key, Events: []time.Time{}}) })
	view(t, s, func(tx model.Tx) error {
		g, err := tx.Rates().Get(w.Key)
		return firstErr(err, same("emptied", g, model.RateWindow{Key: w.Key}))
	})
}
