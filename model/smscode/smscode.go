// Package smscode is the SMS verification-code use case (SPEC §2): 6-digit
// codes, valid 5 minutes, single use, killed by 5 wrong tries, resent after
// 60 s, at most 1 a minute, 5 an hour and 10 a day per number and an hourly
// and a daily cap per kiosk against SMS pumping. No code is sent without a
// picture-captcha pass (captcha.Pass) answered in the visit's flow. Codes
// are stored only as keyed hashes, and the SMS goes through the durable
// outbox in the transaction that issues it.
//
// Code failures are counted on the code itself, apart from the password
// failures in model.LockoutRepo.
package smscode

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/rules"
)

// Purposes of a code: a code issued for one never answers another.
const (
	PurposeRegister = "register" // enterprise registration, legal rep's phone
	PurposeReset    = "reset"    // forgot password
	PurposeActivate = "activate" // account activation
	PurposePhone    = "phone"    // change of phone, new number
	PurposeAppeal   = "appeal"   // appeal identity check
	PurposePerson   = "person"   // natural-person registration
)

// Limits are the code and rate rules. A zero field takes its default.
type Limits struct {
	PerMinute, PerHour, PerDay int // sends per phone number
	PerKioskHour               int // sends per kiosk, all numbers
	PerKioskDay                int // sends per kiosk and day, all numbers
	TTL                        time.Duration
	Resend                     time.Duration // per purpose and number
	MaxTries                   int           // wrong answers that kill a code
}

// DefaultLimits are the rules of SPEC §2.
func DefaultLimits() Limits {
	return Limits{PerMinute: 1, PerHour: 5, PerDay: 10, PerKioskHour: 60, PerKioskDay: DefaultPerKioskDay,
		TTL: 5 * time.Minute, Resend: 60 * time.Second, MaxTries: 5}
}

// DefaultPerKioskDay is the daily cap of a kiosk: a busy hall's day, well
// below 24 full hours at the hourly cap, so a pump that keeps under the
// hourly cap is still stopped within the day.
const DefaultPerKioskDay = 300

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	pick := func(v, def int) int {
		if v <= 0 {
			return def
		}
		return v
	}
	pickD := func(v, def time.Duration) time.Duration {
		if v <= 0 {
			return def
		}
		return v
	}
	return Limits{PerMinute: pick(l.PerMinute, d.PerMinute), PerHour: pick(l.PerHour, d.PerHour), PerDay: pick(l.PerDay, d.PerDay),
		PerKioskHour: pick(l.PerKioskHour, d.PerKioskHour), PerKioskDay: pick(l.PerKioskDay, d.PerKioskDay), TTL: pickD(l.TTL, d.TTL), Resend: pickD(l.Resend, d.Resend),
		MaxTries: pick(l.MaxTries, d.MaxTries)}
}

// Windows the rates are kept for: the longest rule of a phone and of a
// kiosk is a day.
const (
	phoneKeep = 24 * time.Hour
	kioskKeep = 24 * time.Hour
)

// MinSecretLen is the shortest HMAC key Service accepts: with only a
// million codes, the key is what keeps a stolen hash from being reversed.
const MinSecretLen = 16

// CaptchaGate tells a picture-captcha pass this kiosk issued and that
// still holds (*captcha.Service) from any other.
type CaptchaGate interface {
	Valid(p captcha.Pass) bool
}

// Service issues and checks codes.
type Service struct {
	Store  model.Store
	Clock  model.Clock // nil: the wall clock
	Kiosk  string      // this terminal, for the per-kiosk caps
	Secret []byte      // HMAC key for code hashes, at least MinSecretLen bytes
	Rand   io.Reader   // nil: crypto/rand
	// Captcha checks the pass Send requires; Send refuses to run without it.
	Captcha CaptchaGate
	Limits  Limits
}

func (s *Service) ready(purpose string) error {
	switch {
	case s.Store == nil:
		return errors.New("smscode: Service without Store")
	case len(s.Secret) < MinSecretLen:
		return fmt.Errorf("smscode: Secret shorter than %d bytes", MinSecretLen)
	case !validPurpose(purpose):
		return fmt.Errorf("smscode: invalid purpose %q", purpose)
	}
	return nil
}

