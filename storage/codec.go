package storage

import (
	"time"

	"kiosk/model"
)

// The record types below are the stored JSON shape, kept apart from the
// model structs on purpose: renaming a model field must not silently orphan
// the data already on disk (it breaks the build here instead), and a new
// model field must be added here too (TestCodecCoversEveryField fails until
// it is). Tags are short because every record is stored encrypted.

type idDocRec struct {
	Type   string    `json:"t,omitempty"`
	Number string    `json:"n,omitempty"`
	Period string    `json:"p,omitempty"`
	From   time.Time `json:"f,omitzero"`
	To     time.Time `json:"to,omitzero"`
}

func idDocToRec(d model.IDDocument) idDocRec {
	return idDocRec{d.Type, d.Number, string(d.Period), d.ValidFrom, d.ValidTo}
}

func (r idDocRec) model() model.IDDocument {
	return model.IDDocument{Type: r.Type, Number: r.Number, Period: model.ValidityPeriod(r.Period), ValidFrom: r.From, ValidTo: r.To}
}

type legalRepRec struct {
	Name string   `json:"n,omitempty"`
	ID   idDocRec `json:"id"`
}

func legalRepToRec(l model.LegalRep) legalRepRec { return legalRepRec{l.Name, idDocToRec(l.ID)} }

func (r legalRepRec) model() model.LegalRep { return model.LegalRep{Name: r.Name, ID: r.ID.model()} }

type extendedRec struct {
	Address     string    `json:"addr,omitempty"`
	Capital     string    `json:"cap,omitempty"`
	RegDate     time.Time `json:"reg,omitzero"`
	Scope       string    `json:"scope,omitempty"`
	CodeType    string    `json:"ct,omitempty"`
	Industry    string    `json:"ind,omitempty"`
	Approved    time.Time `json:"appr,omitzero"`
	Authority   string    `json:"auth,omitempty"`
	Status      string    `json:"st,omitempty"`
	Established time.Time `json:"est,omitzero"`
	License     string    `json:"lic,omitempty"`
}

func extendedToRec(x model.Extended) extendedRec {
	return extendedRec{x.RegisteredAddress, x.RegisteredCapital, x.RegisteredDate, x.BusinessScope, x.CodeType,
		x.Industry, x.ApprovalDate, x.ApprovalAuthority, x.RegistryStatus, x.EstablishedDate, x.ElectronicLicense}
}

func (r extendedRec) model() model.Extended {
	return model.Extended{RegisteredAddress: r.Address, RegisteredCapital: r.Capital, RegisteredDate: r.RegDate,
		BusinessScope: r.Scope, CodeType: r.CodeType, Industry: r.Industry, ApprovalDate: r.Approved,
		ApprovalAuthority: r.Authority, RegistryStatus: r.Status, EstablishedDate: r.Established, ElectronicLicense: r.License}
}

// enterpriseRec is stored in the binary form (codec_bin.go) since schema
// 2; its JSON tags read schema-1 records during the upgrade.
type enterpriseRec struct {
	ID        string      `json:"id"`
	USCC      string      `json:"uscc"`
	Name      string      `json:"name,omitempty"`
	LegalType string      `json:"lt,omitempty"`
	LegalRep  legalRepRec `json:"rep"`
	Extended  extendedRec `json:"ext"`
	Account   string      `json:"acct,omitempty"`
	Password  string      `json:"pw,omitempty"`
	Phone     string      `json:"phone,omitempty"`
	State     string      `json:"state,omitempty"`
	Epoch     int         `json:"epoch,omitempty"`
	Created   time.Time   `json:"c,omitzero"`
	Updated   time.Time   `json:"u,omitzero"`
}

func enterpriseToRec(e model.Enterprise) enterpriseRec {
	return enterpriseRec{e.ID, e.USCC, e.Name, e.LegalType, legalRepToRec(e.LegalRep), extendedToRec(e.Extended),
		e.Account, e.PasswordHash, e.Phone, string(e.State), e.SessionEpoch, e.CreatedAt, e.UpdatedAt}
}

func (r enterpriseRec) model() model.Enterprise {
	return model.Enterprise{ID: r.ID, USCC: r.USCC, Name: r.Name, LegalType: r.LegalType, LegalRep: r.LegalRep.model(),
		Extended: r.Extended.model(), Account: r.Account, PasswordHash: r.Password, Phone: r.Phone,
		State: model.EnterpriseState(r.State), SessionEpoch: r.Epoch, CreatedAt: r.Created, UpdatedAt: r.Updated}
}

type personRec struct {
	ID       string    `json:"id"`
	Name     string    `json:"name,omitempty"`
	Doc      idDocRec  `json:"doc"`
	Phone    string    `json:"phone,omitempty"`
	Password string    `json:"pw,omitempty"`
	Created  time.Time `json:"c,omitzero"`
}

func personToRec(p model.NaturalPerson) personRec {
	return personRec{p.ID, p.Name, idDocToRec(p.Document), p.Phone, p.PasswordHash, p.CreatedAt}
}

func (r personRec) model() model.NaturalPerson {
	return model.NaturalPerson{ID: r.ID, Name: r.Name, Document: r.Doc.model(), Phone: r.Phone, PasswordHash: r.Password, CreatedAt: r.Created}
}

