package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"

	"kiosk/model"
	"kiosk/storage/kv"
)

// BaseSchemaVersion is the version of the layout described in doc.go. A
// fresh store starts at the highest version the code knows: this, or the
// last registered Migration. An older store is brought to it by the
// layoutUpgrades when it is opened.
//
//	1  every record is sealed JSON
//	2  enterprise records are sealed in the binary form (codec_bin.go)
//	3  audit records form one HMAC chain per kiosk (audit.go)
//	4  no stored counts: Count walks the records (enterprises.go)
//	5  an index of each enterprise's admin agents (agent_admins.go)
const BaseSchemaVersion = 5

// layoutUpgrades bring a store written by older code to BaseSchemaVersion,
// in Open's transaction, before the registered Migrations.
var layoutUpgrades = []struct {
	version int
	up      func(*Store, kv.Tx) error
}{
	{2, (*Store).binaryEnterprises},
	{3, (*Store).chainAudit},
	{4, (*Store).dropCounts},
	{5, (*Store).indexAdmins},
}

// Errors returned by Open and the repositories.
var (
	ErrSchemaTooNew  = errors.New("storage: store was written by a newer version of the kiosk")
	ErrWrongKeys     = errors.New("storage: key file does not belong to this store")
	ErrInvalidRecord = errors.New("storage: invalid record")
)

// Migration upgrades the stored layout to Version. Up runs inside the
// transaction that opens the store, together with every other pending
// migration, so a failed upgrade leaves the store as it was. A migration
// that must re-seal records captures the *Keys it needs.
type Migration struct {
	Version int
	Up      func(kv.Tx) error
}

// Option configures Open.
type Option func(*config)

type config struct {
	migrations []Migration
	refuseDemo bool
}

// WithMigrations registers schema migrations. Versions must be unique and
// greater than BaseSchemaVersion; they run in ascending order.
func WithMigrations(ms ...Migration) Option {
	return func(c *config) { c.migrations = append(c.migrations, ms...) }
}

// Store implements model.Store over a kv.Engine: typed repositories with
// sealed records and blind indexes.
type Store struct {
	engine kv.Engine
	keys   *Keys
}

var _ model.Store = (*Store)(nil)

// Meta keys; see doc.go for the full layout.
const (
	metaSchema   = "meta/schema"
	metaKeyID    = "meta/key-id"
	metaKeyCheck = "meta/key-check"
)