// validPurpose allows short lower-case names, so the hash input stays
// unambiguous ("|" cannot occur) and typos show up in tests.
func validPurpose(p string) bool {
	if p == "" || len(p) > 32 || p[0] < 'a' || p[0] > 'z' {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func (s *Service) now() time.Time {
	if s.Clock == nil {
		return time.Now()
	}
	return s.Clock.Now()
}

func (s *Service) rand() io.Reader {
	if s.Rand == nil {
		return rand.Reader
	}
	return s.Rand
}

func phoneKey(phone string) string { return "sms-phone:" + phone }
func kioskKey(kiosk string) string { return "sms-kiosk:" + kiosk }

// Text is the SMS body of a code (the outbox adds the signature): sms.code
// with Code and N, the minutes it stays valid (rounded up). Send renders it
// in the language of the visit.
func Text(code string, ttl time.Duration) i18n.Text {
	return i18n.T("sms.code", "Code", code, "N", int(math.Ceil(ttl.Minutes())))
}

// Send issues a code for purpose and phone, replacing an older one, and in
// the same transaction updates the rate windows and puts the SMS into the
// outbox, written in the language ctx carries (i18n.WithLang; Chinese when
// none): either all of it is stored or nothing. pass proves a picture
// captcha was answered in the visit's flow (zero, forged or expired:
// ErrCaptchaRequired, audited). It returns when the next send for this
// number is allowed, for the countdown on the button. Refusals are
// ErrCaptchaRequired, *TooSoonError, ErrHourLimit, ErrDayLimit,
// ErrKioskLimit, ErrKioskDayLimit or a phone-format DomainError; they
// store nothing but their audit record.
func (s *Service) Send(ctx context.Context, pass captcha.Pass, purpose, phone string) (nextResend time.Time, err error) {
	if err := s.ready(purpose); err != nil {
		return time.Time{}, err
	}
	if s.Captcha == nil {
		return time.Time{}, errors.New("smscode: Service without Captcha")
	}
	phone = rules.NormalizeInput(phone) // full width from an input method is the same number
	if err := rules.ValidMobile(phone); err != nil {
		return time.Time{}, mobileError(err)
	}
	if !s.Captcha.Valid(pass) {
		now := s.now()
		if err := s.Store.Update(ctx, func(tx model.Tx) error { return s.audit(tx, now, purpose, "no_captcha") }); err != nil {
			return time.Time{}, err
		}
		return time.Time{}, ErrCaptchaRequired
	}
	// Drawn outside the transaction, which an optimistic engine may re-run.
	code, err := newCode(s.rand())
	if err != nil {
		return time.Time{}, err
	}
	lim, now := s.Limits.withDefaults(), s.now()
	// The SMS is written in the language of the visit (i18n.WithLang).
	body := i18n.Sentence(ctx, Text(code, lim.TTL))
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		var err error
		nextResend, err = s.send(tx, lim, now, purpose, phone, code, body)
		if err != nil {
			return err
		}
		return s.audit(tx, now, purpose, "ok")
	})
	if isLimit(err) {
		// A refused send stores nothing, but SMS pumping is investigated
		// from the audit log: record the refusal on its own.
		if aerr := s.Store.Update(ctx, func(tx model.Tx) error { return s.audit(tx, now, purpose, "limited") }); aerr != nil {
			return time.Time{}, aerr
		}
	}
	if err != nil {
		return time.Time{}, err
	}
	return nextResend, nil
}

// AuditSend is the audit action of every code send and refused send. The
// record names the purpose, never the number.
const AuditSend = "sms.code.send"

func (s *Service) audit(tx model.Tx, now time.Time, purpose, outcome string) error {
	_, err := tx.Audit().Append(model.AuditRecord{Time: now, Kiosk: s.Kiosk, Actor: "anonymous",
		Action: AuditSend, Subject: purpose, Outcome: outcome})
	return err
}

// isLimit reports a refusal by one of the send limits.
func isLimit(err error) bool {
	return errors.Is(err, ErrTooSoon) || errors.Is(err, ErrHourLimit) || errors.Is(err, ErrDayLimit) ||
		errors.Is(err, ErrKioskLimit) || errors.Is(err, ErrKioskDayLimit)
}

