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

func (s *Service) checkEnterprise(ctx context.Context, in EnterpriseInput) (model.RegistryRecord, EnterpriseInput, error) {
	var f fieldErrs
	in = validateEnterprise(in, &f)
	if err := f.err(); err != nil {
		return model.RegistryRecord{}, in, err
	}
	err := s.Store.View(ctx, func(tx model.Tx) error { return usccState(tx, in.USCC) })
	if err != nil {
		return model.RegistryRecord{}, in, err
	}
	rec, err := s.lookupRegistry(ctx, in.USCC)
	if err != nil {
		return rec, in, err
	}
	return rec, in, matchEnterprise(rec, in)
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
	var (
		rec model.RegistryRecord
		ent EnterpriseInput
		err error
	)
	if proved {
		rec, ent, err = s.checkEnterprise(ctx, in.Enterprise)
		if err != nil && !f.merge(err) {
			return Done{}, err
		}
		if err == nil && f.err() == nil && !sameRep(rec.LegalRep, repName, doc.Number) {
			f.add(FieldRepName, model.ErrRegistryMismatch)
		}
	} else {
		ent = validateEnterprise(in.Enterprise, &f)
	}
	account := normInput(in.Account)
	if err := s.checkAccount(ctx, account); err != nil && !f.merge(err) {
		return Done{}, err
	}
	f.add(FieldPassword, rules.CheckPassword(in.Password, account, in.Enterprise.Name, repName))
	f.add(FieldForm, s.checkFace(in.Face, doc.Number, model.FaceForRegister, now))
	if err := f.err(); err != nil {
		return Done{}, err
	}

	// argon2 is slow: hash before the transaction, never inside it.
	hash, err := s.Hasher.Hash(in.Password)
	if err != nil {
		return Done{}, fmt.Errorf("account: hash password: %w", err)
	}
	// Names as the registry spells them (the input matched them folded);
	// the ID card as typed, checked above.
	e := model.Enterprise{
		ID: model.NewID(), USCC: ent.USCC, Name: rec.Name, LegalType: rec.LegalType,
		LegalRep: model.LegalRep{Name: rec.LegalRep.Name, ID: doc}, Extended: rec.Extended,
		Account: account, PasswordHash: hash, Phone: phone, State: model.EnterpriseActive,
		CreatedAt: now, UpdatedAt: now,
	}
	notice := i18n.Sentence(ctx, noticeRegistered(account))
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		// Another kiosk may have registered this USCC since the checks.
		if err := usccState(tx, e.USCC); err != nil {
			return err
		}
		return firstErr(
			putEnterprise(tx, e),
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

// putEnterprise stores e, turning a unique-index clash into the refusal
// for its field.
func putEnterprise(tx model.Tx, e model.Enterprise) error {
	err := tx.Enterprises().Put(e)
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
