package storage

import (
	"crypto/sha256"
	"errors"
	"strings"

	"kiosk/model"
	"kiosk/storage/kv"
)

const (
	entPrefix      = "ent/"
	idxEntUSCC     = "idx/ent/uscc/"
	idxEntAccount  = "idx/ent/account/"
	regPrefix      = "reg/"
	domainUSCC     = "ent-uscc"
	domainAccount  = "ent-account"
	domainRegistry = "registry-uscc"
)

type enterprises struct{ t *tx }

func (r enterprises) usccKey(uscc string) string {
	if uscc == "" {
		return ""
	}
	return idxEntUSCC + r.t.keys.blind(domainUSCC, strings.ToUpper(uscc))
}

func (r enterprises) accountKey(account string) string {
	if account == "" {
		return ""
	}
	return idxEntAccount + r.t.keys.blind(domainAccount, strings.ToLower(account))
}

func (r enterprises) uniques(e model.Enterprise) []unique {
	return []unique{{key: r.usccKey(e.USCC), field: "uscc"}, {key: r.accountKey(e.Account), field: "account"}}
}

func (r enterprises) Get(id string) (model.Enterprise, error) {
	if !validID(id) {
		return model.Enterprise{}, notFound("enterprise " + id)
	}
	return r.getAt(recordKey(entPrefix, id))
}

// getAt reads the enterprise record at key ("ent/<id>"). Look-ups are hot
// (every login, every registration check): the record is decoded by
// concrete calls, so it stays on the stack, and its strings share one
// allocation.
func (r enterprises) getAt(key []byte) (model.Enterprise, error) {
	pt, ok, err := r.t.openAt(key)
	if err == nil && !ok {
		err = notFound("enterprise " + string(key[len(entPrefix):]))
	}
	if err != nil {
		return model.Enterprise{}, err
	}
	br, err := newBinReader(key, pt)
	if err != nil {
		return model.Enterprise{}, err
	}
	var rec enterpriseRec
	rec.decodeBinary(&br)
	if err := br.finish(key); err != nil {
		return model.Enterprise{}, err
	}
	return rec.model(), nil
}

// byIndex follows the unique index entry under prefix for the blind index
// of value to the enterprise, building each key once, as bytes.
func (r enterprises) byIndex(prefix, domain, value, what string) (model.Enterprise, error) {
	if value == "" {
		return model.Enterprise{}, notFound("enterprise by " + what)
	}
	idx := make([]byte, 0, len(prefix)+2*sha256.Size)
	idx = r.t.keys.appendBlind(append(idx, prefix...), domain, value)
	id, err := r.t.kv.Get(idx)
	if err == nil && !validID(id) { // absent (or not an id we wrote)
		err = notFound("enterprise by " + what)
	}
	if err != nil {
		return model.Enterprise{}, err
	}
	return r.getAt(recordKey(entPrefix, id))
}

// ByUSCC finds an enterprise by its USCC (letters compared upper-cased).
func (r enterprises) ByUSCC(uscc string) (model.Enterprise, error) {
	return r.byIndex(idxEntUSCC, domainUSCC, strings.ToUpper(uscc), "uscc")
}

// ByAccount finds an enterprise by account, case-insensitively.
func (r enterprises) ByAccount(account string) (model.Enterprise, error) {
	return r.byIndex(idxEntAccount, domainAccount, strings.ToLower(account), "account")
}

func (r enterprises) Put(e model.Enterprise) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	if err := checkID("enterprise", e.ID); err != nil {
		return err
	}
	key := entPrefix + e.ID
	var old enterpriseRec
	exists, err := r.t.getRec(key, &old)
	if err != nil {
		return err
	}
	var oldIdx []unique
	if exists {
		oldIdx = r.uniques(old.model())
	}
	return r.t.putIndexed(key, e.ID, enterpriseToRec(e), oldIdx, r.uniques(e))
}

// Create stores a new enterprise (model.EnterpriseRepo): its unique
// indexes are checked as Put checks them, and its record is created, not
// read (kv.Create), so an id in use is refused, not replaced.
func (r enterprises) Create(e model.Enterprise) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	if err := checkID("enterprise", e.ID); err != nil {
		return err
	}
	return r.t.createIndexed(entPrefix+e.ID, e.ID, enterpriseToRec(e), r.uniques(e))
}

// Count counts the enterprise records. It is derived, not kept: a counter
// that every new enterprise bumps would be one key all kiosks write (see
// "No hot keys" in doc.go). Its cost follows the number of enterprises.
func (r enterprises) Count() (int, error) { return r.t.countPrefix(entPrefix) }

// The counts kept before schema 4: every new enterprise, and every new
// registry record, bumped one of these keys.
const (
	legacyCountEnt      = "meta/count/ent"
	legacyCountRegistry = "meta/count/reg"
)

// dropCounts (schema 3 → 4) removes the stored counts; Count derives them
// from the records since.
func (s *Store) dropCounts(t kv.Tx) error {
	return errors.Join(t.Delete([]byte(legacyCountEnt)), t.Delete([]byte(legacyCountRegistry)))
}

type registry struct{ t *tx }

func (r registry) key(uscc string) string {
	return regPrefix + r.t.keys.blind(domainRegistry, strings.ToUpper(uscc))
}

func (r registry) Get(uscc string) (model.RegistryRecord, error) {
	var rec registryRec
	ok, err := r.t.getRec(r.key(uscc), &rec)
	if err != nil {
		return model.RegistryRecord{}, err
	}
	if !ok || uscc == "" {
		return model.RegistryRecord{}, notFound("registry record")
	}
	return rec.model(), nil
}

// Put replaces the record with the same USCC.
func (r registry) Put(rr model.RegistryRecord) error {
	if err := r.t.checkWrite(); err != nil {
		return err
	}
	if rr.USCC == "" {
		return ErrInvalidRecord
	}
	return r.t.putRec(r.key(rr.USCC), registryToRec(rr))
}

// Count counts the registry records, derived like enterprises.Count.
func (r registry) Count() (int, error) { return r.t.countPrefix(regPrefix) }
