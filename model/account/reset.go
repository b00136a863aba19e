package account

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// takeLookup spends one of the kiosk's account look-ups in window key, or
// reports that none is left. The refused look-up is not counted, so the
// limit frees up as the window slides.
func (s *Service) takeLookup(tx model.Tx, key string, now time.Time) (bool, error) {
	w, ok, err := s.lookupWindow(tx, key, s.limits().Lookups, now)
	if err != nil {
		return false, err
	}
	if ok {
		w.Events = append(w.Events, now)
	}
	return ok, tx.Rates().Put(w)
}

// lookupWindow reads the look-up window key, pruned to LookupWindow, and
// whether it admits one more of limit.
func (s *Service) lookupWindow(tx model.Tx, key string, limit int, now time.Time) (model.RateWindow, bool, error) {
	w, err := tx.Rates().Get(key)
	if err != nil {
		return w, false, err
	}
	w.Key = key
	from := now.Add(-s.limits().LookupWindow)
	w.Events = slices.DeleteFunc(slices.Clone(w.Events), func(e time.Time) bool { return !e.After(from) })
	return w, len(w.Events) < limit, nil
}

func lookupKey(flow, kiosk string) string { return "account-lookup:" + flow + ":" + kiosk }

// rationedLookup is step 1 of 忘记密码 and of 账号激活: an enterprise
// looked up by what an anonymous person typed, within the kiosk's look-up
// limit for flow, each look-up audited as action.
type rationedLookup struct {
	flow, action string
	find         func(model.Tx) (model.Enterprise, error)
	// unknown is the refusal when find finds nothing.
	unknown error
	// judge answers for a found enterprise: the audit outcome, and nil or
	// the refusal.
	judge func(model.Enterprise) (outcome string, refusal error)
}

// lookUpRationed runs l in one Update and returns the enterprise that
// passed l.judge. A refusal comes back as the error, but it is the answer,
// not a failure: the spent look-up and its audit record are committed.
func (s *Service) lookUpRationed(ctx context.Context, now time.Time, l rationedLookup) (model.Enterprise, error) {
	var (
		found   model.Enterprise
		refusal error
	)
	err := s.Store.Update(ctx, func(tx model.Tx) error {
		found, refusal = model.Enterprise{}, nil // fn may be re-run
		ok, err := s.takeLookup(tx, lookupKey(l.flow, s.Kiosk), now)
		if err != nil {
			return err
		}
		outcome, subject := "ok", "unknown"
		e, err := l.find(tx)
		switch {
		case !ok:
			outcome, refusal = "limited", refuse(FieldForm, model.ErrLookupLimited)
		case errors.Is(err, model.ErrNotFound):
			outcome, refusal = "unknown", l.unknown
		case err != nil:
			return err
		default:
			subject = e.ID
			outcome, refusal = l.judge(e)
			if refusal == nil {
				found = e
			}
		}
		return appendAudit(tx, s.record("anonymous", l.action, subject, outcome, "", now))
	})
	if err != nil {
		return model.Enterprise{}, err
	}
	return found, refusal
}

// ConfirmAccount is 忘记密码 step 1 (确认账号): the account, the legal
// representative's name and ID number. As the manual asks it says
// model.ErrAccountNotExist ("当前企业账号不存在") for an unknown account, but
// only within the kiosk's look-up limit (model.ErrLookupLimited); the
// picture captcha before it is the screen's job. A wrong name or ID number
// gets one generic model.ErrRepMismatch. A pending account is sent to
// activation, a closed one to the counter. Every look-up is audited.
func (s *Service) ConfirmAccount(ctx context.Context, account, repName, idNumber string) (ResetTicket, error) {
	if err := s.ready(); err != nil {
		return ResetTicket{}, err
	}
	now := s.Clock.Now()
	account, repName, idNumber = normInput(account), strings.TrimSpace(repName), normIdentifier(idNumber)
	// Format errors cost no look-up: they say nothing about the store.
	var f fieldErrs
	f.add(FieldAccount, rules.ValidAccount(account))
	f.add(FieldRepName, rules.ValidName(repName))
	if _, err := rules.ParseResidentID(idNumber, now); err != nil {
		f.add(FieldIDNumber, err)
	}
	if err := f.err(); err != nil {
		return ResetTicket{}, err
	}
	e, err := s.lookUpRationed(ctx, now, rationedLookup{
		flow: "reset", action: AuditResetLookup,
		find:    func(tx model.Tx) (model.Enterprise, error) { return tx.Enterprises().ByAccount(account) },
		unknown: refuse(FieldAccount, model.ErrAccountNotExist),
		judge:   func(e model.Enterprise) (string, error) { return resetRefusal(e, repName, idNumber) },
	})
	if err != nil {
		return ResetTicket{}, err
	}
	return s.newResetTicket(e, rules.MaskMobile(e.Phone), now), nil
}

