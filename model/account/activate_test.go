package account_test

import (
	"context"
	"strings"
	"testing"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/smscode"
)

func pendingInput() account.ActivationInput {
	return account.ActivationInput{LegalType: "企业法人", Name: pendingName, USCC: pendingUSCC,
		RepName: pendingRep, IDDoc: pendingDoc()}
}

func TestConfirmActivation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	with := func(mod func(*account.ActivationInput)) account.ActivationInput {
		in := pendingInput()
		mod(&in)
		return in
	}
	tests := []struct {
		name      string
		in        account.ActivationInput
		key, code string
		cause     error
	}{
		{"ok", with(func(in *account.ActivationInput) { in.USCC = strings.ToLower(in.USCC) }), "", "", nil},
		{"active", with(func(in *account.ActivationInput) {
			*in = account.ActivationInput{LegalType: "企业法人", Name: "长春澜益农业科技有限公司", USCC: activeUSCC,
				RepName: activeRep, IDDoc: activeRepDoc()}
		}), account.FieldUSCC, "already_registered", model.ErrAlreadyRegistered},
		{"in the registry but no account", with(func(in *account.ActivationInput) {
			*in = account.ActivationInput{LegalType: "企业法人", Name: freeName, USCC: freeUSCC, RepName: freeRep, IDDoc: freeDoc()}
		}), account.FieldForm, "activation_mismatch", model.ErrActivationMismatch},
		{"other rep ID", with(func(in *account.ActivationInput) {
			in.RepName, in.IDDoc = freeRep, freeDoc()
		}), account.FieldForm, "activation_mismatch", model.ErrActivationMismatch},
		{"other name", with(func(in *account.ActivationInput) { in.Name = "长春博润科技有限公司" }),
			account.FieldForm, "activation_mismatch", model.ErrActivationMismatch},
		{"other legal type", with(func(in *account.ActivationInput) { in.LegalType = "其他组织" }),
			account.FieldForm, "activation_mismatch", model.ErrActivationMismatch},
		{"validity not matching age", with(func(in *account.ActivationInput) {
			in.IDDoc.Period, in.IDDoc.ValidTo = model.Validity20Years, date(2029, 12, 26)
		}), account.FieldIDPeriod, "id_period", nil},
		{"bad USCC check digit", with(func(in *account.ActivationInput) { in.USCC = pendingUSCC[:17] + "1" }),
			account.FieldUSCC, "uscc_check", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk, err := f.svc.ConfirmActivation(ctx, tt.in)
			if tt.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				if tk.MaskedPhone != "156****0776" || tk.EnterpriseID == "" {
					t.Fatalf("ticket = %+v", tk)
				}
				return
			}
			wantField(t, err, tt.key, tt.code, tt.cause)
		})
	}
}

func TestConfirmActivationExpiredID(t *testing.T) {
	f := newFixture(t)
	// 徐俊明's card: 20 years from 2017-02-06; pretend it is 2037.
	f.clk.Set(f.clk.Now().AddDate(11, 0, 0))
	_, err := f.svc.ConfirmActivation(context.Background(), account.ActivationInput{
		LegalType: "企业法人", Name: "长春澜恒检测技术有限公司", USCC: "912201021341128413", RepName: "徐俊明",
		IDDoc: model.IDDocument{Number: "22060219881020747X", Period: model.Validity20Years,
			ValidFrom: date(2017, 2, 6), ValidTo: date(2037, 2, 6)}})
	wantField(t, err, account.FieldIDTo, "expired", nil)
}

