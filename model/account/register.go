package account

import (
	"context"
	"errors"
	"fmt"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// Audit actions of this package.
const (
	AuditRegister       = "register.enterprise"
	AuditRegisterPerson = "register.person"
	AuditResetLookup    = "password.reset.lookup"
	AuditReset          = "password.reset"
	AuditActivateLookup = "activate.lookup"
	AuditActivate       = "activate"
)

// RegistrationInput is everything of the registration form, handed to
// Register at the end.
type RegistrationInput struct {
	Enterprise EnterpriseInput
	LegalRep   LegalRepInput
	Account    string
	Password   string        // the screen checks 确认密码 (CheckNewPassword)
	PhoneProof smscode.Proof // from VerifyRegisterCode for LegalRep.Phone
	Face       model.FaceEvidence
}

// CheckEnterprise is step 1 of registration: the fields alone (legal
// type, name, USCC check character). It looks nothing up: whether the
// USCC is registered and matches the registry is answered by
// CheckLegalRep, after the SMS proof.
func (s *Service) CheckEnterprise(_ context.Context, in EnterpriseInput) error {
	if err := s.ready(); err != nil {
		return err
	}
	var f fieldErrs
	validateEnterprise(in, &f)
	return f.err()
}

// CheckLegalRep is step 2 of registration, once the SMS code is answered:
// the fields of steps 1 and 2 (name, ID card with check digit, expiry
// "证件已过期" and validity matching the age, mobile), then proof, which
// must be VerifyRegisterCode's for rep.Phone (else the smscode proof
// refusal on FieldSMSCode, and nothing is looked up). Only then the store
// and the registry are asked, as one look-up within the kiosk's limit and
// the USCC's (model.ErrLookupLimited), audited as AuditRegisterLookup: an
// active USCC → model.ErrAlreadyRegistered (pointing to 忘记密码), a
// pending one → model.ErrPendingUSCC (账号激活), a closed one →
// model.ErrClosedUSCC, all on FieldUSCC; an unknown USCC, another name or
// legal type → model.ErrRegistryMismatch on the field; another legal
// representative → model.ErrRegistryMismatch on FieldRepName.
func (s *Service) CheckLegalRep(ctx context.Context, ent EnterpriseInput, rep LegalRepInput, proof smscode.Proof) error {
	if err := s.ready(); err != nil {
		return err
	}
	now := s.Clock.Now()
	var f fieldErrs
	ent = validateEnterprise(ent, &f)
	rep.Name, rep.IDDoc, rep.Phone = validateRep(rep.Name, rep.IDDoc, rep.Phone, now, FieldRepName, true, &f)
	if err := f.err(); err != nil {
		return err
	}
	if err := s.checkProof(proof, smscode.PurposeRegister, rep.Phone); err != nil {
		return err
	}
	// The registry is read first: it may be remote, and never inside a tx.
	rec, err := s.Registry.LookupUSCC(ctx, ent.USCC)
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return err
	}
	inRegistry := err == nil
	return s.lookUpProved(ctx, now, provedLookup{flow: lookupRegister, action: AuditRegisterLookup,
		blind: s.blind("uscc", ent.USCC),
		judge: func(tx model.Tx) (string, string, error, error) {
			subject := "unknown"
			e, err := tx.Enterprises().ByUSCC(ent.USCC)
			switch {
			case err == nil:
				subject = e.ID
				return subject, "state_" + string(e.State), usccRefusal(e), nil
			case !errors.Is(err, model.ErrNotFound):
				return "", "", nil, err
			}
			switch {
			case !inRegistry:
				return subject, "unknown", refuse(FieldUSCC, model.ErrRegistryMismatch), nil
			case matchEnterprise(rec, ent) != nil:
				return subject, "mismatch", matchEnterprise(rec, ent), nil
			case !sameRep(rec.LegalRep, rep.Name, rep.IDDoc.Number):
				return subject, "mismatch", refuse(FieldRepName, model.ErrRegistryMismatch), nil
			}
			return subject, "ok", nil, nil
		}})
}

// CheckAccount is step 3 of registration (and of activation): the account
// format and that no enterprise has it, case-insensitively
// (model.ErrAccountTaken). Check the password with CheckNewPassword.
func (s *Service) CheckAccount(ctx context.Context, account string) error {
	if err := s.ready(); err != nil {
		return err
	}
	return s.checkAccount(ctx, account)
}

