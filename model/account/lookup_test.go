package account_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// passFor answers a picture captcha of the code service's gate now: the
// pass every SMS send takes.
func passFor(codes *smscode.Service) captcha.Pass {
	g := codes.Captcha.(*captcha.Service)
	ch := g.Issue()
	p, ok := g.Answer(ch.ID, ch.Text)
	if !ok {
		panic("captcha answer refused")
	}
	return p
}

// Every send of every flow needs the pass: without one nothing is sent.
func TestSendCodesNeedCaptcha(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tk, err := f.svc.ConfirmAccount(ctx, activeAccount, activeRep, activeID)
	if err != nil {
		t.Fatal(err)
	}
	sends := map[string]func(captcha.Pass) (time.Time, error){
		"register": func(p captcha.Pass) (time.Time, error) { return f.svc.SendRegisterCode(ctx, p, freePhone) },
		"person":   func(p captcha.Pass) (time.Time, error) { return f.svc.SendPersonCode(ctx, p, newPersonPhone) },
		"reset":    func(p captcha.Pass) (time.Time, error) { return f.svc.SendResetCode(ctx, p, tk) },
	}
	for name, send := range sends {
		_, err := send(captcha.Pass{})
		wantField(t, err, account.FieldSMSCode, "sms_captcha_required", smscode.ErrCaptchaRequired)
		if _, err := send(passFor(f.codes)); err != nil {
			t.Errorf("%s with a pass: %v", name, err)
		}
	}
	if n := len(f.notices(freePhone)); n != 0 {
		t.Fatalf("%d notices", n)
	}
}

// Step 2 of registration with every enterprise-level answer, after the
// proof: what step 1 used to say, now said here.
func TestCheckLegalRepEnterprise(t *testing.T) {
	f := newFixture(t)
	f.svc.Limits = account.Limits{Lookups: 100, IdentifierLookups: 100}
	proof := f.proof(smscode.PurposeRegister, freePhone)
	with := func(mod func(*account.EnterpriseInput)) account.EnterpriseInput {
		e := freeEnterprise()
		mod(&e)
		return e
	}
	for _, tt := range []struct {
		name      string
		in        account.EnterpriseInput
		key, code string
		cause     error
	}{
		{"already active", with(func(e *account.EnterpriseInput) {
			*e = account.EnterpriseInput{LegalType: "企业法人", Name: "长春澜益农业科技有限公司", USCC: activeUSCC}
		}), account.FieldUSCC, "already_registered", model.ErrAlreadyRegistered},
		{"pending", with(func(e *account.EnterpriseInput) {
			*e = account.EnterpriseInput{LegalType: "企业法人", Name: pendingName, USCC: pendingUSCC}
		}), account.FieldUSCC, "pending_uscc", model.ErrPendingUSCC},
		{"closed", with(func(e *account.EnterpriseInput) { e.USCC = closedUSCC }), account.FieldUSCC, "closed_uscc", model.ErrClosedUSCC},
		{"not in the registry", with(func(e *account.EnterpriseInput) { e.USCC = validUSCC(t, "77777777") }),
			account.FieldUSCC, "registry_mismatch", model.ErrRegistryMismatch},
		{"other name", with(func(e *account.EnterpriseInput) { e.Name = "通化弘诚农业有限公司" }),
			account.FieldName, "registry_mismatch", model.ErrRegistryMismatch},
		{"other legal type", with(func(e *account.EnterpriseInput) { e.LegalType = "个体工商户" }),
			account.FieldLegalType, "registry_mismatch", model.ErrRegistryMismatch},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantField(t, f.svc.CheckLegalRep(context.Background(), tt.in, freeRepInput(), proof), tt.key, tt.code, tt.cause)
		})
	}
}

// otherRepID is a valid ID number that is not the free enterprise's
// legal representative's.
func otherRepID(t *testing.T) string {
	c, err := rules.IDCheckChar("22050220010612382")
	if err != nil {
		t.Fatal(err)
	}
	return "22050220010612382" + string(c)
}

