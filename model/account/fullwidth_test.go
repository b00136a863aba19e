package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/width"

	"kiosk/model"
	"kiosk/model/account"
)

// wide is what a Chinese input method types for s.
func wide(s string) string { return width.Widen.String(s) }

// Every identifier of a registration typed in full width (and the USCC in
// lower case) by any caller: the use cases accept it and store the normal
// form, and the indexes find it.
func TestRegisterFullWidthStoresNormalForm(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// The code is sent to, and answered for, the number as typed.
	if _, err := f.svc.SendRegisterCode(ctx, passFor(f.svc.Codes), wide(freePhone)); err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.VerifyRegisterCode(ctx, wide(freePhone), wide(code))
	if err != nil {
		t.Fatal(err)
	}
	ent := freeEnterprise()
	ent.USCC = wide(strings.ToLower(freeUSCC))
	if err := f.svc.CheckEnterprise(ctx, ent); err != nil {
		t.Fatalf("CheckEnterprise(full width) = %v", err)
	}
	rep := freeRepInput()
	rep.IDDoc.Number, rep.Phone = wide(freeID), wide(freePhone)
	if err := f.svc.CheckLegalRep(ctx, ent, rep, p); err != nil {
		t.Fatalf("CheckLegalRep(full width) = %v", err)
	}
	if err := f.svc.CheckAccount(ctx, wide("Tonghua_Farm1")); err != nil {
		t.Fatalf("CheckAccount(full width) = %v", err)
	}
	f.advance(2 * time.Minute)
	done, err := f.svc.Register(ctx, account.RegistrationInput{Enterprise: ent, LegalRep: rep,
		Account: wide("Tonghua_Farm1"), Password: "Farm#2026ok", PhoneProof: p, Face: f.face(freeID, model.FaceForRegister)})
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.enterpriseByUSCC(freeUSCC)
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != done.ID || e.USCC != freeUSCC || e.Account != "Tonghua_Farm1" || e.Phone != freePhone ||
		e.LegalRep.ID.Number != freeID || done.MaskedPhone != "187****2385" {
		t.Fatalf("stored %+v (done %+v), want the normal forms", e, done)
	}
}

// The password policy with the inputs of the use case: P@ssw0rd is weak,
// the account's pinyin (tonghua) makes a password weak, a strong one
// passes; and the person's and the enterprise's names are inputs too.
func TestRegisterPasswordStrength(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	base := f.registration()
	for _, tt := range []struct{ pw, code string }{
		{"P@ssw0rd", "password_weak"},
		{"Tonghua#2026", "password_weak"},
		{"Secret#2024", "password_weak"},
	} {
		in := base
		in.Password = tt.pw
		wantField(t, func() error { _, err := f.svc.Register(ctx, in); return err }(), account.FieldPassword, tt.code, nil)
	}
	wantField(t, account.CheckNewPassword("Tonghua_Farm1", "P@ssw0rd", "P@ssw0rd"), account.FieldPassword, "password_weak", nil)
	wantField(t, account.CheckNewPassword("acme_corp01", "Xinghe#2024Qz", "Xinghe#2024Qz", "Xinghe科技有限公司"),
		account.FieldPassword, "password_name", nil)
	if err := account.CheckNewPassword("Tonghua_Farm1", "Yanbian@2027x", "Yanbian@2027x", freeName, freeRep); err != nil {
		t.Fatalf("strong password refused: %v", err)
	}
}