// Open prepares the store on engine: it initialises a fresh store, or
// checks that keys belong to an existing one and runs pending migrations
// in one transaction. It refuses a store newer than the code. The caller
// keeps ownership of engine (Store.Close closes it for convenience).
func Open(engine kv.Engine, keys *Keys, opts ...Option) (*Store, error) {
	if engine == nil || keys == nil {
		return nil, errors.New("storage: Open needs an engine and keys")
	}
	var c config
	for _, o := range opts {
		o(&c)
	}
	migs := slices.Clone(c.migrations)
	slices.SortFunc(migs, func(a, b Migration) int { return a.Version - b.Version })
	target := BaseSchemaVersion
	for i, m := range migs {
		if m.Version <= BaseSchemaVersion || m.Up == nil || (i > 0 && migs[i-1].Version == m.Version) {
			return nil, fmt.Errorf("storage: invalid migration to version %d", m.Version)
		}
		target = m.Version
	}
	s := &Store{engine: engine, keys: keys}
	err := engine.Update(context.Background(), func(t kv.Tx) error {
		if !c.refuseDemo {
			return s.prepare(t, migs, target)
		}
		// The demo mark is read before the keys are checked: a demo
		// store opened with another key file still says what it is.
		if err := checkDemoMark(t); err != nil {
			return err
		}
		if err := s.prepare(t, migs, target); err != nil {
			return err
		}
		return s.refuseDemo(t)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Store) prepare(t kv.Tx, migs []Migration, target int) error {
	raw, err := t.Get([]byte(metaSchema))
	if err != nil {
		return err
	}
	if raw == nil { // fresh store: born at the current layout
		return s.initMeta(t, target)
	}
	v, err := strconv.Atoi(string(raw))
	if err != nil {
		return fmt.Errorf("%w: schema version %q", ErrCorrupt, raw)
	}
	if v > target {
		return fmt.Errorf("%w: store schema %d, this build knows up to %d", ErrSchemaTooNew, v, target)
	}
	if err := s.checkKeys(t); err != nil {
		return err
	}
	for _, u := range layoutUpgrades {
		if u.version <= v {
			continue
		}
		if err := u.up(s, t); err != nil {
			return fmt.Errorf("storage: upgrade to schema %d: %w", u.version, err)
		}
		if err := t.Put([]byte(metaSchema), []byte(strconv.Itoa(u.version))); err != nil {
			return err
		}
	}
	for _, m := range migs {
		if m.Version <= v {
			continue
		}
		if err := m.Up(t); err != nil {
			return fmt.Errorf("storage: migration to schema %d: %w", m.Version, err)
		}
		if err := t.Put([]byte(metaSchema), []byte(strconv.Itoa(m.Version))); err != nil {
			return err
		}
	}
	return nil
}

// binaryEnterprises (schema 1 → 2) re-seals every enterprise record from
// JSON to the binary form, checking that each decodes to what the JSON
// said before it is written.
func (s *Store) binaryEnterprises(t kv.Tx) error {
	var keys [][]byte
	err := t.Scan([]byte(entPrefix), func(k, _ []byte) (bool, error) {
		keys = append(keys, k)
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		sealed, err := t.Get(k)
		if err != nil {
			return err
		}
		pt, err := s.keys.open(k, sealed)
		if err != nil {
			return err
		}
		var rec, back enterpriseRec
		if err := unmarshalRec(k, pt, &rec); err != nil {
			return err
		}
		bin, err := rec.appendBinary(nil)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		if err := decodeBinaryRec(k, bin, &back); err != nil || !reflect.DeepEqual(back.model(), rec.model()) {
			return fmt.Errorf("%s: binary form does not round-trip (%v)", k, err)
		}
		if err := t.Put(k, s.keys.seal(k, bin)); err != nil {
			return err
		}
	}
	return nil
}

// keyCheck is what meta/key-check seals; it depends on both keys, so a key
// file with the right encryption key but another index key is caught too.
func (s *Store) keyCheck() []byte {
	return []byte("kiosk-key-check:" + s.keys.blind("key-check", ""))
}

func (s *Store) initMeta(t kv.Tx, version int) error {
	for _, kvp := range [][2][]byte{
		{[]byte(metaSchema), []byte(strconv.Itoa(version))},
		{[]byte(metaKeyID), []byte(s.keys.ID())},
		{[]byte(metaKeyCheck), s.keys.seal([]byte(metaKeyCheck), s.keyCheck())},
	} {
		if err := t.Put(kvp[0], kvp[1]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) checkKeys(t kv.Tx) error {
	id, err := t.Get([]byte(metaKeyID))
	if err != nil {
		return err
	}
	sealed, err := t.Get([]byte(metaKeyCheck))
	if err != nil {
		return err
	}
	if sealed == nil {
		return fmt.Errorf("%w: key check missing", ErrCorrupt)
	}
	pt, err := s.keys.open([]byte(metaKeyCheck), sealed)
	if err != nil || string(pt) != string(s.keyCheck()) {
		return fmt.Errorf("%w: store uses key %s, key file has %s", ErrWrongKeys, id, s.keys.ID())
	}
	return nil
}

// SchemaVersion reports the stored schema version.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.engine.View(ctx, func(t kv.Tx) error {
		raw, err := t.Get([]byte(metaSchema))
		if err != nil {
			return err
		}
		v, err = strconv.Atoi(string(raw))
		return err
	})
	return v, err
}

// View runs fn with read-only repositories; their writes return
// kv.ErrReadOnly. fn's error is returned unchanged, except that a store
// that cannot be reached (kv.ErrUnavailable) also matches
// model.ErrServiceDown.
func (s *Store) View(ctx context.Context, fn func(model.Tx) error) error {
	return outageErr(s.engine.View(ctx, func(t kv.Tx) error { return fn(&tx{kv: t, keys: s.keys}) }))
}

// Update runs fn in one read-write transaction: all of fn's writes commit
// together, or none when fn returns an error. fn may be re-run by an
// optimistic engine, so it must have no side effects outside the tx. A
// commit refused because a lease it wrote under had ended also matches
// model.ErrLeaseEnded; a store that cannot be reached, model.ErrServiceDown.
func (s *Store) Update(ctx context.Context, fn func(model.Tx) error) error {
	return outageErr(leaseErr(s.engine.Update(ctx, func(t kv.Tx) error { return fn(&tx{kv: t, keys: s.keys, writable: true}) })))
}

// Close closes the underlying engine.
func (s *Store) Close() error { return s.engine.Close() }

// tx binds the repositories to one kv transaction.
type tx struct {
	kv       kv.Tx
	keys     *Keys
	writable bool
}

func (t *tx) Enterprises() model.EnterpriseRepo { return enterprises{t} }
func (t *tx) Agents() model.AgentRepo           { return agents{t} }
func (t *tx) Persons() model.PersonRepo         { return persons{t} }
func (t *tx) Staff() model.StaffRepo            { return staff{t} }
func (t *tx) Lockouts() model.LockoutRepo       { return lockouts{t} }
func (t *tx) Audit() model.AuditLog             { return auditLog{t} }
func (t *tx) Registry() model.RegistryRepo      { return registry{t} }
func (t *tx) Outbox() model.OutboxRepo          { return outbox{t} }
func (t *tx) SMSCodes() model.SMSCodeRepo       { return smsCodes{t} }
func (t *tx) Rates() model.RateRepo             { return rates{t} }
func (t *tx) Meta() model.MetaRepo              { return meta{t} }
func (t *tx) Appeals() model.AppealRepo         { return appeals{t} }
func (t *tx) Blobs() model.BlobRepo             { return blobs{t} }

// checkWrite fails fast in a View, before any index is consulted.
func (t *tx) checkWrite() error {
	if !t.writable {
		return kv.ErrReadOnly
	}
	return nil
}

func notFound(what string) error {
	return fmt.Errorf("storage: %s: %w", what, model.ErrNotFound)
}

// checkID rejects ids that would break the key layout ("/" separates key
// segments) or be absurd.
func checkID(kind, id string) error {
	if !validID(id) {
		return fmt.Errorf("%w: %s id %q", ErrInvalidRecord, kind, id)
	}
	return nil
}

// validID is checkID's rule, for ids as strings or as bytes read from an
// index.
func validID[T ~string | ~[]byte](id T) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] == '/' || id[i] == 0 {
			return false
		}
	}
	return true
}