type agentRec struct {
	ID           string    `json:"id"`
	EnterpriseID string    `json:"ent"`
	PersonID     string    `json:"per,omitempty"`
	Name         string    `json:"name,omitempty"`
	IDNumber     string    `json:"idn,omitempty"`
	Phone        string    `json:"phone,omitempty"`
	From         time.Time `json:"from,omitzero"`
	To           time.Time `json:"to,omitzero"`
	Admin        bool      `json:"admin,omitempty"`
	Enabled      bool      `json:"on,omitempty"`
	Password     string    `json:"pw,omitempty"`
	Created      time.Time `json:"c,omitzero"`
	Updated      time.Time `json:"u,omitzero"`
	// Epoch was added after schema 1 without a migration: absent reads 0,
	// which is what every session of an older record carries.
	Epoch int `json:"ep,omitempty"`
}

func agentToRec(a model.Agent) agentRec {
	return agentRec{a.ID, a.EnterpriseID, a.PersonID, a.Name, a.IDNumber, a.Phone, a.ValidFrom, a.ValidTo,
		a.Admin, a.Enabled, a.PasswordHash, a.CreatedAt, a.UpdatedAt, a.SessionEpoch}
}

func (r agentRec) model() model.Agent {
	return model.Agent{ID: r.ID, EnterpriseID: r.EnterpriseID, PersonID: r.PersonID, Name: r.Name, IDNumber: r.IDNumber,
		Phone: r.Phone, ValidFrom: r.From, ValidTo: r.To, Admin: r.Admin, Enabled: r.Enabled, PasswordHash: r.Password,
		SessionEpoch: r.Epoch, CreatedAt: r.Created, UpdatedAt: r.Updated}
}

// staffRec: Role and Disabled were added after schema 1 without a
// migration; a record without them reads as an enabled staff member with
// an empty role, which model.Staff.EffectiveRole treats as StaffCounter.
type staffRec struct {
	ID       string    `json:"id"`
	Username string    `json:"user"`
	Name     string    `json:"name,omitempty"`
	Password string    `json:"pw,omitempty"`
	Role     string    `json:"role,omitempty"`
	Disabled bool      `json:"off,omitempty"`
	Created  time.Time `json:"c,omitzero"`
}

func staffToRec(s model.Staff) staffRec {
	return staffRec{s.ID, s.Username, s.Name, s.PasswordHash, string(s.Role), s.Disabled, s.CreatedAt}
}

func (r staffRec) model() model.Staff {
	return model.Staff{ID: r.ID, Username: r.Username, Name: r.Name, PasswordHash: r.Password,
		Role: model.StaffRole(r.Role), Disabled: r.Disabled, CreatedAt: r.Created}
}

type lockoutRec struct {
	Key      string      `json:"k"`
	Failures int         `json:"f,omitempty"`
	Until    time.Time   `json:"until,omitzero"`
	Locks    int         `json:"l,omitempty"`
	Updated  time.Time   `json:"u,omitzero"`
	Last     time.Time   `json:"lf,omitzero"`
	Pending  []time.Time `json:"p,omitempty"`
}

func lockoutToRec(l model.Lockout) lockoutRec {
	var pending []time.Time // the taken slots only
	for _, p := range l.Pending {
		if !p.IsZero() {
			pending = append(pending, p)
		}
	}
	return lockoutRec{l.Key, l.Failures, l.LockedUntil, l.Locks, l.UpdatedAt, l.LastFailure, pending}
}

func (r lockoutRec) model() model.Lockout {
	l := model.Lockout{Key: r.Key, Failures: r.Failures, LockedUntil: r.Until, Locks: r.Locks, UpdatedAt: r.Updated,
		LastFailure: r.Last}
	copy(l.Pending[:], r.Pending)
	return l
}

type auditRec struct {
	Seq     uint64    `json:"seq"`
	Time    time.Time `json:"t,omitzero"`
	Kiosk   string    `json:"k,omitempty"`
	Actor   string    `json:"a,omitempty"`
	Action  string    `json:"act,omitempty"`
	Subject string    `json:"s,omitempty"`
	Outcome string    `json:"o,omitempty"`
	Detail  string    `json:"d,omitempty"`
	// Prev is the hex HMAC of the previous record of the kiosk's chain
	// (or of its genesis); see audit.go. Absent before schema 3.
	Prev string `json:"p,omitempty"`
	// Change (model.AuditRecord.Change) was added after schema 3 without a
	// migration: absent reads "", what every older record had. It is in the
	// sealed plaintext, so the chain's HMAC covers it.
	Change string `json:"chg,omitempty"`
}

func auditToRec(a model.AuditRecord) auditRec {
	return auditRec{a.Seq, a.Time, a.Kiosk, a.Actor, a.Action, a.Subject, a.Outcome, a.Detail, "", a.Change}
}

func (r auditRec) model() model.AuditRecord {
	return model.AuditRecord{Seq: r.Seq, Time: r.Time, Kiosk: r.Kiosk, Actor: r.Actor, Action: r.Action,
		Subject: r.Subject, Outcome: r.Outcome, Detail: r.Detail, Change: r.Change}
}

type registryRec struct {
	USCC      string      `json:"uscc"`
	Name      string      `json:"name,omitempty"`
	LegalType string      `json:"lt,omitempty"`
	LegalRep  legalRepRec `json:"rep"`
	Phone     string      `json:"phone,omitempty"`
	Extended  extendedRec `json:"ext"`
}

func registryToRec(r model.RegistryRecord) registryRec {
	return registryRec{r.USCC, r.Name, r.LegalType, legalRepToRec(r.LegalRep), r.Phone, extendedToRec(r.Extended)}
}

func (r registryRec) model() model.RegistryRecord {
	return model.RegistryRecord{USCC: r.USCC, Name: r.Name, LegalType: r.LegalType, LegalRep: r.LegalRep.model(),
		Phone: r.Phone, Extended: r.Extended.model()}
}
