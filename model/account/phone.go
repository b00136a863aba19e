package account

import (
	"context"
	"time"

	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// 修改手机号码 (manual §四(一)(2)), for an enterprise login: 1 the login
// password, which yields a PhoneTicket · 2 the new mobile number and the
// SMS code sent to it (behind the picture captcha) · 3 the change, with a
// notice to the old number and a confirmation to the new one. Agents are
// refused (UseChangePhone is the enterprise's).

// Audit actions of 修改手机号码: each check of the login password at step 1
// (a login attempt, counted toward the login lockout), and the change,
// whose detail holds the blind indexes of the old and new numbers, never
// the numbers.
const (
	AuditChangePhoneCheck = "phone.change.check"
	AuditChangePhone      = "phone.change"
)

const ticketPhone = "phone"

// PhoneTicket is the result of step 1: the login password was right. Like
// ResetTicket it is signed, expires (Limits.TicketTTL), and is bound to
// the account's state, so a password or phone change since step 1 makes
// it void (model.ErrTicketExpired); the later steps also check that it was
// issued to the enterprise logged in.
type PhoneTicket struct {
	EnterpriseID string // internal id; never shown
	MaskedPhone  string // the reserved phone now, 138****5678 ("" when none)
	Expires      time.Time
	stamp, mac   string
}

func (s *Service) newPhoneTicket(e model.Enterprise, now time.Time) PhoneTicket {
	t := PhoneTicket{EnterpriseID: e.ID, MaskedPhone: maskedOrNone(e.Phone), Expires: now.Add(s.limits().TicketTTL),
		stamp: stampOf(e)}
	t.mac = s.ticketMAC(ticketPhone, t.EnterpriseID, t.MaskedPhone, t.stamp, t.Expires)
	return t
}

// maskedOrNone is a phone as it may be shown, or "" when it is no number.
func maskedOrNone(phone string) string {
	if rules.ValidMobile(phone) != nil {
		return ""
	}
	return rules.MaskMobile(phone)
}

// VerifyPhoneChangePassword is step 1 of 修改手机号码: the login password of
// the enterprise logged in, checked as a login attempt (model.Auth.Reverify:
// it counts toward the login lockout and is audited as
// AuditChangePhoneCheck). A wrong one is refused on FieldPassword with the
// tries left, a locked login with until when (an empty one with
// model.ErrLoginPasswordEmpty, unchecked); the right one gives the ticket
// of the next steps.
func (s *Service) VerifyPhoneChangePassword(ctx context.Context, who model.Session, password string) (PhoneTicket, error) {
	if err := s.ready(); err != nil {
		return PhoneTicket{}, err
	}
	if _, err := s.authorize(ctx, who, UseChangePhone); err != nil {
		return PhoneTicket{}, err
	}
	if password == "" {
		return PhoneTicket{}, refuse(FieldPassword, model.ErrLoginPasswordEmpty)
	}
	if err := s.reverify(ctx, who, AuditChangePhoneCheck, FieldPassword, password); err != nil {
		return PhoneTicket{}, err
	}
	// Read again: the ticket is bound to the record as it is after the check.
	p, err := s.authorize(ctx, who, UseChangePhone)
	if err != nil {
		return PhoneTicket{}, err
	}
	return s.newPhoneTicket(p.ent, s.Clock.Now()), nil
}

// phoneTarget authorises who and checks that t is step 1's ticket of who's
// enterprise, still valid for it. It returns the principal and the new
// number, normalised and checked: a mobile number that is not the reserved
// phone already (model.ErrSamePhone on FieldPhone).
func (s *Service) phoneTarget(ctx context.Context, who model.Session, t PhoneTicket, newPhone string) (principal, string, error) {
	if err := s.ready(); err != nil {
		return principal{}, "", err
	}
	p, err := s.authorize(ctx, who, UseChangePhone)
	if err != nil {
		return principal{}, "", err
	}
	if err := s.phoneTicketHolds(p.ent, t); err != nil {
		return principal{}, "", err
	}
	newPhone, err = checkNewPhone(p.ent, newPhone)
	return p, newPhone, err
}

func (s *Service) phoneTicketHolds(e model.Enterprise, t PhoneTicket) error {
	if err := s.checkTicket(ticketPhone, t.EnterpriseID, t.MaskedPhone, t.stamp, t.mac, t.Expires); err != nil {
		return err
	}
	if t.EnterpriseID != e.ID {
		return refuse(FieldForm, model.ErrTicketExpired)
	}
	return checkStamp(e, t.stamp)
}

// checkNewPhone normalises a new reserved phone and refuses a malformed
// one or the reserved phone itself, on FieldPhone.
func checkNewPhone(e model.Enterprise, phone string) (string, error) {
	phone = normInput(phone)
	if err := rules.ValidMobile(phone); err != nil {
		return phone, refuse(FieldPhone, err)
	}
	if phone == e.Phone {
		return phone, refuse(FieldPhone, model.ErrSamePhone)
	}
	return phone, nil
}

// SendPhoneChangeCode is step 2 of 修改手机号码: the code goes to the new
// number, behind the picture captcha answered on that page (pass), within
// the smscode service's limits. The number must differ from the reserved
// phone.
func (s *Service) SendPhoneChangeCode(ctx context.Context, who model.Session, pass captcha.Pass, t PhoneTicket, newPhone string) (nextResend time.Time, err error) {
	_, phone, err := s.phoneTarget(ctx, who, t, newPhone)
	if err != nil {
		return time.Time{}, err
	}
	return s.sendCode(ctx, pass, smscode.PurposePhone, phone)
}

// VerifyPhoneChangeCode answers step 2's code; the proof goes to
// ChangePhone.
func (s *Service) VerifyPhoneChangeCode(ctx context.Context, who model.Session, t PhoneTicket, newPhone, code string) (smscode.Proof, error) {
	_, phone, err := s.phoneTarget(ctx, who, t, newPhone)
	if err != nil {
		return smscode.Proof{}, err
	}
	return s.verifyCode(ctx, smscode.PurposePhone, phone, code)
}

// ChangePhone is the last step of 修改手机号码: the ticket, the new number
// and its SMS proof are checked again, then in one Update (authorised
// again) the reserved phone is replaced, the old number gets a notice
// naming the new one masked, the new number a confirmation, and the change
// is audited with both numbers' blind indexes. A change of the password or
// the phone since step 1 voids the ticket. Done.MaskedPhone is the new
// number, masked.
func (s *Service) ChangePhone(ctx context.Context, who model.Session, t PhoneTicket, newPhone string, proof smscode.Proof) (Done, error) {
	_, phone, err := s.phoneTarget(ctx, who, t, newPhone)
	if err != nil {
		return Done{}, err
	}
	if err := s.checkProof(proof, smscode.PurposePhone, phone); err != nil {
		return Done{}, err
	}
	now := s.Clock.Now()
	var done Done
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		done = Done{} // the closure may run again
		q, err := s.authorizeTx(tx, who, UseChangePhone, now)
		if err != nil {
			return err
		}
		if err := s.phoneTicketHolds(q.ent, t); err != nil {
			return err
		}
		e := q.ent
		old := e.Phone
		e.Phone, e.UpdatedAt = phone, now
		done = Done{ID: e.ID, Account: e.Account, Name: e.Name, MaskedPhone: rules.MaskMobile(phone)}
		writes := []error{
			tx.Enterprises().Put(e),
			appendAudit(tx, s.record(q.actor(), AuditChangePhone, q.subject(), "ok", s.phonesDetail(old, phone), now)),
		}
		if rules.ValidMobile(old) == nil {
			writes = append(writes, enqueueNotice(ctx, tx, old, noticePhoneChanged(e.Account, done.MaskedPhone), now))
		}
		writes = append(writes, enqueueNotice(ctx, tx, phone, noticePhoneBound(e.Account), now))
		return firstErr(writes...)
	})
	if err != nil {
		return Done{}, err
	}
	return done, nil
}

// phonesDetail is the audit detail of a reserved phone replaced: both
// numbers as blind indexes ("none" for no old number).
func (s *Service) phonesDetail(old, phone string) string {
	o := "none"
	if old != "" {
		o = s.blind("phone", old)
	}
	return "old_phone=" + o + " new_phone=" + s.blind("phone", phone)
}

// enqueueNotice puts a notice in the outbox, written in the language of
// the visit.
func enqueueNotice(ctx context.Context, tx model.Tx, phone string, notice i18n.Text, now time.Time) error {
	return tx.Outbox().Enqueue(model.NewOutboundSMS(phone, i18n.Sentence(ctx, notice), model.SMSKindNotice, now))
}

// noticePhoneChanged tells the old reserved phone that account's reserved
// phone is now masked (138****5678).
func noticePhoneChanged(account, masked string) i18n.Text {
	return i18n.T("notice.phone_changed", "Account", account, "Phone", masked)
}

// noticePhoneBound tells the new number that it is account's reserved
// phone now.
func noticePhoneBound(account string) i18n.Text {
	return i18n.T("notice.phone_bound", "Account", account)
}