// No registry or duplicate check answers without the SMS proof: a right
// and a wrong legal representative, a free and a registered USCC, a free
// and a registered ID number all get the same refusal on the code field,
// nothing is looked up, counted or audited; the final steps say no more.
func TestLookupsNeedProof(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	wrongRep := freeRepInput()
	wrongRep.IDDoc.Number = otherRepID(t)
	active := account.EnterpriseInput{LegalType: "企业法人", Name: "长春澜益农业科技有限公司", USCC: activeUSCC}
	otherPhone := f.proof(smscode.PurposeRegister, "13900001111") // a proof, but for another phone
	resetProof := f.proof(smscode.PurposeReset, freePhone)        // a proof, but for another purpose
	registered := newPerson()
	registered.Name, registered.IDDoc = "姜军东", model.IDDocument{Number: personFreeID, Period: model.Validity20Years,
		ValidFrom: date(2025, 9, 12), ValidTo: date(2045, 9, 12)}

	for _, p := range []struct {
		name  string
		proof smscode.Proof
		want  error
	}{{"no proof", smscode.Proof{}, smscode.ErrProofMissing}, {"other phone", otherPhone, smscode.ErrProofInvalid},
		{"other purpose", resetProof, smscode.ErrProofInvalid}} {
		answers := map[string]error{
			"right rep":      f.svc.CheckLegalRep(ctx, freeEnterprise(), freeRepInput(), p.proof),
			"wrong rep":      f.svc.CheckLegalRep(ctx, freeEnterprise(), wrongRep, p.proof),
			"active USCC":    f.svc.CheckLegalRep(ctx, active, freeRepInput(), p.proof),
			"free person":    f.svc.CheckPerson(ctx, account.PersonInput{Name: newPerson().Name, IDDoc: newPerson().IDDoc, Phone: freePhone}, p.proof),
			"existing pers.": f.svc.CheckPerson(ctx, account.PersonInput{Name: registered.Name, IDDoc: registered.IDDoc, Phone: freePhone}, p.proof),
		}
		for what, err := range answers {
			wantField(t, err, account.FieldSMSCode, codeOfErr(p.want), p.want)
			var fe *account.FieldErrors
			errors.As(err, &fe)
			if keys := strings.Join(fe.Keys(), ","); keys != account.FieldSMSCode ||
				errors.Is(err, model.ErrRegistryMismatch) || errors.Is(err, model.ErrAlreadyRegistered) || errors.Is(err, model.ErrPersonExists) {
				t.Errorf("%s, %s: %v says more than the missing proof", p.name, what, err)
			}
		}
	}
	for _, a := range []string{account.AuditRegisterLookup, account.AuditPersonLookup} {
		if n := len(f.auditFor(a)); n != 0 {
			t.Errorf("%d %s records for look-ups that never happened", n, a)
		}
	}

	// The final steps: without a proof, no word on the registry or the store.
	reg := account.RegistrationInput{Enterprise: freeEnterprise(), LegalRep: wrongRep, Account: "Tonghua_Farm1",
		Password: "Farm#2026ok", Face: f.face(freeID, model.FaceForRegister)}
	_, err := f.svc.Register(ctx, reg)
	if errors.Is(err, model.ErrRegistryMismatch) || !errors.Is(err, smscode.ErrProofMissing) {
		t.Errorf("Register without proof: %v", err)
	}
	reg.Enterprise, reg.LegalRep = active, freeRepInput()
	if _, err := f.svc.Register(ctx, reg); errors.Is(err, model.ErrAlreadyRegistered) || errors.Is(err, model.ErrRegistryMismatch) {
		t.Errorf("Register without proof on an active USCC: %v", err)
	}
	_, err = f.svc.RegisterPerson(ctx, account.PersonRegistration{Person: account.PersonInput{Name: registered.Name,
		IDDoc: registered.IDDoc, Phone: newPersonPhone}, Password: "Ouyang#2026", Face: f.face(personFreeID, model.FaceForPerson)})
	if errors.Is(err, model.ErrPersonExists) || !errors.Is(err, smscode.ErrProofMissing) {
		t.Errorf("RegisterPerson without proof: %v", err)
	}
}