// recordKey is prefix+id as a key, in one allocation.
func recordKey[T ~string | ~[]byte](prefix string, id T) []byte {
	key := make([]byte, 0, len(prefix)+len(id))
	return append(append(key, prefix...), id...)
}

// getRec reads, opens and decodes the record at key into v.
func (t *tx) getRec(key string, v any) (bool, error) {
	return t.getRecAt([]byte(key), v)
}

// getRecAt is getRec with the key as bytes. The record is opened in place
// (the engine's copy is ours) and decoded from JSON, or from the binary
// form when v is a binaryDecoder.
func (t *tx) getRecAt(key []byte, v any) (bool, error) {
	pt, ok, err := t.openAt(key)
	if err != nil || !ok {
		return false, err
	}
	if d, ok := v.(binaryDecoder); ok {
		return true, decodeBinaryRec(key, pt, d)
	}
	return true, unmarshalRec(key, pt, v)
}

func unmarshalRec(key, pt []byte, v any) error {
	if err := json.Unmarshal(pt, v); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, key, err)
	}
	return nil
}

// openAt reads and opens the record at key; ok is false when absent.
func (t *tx) openAt(key []byte) (pt []byte, ok bool, err error) {
	sealed, err := t.kv.Get(key)
	if err != nil || sealed == nil {
		return nil, false, err
	}
	pt, err = t.keys.openInPlace(key, sealed)
	return pt, err == nil, err
}

// getByID reads the record kind/id stored under prefix+id into v, or
// returns ErrNotFound.
func (t *tx) getByID(kind, prefix, id string, v any) error {
	if checkID(kind, id) != nil {
		return notFound(kind + " " + id)
	}
	ok, err := t.getRecAt(recordKey(prefix, id), v)
	if err == nil && !ok {
		err = notFound(kind + " " + id)
	}
	return err
}

// lookup follows a unique index entry to a record id, or returns
// ErrNotFound (also for the "" key of an empty value).
func (t *tx) lookup(indexKey, what string) (string, error) {
	if indexKey == "" {
		return "", notFound(what)
	}
	id, err := t.indexOwner(indexKey)
	if err == nil && id == "" {
		err = notFound(what)
	}
	return id, err
}

// putRec encodes (binary for a binaryEncoder, JSON otherwise) and seals v
// under key.
func (t *tx) putRec(key string, v any) error {
	k, sealed, err := t.sealRec(key, v)
	if err != nil {
		return err
	}
	return t.kv.Put(k, sealed)
}

// createRec is putRec for a key that must be absent (kv.Create): an
// existing record gives kv.ErrExists and is left alone.
func (t *tx) createRec(key string, v any) error {
	k, sealed, err := t.sealRec(key, v)
	if err != nil {
		return err
	}
	return kv.Create(t.kv, k, sealed)
}

// sealRec encodes and seals v for key, and returns key as bytes.
func (t *tx) sealRec(key string, v any) ([]byte, []byte, error) {
	var (
		pt  []byte
		err error
	)
	if b, ok := v.(binaryEncoder); ok {
		pt, err = b.appendBinary(make([]byte, 0, 512))
	} else {
		pt, err = json.Marshal(v)
	}
	if err != nil {
		return nil, nil, err
	}
	k := []byte(key)
	return k, t.keys.seal(k, pt), nil
}