func (s *Service) checkAccount(ctx context.Context, account string) error {
	account = normInput(account)
	if err := rules.ValidAccount(account); err != nil {
		return refuse(FieldAccount, err)
	}
	return s.Store.View(ctx, func(tx model.Tx) error {
		_, err := tx.Enterprises().ByAccount(account)
		return refuseFound(err, FieldAccount, model.ErrAccountTaken)
	})
}

// refuseFound turns the error of a look-up for something that must not
// exist yet into the answer: found → the refusal why on field, not found →
// nil, any other failure as it is.
func refuseFound(lookupErr error, field string, why error) error {
	switch {
	case lookupErr == nil:
		return refuse(field, why)
	case errors.Is(lookupErr, model.ErrNotFound):
		return nil
	}
	return lookupErr
}

// Register is the last step of registration. It re-validates everything
// (fields, store, registry, account, password, the SMS proof for the
// phone, the face verdict), then creates the active enterprise with the
// registry's extended information and the verified phone as reserved
// phone, in one Update with its unique indexes, the audit record and the
// SMS notice: the whole account or nothing.
//
// On a shared store every read is a round trip, so the store is asked as
// few times as the answers allow. When everything that needs no store
// passed and the registry is kept in the store, the store's checks (the
// USCC, the registry record, the account) are made in the Update itself,
// with the same refusals, and the Update reads all it needs in one go and
// creates its new keys without reading them (model.Prefetch,
// EnterpriseRepo.Create): one read and the commit. Otherwise a refusal is
// due anyway, or the registry is elsewhere: the store's checks come first,
// in one View (registerChecks), so that their refusals come with the
// others, and the Update re-checks the USCC. The password is hashed before
// the Update either way (argon2 is slow: never inside a transaction), so
// on the first path a registration the store refuses (another kiosk took
// the USCC or the account since steps 2 and 3) has paid for its hash.
func (s *Service) Register(ctx context.Context, in RegistrationInput) (Done, error) {
	if err := s.ready(); err != nil {
		return Done{}, err
	}
	now := s.Clock.Now()
	var f fieldErrs
	repName, doc, phone := validateRep(in.LegalRep.Name, in.LegalRep.IDDoc, in.LegalRep.Phone, now, FieldRepName, true, &f)
	proved := false
	if rules.ValidMobile(phone) == nil {
		perr := s.checkProof(in.PhoneProof, smscode.PurposeRegister, phone)
		proved = perr == nil
		f.merge(perr)
	}
	// The store and the registry answer only for a proved phone: without
	// the proof this call says nothing CheckLegalRep would not.
	account := normInput(in.Account)
	var entF fieldErrs
	c := regCheck{account: account, accountErr: rules.ValidAccount(account), proved: proved,
		repName: repName, idNumber: doc.Number}
	c.ent = validateEnterprise(in.Enterprise, &entF)
	c.entErr = entF.err()
	if r, ok := s.Registry.(model.StoredRegistry); ok && r.StoredIn(s.Store) {
		c.registry = r
	}
	pwErr := rules.CheckPassword(in.Password, account, in.Enterprise.Name, repName)
	faceErr := s.checkFace(in.Face, doc.Number, model.FaceForRegister, now)
	inUpdate := proved && c.registry != nil && f.err() == nil && c.entErr == nil && c.accountErr == nil &&
		pwErr == nil && faceErr == nil
	var rec model.RegistryRecord
	if !inUpdate {
		var err error
		if rec, err = s.registerChecks(ctx, &c, &f); err != nil {
			return Done{}, err
		}
		f.add(FieldPassword, pwErr)
		f.add(FieldForm, faceErr)
		if err := f.err(); err != nil {
			return Done{}, err
		}
	}

	// argon2 is slow: hash before the transaction, never inside it.
	hash, err := s.Hasher.Hash(in.Password)
	if err != nil {
		return Done{}, fmt.Errorf("account: hash password: %w", err)
	}
	id := model.NewID()
	notice := i18n.Sentence(ctx, noticeRegistered(account))
	var e model.Enterprise
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		// What the Update reads, in one round trip on a shared store: this
		// kiosk's audit head and, when it checks the registration here,
		// the registry record. The USCC and the account are taken to be
		// free: the enterprise's index entries are created unread, and so
		// are the enterprise, its audit record and its notice; a clash
		// found at commit runs this again, and creating them answers it.
		r := model.Reads{AuditHeads: []string{s.Kiosk}}
		if inUpdate {
			r.Registry = []string{c.ent.USCC}
		}
		if err := model.Prefetch(tx, r); err != nil {
			return err
		}
		if inUpdate {
			var g fieldErrs // everything else passed
			var err error
			if rec, err = s.judge(ctx, &c, c.readRegistry(tx), &g); err != nil {
				return err
			}
			if err := g.err(); err != nil {
				// Refused: what the store says of the USCC and the account
				// comes first in the refusal (judge), so ask it now.
				return s.refusal(ctx, tx, &c, err)
			}
		}
		// Names as the registry spells them (the input matched them
		// folded); the ID card as typed, checked above.
		e = model.Enterprise{
			ID: id, USCC: c.ent.USCC, Name: rec.Name, LegalType: rec.LegalType,
			LegalRep: model.LegalRep{Name: rec.LegalRep.Name, ID: doc}, Extended: rec.Extended,
			Account: account, PasswordHash: hash, Phone: phone, State: model.EnterpriseActive,
			CreatedAt: now, UpdatedAt: now,
		}
		if err := createEnterprise(tx, e); err != nil {
			if isRefusal(err) { // the USCC or the account is taken
				if inUpdate {
					return s.refusal(ctx, tx, &c, err)
				}
				// Another kiosk may have registered this USCC since the
				// checks: the refusal its state calls for.
				return firstErr(usccState(tx, c.ent.USCC), err)
			}
			return err
		}
		return firstErr(
			appendAudit(tx, s.record("enterprise:"+e.ID, AuditRegister, e.ID, "ok", faceDetail(in.Face), now)),
			// The outbox goes last: a failing outbox proves the rest rolls back.
			tx.Outbox().Enqueue(model.NewOutboundSMS(phone, notice, model.SMSKindNotice, now)),
		)
	})
	if err != nil {
		return Done{}, err
	}
	return Done{ID: e.ID, Account: account, Name: e.Name, MaskedPhone: rules.MaskMobile(phone)}, nil
}