func codeOfErr(err error) string {
	var d *model.DomainError
	if errors.As(err, &d) {
		return d.Code
	}
	return ""
}

// The per-identifier limit stops guessing at one enterprise (or person)
// without blocking the kiosk for the others; it holds on every kiosk, and
// frees up as the window slides. A limited look-up says nothing else.
func TestIdentifierLookupLimit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	proof := f.proof(smscode.PurposeRegister, freePhone)
	wrong := freeRepInput()
	wrong.IDDoc.Number = otherRepID(t)
	lim := account.DefaultLimits()
	if lim.IdentifierLookups >= lim.Lookups {
		t.Fatalf("per-identifier limit %d not below the kiosk's %d", lim.IdentifierLookups, lim.Lookups)
	}
	for i := range lim.IdentifierLookups {
		wantField(t, f.svc.CheckLegalRep(ctx, freeEnterprise(), wrong, proof), account.FieldRepName, "registry_mismatch", model.ErrRegistryMismatch)
		_ = i
	}
	// The right representative now: limited, not "ok", not "mismatch".
	wantField(t, f.svc.CheckLegalRep(ctx, freeEnterprise(), freeRepInput(), proof), account.FieldForm, "lookup_limited", model.ErrLookupLimited)
	// Another kiosk: the identifier is limited there too.
	other := *f.svc
	other.Kiosk = "K-08"
	wantField(t, other.CheckLegalRep(ctx, freeEnterprise(), freeRepInput(), proof), account.FieldForm, "lookup_limited", model.ErrLookupLimited)
	// Another enterprise on this kiosk is answered.
	active := account.EnterpriseInput{LegalType: "企业法人", Name: "长春澜益农业科技有限公司", USCC: activeUSCC}
	wantField(t, f.svc.CheckLegalRep(ctx, active, freeRepInput(), proof), account.FieldUSCC, "already_registered", model.ErrAlreadyRegistered)
	// Persons: one ID number limited, another answered.
	pproof := f.proof(smscode.PurposePerson, newPersonPhone)
	for range lim.IdentifierLookups {
		if err := f.svc.CheckPerson(ctx, newPerson(), pproof); err != nil {
			t.Fatal(err)
		}
	}
	wantField(t, f.svc.CheckPerson(ctx, newPerson(), pproof), account.FieldForm, "lookup_limited", model.ErrLookupLimited)
	registered := newPerson()
	registered.Name, registered.IDDoc = "姜军东", model.IDDocument{Number: personFreeID, Period: model.Validity20Years,
		ValidFrom: date(2025, 9, 12), ValidTo: date(2045, 9, 12)}
	wantField(t, f.svc.CheckPerson(ctx, registered, pproof), account.FieldIDNumber, "person_exists", model.ErrPersonExists)
	// The window slides: the first enterprise is answered again.
	f.advance(lim.LookupWindow)
	proof = f.proof(smscode.PurposeRegister, freePhone)
	if err := f.svc.CheckLegalRep(ctx, freeEnterprise(), freeRepInput(), proof); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// The kiosk's own limit still holds over many identifiers, per kiosk.
func TestKioskLookupLimit(t *testing.T) {
	f := newFixture(t)
	f.svc.Limits = account.Limits{Lookups: 4, IdentifierLookups: 2}
	ctx := context.Background()
	proof := f.proof(smscode.PurposeRegister, freePhone)
	for i := range 4 {
		e := freeEnterprise()
		e.USCC = validUSCC(t, fmt.Sprintf("7777777%d", i))
		wantField(t, f.svc.CheckLegalRep(ctx, e, freeRepInput(), proof), account.FieldUSCC, "registry_mismatch", model.ErrRegistryMismatch)
	}
	wantField(t, f.svc.CheckLegalRep(ctx, freeEnterprise(), freeRepInput(), proof), account.FieldForm, "lookup_limited", model.ErrLookupLimited)
	other := *f.svc
	other.Kiosk = "K-08"
	if err := other.CheckLegalRep(ctx, freeEnterprise(), freeRepInput(), proof); err != nil {
		t.Fatalf("another kiosk: %v", err)
	}
}

