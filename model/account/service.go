// Package account holds the account use cases of the kiosk: enterprise
// registration (manual §二), forgot password (§三), account activation
// (§五(一)) and natural-person registration. Each flow is a series of steps
// a multi-step form calls from tea.Cmds; every step re-reads what it needs
// and the final step re-validates everything, so nothing the screen carried
// between steps is trusted. Each final step writes the record, its indexes,
// its audit record and its SMS notice in one store Update: all or nothing.
// The notice is written in the language of the visit (i18n.WithLang on the
// context; Chinese when none).
//
// Refusals are *FieldErrors (a sentence, an i18n.Text, per form field); any
// other error is a failure of the system, for model.UserMessage and the log.
package account

import (
	"errors"
	"time"

	"kiosk/model"
	"kiosk/model/material"
	"kiosk/model/smscode"
)

// Limits of the account flows. A zero field takes its default.
type Limits struct {
	// Lookups is how many account look-ups (忘记密码 step 1, 账号激活 step
	// 1) one kiosk may make per LookupWindow: the answer "当前企业账号不存在"
	// tells whether an account exists, so it is rationed.
	Lookups      int
	LookupWindow time.Duration
	TicketTTL    time.Duration // how long step 1 of reset/activation stays valid
	FaceMaxAge   time.Duration // how old a face verdict may be at the final step

	// IdentifierLookups is how many registry and duplicate checks of the
	// registrations (CheckLegalRep, CheckPerson) one identifier (a USCC, an
	// ID number) may have per LookupWindow, over all kiosks. It is below
	// Lookups, so guessing at one enterprise or person stops before the
	// kiosk's own limit blocks everyone else at it.
	IdentifierLookups int
}

// DefaultLimits: 10 look-ups per 10 minutes per kiosk and flow, 3 per
// identifier, 30-minute tickets, face verdicts younger than 10 minutes.
func DefaultLimits() Limits {
	return Limits{Lookups: 10, LookupWindow: 10 * time.Minute, IdentifierLookups: 3, TicketTTL: 30 * time.Minute,
		FaceMaxAge: 10 * time.Minute}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.Lookups <= 0 {
		l.Lookups = d.Lookups
	}
	if l.LookupWindow <= 0 {
		l.LookupWindow = d.LookupWindow
	}
	if l.IdentifierLookups <= 0 {
		l.IdentifierLookups = d.IdentifierLookups
	}
	if l.TicketTTL <= 0 {
		l.TicketTTL = d.TicketTTL
	}
	if l.FaceMaxAge <= 0 {
		l.FaceMaxAge = d.FaceMaxAge
	}
	return l
}

// Service runs the account flows. All fields but Limits and AllowDemoFace
// are required.
type Service struct {
	Store    model.Store
	Registry model.Registry // the business registry (工商信息)
	Clock    model.Clock
	Hasher   model.PasswordHasher
	// Codes issues and checks the SMS codes and their proofs. Its Secret
	// also keys the tickets of this package (under another label).
	Codes *smscode.Service
	Kiosk string // this terminal, for the look-up limit and the audit log
	// Faces checks the face evidence of the final steps: it must be the
	// service that sealed it (the one the screens' face step uses).
	Faces *model.FaceService
	// Auth checks a logged-in principal's password again (修改密码,
	// 修改手机号码) within that principal's login lockout (Reverify).
	Auth *model.Auth
	// MaterialLimits bound an appeal's files (zero: material.DefaultLimits).
	MaterialLimits material.Limits
	// AllowDemoFace accepts model.FaceDemo evidence; set it in demo mode
	// only, so a production kiosk never accepts the simulated verdict.
	AllowDemoFace bool
	Limits        Limits
}

func (s *Service) ready() error {
	switch {
	case s.Store == nil || s.Registry == nil || s.Clock == nil || s.Hasher == nil || s.Codes == nil || s.Faces == nil ||
		s.Auth == nil:
		return errors.New("account: Service is missing a dependency")
	case len(s.Codes.Secret) < smscode.MinSecretLen:
		return errors.New("account: Codes.Secret too short")
	}
	return nil
}

func (s *Service) limits() Limits { return s.Limits.withDefaults() }

// Done is what a final step reports for the 完成 screen. It holds no
// personal data but the masked phone the notice went to.
type Done struct {
	ID          string // internal id of the enterprise or person; never shown
	Account     string // the enterprise account; "" for a natural person
	Name        string // the enterprise's or the person's name
	MaskedPhone string // 138****5678
}

func (s *Service) record(actor, action, subject, outcome, detail string, now time.Time) model.AuditRecord {
	return model.AuditRecord{Time: now, Kiosk: s.Kiosk, Actor: actor, Action: action, Subject: subject,
		Outcome: outcome, Detail: detail}
}

// enterpriseLockKey must equal the key model.Auth locks an enterprise
// under (auth.go); the journey test proves a reset unlocks the login.
func enterpriseLockKey(id string) string { return "enterprise:" + id }

// firstErr returns the first error of writes made in order; after a
// failure the transaction rolls back, so later writes do not matter.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
