package model

import (
	"context"
	"errors"
	"strings"
	"time"
)

// The login lockout (SPEC §2) of every principal (enterprise, agent, staff,
// unknown identifiers alike), kept in one Lockout record per principal key,
// never in a shared one.
//
// An attempt is two short transactions around the slow password check,
// which must not run inside a transaction:
//
//  1. reserve: look the principal up, refuse when it is locked, or when
//     failures plus checks in flight already reach MaxFailures; otherwise
//     take a slot (a timestamp in Lockout.Pending).
//  2. verify the password, outside any transaction.
//  3. finish: give the slot back and record the outcome (a failure counts
//     and may lock; a success ends the failures) with its audit record and
//     the use case's own writes, in one transaction.
//
// So however many kiosks guess at once, no more than MaxFailures passwords
// are checked per lock window. A slot older than ReserveTTL belongs to a
// kiosk that stopped between 1 and 3 and no longer counts. The count
// decays: DecayWindow after the last failure and the end of the last lock,
// the principal starts again from nothing (the next lock is BaseLock).
const (
	DecayWindow = 24 * time.Hour
	ReserveTTL  = 2 * time.Minute
)

// purgeBatch bounds the records one purge transaction reads; on a store
// that bounds a transaction, fewer (a deletion is two writes there).
const (
	purgeBatch   = 200
	purgeOps     = 2 // per record: its deletion
	purgeReserve = 8 // the commit, the walk of the records
)

// verdict is what an attempt's password check decided.
type verdict int

const (
	verdictFail verdict = iota // wrong credentials: counted
	verdictOK                  // right credentials: the failures end
	verdictNone                // nothing decided (pending account): the slot is only given back
)

// reservation is a slot taken by reserve, for finish.
type reservation struct {
	key, action, subject string
	who                  LockKind
	stamp                time.Time
}

// lookupFn finds the principal inside the reservation transaction and
// returns its lock key and audit subject; it may run more than once.
type lookupFn func(tx Tx) (key, subject string, err error)

// settled is l as it stands at now: slots of dead kiosks dropped, and the
// count forgotten once DecayWindow has passed without a failure or a lock.
func settled(l Lockout, now time.Time) Lockout {
	for i, p := range l.Pending {
		if !p.IsZero() && !now.Before(p.Add(ReserveTTL)) {
			l.Pending[i] = time.Time{}
		}
	}
	if q := quietSince(l); !l.LockedUntil.After(now) && !now.Before(q.Add(DecayWindow)) {
		l.Failures, l.Locks, l.LockedUntil, l.LastFailure = 0, 0, time.Time{}, time.Time{}
	}
	return l
}

// pending is how many password checks are in flight.
func (l Lockout) pending() int {
	n := 0
	for _, p := range l.Pending {
		if !p.IsZero() {
			n++
		}
	}
	return n
}

// take puts stamp in a free slot; false when none is free.
func (l *Lockout) take(stamp time.Time) bool {
	for i, p := range l.Pending {
		if p.IsZero() {
			l.Pending[i] = stamp
			return true
		}
	}
	return false
}

// quietSince is when the principal last failed or was last locked.
func quietSince(l Lockout) time.Time {
	last := l.LastFailure
	if last.IsZero() && l.Failures > 0 {
		last = l.UpdatedAt // written before LastFailure existed
	}
	if l.LockedUntil.After(last) {
		return l.LockedUntil
	}
	return last
}

// empty reports a record that says nothing and can go.
func (l Lockout) empty() bool {
	return l.Failures == 0 && l.Locks == 0 && l.LockedUntil.IsZero() && l.pending() == 0
}

// release frees the slot taken at stamp; false when it is gone (expired,
// or the record was cleared).
func (l *Lockout) release(stamp time.Time) bool {
	for i, p := range l.Pending {
		if !p.IsZero() && p.Equal(stamp) {
			l.Pending[i] = time.Time{}
			return true
		}
	}
	return false
}

// storeLock writes l, or deletes it when it says nothing.
func storeLock(tx Tx, l Lockout) error {
	if l.empty() {
		return tx.Lockouts().Delete(l.Key)
	}
	return tx.Lockouts().Put(l)
}

// reserve is the first transaction of an attempt: the look-up, the lock
// check and a slot, or the refusal with its audit record.
func (a *Auth) reserve(ctx context.Context, action string, who LockKind, lookup lookupFn) (reservation, error) {
	now := a.Clock.Now()
	var (
		r       reservation
		refused error
	)
	err := a.Store.Update(ctx, func(tx Tx) error {
		refused = nil
		key, subject, err := lookup(tx)
		if err != nil {
			return err
		}
		r = reservation{key: key, action: action, subject: subject, who: who, stamp: now}
		l, err := tx.Lockouts().Get(key)
		if err != nil {
			return err
		}
		l = settled(l, now)
		l.Key = key
		outcome := ""
		switch {
		case l.LockedUntil.After(now):
			refused, outcome = &LockedError{Until: l.LockedUntil, Who: who}, "locked"
		case l.Failures+l.pending() >= MaxFailures || !l.take(now):
			refused, outcome = ErrLoginBusy, "busy"
		}
		if refused != nil {
			_, err := tx.Audit().Append(a.record("anonymous", action, subject, outcome, ""))
			return err
		}
		l.UpdatedAt = now
		return tx.Lockouts().Put(l)
	})
	if err != nil {
		return reservation{}, err
	}
	if refused != nil {
		return reservation{}, refused
	}
	return r, nil
}

