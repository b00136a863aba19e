package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/model/smscode"
)

// TestSMSInLanguageOfVisit: every use case that sends an SMS writes it in
// the language the request's context carries, and the outbox stores the
// rendered text. (Until a language has its catalog, it renders Chinese.)
func TestSMSInLanguageOfVisit(t *testing.T) {
	sms := func(l i18n.Lang, text i18n.Text) string {
		return model.SMSSignature + i18n.Default().Render(l, text)
	}
	for _, l := range i18n.Langs {
		t.Run(string(l), func(t *testing.T) {
			ctx := i18n.WithLang(context.Background(), l)
			wantOne := func(what string, got []model.OutboundSMS, want string) {
				t.Helper()
				if strings.Contains(want, "⟦") {
					t.Fatalf("%s: %q is not a sentence of the catalog", what, want)
				}
				if len(got) != 1 || got[0].Text != want {
					t.Errorf("%s: %+v, want one SMS %q", what, got, want)
				}
			}

			f := newFixture(t)
			in := f.registration()
			if _, err := f.svc.Register(ctx, in); err != nil {
				t.Fatal(err)
			}
			wantOne("registered", f.notices(freePhone), sms(l, i18n.T("notice.registered", "Account", in.Account)))

			e, _ := f.enterpriseByUSCC(activeUSCC)
			tk, err := f.svc.ConfirmAccount(ctx, activeAccount, activeRep, activeID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.SendResetCode(ctx, passFor(f.svc.Codes), tk); err != nil {
				t.Fatal(err)
			}
			wantOne("reset code", f.codeSMS(activePhone), sms(l, smscode.Text(code, 5*time.Minute)))
			proof, err := f.svc.VerifyResetCode(ctx, tk, code)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.ResetPassword(ctx, tk, proof, "Reset#Pw2027"); err != nil {
				t.Fatal(err)
			}
			wantOne("password reset", f.notices(activePhone), sms(l, i18n.T("notice.password_reset", "Account", e.Account)))

			atk, err := f.svc.ConfirmActivation(ctx, pendingInput())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.SendActivationCode(ctx, passFor(f.svc.Codes), atk); err != nil {
				t.Fatal(err)
			}
			aproof, err := f.svc.VerifyActivationCode(ctx, atk, code)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Activate(ctx, atk, aproof, "Borun_Tech1", "Borun#2026x"); err != nil {
				t.Fatal(err)
			}
			wantOne("activated", f.notices(pendingPhone), sms(l, i18n.T("notice.activated", "Account", "Borun_Tech1")))

			if _, err := f.svc.SendPersonCode(ctx, passFor(f.svc.Codes), newPersonPhone); err != nil {
				t.Fatal(err)
			}
			pproof, err := f.svc.VerifyPersonCode(ctx, newPersonPhone, code)
			if err != nil {
				t.Fatal(err)
			}
			p := account.PersonRegistration{Person: newPerson(), Password: "Ouyang#2026", PhoneProof: pproof, Face: f.face(newPersonID, model.FaceForPerson)}
			if _, err := f.svc.RegisterPerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			wantOne("person registered", f.notices(newPersonPhone), sms(l, i18n.T("notice.person_registered")))
		})
	}
}

// codeSMS returns the pending code SMS to phone.
func (f *fixture) codeSMS(phone string) []model.OutboundSMS {
	f.t.Helper()
	var out []model.OutboundSMS
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		out = nil // the closure may run again
		msgs, err := tx.Outbox().List(model.OutboxPending, 1000)
		for _, m := range msgs {
			if m.To == phone && m.Kind == model.SMSKindCode {
				out = append(out, m)
			}
		}
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}
