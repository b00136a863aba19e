package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// PersonInput is the identity part of the natural-person registration.
// The person's name goes on FieldName.
type PersonInput struct {
	Name  string
	IDDoc model.IDDocument
	Phone string
}

// PersonRegistration is the whole natural-person form for RegisterPerson.
type PersonRegistration struct {
	Person     PersonInput
	Password   string        // the screen checks 确认密码 (CheckNewPassword with account "")
	PhoneProof smscode.Proof // from VerifyPersonCode for Person.Phone
	Face       model.FaceEvidence
}

// CheckPerson is the identity page of natural-person registration, once
// the SMS code is answered: name, ID card and phone, then proof, which
// must be VerifyPersonCode's for in.Phone (else the smscode proof refusal
// on FieldSMSCode, and nothing is looked up). Only then is the store
// asked whether a natural person has this ID number already
// (model.ErrPersonExists on FieldIDNumber), as one look-up within the
// kiosk's limit and the ID number's (model.ErrLookupLimited), audited as
// AuditPersonLookup without the number.
func (s *Service) CheckPerson(ctx context.Context, in PersonInput, proof smscode.Proof) error {
	if err := s.ready(); err != nil {
		return err
	}
	now := s.Clock.Now()
	var f fieldErrs
	in = personFields(in, now, &f)
	if err := f.err(); err != nil {
		return err
	}
	if err := s.checkProof(proof, smscode.PurposePerson, in.Phone); err != nil {
		return err
	}
	return s.lookUpProved(ctx, now, provedLookup{flow: lookupPerson, action: AuditPersonLookup,
		blind: s.blind("id", in.IDDoc.Number),
		judge: func(tx model.Tx) (string, string, error, error) {
			p, err := tx.Persons().ByIDNumber(in.IDDoc.Number)
			switch {
			case err == nil:
				return p.ID, "exists", refuse(FieldIDNumber, model.ErrPersonExists), nil
			case !errors.Is(err, model.ErrNotFound):
				return "", "", nil, err
			}
			return "unknown", "ok", nil, nil
		}})
}

// personFields checks the fields of the identity page alone.
func personFields(in PersonInput, now time.Time, f *fieldErrs) PersonInput {
	in.Name, in.IDDoc, in.Phone = validateRep(in.Name, in.IDDoc, in.Phone, now, FieldName, true, f)
	return in
}

func personState(tx model.Tx, idNumber string) error {
	_, err := tx.Persons().ByIDNumber(idNumber)
	return refuseFound(err, FieldIDNumber, model.ErrPersonExists)
}

// RegisterPerson re-validates everything (identity, not yet registered,
// password policy, the SMS proof for the phone, the face verdict) and
// creates the natural person in one Update with its ID-number index, the
// audit record and the SMS notice.
func (s *Service) RegisterPerson(ctx context.Context, in PersonRegistration) (Done, error) {
	if err := s.ready(); err != nil {
		return Done{}, err
	}
	now := s.Clock.Now()
	var f fieldErrs
	p := personFields(in.Person, now, &f)
	if rules.ValidMobile(p.Phone) == nil {
		perr := s.checkProof(in.PhoneProof, smscode.PurposePerson, p.Phone)
		f.merge(perr)
		// Whether the ID number is registered is said only for a proved
		// phone and a valid form, like CheckPerson.
		if perr == nil && f.err() == nil {
			err := s.Store.View(ctx, func(tx model.Tx) error { return personState(tx, p.IDDoc.Number) })
			if err != nil && !f.merge(err) {
				return Done{}, err
			}
		}
	}
	f.add(FieldPassword, rules.CheckPassword(in.Password, "", p.Name))
	f.add(FieldForm, s.checkFace(in.Face, p.IDDoc.Number, model.FaceForPerson, now))
	if err := f.err(); err != nil {
		return Done{}, err
	}
	hash, err := s.Hasher.Hash(in.Password)
	if err != nil {
		return Done{}, fmt.Errorf("account: hash password: %w", err)
	}
	np := model.NaturalPerson{ID: model.NewID(), Name: p.Name, Document: p.IDDoc, Phone: p.Phone,
		PasswordHash: hash, CreatedAt: now}
	notice := i18n.Sentence(ctx, noticePersonRegistered())
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		if err := personState(tx, np.Document.Number); err != nil {
			return err
		}
		err := tx.Persons().Put(np)
		var dup *model.DuplicateError
		if errors.As(err, &dup) {
			return refuse(FieldIDNumber, model.ErrPersonExists)
		}
		return firstErr(err,
			appendAudit(tx, s.record("person:"+np.ID, AuditRegisterPerson, np.ID, "ok", faceDetail(in.Face), now)),
			tx.Outbox().Enqueue(model.NewOutboundSMS(np.Phone, notice, model.SMSKindNotice, now)),
		)
	})
	if err != nil {
		return Done{}, err
	}
	return Done{ID: np.ID, Name: np.Name, MaskedPhone: rules.MaskMobile(np.Phone)}, nil
}
