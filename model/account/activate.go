package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// ActivationInput is 账号激活 step 1 (确认账号), all fields but the captcha.
type ActivationInput struct {
	LegalType string
	Name      string // 企业名称
	USCC      string
	RepName   string
	IDDoc     model.IDDocument
}

// ConfirmActivation is 账号激活 step 1. Only a 待激活 enterprise whose
// legal type, name, legal representative and ID number match gets a
// ticket; its SMS goes to the pending record's phone, else to the
// registry's phone of the legal representative (none:
// model.ErrNoReservedPhone, go to the counter). An active USCC gets
// model.ErrAlreadyRegistered, anything else the generic
// model.ErrActivationMismatch. Look-ups are rationed per kiosk like
// ConfirmAccount's and audited.
func (s *Service) ConfirmActivation(ctx context.Context, in ActivationInput) (ActivationTicket, error) {
	if err := s.ready(); err != nil {
		return ActivationTicket{}, err
	}
	now := s.Clock.Now()
	var f fieldErrs
	ent := validateEnterprise(EnterpriseInput{LegalType: in.LegalType, Name: in.Name, USCC: in.USCC}, &f)
	repName, doc, _ := validateRep(in.RepName, in.IDDoc, "", now, FieldRepName, false, &f)
	if err := f.err(); err != nil {
		return ActivationTicket{}, err
	}
	// The registry is read first: it may be remote, and never inside a tx.
	rec, err := s.Registry.LookupUSCC(ctx, ent.USCC)
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return ActivationTicket{}, err
	}
	inRegistry := err == nil
	e, err := s.lookUpRationed(ctx, now, rationedLookup{
		flow: "activate", action: AuditActivateLookup,
		find:    func(tx model.Tx) (model.Enterprise, error) { return tx.Enterprises().ByUSCC(ent.USCC) },
		unknown: refuse(FieldForm, model.ErrActivationMismatch),
		judge: func(e model.Enterprise) (string, error) {
			return activationRefusal(e, rec, inRegistry, ent, repName, doc.Number)
		},
	})
	if err != nil {
		return ActivationTicket{}, err
	}
	return s.newActivationTicket(e, rules.MaskMobile(activationPhone(e, rec, inRegistry)), now), nil
}

func activationRefusal(e model.Enterprise, rec model.RegistryRecord, inRegistry bool, in EnterpriseInput, repName, idNumber string) (string, error) {
	switch e.State {
	case model.EnterpriseActive:
		return "active", refuse(FieldUSCC, model.ErrAlreadyRegistered)
	case model.EnterprisePending:
	default:
		return "closed", refuse(FieldUSCC, model.ErrClosedUSCC)
	}
	// The pending record is the reference; a record without its legal
	// representative's ID falls back to the registry's.
	rep := e.LegalRep
	if strings.TrimSpace(rep.ID.Number) == "" && inRegistry {
		rep = rec.LegalRep
	}
	if foldName(e.LegalType) != foldName(in.LegalType) || foldName(e.Name) != foldName(in.Name) ||
		strings.TrimSpace(rep.ID.Number) == "" || !sameRep(rep, repName, idNumber) {
		return "mismatch", refuse(FieldForm, model.ErrActivationMismatch)
	}
	if activationPhone(e, rec, inRegistry) == "" {
		return "no_phone", refuse(FieldForm, model.ErrNoReservedPhone)
	}
	return "ok", nil
}

// activationPhone is where the activation code goes: the pending record's
// reserved phone, else the registry's phone of the legal representative;
// "" when neither is a valid mobile.
func activationPhone(e model.Enterprise, rec model.RegistryRecord, inRegistry bool) string {
	if rules.ValidMobile(e.Phone) == nil {
		return e.Phone
	}
	if inRegistry && rules.ValidMobile(rec.Phone) == nil {
		return rec.Phone
	}
	return ""
}

// activationTarget reads the ticket's pending enterprise and its phone.
func (s *Service) activationTarget(ctx context.Context, t ActivationTicket) (model.Enterprise, string, error) {
	e, err := s.ticketEnterprise(ctx, ticketActivate, t.EnterpriseID, t.MaskedPhone, t.stamp, t.mac, t.Expires)
	if err != nil {
		return e, "", err
	}
	rec, err := s.Registry.LookupUSCC(ctx, e.USCC)
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return e, "", err
	}
	phone := activationPhone(e, rec, err == nil)
	if phone == "" || rules.MaskMobile(phone) != t.MaskedPhone {
		return e, "", refuse(FieldForm, model.ErrTicketExpired)
	}
	return e, phone, nil
}

// SendActivationCode is 账号激活 step 2 (安全验证): the code goes to the
// phone shown masked as t.MaskedPhone; pass is the picture captcha
// answered at step 1 (see sendCode).
func (s *Service) SendActivationCode(ctx context.Context, pass captcha.Pass, t ActivationTicket) (nextResend time.Time, err error) {
	_, phone, err := s.activationTarget(ctx, t)
	if err != nil {
		return time.Time{}, err
	}
	return s.sendCode(ctx, pass, smscode.PurposeActivate, phone)
}

// VerifyActivationCode answers the code of step 2; the proof goes to
// Activate.
func (s *Service) VerifyActivationCode(ctx context.Context, t ActivationTicket, code string) (smscode.Proof, error) {
	_, phone, err := s.activationTarget(ctx, t)
	if err != nil {
		return smscode.Proof{}, err
	}
	return s.verifyCode(ctx, smscode.PurposeActivate, phone, code)
}

// Activate is 账号激活 step 3 (设置账密): a unique account and a password
// under the policy; then in one Update the enterprise becomes active with
// them, the verified phone becomes its reserved phone, and the audit
// record and SMS notice are written. It then logs in like any other
// (model.Auth.LoginEnterprise). The screen checks 确认密码.
func (s *Service) Activate(ctx context.Context, t ActivationTicket, proof smscode.Proof, account, password string) (Done, error) {
	e, phone, err := s.activationTarget(ctx, t)
	if err != nil {
		return Done{}, err
	}
	if err := s.checkProof(proof, smscode.PurposeActivate, phone); err != nil {
		return Done{}, err
	}
	var f fieldErrs
	account = normInput(account)
	if err := s.checkAccount(ctx, account); err != nil && !f.merge(err) {
		return Done{}, err
	}
	f.add(FieldPassword, rules.CheckPassword(password, account, e.Name, e.LegalRep.Name))
	if err := f.err(); err != nil {
		return Done{}, err
	}
	hash, err := s.Hasher.Hash(password)
	if err != nil {
		return Done{}, fmt.Errorf("account: hash password: %w", err)
	}
	now := s.Clock.Now()
	notice := i18n.Sentence(ctx, noticeActivated(account))
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		cur, err := reread(tx, e.ID, t.stamp)
		if err != nil {
			return err
		}
		cur.Account, cur.PasswordHash, cur.Phone = account, hash, phone
		cur.State, cur.UpdatedAt = model.EnterpriseActive, now
		return firstErr(
			putEnterprise(tx, cur),
			appendAudit(tx, s.record("enterprise:"+cur.ID, AuditActivate, cur.ID, "ok", "", now)),
			tx.Outbox().Enqueue(model.NewOutboundSMS(phone, notice, model.SMSKindNotice, now)),
		)
	})
	if err != nil {
		return Done{}, err
	}
	return Done{ID: e.ID, Account: account, Name: e.Name, MaskedPhone: rules.MaskMobile(phone)}, nil
}
