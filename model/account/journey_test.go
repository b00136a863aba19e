package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
)

// TestJourneyRegisterLoginForgotPassword: register → log in → forgot
// password → the old password is refused, the new one works, the old
// session is over, and the lock the forgotten password caused is gone.
func TestJourneyRegisterLoginForgotPassword(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.svc

	// Registration, step by step as the form calls it.
	if err := svc.CheckEnterprise(ctx, freeEnterprise()); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SendRegisterCode(ctx, passFor(svc.Codes), freePhone); err != nil {
		t.Fatal(err)
	}
	proof, err := svc.VerifyRegisterCode(ctx, freePhone, code)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.CheckLegalRep(ctx, freeEnterprise(), freeRepInput(), proof); err != nil {
		t.Fatal(err)
	}
	const acct, pw = "Tonghua_Farm1", "Farm#2026ok"
	if err := svc.CheckAccount(ctx, acct); err != nil {
		t.Fatal(err)
	}
	if err := account.CheckNewPassword(acct, pw, pw); err != nil {
		t.Fatal(err)
	}
	f.advance(time.Minute) // face verification
	done, err := svc.Register(ctx, account.RegistrationInput{Enterprise: freeEnterprise(), LegalRep: freeRepInput(),
		Account: acct, Password: pw, PhoneProof: proof, Face: f.face(freeID, model.FaceForRegister)})
	if err != nil {
		t.Fatal(err)
	}

	// Log in, log out, log in again and keep that session.
	s1, err := f.auth.LoginEnterprise(ctx, acct, pw)
	if err != nil || s1.EnterpriseID != done.ID {
		t.Fatalf("login: %+v, %v", s1, err)
	}
	if err := f.auth.Logout(ctx, s1); err != nil {
		t.Fatal(err)
	}
	s1, err = f.auth.LoginEnterprise(ctx, freeUSCC, pw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.EnterpriseView(ctx, s1); err != nil {
		t.Fatal(err)
	}
	// The password is forgotten: five wrong tries lock the account.
	var locked *model.LockedError
	for range model.MaxFailures {
		_, err = f.auth.LoginEnterprise(ctx, acct, "Guess#2026x")
	}
	if !errors.As(err, &locked) {
		t.Fatalf("after %d failures: %v", model.MaxFailures, err)
	}

	// Forgot password.
	f.advance(2 * time.Minute)
	tk, err := svc.ConfirmAccount(ctx, acct, freeRep, freeID)
	if err != nil {
		t.Fatal(err)
	}
	if tk.MaskedPhone != "187****2385" {
		t.Fatalf("masked phone %q", tk.MaskedPhone)
	}
	if _, err := svc.SendResetCode(ctx, passFor(svc.Codes), tk); err != nil {
		t.Fatal(err)
	}
	rp, err := svc.VerifyResetCode(ctx, tk, code)
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.ResetPassword(ctx, tk, rp, pw)
	if !errors.Is(err, model.ErrSamePassword) {
		t.Fatalf("same password: %v", err)
	}
	if _, err := svc.ResetPassword(ctx, tk, rp, newPw); err != nil {
		t.Fatal(err)
	}

	// The old session is over; the old password is refused; the new one
	// works at once although the account was locked.
	if _, err := f.auth.EnterpriseView(ctx, s1); !errors.Is(err, model.ErrSessionEnded) {
		t.Fatalf("old session: %v", err)
	}
	if _, err := f.auth.LoginEnterprise(ctx, acct, pw); !errors.Is(err, model.ErrBadCredentials) {
		t.Fatalf("old password: %v", err)
	}
	s2, err := f.auth.LoginEnterprise(ctx, acct, newPw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.EnterpriseView(ctx, s2); err != nil {
		t.Fatal(err)
	}
	if n := f.notices(freePhone); len(n) != 2 {
		t.Fatalf("%d notices, want registration and reset", len(n))
	}
}
