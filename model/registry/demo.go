package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"kiosk/model"
	"kiosk/model/rules"
)

// AuditSeedDemo is the audit action written when the demo store is seeded.
const AuditSeedDemo = model.AuditSeedDemo

// SeedDemo fills an empty demo store: it imports the registry CSV and
// creates the enterprises, natural persons, agents and staff of the seed
// file, hashing their demo passwords with hasher. It does nothing when the
// store is seeded already or has an enterprise it did not seed, so a
// restarted demo keeps its state.
//
// The registry goes in first, in batches (an upsert, safe to repeat). The
// accounts follow in as few transactions as the store takes (one on
// bbolt; batches on a store that bounds a transaction, such as etcd): the
// first marks the store as being seeded (MetaRepo.MarkDemoSeeding), the
// last adds the "seed.demo" audit record and the demo mark
// (MetaRepo.MarkDemo). A production kiosk refuses the store from the first
// of them on; a crash in between leaves a seed the next demo start resumes,
// each account written unless it is there already (by its USCC, ID number
// or username). Bad seed data or any bad registry row is an error: demo
// data is ours and must be clean.
func SeedDemo(ctx context.Context, store model.Store, hasher model.PasswordHasher, clock model.Clock, csv io.Reader, seed io.Reader) error {
	if st, err := demoStateOf(ctx, store); err != nil || st == demoDone || st == demoInUse {
		return err
	}
	now := clock.Now()
	s, err := DecodeSeed(seed)
	if err != nil {
		return err
	}
	recs, rowErrs, err := ParseCSV(csv, now)
	if err != nil {
		return fmt.Errorf("demo registry: %w", err)
	}
	if len(rowErrs) > 0 {
		return fmt.Errorf("demo registry: %d bad rows, first: %w", len(rowErrs), rowErrs[0])
	}
	if err := ValidateSeed(s, recs, now); err != nil {
		return err
	}
	byUSCC := indexRecords(recs)
	// Hash before any transaction: argon2 is slow and must not hold a write lock.
	accounts, err := buildAccounts(s, byUSCC, hasher, now)
	if err != nil {
		return err
	}
	if _, err := Import(ctx, store, recs, DefaultBatch); err != nil {
		return fmt.Errorf("demo registry import: %w", err)
	}
	return accounts.write(ctx, store, len(recs), now)
}

// seedAccounts is the seed turned into entities, ready to be written.
type seedAccounts struct {
	enterprises []model.Enterprise
	persons     []model.NaturalPerson
	agents      []model.Agent
	agentUSCC   []string // the USCC of agents[i]'s enterprise
	staff       []model.Staff
}

func buildAccounts(s Seed, byUSCC map[string]model.RegistryRecord, hasher model.PasswordHasher, now time.Time) (seedAccounts, error) {
	var (
		out   seedAccounts
		err   error
		today = model.DateOf(now)
	)
	// Each distinct demo password is hashed once and the PHC string shared:
	// the passwords are public anyway, and ~50 argon2id hashes at production
	// cost would hold up the first start of a kiosk for seconds. A password
	// changed later gets its own salt as usual.
	hashes := map[string]string{}
	hash := func(pw string) string {
		if pw == "" || err != nil {
			return ""
		}
		if h, ok := hashes[pw]; ok {
			return h
		}
		h, herr := hasher.Hash(pw)
		if herr != nil {
			err = fmt.Errorf("demo seed: hash password: %w", herr)
			return ""
		}
		hashes[pw] = h
		return h
	}
	entIDs := map[string]string{} // USCC → enterprise ID
	for _, se := range s.Enterprises {
		rec := byUSCC[normUSCC(se.USCC)]
		e := model.Enterprise{
			ID: NewID(), USCC: rec.USCC, Name: rec.Name, LegalType: rec.LegalType,
			LegalRep: rec.LegalRep, Extended: rec.Extended, Phone: rec.Phone,
			Account: se.Account, PasswordHash: hash(se.Password),
			State:     model.EnterpriseState(se.State),
			CreatedAt: now, UpdatedAt: now,
		}
		entIDs[e.USCC] = e.ID
		out.enterprises = append(out.enterprises, e)
	}
	persons := map[string]model.NaturalPerson{}
	for _, sp := range s.Persons {
		doc, _ := seedDocument(sp, now) // validated already
		p := model.NaturalPerson{
			ID: NewID(), Name: sp.Name, Document: doc, Phone: sp.Phone,
			PasswordHash: hash(sp.Password), CreatedAt: now,
		}
		persons[sp.Key] = p
		out.persons = append(out.persons, p)
	}
	for _, sa := range s.Agents {
		p := persons[sa.Person]
		out.agentUSCC = append(out.agentUSCC, normUSCC(sa.Enterprise))
		out.agents = append(out.agents, model.Agent{
			ID: NewID(), EnterpriseID: entIDs[normUSCC(sa.Enterprise)], PersonID: p.ID,
			Name: p.Name, IDNumber: p.Document.Number, Phone: p.Phone,
			// Local midnight: Agent.State compares whole days in now's zone.
			ValidFrom: today.AddDate(0, 0, sa.FromDays),
			ValidTo:   today.AddDate(0, 0, sa.ToDays),
			Admin:     sa.Admin, Enabled: sa.Enabled,
			PasswordHash: hash(sa.Password), CreatedAt: now, UpdatedAt: now,
		})
	}
	for _, st := range s.Staff {
		out.staff = append(out.staff, model.Staff{
			ID: NewID(), Username: st.Username, Name: st.Name,
			PasswordHash: hash(st.Password), CreatedAt: now,
		})
	}
	return out, err
}

