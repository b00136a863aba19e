package account

import (
	"errors"
	"slices"
	"strings"
	"time"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
)

var (
	errLegalType = &model.DomainError{Code: "legal_type", Msg: i18n.T("error.legal_type")}
)

// EnterpriseInput is step 1 of registration (and part of activation).
type EnterpriseInput struct {
	LegalType string // one of model.LegalTypes
	Name      string // 企业名称
	USCC      string // as typed; trimmed and upper-cased here
}

// LegalRepInput is step 2 of registration: the legal representative.
type LegalRepInput struct {
	Name  string
	IDDoc model.IDDocument // Type "" means model.IDTypeResident
	Phone string           // the mobile the SMS code goes to; becomes the reserved phone
}

// normDoc normalises the number (width, spaces, the X's case), defaults the only document
// type, and keeps the dates as calendar dates at UTC midnight.
func normDoc(d model.IDDocument) model.IDDocument {
	d.Number = normIdentifier(d.Number)
	d.Type = strings.TrimSpace(d.Type)
	if d.Type == "" {
		d.Type = model.IDTypeResident
	}
	d.ValidFrom = utcDate(d.ValidFrom)
	d.ValidTo = utcDate(d.ValidTo)
	return d
}

func utcDate(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// validateEnterprise checks the fields of step 1 alone.
func validateEnterprise(in EnterpriseInput, f *fieldErrs) EnterpriseInput {
	in.LegalType = strings.TrimSpace(in.LegalType)
	in.Name = strings.TrimSpace(in.Name)
	if !slices.Contains(model.LegalTypes, in.LegalType) {
		f.add(FieldLegalType, errLegalType)
	}
	f.add(FieldName, rules.ValidEnterpriseName(in.Name))
	u, err := rules.NormalizeUSCC(in.USCC)
	f.add(FieldUSCC, err)
	in.USCC = u
	return in
}

// validateRep checks the fields of a person: name, ID card as of now, and
// the phone when withPhone.
func validateRep(name string, doc model.IDDocument, phone string, now time.Time, nameKey string, withPhone bool, f *fieldErrs) (string, model.IDDocument, string) {
	name = strings.TrimSpace(name)
	f.add(nameKey, rules.ValidName(name))
	doc = normDoc(doc)
	if err := rules.CheckIDDocument(doc, now); err != nil {
		f.add(idField(err), err)
	}
	phone = normInput(phone)
	if withPhone {
		f.add(FieldPhone, rules.ValidMobile(phone))
	}
	return name, doc, phone
}

// usccState refuses a USCC that already has an account in the store.
func usccState(tx model.Tx, uscc string) error {
	e, err := tx.Enterprises().ByUSCC(uscc)
	switch {
	case errors.Is(err, model.ErrNotFound):
		return nil
	case err != nil:
		return err
	}
	return usccRefusal(e)
}

// usccRefusal is the refusal for a USCC that has an enterprise record.
func usccRefusal(e model.Enterprise) error {
	switch e.State {
	case model.EnterprisePending:
		return refuse(FieldUSCC, model.ErrPendingUSCC)
	case model.EnterpriseClosed:
		return refuse(FieldUSCC, model.ErrClosedUSCC)
	}
	return refuse(FieldUSCC, model.ErrAlreadyRegistered)
}

// matchEnterprise compares step 1 with the registry record.
func matchEnterprise(rec model.RegistryRecord, in EnterpriseInput) error {
	var f fieldErrs
	if foldName(rec.LegalType) != foldName(in.LegalType) {
		f.add(FieldLegalType, model.ErrRegistryMismatch)
	}
	if foldName(rec.Name) != foldName(in.Name) {
		f.add(FieldName, model.ErrRegistryMismatch)
	}
	return f.err()
}

// sameRep reports whether a name and ID number are the registry's legal
// representative. One answer for either mismatch: which of the two is wrong
// would help someone guessing a representative's ID number.
func sameRep(rep model.LegalRep, name, idNumber string) bool {
	return foldName(rep.Name) == foldName(name) &&
		strings.EqualFold(strings.TrimSpace(rep.ID.Number), strings.TrimSpace(idNumber))
}

// foldName makes names typed at a kiosk comparable with registry names:
// full-width ASCII (（）from a Chinese input method) becomes half-width,
// the middle-dot look-alikes become ·, and spaces go.
func foldName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '\u3000' || r == '\t':
			continue
		case r >= '！' && r <= '～':
			r -= '！' - '!'
		case r == '•' || r == '・' || r == '･' || r == '‧' || r == '∙':
			r = '·'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// checkFace accepts evidence sealed by s.Faces for this ID number and
// purpose, recent enough; the demo verdict only when AllowDemoFace.
func (s *Service) checkFace(f model.FaceEvidence, idNumber, purpose string, now time.Time) error {
	return s.Faces.Check(f, model.FaceUse{IDNumber: idNumber, Purpose: purpose,
		MaxAge: s.limits().FaceMaxAge, AllowDemo: s.AllowDemoFace}, now)
}

// faceDetail is the audit note of a face verdict: method and reference,
// reduced to a safe alphabet and length (the reference is an id, not PII).
func faceDetail(f model.FaceEvidence) string {
	d := "face=" + f.Method
	if r := cleanRef(f.Ref); r != "" {
		d += " ref=" + r
	}
	return d
}

func cleanRef(s string) string {
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < 64; i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.:", c) >= 0 {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// CheckNewPassword checks a new password and its confirmation: the policy
// on FieldPassword (account is "" for a natural person; names are the
// enterprise's and the person's, zxcvbn's user inputs), a differing
// confirmation on FieldConfirm. "Not the current password" is checked by
// ResetPassword, which knows the current one.
func CheckNewPassword(account, password, confirm string, names ...string) error {
	var f fieldErrs
	f.add(FieldPassword, rules.CheckPassword(password, normInput(account), names...))
	if confirm != password {
		f.add(FieldConfirm, model.ErrPasswordConfirm)
	}
	return f.err()
}
