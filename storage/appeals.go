package storage

import (
	"fmt"
	"time"

	"kiosk/model"
)

// Appeals and their listing indexes (see doc.go). kv has no reverse scan,
// so each order has an index of its own: oldest first (the queue) and
// newest first (history), each per state and for all states. Index values
// hold the appeal's kind, so a kind filter reads no record it drops.
const (
	appealPrefix    = "apl/"
	idxAppealRef    = "idx/appeal/ref/"    // <H(appeal-ref, NormalizeAppealRef)> → appeal id (unique)
	idxAppealOld    = "idx/appeal/old/"    // <state|all>/<N(created)>/<id> → kind
	idxAppealNew    = "idx/appeal/new/"    // <state|all>/<R(created)>/<id> → kind
	idxAppealClosed = "idx/appeal/closed/" // <N(decided)>/<id> → "": closed, materials kept
	appealAllStates = "all"
	domainAppealRef = "appeal-ref"
)

type appeals struct{ t *tx }

func (r appeals) refKey(ref string) string {
	norm := model.NormalizeAppealRef(ref)
	if norm == "" {
		return ""
	}
	return idxAppealRef + r.t.keys.blind(domainAppealRef, norm)
}

// indexEntries are a's listing entries and their values.
func (r appeals) indexEntries(a model.Appeal) map[string]string {
	old, neu := nanoKey(a.CreatedAt)+"/"+a.ID, newestFirstKey(a.CreatedAt)+"/"+a.ID
	kind := string(a.Kind)
	m := map[string]string{}
	for _, seg := range []string{string(a.State), appealAllStates} {
		m[idxAppealOld+seg+"/"+old] = kind
		m[idxAppealNew+seg+"/"+neu] = kind
	}
	if a.State.Closed() && !a.MaterialsPurged {
		decided := a.DecidedAt
		if decided.IsZero() {
			decided = a.UpdatedAt
		}
		m[idxAppealClosed+nanoKey(decided)+"/"+a.ID] = ""
	}
	return m
}

func (r appeals) Get(id string) (model.Appeal, error) {
	var rec appealRec
	if err := r.t.getByID("appeal", appealPrefix, id, &rec); err != nil {
		return model.Appeal{}, err
	}
	return rec.model(), nil
}

func (r appeals) ByRef(ref string) (model.Appeal, error) {
	id, err := r.t.lookup(r.refKey(ref), "appeal by ref")
	if err != nil {
		return model.Appeal{}, err
	}
	return r.Get(id)
}

func (r appeals) check(a model.Appeal) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	if err := checkID("appeal", a.ID); err != nil {
		return err
	}
	switch {
	case r.refKey(a.Ref) == "":
		return fmt.Errorf("%w: appeal %s without a reference number", ErrInvalidRecord, a.ID)
	case !a.Kind.Valid():
		return fmt.Errorf("%w: appeal kind %q", ErrInvalidRecord, a.Kind)
	case !a.State.Valid():
		return fmt.Errorf("%w: appeal state %q", ErrInvalidRecord, a.State)
	case a.MaterialsPurged && len(a.ChunkIDs()) > 0:
		return fmt.Errorf("%w: appeal %s purged but referencing chunks", ErrInvalidRecord, a.ID)
	}
	return nil
}

// Put checks everything it will need before its first write (the
// reference number's index, the chunks it newly references), so a refused
// Put writes nothing. The chunks reserved for it (Reserve) it finds
// referenced already; what it drops beyond inlineRelease references it
// leaves to Release (appeal_refs.go).
func (r appeals) Put(a model.Appeal) error {
	if err := r.check(a); err != nil {
		return err
	}
	key := appealPrefix + a.ID
	var oldRec appealRec
	exists, err := r.t.getRec(key, &oldRec)
	if err != nil {
		return err
	}
	var (
		old     model.Appeal
		oldIdx  []unique
		oldKeys map[string]string
	)
	if exists {
		old = oldRec.model()
		oldIdx = []unique{{key: r.refKey(old.Ref), field: "ref"}}
		oldKeys = r.indexEntries(old)
	}
	b := blobs{r.t}
	refs, err := b.refsOf(a.ID, old.ChunkIDs())
	if err != nil {
		return err
	}
	want := a.ChunkIDs()
	if err := b.checkChunks(refs.chunks, want); err != nil {
		return err
	}
	if err := r.t.putIndexed(key, a.ID, appealToRec(a), oldIdx, []unique{{key: r.refKey(a.Ref), field: "ref"}}); err != nil {
		return err
	}
	cur := r.indexEntries(a)
	for k := range oldKeys {
		if _, ok := cur[k]; !ok {
			if err := r.t.kv.Delete([]byte(k)); err != nil {
				return err
			}
		}
	}
	for k, v := range cur {
		if ov, ok := oldKeys[k]; ok && ov == v {
			continue
		}
		if err := r.t.kv.Put([]byte(k), []byte(v)); err != nil {
			return err
		}
	}
	return b.putRefs(refs, want, a.UpdatedAt)
}

