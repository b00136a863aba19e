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

// CheckPerson checks name, ID card and phone, and that no natural person
// has this ID number yet (model.ErrPersonExists on FieldIDNumber).
func (s *Service) CheckPerson(ctx context.Context, in PersonInput) error {
	if err := s.ready(); err != nil {
		return err
	}
	_, err := s.checkPerson(ctx, in)
	return err
}

func (s *Service) checkPerson(ctx context.Context, in PersonInput) (PersonInput, error) {
	var f fieldErrs
	now := s.Clock.Now()
	in.Name, in.IDDoc, in.Phone = validateRep(in.Name, in.IDDoc, in.Phone, now, FieldName, true, &f)
	// A well-formed number is looked up even when the rest of the card is
	// wrong: "already registered" is the more useful answer.
	if _, err := rules.ParseResidentID(in.IDDoc.Number, now); err == nil {
		err := s.Store.View(ctx, func(tx model.Tx) error { return personState(tx, in.IDDoc.Number) })
		if err != nil && !f.merge(err) {
			return in, err
		}
	}
	return in, f.err()
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
	p, err := s.checkPerson(ctx, in.Person)
	if err != nil && !f.merge(err) {
		return Done{}, err
	}
	f.add(FieldPassword, rules.CheckPassword(in.Password, ""))
	if rules.ValidMobile(p.Phone) == nil {
		f.merge(s.checkProof(in.PhoneProof, smscode.PurposePerson, p.Phone))
	}
	f.add(FieldForm, s.checkFace(in.Face, now))
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
