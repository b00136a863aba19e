package account_test

import (
	"context"
	"strings"
	"testing"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/smscode"
)

// A person not yet registered: born 1990-03-07, 20 years from 2020-05-01.
const (
	newPersonID    = "220102199003070013"
	newPersonPhone = "13604310001"
)

func newPerson() account.PersonInput {
	return account.PersonInput{Name: "欧阳·明", Phone: newPersonPhone, IDDoc: model.IDDocument{
		Number: newPersonID, Period: model.Validity20Years, ValidFrom: date(2020, 5, 1), ValidTo: date(2040, 5, 1)}}
}

func TestCheckPerson(t *testing.T) {
	f := newFixture(t)
	f.svc.Limits = account.Limits{Lookups: 100, IdentifierLookups: 100}
	proof := f.proof(smscode.PurposePerson, newPersonPhone)
	with := func(mod func(*account.PersonInput)) account.PersonInput {
		p := newPerson()
		mod(&p)
		return p
	}
	tests := []struct {
		name      string
		in        account.PersonInput
		key, code string
		cause     error
	}{
		{"ok", newPerson(), "", "", nil},
		{"registered already", with(func(p *account.PersonInput) {
			p.Name, p.IDDoc = "姜军东", model.IDDocument{Number: personFreeID, Period: model.Validity20Years,
				ValidFrom: date(2025, 9, 12), ValidTo: date(2045, 9, 12)}
		}), account.FieldIDNumber, "person_exists", model.ErrPersonExists},
		{"bad check digit", with(func(p *account.PersonInput) { p.IDDoc.Number = newPersonID[:17] + "8" }), account.FieldIDNumber, "id_check", nil},
		{"validity not matching age", with(func(p *account.PersonInput) {
			p.IDDoc.Period, p.IDDoc.ValidTo = model.Validity10Years, date(2030, 5, 1)
		}), account.FieldIDPeriod, "id_period", nil},
		{"expired", with(func(p *account.PersonInput) {
			p.IDDoc.ValidFrom, p.IDDoc.Period, p.IDDoc.ValidTo = date(2005, 5, 1), model.Validity5Years, date(2010, 5, 1)
		}), account.FieldIDTo, "expired", nil},
		{"bad phone", with(func(p *account.PersonInput) { p.Phone = "1360431000" }), account.FieldPhone, "mobile_format", nil},
		{"bad name", with(func(p *account.PersonInput) { p.Name = "·明" }), account.FieldName, "name_dot", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.svc.CheckPerson(context.Background(), tt.in, proof)
			if tt.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantField(t, err, tt.key, tt.code, tt.cause)
		})
	}
}

func TestRegisterPerson(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.SendPersonCode(ctx, passFor(f.svc.Codes), newPersonPhone); err != nil {
		t.Fatal(err)
	}
	proof, err := f.svc.VerifyPersonCode(ctx, newPersonPhone, code)
	if err != nil {
		t.Fatal(err)
	}
	regProof := f.proof(smscode.PurposeRegister, newPersonPhone)
	in := account.PersonRegistration{Person: newPerson(), Password: "Ouyang#2026", PhoneProof: proof,
		Face: faceFor(newFaces(t, faceSecret, f.clk, stubFaceDevice{ref: "req-7f3a\n<script>"}), newPersonID, model.FaceForPerson)}
	for _, tt := range []struct {
		name      string
		mod       func(*account.PersonRegistration)
		key, code string
	}{
		{"weak password", func(r *account.PersonRegistration) { r.Password = "ouyang2026" }, account.FieldPassword, "password_classes"},
		{"registration proof", func(r *account.PersonRegistration) { r.PhoneProof = regProof }, account.FieldSMSCode, "sms_proof_invalid"},
		{"no face", func(r *account.PersonRegistration) { r.Face = model.FaceEvidence{} }, account.FieldForm, "face_required"},
	} {
		r := in
		tt.mod(&r)
		_, err := f.svc.RegisterPerson(ctx, r)
		wantField(t, err, tt.key, tt.code, nil)
	}
	done, err := f.svc.RegisterPerson(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	var p model.NaturalPerson
	err = f.store.View(ctx, func(tx model.Tx) error {
		var err error
		p, err = tx.Persons().ByIDNumber(newPersonID)
		return err
	})
	if err != nil || p.ID != done.ID || p.Name != "欧阳·明" || p.Phone != newPersonPhone || p.Document.Type != model.IDTypeResident {
		t.Fatalf("person = %+v, %v", p, err)
	}
	if ok, _ := f.svc.Hasher.Verify(p.PasswordHash, in.Password); !ok {
		t.Fatal("password does not verify")
	}
	r := f.auditFor(account.AuditRegisterPerson)
	if len(r) != 1 || r[0].Subject != p.ID || r[0].Detail != "face=http ref=req-7f3ascript" {
		t.Fatalf("audit = %+v", r)
	}
	if n := f.notices(newPersonPhone); len(n) != 1 || !strings.Contains(n[0].Text, "自然人") {
		t.Fatalf("notices = %+v", n)
	}
	_, err = f.svc.RegisterPerson(ctx, in)
	wantField(t, err, account.FieldIDNumber, "person_exists", model.ErrPersonExists)
}
