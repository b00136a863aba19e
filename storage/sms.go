package storage

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"kiosk/model"
	"kiosk/storage/kv"
)

const (
	outPrefix      = "out/"
	idxOutDue      = "idx/out/due/"   // <nanoKey(NextAttempt)>/<id> → "" (pending only)
	idxOutState    = "idx/out/state/" // <state>/<inverted nanoKey(CreatedAt)>/<id> → ""
	smsClaimPrefix = "sms/claim/"     // <id> → holder's lease id (hex), under that lease
	codePrefix     = "code/"
	ratePrefix     = "rate/"
	domainSMSCode  = "sms-code"
	domainRate     = "rate"
	nanoDigits     = 20 // len of a zero-padded int64
)

// The representable range of UnixNano; instants outside are clamped, which
// only merges order ties (broken by id) for absurd dates.
var (
	minNanoTime = time.Unix(0, 0)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

func clampNanos(t time.Time) int64 {
	switch {
	case t.Before(minNanoTime): // includes the zero time: "as soon as possible"
		return 0
	case t.After(maxNanoTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// nanoKey is a fixed-width decimal, so byte order is time order.
func nanoKey(t time.Time) string { return fmt.Sprintf("%0*d", nanoDigits, clampNanos(t)) }

// newestFirstKey inverts nanoKey so an ascending scan yields newest first.
func newestFirstKey(t time.Time) string {
	return fmt.Sprintf("%0*d", nanoDigits, math.MaxInt64-clampNanos(t))
}

func validOutboxState(s model.OutboxState) bool {
	return s == model.OutboxPending || s == model.OutboxSent || s == model.OutboxDead
}

type outbox struct{ t *tx }

// indexKeys are the listing entries of m: its state list, and the due list
// while it is pending.
func (r outbox) indexKeys(m model.OutboundSMS) []string {
	keys := []string{idxOutState + string(m.State) + "/" + newestFirstKey(m.CreatedAt) + "/" + m.ID}
	if m.State == model.OutboxPending {
		keys = append(keys, idxOutDue+nanoKey(m.NextAttempt)+"/"+m.ID)
	}
	return keys
}

func (r outbox) check(m model.OutboundSMS) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	if err := checkID("outbox", m.ID); err != nil {
		return err
	}
	if !validOutboxState(m.State) {
		return fmt.Errorf("%w: outbox state %q", ErrInvalidRecord, m.State)
	}
	if m.To == "" {
		return fmt.Errorf("%w: outbox message without recipient", ErrInvalidRecord)
	}
	return nil
}

func (r outbox) Enqueue(m model.OutboundSMS) error {
	if m.State == "" {
		m.State = model.OutboxPending
	}
	if err := r.check(m); err != nil {
		return err
	}
	if m.State != model.OutboxPending {
		return fmt.Errorf("%w: enqueue in state %q", ErrInvalidRecord, m.State)
	}
	// The record is created, not read (kv.Create): a fresh id costs no
	// round trip on a shared store, and one in use is refused.
	if err := r.t.createRec(outPrefix+m.ID, outboxToRec(m)); err != nil {
		if errors.Is(err, kv.ErrExists) {
			return &model.DuplicateError{Field: "id"}
		}
		return err
	}
	return r.writeIndex(nil, m)
}

func (r outbox) Get(id string) (model.OutboundSMS, error) {
	var rec outboxRec
	if err := r.t.getByID("outbox", outPrefix, id, &rec); err != nil {
		return model.OutboundSMS{}, err
	}
	return rec.model(), nil
}

func (r outbox) Put(m model.OutboundSMS) error {
	if err := r.check(m); err != nil {
		return err
	}
	old, err := r.Get(m.ID)
	if err != nil {
		return err
	}
	return r.write(outPrefix+m.ID, r.indexKeys(old), m)
}

// write moves the index entries from oldKeys to m's and stores m.
func (r outbox) write(key string, oldKeys []string, m model.OutboundSMS) error {
	if err := r.writeIndex(oldKeys, m); err != nil {
		return err
	}
	return r.t.putRec(key, outboxToRec(m))
}

// writeIndex moves the index entries from oldKeys to m's.
func (r outbox) writeIndex(oldKeys []string, m model.OutboundSMS) error {
	cur := r.indexKeys(m)
	for _, k := range oldKeys {
		if !slices.Contains(cur, k) {
			if err := r.t.kv.Delete([]byte(k)); err != nil {
				return err
			}
		}
	}
	for _, k := range cur {
		if !slices.Contains(oldKeys, k) {
			if err := r.t.kv.Put([]byte(k), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// Due walks the due index in NextAttempt order and stops at the first
// entry after now, so its cost follows the result, not the outbox size.
// Messages under a live claim are stepped over (one read each; a store
// without leases has none), so kiosks sharing the outbox list what is
// left for them rather than what another kiosk is sending.
func (r outbox) Due(now time.Time, limit int) ([]model.OutboundSMS, error) {
	if limit <= 0 {
		return nil, nil
	}
	nowKey := nanoKey(now)
	var ids []string
	from := []byte(idxOutDue)
	for len(ids) < limit {
		var (
			batch []string
			last  []byte
			full  bool // the scan stopped at the batch size, not at the end
		)
		want := limit - len(ids)
		err := r.t.kv.ScanFrom([]byte(idxOutDue), from, func(k, _ []byte) (bool, error) {
			rest := string(k[len(idxOutDue):])
			if len(rest) < nanoDigits+2 {
				return false, fmt.Errorf("%w: due index key %q", ErrCorrupt, k)
			}
			if rest[:nanoDigits] > nowKey {
				return false, nil
			}
			batch, last = append(batch, rest[nanoDigits+1:]), k
			full = len(batch) == want
			return !full, nil
		})
		if err != nil {
			return nil, err
		}
		for _, id := range batch {
			claim, err := r.t.kv.Get(recordKey(smsClaimPrefix, id))
			if err != nil {
				return nil, err
			}
			if claim == nil {
				ids = append(ids, id)
			}
		}
		if !full {
			break
		}
		from = append(last, 0)
	}
	return r.load(ids)
}

// Claim puts the claim key of id under l if it is absent (doc.go).
func (r outbox) Claim(id string, l model.Lease) (bool, error) {
	if err := r.t.checkWrite(); err != nil {
		return false, err
	}
	if err := checkID("outbox", id); err != nil {
		return false, err
	}
	if l == nil {
		return false, model.ErrNoLeases
	}
	key := recordKey(smsClaimPrefix, id)
	cur, err := r.t.kv.Get(key)
	if err != nil || cur != nil {
		return false, err
	}
	if err := r.t.putLeased(key, leaseMark(l), l); err != nil {
		return false, err
	}
	return true, nil
}

// Release deletes the claim key of id when it names l.
func (r outbox) Release(id string, l model.Lease) (bool, error) {
	if err := r.t.checkWrite(); err != nil {
		return false, err
	}
	if l == nil || checkID("outbox", id) != nil {
		return false, nil
	}
	key := recordKey(smsClaimPrefix, id)
	cur, err := r.t.kv.Get(key)
	if err != nil || cur == nil || string(cur) != string(leaseMark(l)) {
		return false, err
	}
	return true, r.t.kv.Delete(key)
}

// List walks the state index, which is kept newest first.
func (r outbox) List(state model.OutboxState, limit int) ([]model.OutboundSMS, error) {
	if limit <= 0 || !validOutboxState(state) {
		return nil, nil
	}
	prefix := idxOutState + string(state) + "/"
	var ids []string
	err := r.t.kv.Scan([]byte(prefix), func(k, _ []byte) (bool, error) {
		rest := string(k[len(prefix):])
		if len(rest) < nanoDigits+2 {
			return false, fmt.Errorf("%w: state index key %q", ErrCorrupt, k)
		}
		ids = append(ids, rest[nanoDigits+1:])
		return len(ids) < limit, nil
	})
	if err != nil {
		return nil, err
	}
	return r.load(ids)
}

func (r outbox) load(ids []string) ([]model.OutboundSMS, error) {
	var out []model.OutboundSMS
	for _, id := range ids {
		m, err := r.Get(id)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

type smsCodes struct{ t *tx }

// key hashes purpose and phone together: the phone is PII and the pair is
// the identity of a code.
func (r smsCodes) key(purpose, phone string) string {
	return codePrefix + r.t.keys.blind(domainSMSCode, purpose+"\x00"+phone)
}

func (r smsCodes) Get(purpose, phone string) (model.SMSCode, error) {
	if purpose == "" || phone == "" {
		return model.SMSCode{}, notFound("sms code")
	}
	var rec smsCodeRec
	ok, err := r.t.getRec(r.key(purpose, phone), &rec)
	if err != nil {
		return model.SMSCode{}, err
	}
	if !ok {
		return model.SMSCode{}, notFound("sms code")
	}
	return rec.model(), nil
}

// Put replaces the code of the same purpose and phone.
func (r smsCodes) Put(c model.SMSCode) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	if c.Purpose == "" || c.Phone == "" {
		return fmt.Errorf("%w: sms code without purpose or phone", ErrInvalidRecord)
	}
	return r.t.putRec(r.key(c.Purpose, c.Phone), smsCodeToRec(c))
}

// Delete removes a code; deleting an absent one is not an error.
func (r smsCodes) Delete(purpose, phone string) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	return r.t.kv.Delete([]byte(r.key(purpose, phone)))
}

type rates struct{ t *tx }

func (r rates) key(k string) string { return ratePrefix + r.t.keys.blind(domainRate, k) }

// Get returns the window of key, or RateWindow{Key: key} when none.
func (r rates) Get(key string) (model.RateWindow, error) {
	var rec rateRec
	ok, err := r.t.getRec(r.key(key), &rec)
	if err != nil {
		return model.RateWindow{}, err
	}
	if !ok {
		return model.RateWindow{Key: key}, nil
	}
	return rec.model(), nil
}

// Put stores the window; an empty one is deleted, so windows pruned to
// nothing leave no record behind.
func (r rates) Put(w model.RateWindow) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	if w.Key == "" {
		return fmt.Errorf("%w: empty rate key", ErrInvalidRecord)
	}
	if len(w.Events) == 0 {
		return r.t.kv.Delete([]byte(r.key(w.Key)))
	}
	return r.t.putRec(r.key(w.Key), rateToRec(w))
}

// PurgeSent walks the sent list from the first message created before
// before (the list is newest first, and a message is sent after it is
// created), so recent messages cost nothing. A message created before but
// sent after before is kept and stepped over by the cursor.
func (r outbox) PurgeSent(before time.Time, cursor string, limit int) (int, string, error) {
	if err := r.t.checkWrite(); err != nil {
		return 0, "", err
	}
	if limit <= 0 {
		return 0, "", nil
	}
	prefix := idxOutState + string(model.OutboxSent) + "/"
	from := prefix + newestFirstKey(before)
	if cursor != "" {
		if len(cursor) <= len(prefix) || cursor[:len(prefix)] != prefix {
			return 0, "", fmt.Errorf("%w: purge cursor %q", ErrInvalidRecord, cursor)
		}
		from = max(from, cursor+"\x00")
	}
	var (
		ids  []string
		last string
	)
	err := r.t.kv.ScanFrom([]byte(prefix), []byte(from), func(k, _ []byte) (bool, error) {
		rest := string(k[len(prefix):])
		if len(rest) < nanoDigits+2 {
			return false, fmt.Errorf("%w: state index key %q", ErrCorrupt, k)
		}
		ids = append(ids, rest[nanoDigits+1:])
		last = string(k)
		return len(ids) < limit, nil
	})
	if err != nil {
		return 0, "", err
	}
	deleted := 0
	for _, id := range ids {
		m, err := r.Get(id)
		if err != nil {
			return 0, "", err
		}
		sent := m.SentAt
		if sent.IsZero() {
			sent = m.CreatedAt
		}
		if m.State != model.OutboxSent || !sent.Before(before) {
			continue
		}
		if err := r.t.deleteKeys(append(r.indexKeys(m), outPrefix+m.ID)...); err != nil {
			return 0, "", err
		}
		deleted++
	}
	if len(ids) < limit {
		last = ""
	}
	return deleted, last, nil
}
