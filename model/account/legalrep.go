package account

import (
	"context"
	"errors"
	"strings"
	"time"

	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// 法定代表人变更 (manual §四(一)(4)), for an enterprise login: 1 the new
// legal representative (name, ID card and its validity), which must be the
// business registry's legal representative of the enterprise and not the
// current one · 2 the face verification of the new legal representative ·
// 3 optionally a new reserved phone with its SMS code · then the change in
// one transaction, audited, with notices.

// Audit actions of 法定代表人变更. Details hold the blind index of the new
// legal representative's ID number (and of the phones), never a name or
// a number in clear.
const (
	AuditLegalRepLookup = "legal_rep.change.lookup" // step 1's registry check
	AuditChangeLegalRep = "legal_rep.change"
)

// PurposeLegalRepPhone is the SMS code purpose of a new reserved phone
// given with 法定代表人变更.
const PurposeLegalRepPhone = "legal_rep_phone"

const lookupLegalRep = "legal_rep"

// CheckNewLegalRep is step 1 of 法定代表人变更: the fields (name, ID card
// with its check digit, validity period matching the age with the derived
// end date, not expired; in.Phone is not read), then one look-up within
// the enterprise's and the kiosk's look-up limits (model.ErrLookupLimited),
// audited as AuditLegalRepLookup: the registry's legal representative of
// the enterprise's USCC must be this name and ID number
// (model.ErrRegistryMismatch on FieldRepName, one answer for either), and
// must not be the current one (model.ErrSameLegalRep). It returns the
// reserved phone masked, for the sentence of the phone step.
func (s *Service) CheckNewLegalRep(ctx context.Context, who model.Session, in LegalRepInput) (maskedPhone string, err error) {
	if err := s.ready(); err != nil {
		return "", err
	}
	p, err := s.authorize(ctx, who, UseChangeLegalRep)
	if err != nil {
		return "", err
	}
	now := s.Clock.Now()
	var f fieldErrs
	name, doc, _ := validateRep(in.Name, in.IDDoc, "", now, FieldRepName, false, &f)
	if err := f.err(); err != nil {
		return "", err // format errors cost no look-up: they say nothing of the registry
	}
	rec, inRegistry, err := s.registryRep(ctx, p.ent.USCC)
	if err != nil {
		return "", err
	}
	var masked string
	err = s.lookUpRep(ctx, who, now, s.blind("id", doc.Number), func(q principal) (string, error) {
		masked = maskedOrNone(q.ent.Phone)
		return judgeNewRep(rec, inRegistry, q.ent.LegalRep, name, doc.Number)
	})
	if err != nil {
		return "", err
	}
	return masked, nil
}

// registryRep reads the registry record of the enterprise's USCC, outside
// any transaction (the registry may be remote); an unknown USCC is no
// record, not a failure.
func (s *Service) registryRep(ctx context.Context, uscc string) (model.RegistryRecord, bool, error) {
	rec, err := s.Registry.LookupUSCC(ctx, uscc)
	switch {
	case errors.Is(err, model.ErrNotFound):
		return rec, false, nil
	case err != nil:
		return rec, false, err
	}
	return rec, true, nil
}

// judgeNewRep answers whether name and idNumber may become the legal
// representative: the registry's, and not cur. The outcome is for the
// audit record.
func judgeNewRep(rec model.RegistryRecord, inRegistry bool, cur model.LegalRep, name, idNumber string) (outcome string, refusal error) {
	switch {
	case !inRegistry || !sameRep(rec.LegalRep, name, idNumber):
		return "mismatch", refuse(FieldRepName, model.ErrRegistryMismatch)
	case strings.EqualFold(strings.TrimSpace(cur.ID.Number), idNumber):
		return "same", refuse(FieldRepName, model.ErrSameLegalRep)
	}
	return "ok", nil
}

// lookUpRep runs one look-up of step 1 in an Update: who authorised again,
// the enterprise's window (Limits.IdentifierLookups) and the kiosk's
// (Limits.Lookups), then judge and the audit record. A look-up refused by
// a limit is counted in neither window. A refusal comes back as the error;
// the spent look-up and its audit record are committed with it.
func (s *Service) lookUpRep(ctx context.Context, who model.Session, now time.Time, blindID string,
	judge func(q principal) (outcome string, refusal error)) error {
	lim := s.limits()
	var refusal error
	err := s.Store.Update(ctx, func(tx model.Tx) error {
		refusal = nil // fn may be re-run
		q, err := s.authorizeTx(tx, who, UseChangeLegalRep, now)
		if err != nil {
			return err
		}
		entW, entOK, err := s.lookupWindow(tx, identKey(lookupLegalRep, s.blind("enterprise", q.ent.ID)), lim.IdentifierLookups, now)
		if err != nil {
			return err
		}
		kioskW, kioskOK, err := s.lookupWindow(tx, lookupKey(lookupLegalRep, s.Kiosk), lim.Lookups, now)
		if err != nil {
			return err
		}
		outcome, detail := "limited", "id="+blindID
		switch {
		case !entOK:
			refusal, detail = refuse(FieldForm, model.ErrLookupLimited), detail+" limit=enterprise"
		case !kioskOK:
			refusal, detail = refuse(FieldForm, model.ErrLookupLimited), detail+" limit=kiosk"
		default:
			entW.Events = append(entW.Events, now)
			kioskW.Events = append(kioskW.Events, now)
			outcome, refusal = judge(q)
		}
		return firstErr(
			tx.Rates().Put(entW),
			tx.Rates().Put(kioskW),
			appendAudit(tx, s.record(q.actor(), AuditLegalRepLookup, q.subject(), outcome, detail, now)),
		)
	})
	if err != nil {
		return err
	}
	return refusal
}

// SendLegalRepPhoneCode sends the code of a new reserved phone given with
// 法定代表人变更, behind the picture captcha of its page (pass). The
// number must differ from the reserved phone (model.ErrSamePhone).
func (s *Service) SendLegalRepPhoneCode(ctx context.Context, who model.Session, pass captcha.Pass, phone string) (nextResend time.Time, err error) {
	phone, err = s.legalRepPhone(ctx, who, phone)
	if err != nil {
		return time.Time{}, err
	}
	return s.sendCode(ctx, pass, PurposeLegalRepPhone, phone)
}

// VerifyLegalRepPhoneCode answers that code; the proof goes to
// ChangeLegalRep with the phone.
func (s *Service) VerifyLegalRepPhoneCode(ctx context.Context, who model.Session, phone, code string) (smscode.Proof, error) {
	phone, err := s.legalRepPhone(ctx, who, phone)
	if err != nil {
		return smscode.Proof{}, err
	}
	return s.verifyCode(ctx, PurposeLegalRepPhone, phone, code)
}

func (s *Service) legalRepPhone(ctx context.Context, who model.Session, phone string) (string, error) {
	if err := s.ready(); err != nil {
		return "", err
	}
	p, err := s.authorize(ctx, who, UseChangeLegalRep)
	if err != nil {
		return "", err
	}
	return checkNewPhone(p.ent, phone)
}

// ChangeLegalRep is the last step of 法定代表人变更. It checks everything
// again: the fields, face evidence of the new legal representative's ID
// number made for model.FaceForLegalRepChange (recent; the demo verdict
// only in demo mode), the phone, and the registry (not rationed: the face
// evidence stands for the person). phone "" keeps the reserved phone;
// another number needs proof from VerifyLegalRepPhoneCode. Then in one
// Update, authorised again: the legal representative (named as the
// registry spells it) and the phone, the audit record, a notice to the
// reserved phone, and to the old one when it changed.
func (s *Service) ChangeLegalRep(ctx context.Context, who model.Session, in LegalRepInput, face model.FaceEvidence, phone string, proof smscode.Proof) (Done, error) {
	if err := s.ready(); err != nil {
		return Done{}, err
	}
	p, err := s.authorize(ctx, who, UseChangeLegalRep)
	if err != nil {
		return Done{}, err
	}
	now := s.Clock.Now()
	var f fieldErrs
	name, doc, _ := validateRep(in.Name, in.IDDoc, "", now, FieldRepName, false, &f)
	if phone = normInput(phone); phone != "" {
		var perr error
		if phone, perr = checkNewPhone(p.ent, phone); perr == nil {
			perr = s.checkProof(proof, PurposeLegalRepPhone, phone)
		}
		f.merge(perr)
	}
	if f.err() == nil {
		f.add(FieldForm, s.checkFace(face, doc.Number, model.FaceForLegalRepChange, now))
	}
	if err := f.err(); err != nil {
		return Done{}, err
	}
	rec, inRegistry, err := s.registryRep(ctx, p.ent.USCC)
	if err != nil {
		return Done{}, err
	}
	var (
		done    Done
		refusal error
	)
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		done, refusal = Done{}, nil // the closure may run again
		q, err := s.authorizeTx(tx, who, UseChangeLegalRep, now)
		if err != nil {
			return err
		}
		detail := "id=" + s.blind("id", doc.Number)
		outcome, why := judgeNewRep(rec, inRegistry, q.ent.LegalRep, name, doc.Number)
		if phone != "" && phone == q.ent.Phone { // set elsewhere since the check
			outcome, why = "same_phone", refuse(FieldPhone, model.ErrSamePhone)
		}
		if why != nil {
			refusal = why
			return appendAudit(tx, s.record(q.actor(), AuditChangeLegalRep, q.subject(), outcome, detail, now))
		}
		e := q.ent
		old := e.Phone
		e.LegalRep = model.LegalRep{Name: rec.LegalRep.Name, ID: doc}
		e.UpdatedAt = now
		detail += " " + faceDetail(face)
		if phone != "" {
			e.Phone = phone
			detail += " " + s.phonesDetail(old, phone)
		}
		done = Done{ID: e.ID, Account: e.Account, Name: e.Name, MaskedPhone: maskedOrNone(e.Phone)}
		writes := []error{
			tx.Enterprises().Put(e),
			appendAudit(tx, s.record(q.actor(), AuditChangeLegalRep, q.subject(), "ok", detail, now)),
		}
		switch {
		case phone == "":
			if rules.ValidMobile(old) == nil {
				writes = append(writes, enqueueNotice(ctx, tx, old, noticeLegalRepChanged(e.Account), now))
			}
		default:
			if rules.ValidMobile(old) == nil {
				writes = append(writes, enqueueNotice(ctx, tx, old, noticeLegalRepChangedOldPhone(e.Account, done.MaskedPhone), now))
			}
			writes = append(writes, enqueueNotice(ctx, tx, phone, noticeLegalRepChangedNewPhone(e.Account), now))
		}
		return firstErr(writes...)
	})
	if err != nil {
		return Done{}, err
	}
	if refusal != nil {
		return Done{}, refusal
	}
	return done, nil
}

// noticeLegalRepChanged tells the reserved phone that account's legal
// representative was changed.
func noticeLegalRepChanged(account string) i18n.Text {
	return i18n.T("notice.legal_rep_changed", "Account", account)
}

// noticeLegalRepChangedOldPhone tells the old reserved phone that the
// legal representative was changed and the reserved phone is now masked.
func noticeLegalRepChangedOldPhone(account, masked string) i18n.Text {
	return i18n.T("notice.legal_rep_changed_old_phone", "Account", account, "Phone", masked)
}

// noticeLegalRepChangedNewPhone tells the new reserved phone that the legal
// representative was changed and this number is the reserved phone now.
func noticeLegalRepChangedNewPhone(account string) i18n.Text {
	return i18n.T("notice.legal_rep_changed_new_phone", "Account", account)
}