// TestActivationPhoneFallback: no phone on the pending record → the
// registry's; neither → the counter.
func TestActivationPhoneFallback(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e, _ := f.enterpriseByUSCC(pendingUSCC)
	e.Phone = ""
	f.putEnterprise(e)
	tk, err := f.svc.ConfirmActivation(ctx, pendingInput())
	if err != nil || tk.MaskedPhone != "156****0776" {
		t.Fatalf("%+v, %v", tk, err)
	}
	err = f.store.Update(ctx, func(tx model.Tx) error {
		r, err := tx.Registry().Get(pendingUSCC)
		if err != nil {
			return err
		}
		r.Phone = ""
		return tx.Registry().Put(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.ConfirmActivation(ctx, pendingInput())
	wantField(t, err, account.FieldForm, "no_reserved_phone", model.ErrNoReservedPhone)
	// The first ticket no longer leads anywhere: its phone is gone.
	_, err = f.svc.SendActivationCode(ctx, passFor(f.svc.Codes), tk)
	wantField(t, err, account.FieldForm, "ticket_expired", model.ErrTicketExpired)
}

func TestActivate(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tk, err := f.svc.ConfirmActivation(ctx, pendingInput())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SendActivationCode(ctx, passFor(f.svc.Codes), tk); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.VerifyActivationCode(ctx, tk, wrongCode)
	wantField(t, err, account.FieldSMSCode, "sms_code_wrong", smscode.ErrWrongCode)
	proof, err := f.svc.VerifyActivationCode(ctx, tk, code)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.codes.CheckProof(proof, smscode.PurposeActivate, pendingPhone); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ account, pw, key, code string }{
		{"Demo_Corp03", "Borun#2026x", account.FieldAccount, "account_taken"},
		{"1borun", "Borun#2026x", account.FieldAccount, "account_length"},
		{"Borun_Tech1", "borun2026", account.FieldPassword, "password_classes"},
		{"Borun_Tech1", "X!borun_tech1", account.FieldPassword, "password_account"},
	} {
		_, err := f.svc.Activate(ctx, tk, proof, tt.account, tt.pw)
		wantField(t, err, tt.key, tt.code, nil)
	}
	_, err = f.svc.Activate(ctx, tk, smscode.Proof{}, "Borun_Tech1", "Borun#2026x")
	wantField(t, err, account.FieldSMSCode, "sms_proof_missing", smscode.ErrProofMissing)

	// A pending account cannot log in; after activation it can.
	if _, err := f.auth.LoginEnterprise(ctx, pendingUSCC, "Borun#2026x"); err != model.ErrPendingActivation {
		t.Fatalf("login before activation: %v", err)
	}
	done, err := f.svc.Activate(ctx, tk, proof, "Borun_Tech1", "Borun#2026x")
	if err != nil {
		t.Fatal(err)
	}
	e, _ := f.enterpriseByUSCC(pendingUSCC)
	if e.ID != done.ID || e.State != model.EnterpriseActive || e.Account != "Borun_Tech1" || e.Phone != pendingPhone {
		t.Fatalf("enterprise = %+v", e)
	}
	if r := f.auditFor(account.AuditActivate); len(r) != 1 || r[0].Subject != e.ID {
		t.Fatalf("audit = %+v", r)
	}
	if n := f.notices(pendingPhone); len(n) != 1 || !strings.Contains(n[0].Text, "Borun_Tech1已激活成功") {
		t.Fatalf("notices = %+v", n)
	}
	s, err := f.auth.LoginEnterprise(ctx, "borun_tech1", "Borun#2026x")
	if err != nil || s.EnterpriseID != e.ID {
		t.Fatalf("login: %+v, %v", s, err)
	}
	if _, err := f.auth.LoginEnterprise(ctx, pendingUSCC, "Borun#2026x"); err != nil {
		t.Fatalf("login by USCC: %v", err)
	}
	// Activating again: the ticket is spent, and step 1 says it is active.
	_, err = f.svc.Activate(ctx, tk, proof, "Borun_Tech2", "Borun#2026x")
	wantField(t, err, account.FieldForm, "ticket_expired", model.ErrTicketExpired)
	_, err = f.svc.ConfirmActivation(ctx, pendingInput())
	wantField(t, err, account.FieldUSCC, "already_registered", model.ErrAlreadyRegistered)
}