func normUSCC(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// seedDocument builds and checks a seed person's ID card, expiry excepted
// (see checkDocument).
func seedDocument(sp SeedPerson, now time.Time) (model.IDDocument, error) {
	p, ok := periods[strings.ToLower(strings.TrimSpace(sp.IDPeriod))]
	if !ok {
		return model.IDDocument{}, fmt.Errorf("unknown id_period %q", sp.IDPeriod)
	}
	from, err := parseDate(sp.IDFrom, now, true, true)
	if err != nil {
		return model.IDDocument{}, fmt.Errorf("id_from: %w", err)
	}
	to, err := parseDate(sp.IDTo, now, false, false)
	if err != nil {
		return model.IDDocument{}, fmt.Errorf("id_to: %w", err)
	}
	doc := model.IDDocument{Type: model.IDTypeResident, Number: strings.ToUpper(sp.IDNumber),
		Period: p, ValidFrom: from, ValidTo: to}
	return doc, checkDocument(doc, now)
}

// errorList collects every problem of the seed so one run shows them all.
type errorList []error

func (l *errorList) addf(format string, args ...any) {
	*l = append(*l, fmt.Errorf(format, args...))
}

func indexRecords(recs []model.RegistryRecord) map[string]model.RegistryRecord {
	m := make(map[string]model.RegistryRecord, len(recs))
	for _, r := range recs {
		m[r.USCC] = r
	}
	return m
}

// ValidateSeed checks a seed against the registry records as of now: every
// enterprise in the registry with a reserved phone, valid accounts and
// passwords under the platform rules, valid ID cards (expiry excepted),
// agents pointing at seeded persons and enterprises, nothing twice. It
// reports every problem at once.
func ValidateSeed(s Seed, recs []model.RegistryRecord, now time.Time) error {
	var errs errorList
	byUSCC := indexRecords(recs)
	ents := map[string]SeedEnterprise{}
	accounts := map[string]bool{}
	for i, se := range s.Enterprises {
		u := normUSCC(se.USCC)
		rec, ok := byUSCC[u]
		switch {
		case !ok:
			errs.addf("enterprises[%d]: uscc %q not in the registry", i, se.USCC)
		case rec.Phone == "":
			errs.addf("enterprises[%d]: registry has no phone for %s", i, u)
		}
		if _, dup := ents[u]; dup {
			errs.addf("enterprises[%d]: uscc %s seeded twice", i, u)
		}
		ents[u] = se
		switch model.EnterpriseState(se.State) {
		case model.EnterpriseActive, model.EnterpriseClosed:
			if err := rules.ValidAccount(se.Account); err != nil {
				errs.addf("enterprises[%d]: account %q: %w", i, se.Account, err)
			}
			if err := rules.CheckPassword(se.Password, se.Account); err != nil {
				errs.addf("enterprises[%d]: password: %w", i, err)
			}
			if k := rules.NormalizeAccount(se.Account); accounts[k] {
				errs.addf("enterprises[%d]: account %q used twice", i, se.Account)
			} else {
				accounts[k] = true
			}
		case model.EnterprisePending:
			if se.Account != "" || se.Password != "" {
				errs.addf("enterprises[%d]: a pending enterprise has no account or password yet", i)
			}
		default:
			errs.addf("enterprises[%d]: unknown state %q", i, se.State)
		}
	}
	persons := map[string]bool{}
	ids := map[string]bool{}
	for i, sp := range s.Persons {
		if sp.Key == "" || persons[sp.Key] {
			errs.addf("persons[%d]: key %q empty or used twice", i, sp.Key)
		}
		persons[sp.Key] = true
		if err := rules.ValidName(sp.Name); err != nil {
			errs.addf("persons[%d]: name: %w", i, err)
		}
		if doc, err := seedDocument(sp, now); err != nil {
			errs.addf("persons[%d]: id: %w", i, err)
		} else if ids[doc.Number] {
			errs.addf("persons[%d]: id number used twice", i)
		} else {
			ids[doc.Number] = true
		}
		if err := rules.ValidMobile(sp.Phone); err != nil {
			errs.addf("persons[%d]: phone: %w", i, err)
		}
		if err := rules.CheckPassword(sp.Password, ""); err != nil {
			errs.addf("persons[%d]: password: %w", i, err)
		}
	}
	agents := map[string]bool{}
	for i, sa := range s.Agents {
		u := normUSCC(sa.Enterprise)
		se, ok := ents[u]
		if !ok {
			errs.addf("agents[%d]: enterprise %q not seeded", i, sa.Enterprise)
		}
		if !persons[sa.Person] {
			errs.addf("agents[%d]: person %q not seeded", i, sa.Person)
		}
		if agents[u+"/"+sa.Person] {
			errs.addf("agents[%d]: %s is already an agent of %s", i, sa.Person, u)
		}
		agents[u+"/"+sa.Person] = true
		if err := rules.CheckPassword(sa.Password, se.Account); err != nil {
			errs.addf("agents[%d]: password: %w", i, err)
		}
		if sa.FromDays > sa.ToDays {
			errs.addf("agents[%d]: from_days after to_days", i)
		}
	}
	users := map[string]bool{}
	for i, st := range s.Staff {
		if err := rules.ValidAccount(st.Username); err != nil {
			errs.addf("staff[%d]: username: %w", i, err)
		}
		if k := rules.NormalizeAccount(st.Username); users[k] {
			errs.addf("staff[%d]: username used twice", i)
		} else {
			users[k] = true
		}
		if err := rules.ValidName(st.Name); err != nil {
			errs.addf("staff[%d]: name: %w", i, err)
		}
		if err := rules.CheckPassword(st.Password, st.Username); err != nil {
			errs.addf("staff[%d]: password: %w", i, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("demo seed: %w", errors.Join(errs...))
	}
	return nil
}