// Prefetch implements model.Prefetcher: the first key of each look-up, in
// one kv.GetMany.
func (t *tx) Prefetch(r model.Reads) error {
	e, g := enterprises{t}, registry{t}
	keys := make([][]byte, 0, len(r.EnterpriseUSCC)+len(r.EnterpriseAccount)+len(r.Registry)+len(r.AuditHeads))
	add := func(k string) {
		if k != "" {
			keys = append(keys, []byte(k))
		}
	}
	for _, v := range r.EnterpriseUSCC {
		add(e.usccKey(v))
	}
	for _, v := range r.EnterpriseAccount {
		add(e.accountKey(v))
	}
	for _, v := range r.Registry {
		add(g.key(v))
	}
	for _, v := range r.AuditHeads {
		add(auditHeadKey(auditChainID(v)))
	}
	if len(keys) == 0 {
		return nil
	}
	_, err := kv.GetMany(t.kv, keys...)
	return err
}

// indexOwner returns the id an index entry points to, or "" when absent.
func (t *tx) indexOwner(key string) (string, error) {
	v, err := t.kv.Get([]byte(key))
	return string(v), err
}

// unique is one unique-index entry of a record; key "" means the record
// has no value for it and is not indexed (so empty values never clash).
type unique struct {
	key   string
	field string // DuplicateError.Field
}

// putIndexed writes a record and its unique index entries. All clashes are
// checked before the first write, so a rejected Put writes nothing; entries
// of the previous version (old) that changed are removed.
func (t *tx) putIndexed(recKey, id string, rec any, old, cur []unique) error {
	if err := t.checkUniques(id, cur); err != nil {
		return err
	}
	has := func(list []unique, key string) bool {
		return slices.ContainsFunc(list, func(u unique) bool { return u.key == key })
	}
	for _, o := range old {
		if o.key != "" && !has(cur, o.key) {
			if err := t.kv.Delete([]byte(o.key)); err != nil {
				return err
			}
		}
	}
	for _, u := range cur {
		if u.key != "" && !has(old, u.key) {
			if err := t.kv.Put([]byte(u.key), []byte(id)); err != nil {
				return err
			}
		}
	}
	return t.putRec(recKey, rec)
}

// createIndexed is putIndexed for a record that must be new: its key and
// its index entries are created (kv.Create), not read, so that on a
// shared store they cost no round trip (the commit requires them absent;
// a clash found there runs the closure again, which then reads them). An
// entry that is there belongs to another record unless empty or id's:
// *model.DuplicateError for its field, in the order of cur, as putIndexed
// checks them; a record already there gives *model.DuplicateError{"id"}.
func (t *tx) createIndexed(recKey, id string, rec any, cur []unique) error {
	for _, u := range cur {
		if u.key == "" {
			continue
		}
		err := kv.Create(t.kv, []byte(u.key), []byte(id))
		if !errors.Is(err, kv.ErrExists) {
			if err != nil {
				return err
			}
			continue
		}
		if err := t.clash(id, u); err != nil {
			return err
		}
		if err := t.kv.Put([]byte(u.key), []byte(id)); err != nil {
			return err
		}
	}
	if err := t.createRec(recKey, rec); err != nil {
		if errors.Is(err, kv.ErrExists) {
			return &model.DuplicateError{Field: "id"}
		}
		return err
	}
	return nil
}

// checkUniques fails with *model.DuplicateError when an index entry of cur
// belongs to a record other than id.
func (t *tx) checkUniques(id string, cur []unique) error {
	for _, u := range cur {
		if u.key == "" {
			continue
		}
		if err := t.clash(id, u); err != nil {
			return err
		}
	}
	return nil
}

// clash reads the index entry u: *model.DuplicateError when it belongs to
// a record other than id.
func (t *tx) clash(id string, u unique) error {
	owner, err := t.indexOwner(u.key)
	if err != nil {
		return err
	}
	if owner != "" && owner != id {
		return &model.DuplicateError{Field: u.field}
	}
	return nil
}

func (t *tx) deleteKeys(keys ...string) error {
	for _, k := range keys {
		if k == "" {
			continue
		}
		if err := t.kv.Delete([]byte(k)); err != nil {
			return err
		}
	}
	return nil
}

// countPrefix counts the keys under prefix: the store keeps no counters
// (see "No hot keys" in doc.go).
func (t *tx) countPrefix(prefix string) (int, error) {
	n := 0
	err := t.kv.Scan([]byte(prefix), func(_, _ []byte) (bool, error) { n++; return true, nil })
	return n, err
}

// Keys are the store's secrets; use cases derive their own from them
// (Keys.Derive) so that one key file holds every secret of the kiosk.
func (s *Store) Keys() *Keys { return s.keys }