// Each look-up leaves one audit record: the action, the outcome, an
// internal id or "unknown" as subject, and a blind fingerprint of the
// identifier, never the USCC, the ID number, the name or the phone.
func TestLookupsAudited(t *testing.T) {
	f := newFixture(t)
	f.svc.Limits = account.Limits{Lookups: 10, IdentifierLookups: 2}
	ctx := context.Background()
	proof := f.proof(smscode.PurposeRegister, freePhone)
	wrong := freeRepInput()
	wrong.IDDoc.Number = otherRepID(t)
	active := account.EnterpriseInput{LegalType: "企业法人", Name: "长春澜益农业科技有限公司", USCC: activeUSCC}
	_ = f.svc.CheckLegalRep(ctx, freeEnterprise(), wrong, proof)
	_ = f.svc.CheckLegalRep(ctx, freeEnterprise(), freeRepInput(), proof)
	_ = f.svc.CheckLegalRep(ctx, freeEnterprise(), freeRepInput(), proof) // limited
	_ = f.svc.CheckLegalRep(ctx, active, freeRepInput(), proof)
	pproof := f.proof(smscode.PurposePerson, newPersonPhone)
	registered := newPerson()
	registered.Name, registered.IDDoc = "姜军东", model.IDDocument{Number: personFreeID, Period: model.Validity20Years,
		ValidFrom: date(2025, 9, 12), ValidTo: date(2045, 9, 12)}
	_ = f.svc.CheckPerson(ctx, newPerson(), pproof)
	_ = f.svc.CheckPerson(ctx, registered, pproof)

	activeEnt, err := f.enterpriseByUSCC(activeUSCC)
	if err != nil {
		t.Fatal(err)
	}
	type rec struct{ subject, outcome string }
	got := func(action string) ([]rec, []model.AuditRecord) {
		var out []rec
		recs := f.auditFor(action)
		for _, r := range recs {
			out = append(out, rec{r.Subject, r.Outcome})
		}
		return out, recs
	}
	ent, entRecs := got(account.AuditRegisterLookup)
	wantEnt := []rec{{"unknown", "mismatch"}, {"unknown", "ok"}, {"unknown", "limited"}, {activeEnt.ID, "state_active"}}
	if fmt.Sprint(ent) != fmt.Sprint(wantEnt) {
		t.Errorf("registration look-ups audited as %v, want %v", ent, wantEnt)
	}
	pers, persRecs := got(account.AuditPersonLookup)
	if len(pers) != 2 || pers[0] != (rec{"unknown", "ok"}) || pers[1].outcome != "exists" || pers[1].subject == "unknown" {
		t.Errorf("person look-ups audited as %v", pers)
	}
	all := append(entRecs, persRecs...)
	for _, r := range all {
		line := fmt.Sprintf("%+v", r)
		for _, secret := range []string{freeUSCC, activeUSCC, freeID, otherRepID(t), newPersonID, personFreeID, freePhone, freeRep, "姜军东",
			strings.ToLower(freeUSCC)} {
			if strings.Contains(line, secret) {
				t.Errorf("audit record shows %q: %s", secret, line)
			}
		}
		if r.Kiosk != "K-07" || r.Actor != "anonymous" || !strings.Contains(r.Detail, "ident=") {
			t.Errorf("record %+v", r)
		}
	}
	// One identifier, one fingerprint; another identifier, another.
	if entRecs[0].Detail != entRecs[1].Detail || strings.Fields(entRecs[0].Detail)[0] == strings.Fields(entRecs[3].Detail)[0] {
		t.Errorf("fingerprints: %q %q %q", entRecs[0].Detail, entRecs[1].Detail, entRecs[3].Detail)
	}
}