// finish is the second transaction of an attempt: the slot given back, the
// outcome counted, the audit record, and for a success the use case's own
// writes (then, may be nil). actor, outcome and detail are the audit
// record's; a failure is audited as "anonymous", outcome the why ("fail",
// "disabled"), or "locked" with the why as detail when it locks. It returns
// a *BadCredentialsError (the tries left) or *LockedError for a failure, nil for a success, or
// *LockedError when the slot had expired and the principal was locked
// meanwhile (a success then does not count).
func (a *Auth) finish(ctx context.Context, r reservation, v verdict, actor, outcome, detail string, then func(Tx) error) error {
	now := a.Clock.Now()
	var res error
	err := a.Store.Update(ctx, func(tx Tx) error {
		res = nil
		l, err := tx.Lockouts().Get(r.key)
		if err != nil {
			return err
		}
		l = settled(l, now)
		l.Key = r.key
		held := l.release(r.stamp)
		rec := a.record(actor, r.action, r.subject, outcome, detail)
		switch {
		case v == verdictFail:
			rec.Actor = "anonymous"
			l.Failures++
			l.LastFailure, l.UpdatedAt = now, now
			res = badCredentials(l.Failures)
			if l.Failures >= MaxFailures {
				l.Locks++
				l.Failures = 0
				l.LockedUntil = now.Add(lockDuration(l.Locks))
				res = &LockedError{Until: l.LockedUntil, Who: r.who}
				rec.Outcome, rec.Detail = "locked", ""
				if outcome != "fail" {
					rec.Detail = outcome
				}
			}
		case v == verdictOK && !held && l.LockedUntil.After(now):
			res = &LockedError{Until: l.LockedUntil, Who: r.who}
			rec = a.record("anonymous", r.action, r.subject, "locked", "late")
		case v == verdictOK:
			l.Failures, l.Locks, l.LockedUntil, l.LastFailure = 0, 0, time.Time{}, time.Time{}
			if then != nil {
				if err := then(tx); err != nil {
					return err
				}
			}
		}
		if err := storeLock(tx, l); err != nil {
			return err
		}
		_, err = tx.Audit().Append(rec)
		return err
	})
	if err != nil {
		return err
	}
	return res
}

// errNoIdentifier: ClearLock was given no identifier.
var errNoIdentifier = errors.New("clear lock: no identifier")

// ClearLock is the counter's unlock (SPEC §2): a staff member who may act
// at the counter clears the login lock and failure count of the enterprise
// whose account or USCC is identifier (the way a person types it at 企业登录,
// an unknown one included, so nothing tells the two apart), with an audit
// record naming the staff member.
func (a *Auth) ClearLock(ctx context.Context, staff Session, identifier string) error {
	if !staff.IsStaff(StaffCounter) {
		return ErrStaffForbidden
	}
	identifier = strings.TrimSpace(identifier)
	if identifier == "" {
		return errNoIdentifier
	}
	return a.Store.Update(ctx, func(tx Tx) error {
		ent, found, err := findEnterprise(tx, identifier)
		if err != nil {
			return err
		}
		key := enterpriseLockKey(ent, found, identifier)
		subject := "unknown"
		if found {
			subject = ent.ID
		}
		l, err := tx.Lockouts().Get(key)
		if err != nil {
			return err
		}
		outcome := "ok"
		if settled(l, a.Clock.Now()).empty() {
			outcome = "none" // nothing to clear
		}
		if err := tx.Lockouts().Delete(key); err != nil {
			return err
		}
		_, err = tx.Audit().Append(a.record("staff:"+staff.StaffID, "lock.clear", subject, outcome, ""))
		return err
	})
}

// PurgeExpiredLocks deletes the lockout records that say nothing any more:
// no lock in force, no check in flight and no failure within DecayWindow
// (unknown identifiers' records included). It works in transactions of at
// most purgeBatch records (fewer on a store that bounds a transaction) and
// returns how many it deleted.
func (a *Auth) PurgeExpiredLocks(ctx context.Context) (int, error) {
	batch := BatchSize(a.Store, purgeBatch, purgeOps, purgeReserve)
	return InBatches(ctx, a.Store, func(tx Tx, cursor string) (int, string, error) {
		now := a.Clock.Now()
		ls, next, err := tx.Lockouts().List(cursor, batch)
		if err != nil {
			return 0, "", err
		}
		n := 0
		for _, l := range ls {
			if !settled(l, now).empty() {
				continue
			}
			if err := tx.Lockouts().Delete(l.Key); err != nil {
				return 0, "", err
			}
			n++
		}
		return n, next, nil
	})
}
