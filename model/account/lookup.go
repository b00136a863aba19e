package account

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"kiosk/model"
)

// Registry and duplicate checks of the registrations (is this the legal
// representative, is this enterprise or ID number registered already) are
// look-up oracles: a security review recovered an ID number in 382 calls.
// So they are answered only after the SMS proof, within the kiosk's
// look-up limit of the flow and a per-identifier limit, and every answer
// is audited, never with the identifier in clear.

// Audit actions of the proved look-ups.
const (
	AuditRegisterLookup = "register.enterprise.lookup"
	AuditPersonLookup   = "register.person.lookup"
)

// Look-up flows, for the per-kiosk and per-identifier windows.
const (
	lookupRegister = "register"
	lookupPerson   = "person"
)

// blind is a keyed fingerprint of an identifier (a USCC, an ID number),
// for rate keys and audit details: stable, so attempts on one identifier
// can be told apart and counted, but useless without the kiosk's secret.
func (s *Service) blind(kind, value string) string {
	k := hmac.New(sha256.New, s.Codes.Secret)
	k.Write([]byte("account-lookup-blind-v1"))
	m := hmac.New(sha256.New, k.Sum(nil))
	m.Write([]byte(kind + "\x00" + strings.ToUpper(strings.TrimSpace(value))))
	return hex.EncodeToString(m.Sum(nil)[:12])
}

func identKey(flow, blind string) string { return "account-lookup-ident:" + flow + ":" + blind }

// provedLookup is one registry or duplicate check, made after the SMS
// proof was checked.
type provedLookup struct {
	flow, action string
	blind        string // the identifier, blind
	// judge answers in the look-up's transaction: the audit subject (an
	// internal id or "unknown"), the outcome, and nil or the refusal; err
	// is a failure of the store.
	judge func(tx model.Tx) (subject, outcome string, refusal, err error)
}

// lookUpProved runs l in one Update: the identifier's window, then the
// kiosk's, then the answer and its audit record. A look-up refused by a
// limit is not counted in either window, and says nothing but
// model.ErrLookupLimited. A refusal comes back as the error; the spent
// look-up and its audit record are committed with it.
func (s *Service) lookUpProved(ctx context.Context, now time.Time, l provedLookup) error {
	lim := s.limits()
	var refusal error
	err := s.Store.Update(ctx, func(tx model.Tx) error {
		refusal = nil // fn may be re-run
		identW, identOK, err := s.lookupWindow(tx, identKey(l.flow, l.blind), lim.IdentifierLookups, now)
		if err != nil {
			return err
		}
		kioskW, kioskOK, err := s.lookupWindow(tx, lookupKey(l.flow, s.Kiosk), lim.Lookups, now)
		if err != nil {
			return err
		}
		subject, outcome, detail := "unknown", "limited", "ident="+l.blind
		switch {
		case !identOK:
			refusal, detail = refuse(FieldForm, model.ErrLookupLimited), detail+" limit=identifier"
		case !kioskOK:
			refusal, detail = refuse(FieldForm, model.ErrLookupLimited), detail+" limit=kiosk"
		default:
			identW.Events = append(identW.Events, now)
			kioskW.Events = append(kioskW.Events, now)
			if subject, outcome, refusal, err = l.judge(tx); err != nil {
				return err
			}
		}
		return firstErr(
			tx.Rates().Put(identW),
			tx.Rates().Put(kioskW),
			appendAudit(tx, s.record("anonymous", l.action, subject, outcome, detail, now)),
		)
	})
	if err != nil {
		return err
	}
	return refusal
}