// resetRefusal says whether a found account may reset its password.
func resetRefusal(e model.Enterprise, repName, idNumber string) (outcome string, refusal error) {
	switch {
	case !sameRep(e.LegalRep, repName, idNumber):
		return "mismatch", refuse(FieldRepName, model.ErrRepMismatch)
	case e.State == model.EnterprisePending:
		return "pending", refuse(FieldForm, model.ErrPendingActivation)
	case e.State != model.EnterpriseActive:
		return "closed", refuse(FieldForm, model.ErrAccountClosed)
	case rules.ValidMobile(e.Phone) != nil:
		return "no_phone", refuse(FieldForm, model.ErrNoReservedPhone)
	}
	return "ok", nil
}

// resetTarget reads the ticket's enterprise and checks the ticket still
// holds for it.
func (s *Service) resetTarget(ctx context.Context, t ResetTicket) (model.Enterprise, error) {
	return s.ticketEnterprise(ctx, ticketReset, t.EnterpriseID, t.MaskedPhone, t.stamp, t.mac, t.Expires)
}

// ticketEnterprise reads the enterprise a ticket of kind (checkTicket's
// arguments) was issued for. A record gone or changed since step 1 makes
// the ticket void (model.ErrTicketExpired).
func (s *Service) ticketEnterprise(ctx context.Context, kind, id, masked, stamp, mac string, expires time.Time) (model.Enterprise, error) {
	if err := s.ready(); err != nil {
		return model.Enterprise{}, err
	}
	if err := s.checkTicket(kind, id, masked, stamp, mac, expires); err != nil {
		return model.Enterprise{}, err
	}
	var e model.Enterprise
	err := s.Store.View(ctx, func(tx model.Tx) error {
		var err error
		e, err = tx.Enterprises().Get(id)
		return err
	})
	if errors.Is(err, model.ErrNotFound) {
		return e, refuse(FieldForm, model.ErrTicketExpired)
	}
	if err != nil {
		return e, err
	}
	return e, checkStamp(e, stamp)
}

// reread reads the ticket's enterprise again inside the writing
// transaction: changed since the checks before it (another kiosk reset or
// activated it), the ticket is void and the person starts over.
func reread(tx model.Tx, id, stamp string) (model.Enterprise, error) {
	cur, err := tx.Enterprises().Get(id)
	if err != nil {
		return cur, err
	}
	return cur, checkStamp(cur, stamp)
}

// SendResetCode is 忘记密码 step 2: the code goes to the reserved phone,
// which the screen knows only masked (t.MaskedPhone).
// pass is the picture captcha answered at step 1 (see sendCode).
func (s *Service) SendResetCode(ctx context.Context, pass captcha.Pass, t ResetTicket) (nextResend time.Time, err error) {
	e, err := s.resetTarget(ctx, t)
	if err != nil {
		return time.Time{}, err
	}
	return s.sendCode(ctx, pass, smscode.PurposeReset, e.Phone)
}

// VerifyResetCode answers the code of step 2; the proof goes to
// ResetPassword.
func (s *Service) VerifyResetCode(ctx context.Context, t ResetTicket, code string) (smscode.Proof, error) {
	e, err := s.resetTarget(ctx, t)
	if err != nil {
		return smscode.Proof{}, err
	}
	return s.verifyCode(ctx, smscode.PurposeReset, e.Phone, code)
}

// ResetPassword is 忘记密码 step 3 (设置新密码): the policy, not the current
// password (model.ErrSamePassword); then in one Update the new hash, the
// end of every session (SessionEpoch+1, which model.Auth.EnterpriseView
// refuses), the login lockout cleared, the audit record and the SMS notice.
// The screen checks 确认密码 (CheckNewPassword).
func (s *Service) ResetPassword(ctx context.Context, t ResetTicket, proof smscode.Proof, newPassword string) (Done, error) {
	e, err := s.resetTarget(ctx, t)
	if err != nil {
		return Done{}, err
	}
	if err := s.checkProof(proof, smscode.PurposeReset, e.Phone); err != nil {
		return Done{}, err
	}
	if err := rules.CheckPassword(newPassword, e.Account, e.Name, e.LegalRep.Name); err != nil {
		return Done{}, refuse(FieldPassword, err)
	}
	if same, err := s.Hasher.Verify(e.PasswordHash, newPassword); err == nil && same {
		return Done{}, refuse(FieldPassword, model.ErrSamePassword)
	}
	hash, err := s.Hasher.Hash(newPassword)
	if err != nil {
		return Done{}, fmt.Errorf("account: hash password: %w", err)
	}
	now := s.Clock.Now()
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		cur, err := reread(tx, e.ID, t.stamp)
		if err != nil {
			return err
		}
		cur.PasswordHash, cur.UpdatedAt = hash, now
		cur.SessionEpoch++
		return firstErr(
			tx.Enterprises().Put(cur),
			tx.Lockouts().Delete(enterpriseLockKey(cur.ID)),
			appendAudit(tx, s.record("enterprise:"+cur.ID, AuditReset, cur.ID, "ok", "", now)),
			tx.Outbox().Enqueue(model.NewOutboundSMS(cur.Phone, i18n.Sentence(ctx, noticePasswordReset(cur.Account)),
				model.SMSKindNotice, now)),
		)
	})
	if err != nil {
		return Done{}, err
	}
	return Done{ID: e.ID, Account: e.Account, Name: e.Name, MaskedPhone: rules.MaskMobile(e.Phone)}, nil
}