// regCheck is what Register asks the store and the registry about.
type regCheck struct {
	ent        EnterpriseInput // step 1, validated
	entErr     error           // the refusal of step 1's fields
	account    string
	accountErr error // the account's format
	proved     bool  // the phone is proved: the store and the registry may answer
	// repName and idNumber are the legal representative's, from step 2.
	repName, idNumber string
	// registry is the registry when it is kept in the store (read in the
	// store's transaction), nil when it is elsewhere (asked apart).
	registry model.StoredRegistry
}

// askUSCC: the store and the registry are asked about the USCC.
func (c *regCheck) askUSCC() bool { return c.proved && c.entErr == nil }

// regFacts are the store's answers to a regCheck.
type regFacts struct {
	usccErr  error // the refusal of a USCC that has an enterprise
	takenErr error // the refusal of an account that is taken
	rec      model.RegistryRecord
	regErr   error // the registry's answer (nil or model.ErrNotFound) when read in the store
	regRead  bool
}

// reads are the keys read reads first.
func (c *regCheck) reads() model.Reads {
	var r model.Reads
	if c.askUSCC() {
		r.EnterpriseUSCC = []string{c.ent.USCC}
		if c.registry != nil {
			r.Registry = []string{c.ent.USCC}
		}
	}
	if c.accountErr == nil {
		r.EnterpriseAccount = []string{c.account}
	}
	return r
}

// read asks tx: whether the USCC has an enterprise, then (if not, and the
// registry is kept in the store) the registry record, and whether the
// account is taken. err is a failure, not a refusal.
func (c *regCheck) read(tx model.Tx) (a regFacts, err error) {
	if c.askUSCC() {
		if a.usccErr = usccState(tx, c.ent.USCC); a.usccErr != nil && !isRefusal(a.usccErr) {
			return a, a.usccErr
		}
		if a.usccErr == nil && c.registry != nil {
			a.rec, a.regErr = c.registry.LookupUSCCIn(tx, c.ent.USCC)
			if a.regErr != nil && !errors.Is(a.regErr, model.ErrNotFound) {
				return a, a.regErr
			}
			a.regRead = true
		}
	}
	if c.accountErr == nil {
		_, err := tx.Enterprises().ByAccount(c.account)
		if a.takenErr = refuseFound(err, FieldAccount, model.ErrAccountTaken); a.takenErr != nil && !isRefusal(a.takenErr) {
			return a, a.takenErr
		}
	}
	return a, nil
}

