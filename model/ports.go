package model

import (
	"context"
	"errors"
	"time"
)

// Store is the transactional persistence the use cases need. Every use case
// does all of its writes inside one Update so that a crash leaves either the
// whole change or nothing.
type Store interface {
	View(ctx context.Context, fn func(Tx) error) error
	Update(ctx context.Context, fn func(Tx) error) error
	// Grant starts a lease (Lease) of at least ttl, renewed in the
	// background until ctx ends or it is revoked. A store that several
	// kiosks share has leases; one that cannot (bbolt) returns ErrNoLeases.
	Grant(ctx context.Context, ttl time.Duration) (Lease, error)
}

// Tx gives typed repositories bound to one transaction.
type Tx interface {
	Enterprises() EnterpriseRepo
	Agents() AgentRepo
	Persons() PersonRepo
	Staff() StaffRepo
	Lockouts() LockoutRepo
	Audit() AuditLog
	Registry() RegistryRepo
	Outbox() OutboxRepo
	SMSCodes() SMSCodeRepo
	Rates() RateRepo
	Meta() MetaRepo
	Appeals() AppealRepo
	Blobs() BlobRepo
}

// EnterpriseRepo stores enterprises. Put enforces the unique indexes (USCC,
// account case-insensitively) inside the same transaction and returns a
// *DuplicateError naming the field on a clash.
type EnterpriseRepo interface {
	Get(id string) (Enterprise, error)
	ByUSCC(uscc string) (Enterprise, error)
	ByAccount(account string) (Enterprise, error)
	Put(e Enterprise) error
	// Create stores a new enterprise under a fresh id (NewID): Put, except
	// that an id already in use gives *DuplicateError{"id"} instead of
	// replacing that record, and that the record is not read first (on a
	// shared store the commit checks that the id is still free).
	Create(e Enterprise) error
	Count() (int, error)
}

// AgentRepo stores agents. Unique per enterprise + ID number.
type AgentRepo interface {
	Get(id string) (Agent, error)
	ByEnterpriseAndIDNumber(enterpriseID, idNumber string) (Agent, error)
	ListByEnterprise(enterpriseID string) ([]Agent, error)
	// Admins returns the enterprise's agents with 管理权限 as far as their
	// state goes (ID, EnterpriseID, Admin, Enabled, ValidFrom, ValidTo; the
	// rest zero), from an index of their own: the last-admin guard reads
	// them in its transaction without reading every agent.
	Admins(enterpriseID string) ([]Agent, error)
	Put(a Agent) error
	Delete(id string) error
}

// PersonRepo stores natural persons. Unique per ID number.
type PersonRepo interface {
	Get(id string) (NaturalPerson, error)
	ByIDNumber(idNumber string) (NaturalPerson, error)
	Put(p NaturalPerson) error
}

// StaffRepo stores counter staff. Unique per username (case-insensitive).
type StaffRepo interface {
	ByUsername(username string) (Staff, error)
	Put(s Staff) error
	// List returns every staff member, ordered by username.
	List() ([]Staff, error)
}

// AuditSeedDemo is the audit action of the transaction that seeds a demo
// store; a store with such a record holds demo data (see MetaRepo).
const AuditSeedDemo = "seed.demo"

// MetaRepo holds facts about the store itself rather than about a record.
type MetaRepo interface {
	// MarkDemo marks the store as holding demo data (written by the demo
	// seed's last transaction, once every account is in); a production
	// kiosk refuses such a store.
	MarkDemo(at time.Time) error
	// DemoMarked reports whether MarkDemo was ever called on this store.
	DemoMarked() (bool, error)
	// MarkDemoSeeding marks the store as being seeded with demo data
	// (the seed's first transaction, when the seed takes several); a
	// production kiosk refuses such a store as it refuses a marked one.
	MarkDemoSeeding(at time.Time) error
	// DemoSeeding reports whether MarkDemoSeeding was ever called.
	DemoSeeding() (bool, error)
}

// LockoutRepo keeps login-failure counters. Get of an unknown key returns a
// zero Lockout with that key and no error.
type LockoutRepo interface {
	Get(key string) (Lockout, error)
	Put(l Lockout) error
	Delete(key string) error
	// List returns up to limit counters stored after cursor ("" starts at
	// the beginning), in an order that means nothing (the stored keys are
	// blind), and the cursor to go on from: "" when none are left.
	List(cursor string, limit int) ([]Lockout, string, error)
}

// AuditLog is append-only: records can be added and read, never changed.
type AuditLog interface {
	// Append adds r to its kiosk's chain and returns its Seq there.
	Append(r AuditRecord) (uint64, error)
	// List returns up to limit records with Seq > after, kiosk by kiosk,
	// oldest first within each (Seqs count per kiosk).
	List(after uint64, limit int) ([]AuditRecord, error)
}

// Registry is the business registry (工商信息) the platform checks against.
type Registry interface {
	// LookupUSCC returns the registry record for a USCC or ErrNotFound.
	LookupUSCC(ctx context.Context, uscc string) (RegistryRecord, error)
}

// StoredRegistry is implemented by a Registry kept inside a Store
// (registry.StoreRegistry): a use case that reads that store anyway can
// read the registry in the same transaction, one round trip less on a
// shared store. A registry elsewhere is never read inside a transaction.
type StoredRegistry interface {
	Registry
	// StoredIn reports whether the registry is kept in st.
	StoredIn(st Store) bool
	// LookupUSCCIn is LookupUSCC within tx, a transaction of that store.
	LookupUSCCIn(tx Tx, uscc string) (RegistryRecord, error)
}

// RegistryRecord is what the business registry knows about an enterprise.
type RegistryRecord struct {
	USCC      string
	Name      string
	LegalType string
	LegalRep  LegalRep
	Phone     string // legal representative's mobile on record, may be empty
	Extended  Extended
}

// Clock tells the time; tests use a fake one (model/clocktest).
type Clock interface {
	Now() time.Time
}

// Timer waits on the clock's time, so that tests can move time instead of
// sleeping (model/clocktest).
type Timer interface {
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// After returns time.After(d).
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Sentinel errors shared by repositories and use cases.
var (
	ErrNotFound = errors.New("not found")
)

// DuplicateError reports a unique-index clash on Field ("uscc", "account",
// "agent", "id_number", "username").
type DuplicateError struct{ Field string }

func (e *DuplicateError) Error() string { return "duplicate " + e.Field }

// RegistryRepo keeps business-registry records inside the store, so that
// several kiosks sharing one database see one registry. Put replaces the
// record with the same USCC.
type RegistryRepo interface {
	Get(uscc string) (RegistryRecord, error)
	Put(r RegistryRecord) error
	Count() (int, error)
}

// PasswordHasher hashes and verifies passwords (argon2id PHC strings).
type PasswordHasher interface {
	Hash(password string) (string, error)
	Verify(phc, password string) (bool, error)
}
