package account_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

var allFields = []string{account.FieldForm, account.FieldLegalType, account.FieldName, account.FieldUSCC,
	account.FieldRepName, account.FieldIDNumber, account.FieldIDPeriod, account.FieldIDFrom, account.FieldIDTo,
	account.FieldPhone, account.FieldSMSCode, account.FieldAccount, account.FieldPassword, account.FieldConfirm}

// checkRefusal: a step either passes or refuses with *FieldErrors on known
// keys, each with a Chinese sentence; nothing else may come out of bad input.
func checkRefusal(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var fe *account.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("not a refusal: %v (%T)", err, err)
	}
	if len(fe.Fields) == 0 {
		t.Fatal("empty *FieldErrors")
	}
	for k, text := range fe.Fields {
		msg := zh(text)
		if !slices.Contains(allFields, k) || msg == "" || strings.Contains(msg, "⟦") || !utf8.ValidString(msg) || fe.Code(k) == "" {
			t.Fatalf("field %q: message %q, code %q", k, msg, fe.Code(k))
		}
	}
	if !reflect.DeepEqual(model.UserMessage(err), fe.Fields[fe.Keys()[0]]) {
		t.Fatal("UserMessage is not the topmost field's")
	}
}

// FuzzCheckEnterprise: step 1 checks the fields alone; any input it
// passes has a valid USCC and one of the legal types.
func FuzzCheckEnterprise(f *testing.F) {
	for _, s := range [][3]string{
		{"企业法人", freeName, freeUSCC}, {"企业法人", freeName, strings.ToLower(freeUSCC)},
		{"企业法人", "长春澜益农业科技有限公司", activeUSCC}, {"企业法人", pendingName, pendingUSCC},
		{"", "", ""}, {"个体工商户", "x\x1b[2J", "91220502076366391"}, {"企业法人", freeName, freeUSCC + "\x00"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, legalType, name, uscc string) {
		err := fx.svc.CheckEnterprise(context.Background(), account.EnterpriseInput{LegalType: legalType, Name: name, USCC: uscc})
		checkRefusal(t, err)
		if err != nil {
			return
		}
		if _, uerr := rules.NormalizeUSCC(uscc); uerr != nil || !slices.Contains(model.LegalTypes, strings.TrimSpace(legalType)) {
			t.Fatalf("accepted %q/%q/%q", legalType, name, uscc)
		}
	})
}

// FuzzCheckLegalRep: step 2 passes only for the registry's representative
// of the free enterprise with a valid, current card and a mobile.
func FuzzCheckLegalRep(f *testing.F) {
	f.Add(freeRep, freeID, "10y", 0, 3653, freePhone)
	f.Add(freeRep, strings.ToLower(freeID), "10y", 0, 3653, " "+freePhone)
	f.Add("冯 强", freeID, "20y", 0, 7305, freePhone)
	f.Add(freeRep, freeID[:17]+"X", "10y", 0, 3653, freePhone)
	f.Add("", "", "", -1, -1, "")
	f.Add(freeRep, freeID, "long", 0, -1, "19999999999")
	base := date(2023, 11, 25)
	fx := newFixture(f)
	fx.svc.Limits = account.Limits{Lookups: 1 << 30, IdentifierLookups: 1 << 30}
	proof := fx.proof(smscode.PurposeRegister, freePhone)
	f.Fuzz(func(t *testing.T, name, number, period string, fromDays, toDays int, phone string) {
		doc := model.IDDocument{Number: number, Period: model.ValidityPeriod(period)}
		if fromDays >= 0 && fromDays < 40000 {
			doc.ValidFrom = base.AddDate(0, 0, -fromDays)
		}
		if toDays >= 0 && toDays < 40000 {
			doc.ValidTo = base.AddDate(0, 0, toDays)
		}
		err := fx.svc.CheckLegalRep(context.Background(), freeEnterprise(), account.LegalRepInput{Name: name, IDDoc: doc, Phone: phone}, proof)
		checkRefusal(t, err)
		if err != nil {
			return
		}
		if strings.ToUpper(strings.TrimSpace(number)) != freeID || rules.ValidMobile(strings.TrimSpace(phone)) != nil ||
			rules.CheckIDDocument(doc, start) != nil && rules.CheckIDDocument(normalised(doc), start) != nil {
			t.Fatalf("accepted %q %q %+v %q", name, number, doc, phone)
		}
	})
}

func normalised(d model.IDDocument) model.IDDocument {
	d.Type = model.IDTypeResident
	d.Number = strings.ToUpper(strings.TrimSpace(d.Number))
	return d
}