// readRegistry reads c's registry record in tx (a registry kept in the
// store), the USCC and the account taken to be free.
func (c *regCheck) readRegistry(tx model.Tx) regFacts {
	a := regFacts{regRead: true}
	a.rec, a.regErr = c.registry.LookupUSCCIn(tx, c.ent.USCC)
	return a
}

// refusal is the refusal of a registration checked in the store's
// transaction on the registry record alone (readRegistry) and refused
// there, err, or found clashing when its enterprise was created: c's
// checks made again with what the store says of the USCC and the account,
// so that the refusal is the one registerChecks would give.
func (s *Service) refusal(ctx context.Context, tx model.Tx, c *regCheck, err error) error {
	facts, rerr := c.read(tx)
	if rerr != nil {
		return rerr
	}
	var g fieldErrs
	if _, rerr := s.judge(ctx, c, facts, &g); rerr != nil {
		return rerr
	}
	return firstErr(g.err(), err)
}

// judge adds the refusals of c to f in this order, as steps 1 to 3 give
// them: when proved, step 1's fields, then a USCC that has an enterprise,
// then a registry that does not know it or another legal type or name,
// then (when all that and f so far passed) another legal representative;
// unproved, step 1's fields alone; then the account's format, then an
// account that is taken. A registry kept elsewhere is asked here, only for
// a USCC without an enterprise. It returns the registry record; err is a
// failure, not a refusal.
func (s *Service) judge(ctx context.Context, c *regCheck, a regFacts, f *fieldErrs) (model.RegistryRecord, error) {
	if !c.proved {
		f.merge(c.entErr)
	} else {
		var entErr error
		switch {
		case c.entErr != nil:
			entErr = c.entErr
		case a.usccErr != nil:
			entErr = a.usccErr
		default:
			if !a.regRead {
				a.rec, a.regErr = s.Registry.LookupUSCC(ctx, c.ent.USCC)
			}
			switch {
			case errors.Is(a.regErr, model.ErrNotFound):
				entErr = refuse(FieldUSCC, model.ErrRegistryMismatch)
			case a.regErr != nil:
				return a.rec, a.regErr
			default:
				entErr = matchEnterprise(a.rec, c.ent)
			}
		}
		f.merge(entErr)
		if entErr == nil && f.err() == nil && !sameRep(a.rec.LegalRep, c.repName, c.idNumber) {
			f.add(FieldRepName, model.ErrRegistryMismatch)
		}
	}
	if c.accountErr != nil {
		f.add(FieldAccount, c.accountErr)
	} else {
		f.merge(a.takenErr)
	}
	return a.rec, nil
}

// registerChecks makes c's checks before the Update, their refusals added
// to f (judge): the store is read in one View (a registry kept in it
// included), a registry elsewhere is asked after it.
func (s *Service) registerChecks(ctx context.Context, c *regCheck, f *fieldErrs) (model.RegistryRecord, error) {
	var a regFacts
	if r := c.reads(); c.askUSCC() || c.accountErr == nil {
		err := s.Store.View(ctx, func(tx model.Tx) error {
			if err := model.Prefetch(tx, r); err != nil {
				return err
			}
			var err error
			a, err = c.read(tx)
			return err
		})
		if err != nil {
			return model.RegistryRecord{}, err
		}
	}
	return s.judge(ctx, c, a, f)
}

// isRefusal reports whether err is a refusal (*FieldErrors), not a failure.
func isRefusal(err error) bool {
	var fe *FieldErrors
	return errors.As(err, &fe)
}

// putEnterprise stores e, turning a unique-index clash into the refusal
// for its field.
func putEnterprise(tx model.Tx, e model.Enterprise) error {
	return enterpriseClash(tx.Enterprises().Put(e))
}

// createEnterprise stores the new enterprise e (EnterpriseRepo.Create),
// turning a unique-index clash into the refusal for its field.
func createEnterprise(tx model.Tx, e model.Enterprise) error {
	return enterpriseClash(tx.Enterprises().Create(e))
}

func enterpriseClash(err error) error {
	var dup *model.DuplicateError
	if errors.As(err, &dup) {
		switch dup.Field {
		case "account":
			return refuse(FieldAccount, model.ErrAccountTaken)
		case "uscc":
			return refuse(FieldUSCC, model.ErrAlreadyRegistered)
		}
	}
	return err
}

func appendAudit(tx model.Tx, r model.AuditRecord) error {
	_, err := tx.Audit().Append(r)
	return err
}