// List walks the index of f's order and state between f's bounds.
func (r appeals) List(f model.AppealFilter, cursor string, limit int) ([]model.Appeal, string, error) {
	if limit <= 0 || (f.State != "" && !f.State.Valid()) || (f.Kind != "" && !f.Kind.Valid()) {
		return nil, "", nil
	}
	seg := appealAllStates
	if f.State != "" {
		seg = string(f.State)
	}
	// lo is where the scan starts; the time part of an entry must be
	// after skip (when set) and at most stop (when set).
	var prefix, lo, skip, stop string
	if f.NewestFirst {
		prefix = idxAppealNew + seg + "/"
		if !f.CreatedBefore.IsZero() {
			skip = newestFirstKey(f.CreatedBefore) // created < before ⇔ key > key(before)
			lo = skip
		}
		if !f.CreatedAfter.IsZero() {
			stop = newestFirstKey(f.CreatedAfter) // created ≥ after ⇔ key ≤ key(after)
		}
	} else {
		prefix = idxAppealOld + seg + "/"
		if !f.CreatedAfter.IsZero() {
			lo = nanoKey(f.CreatedAfter)
		}
		if !f.CreatedBefore.IsZero() {
			// created < before ⇔ key < key(before) ⇔ key ≤ key(before − 1ns)
			stop = nanoKey(f.CreatedBefore.Add(-time.Nanosecond))
		}
	}
	from, err := resume(prefix, cursor, "appeal list")
	if err != nil {
		return nil, "", err
	}
	from = max(from, prefix+lo)
	var ids, keys []string
	more := false
	err = r.t.kv.ScanFrom([]byte(prefix), []byte(from), func(k, v []byte) (bool, error) {
		rest := string(k[len(prefix):])
		if len(rest) < nanoDigits+2 || rest[nanoDigits] != '/' {
			return false, fmt.Errorf("%w: appeal index key %q", ErrCorrupt, k)
		}
		at := rest[:nanoDigits]
		switch {
		case skip != "" && at <= skip:
			return true, nil
		case stop != "" && at > stop:
			return false, nil
		case f.Kind != "" && string(v) != string(f.Kind):
			return true, nil
		case len(ids) == limit:
			more = true
			return false, nil
		}
		ids, keys = append(ids, rest[nanoDigits+1:]), append(keys, string(k))
		return true, nil
	})
	if err != nil {
		return nil, "", err
	}
	out, err := r.load(ids)
	if err != nil || !more {
		return out, "", err
	}
	return out, keys[len(keys)-1], nil
}

// ClosedBefore walks the closed index, oldest decision first, and stops at
// before.
func (r appeals) ClosedBefore(before time.Time, cursor string, limit int) ([]model.Appeal, string, error) {
	if limit <= 0 {
		return nil, "", nil
	}
	ids, next, err := walkTimeIndex(r.t.kv, idxAppealClosed, cursor, "closed appeal", before, limit)
	if err != nil {
		return nil, "", err
	}
	out, err := r.load(ids)
	if err != nil {
		return out, "", err
	}
	return out, next, nil
}

func (r appeals) load(ids []string) ([]model.Appeal, error) {
	out := make([]model.Appeal, 0, len(ids))
	for _, id := range ids {
		a, err := r.Get(id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