// send issues code, whose SMS reads body (the rendered Text of code).
func (s *Service) send(tx model.Tx, lim Limits, now time.Time, purpose, phone, code, body string) (time.Time, error) {
	phoneW, err := tx.Rates().Get(phoneKey(phone))
	if err != nil {
		return time.Time{}, err
	}
	kioskW, err := tx.Rates().Get(kioskKey(s.Kiosk))
	if err != nil {
		return time.Time{}, err
	}
	phoneW.Events = prune(phoneW.Events, now, phoneKeep)
	kioskW.Events = prune(kioskW.Events, now, kioskKeep)
	old, err := tx.SMSCodes().Get(purpose, phone)
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return time.Time{}, err
	}

	// The resend time and the per-minute limit share one message with a
	// countdown; the others have none the user could act on.
	var until time.Time
	if err == nil {
		until = old.SentAt.Add(lim.Resend)
	}
	if t := freeAt(phoneW.Events, now, time.Minute, lim.PerMinute); t.After(until) {
		until = t
	}
	switch {
	case until.After(now):
		return time.Time{}, &TooSoonError{Until: until, Wait: until.Sub(now)}
	case len(inWindow(phoneW.Events, now, 24*time.Hour)) >= lim.PerDay:
		return time.Time{}, ErrDayLimit
	case len(inWindow(phoneW.Events, now, time.Hour)) >= lim.PerHour:
		return time.Time{}, ErrHourLimit
	case len(inWindow(kioskW.Events, now, 24*time.Hour)) >= lim.PerKioskDay:
		return time.Time{}, ErrKioskDayLimit
	case len(inWindow(kioskW.Events, now, time.Hour)) >= lim.PerKioskHour:
		return time.Time{}, ErrKioskLimit
	}

	phoneW.Events = append(phoneW.Events, now)
	kioskW.Events = append(kioskW.Events, now)
	c := model.SMSCode{Purpose: purpose, Phone: phone, Hash: hashCode(s.Secret, purpose, phone, code),
		SentAt: now, Expires: now.Add(lim.TTL)}
	// The outbox goes last, so a failing outbox proves the rest rolls back.
	if err := firstErr(
		tx.SMSCodes().Put(c),
		tx.Rates().Put(phoneW),
		tx.Rates().Put(kioskW),
		tx.Outbox().Enqueue(model.NewOutboundSMS(phone, body, model.SMSKindCode, now)),
	); err != nil {
		return time.Time{}, err
	}
	next := now.Add(lim.Resend)
	if t := freeAt(phoneW.Events, now, time.Minute, lim.PerMinute); t.After(next) {
		next = t
	}
	return next, nil
}

// firstErr evaluates all its arguments (the writes) in order and returns
// the first error; later writes after a failure do not matter because the
// transaction rolls back.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Check answers the outstanding code of purpose and phone. Success uses
// the code up. Failures: ErrCodeEmpty/ErrCodeFormat (nothing counted),
// ErrNoCode, ErrInvalidated (used, or killed by wrong tries), ErrExpired,
// or *WrongCodeError, which counts a try.
func (s *Service) Check(ctx context.Context, purpose, phone, code string) error {
	if err := s.ready(purpose); err != nil {
		return err
	}
	phone = rules.NormalizeInput(phone) // full width from an input method is the same number
	if err := rules.ValidMobile(phone); err != nil {
		return mobileError(err)
	}
	code, err := NormalizeCode(code)
	if err != nil {
		return err
	}
	lim, now := s.Limits.withDefaults(), s.now()
	want := hashCode(s.Secret, purpose, phone, code)
	var result error
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		result = nil // fn may be re-run
		c, err := tx.SMSCodes().Get(purpose, phone)
		switch {
		case errors.Is(err, model.ErrNotFound):
			result = ErrNoCode
			return nil
		case err != nil:
			return err
		case c.Used || c.Tries >= lim.MaxTries:
			result = ErrInvalidated
			return nil
		case !now.Before(c.Expires):
			result = ErrExpired
			return nil
		case !sameHash(c.Hash, want):
			c.Tries++
			result = &WrongCodeError{Left: lim.MaxTries - c.Tries}
		default:
			c.Used = true
		}
		// The wrong try is committed although Check fails: that is the count.
		return tx.SMSCodes().Put(c)
	})
	if err != nil {
		return err
	}
	return result
}
