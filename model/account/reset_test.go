package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/smscode"
)

const closedID = "222401199903267286"

// putEnterprise stores e as is (tests that need states the demo lacks).
func (f *fixture) putEnterprise(e model.Enterprise) {
	f.t.Helper()
	err := f.store.Update(context.Background(), func(tx model.Tx) error { return tx.Enterprises().Put(e) })
	if err != nil {
		f.t.Fatal(err)
	}
}

func TestConfirmAccount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pend, err := f.enterpriseByUSCC(pendingUSCC)
	if err != nil {
		t.Fatal(err)
	}
	pend.Account = "Pending_Acct1" // a pending account that has a name (e.g. from an appeal)
	f.putEnterprise(pend)

	tests := []struct {
		name                string
		account, rep, idNum string
		key, code           string
		cause               error
	}{
		{"ok, any case", "DEMO_CORP01", activeRep, strings.ToLower(activeID), "", "", nil},
		{"unknown account", "nobody_here1", activeRep, activeID, account.FieldAccount, "account_not_exist", model.ErrAccountNotExist},
		{"other rep name", activeAccount, "谢国", activeID, account.FieldRepName, "rep_mismatch", model.ErrRepMismatch},
		{"other rep ID", activeAccount, activeRep, pendingID, account.FieldRepName, "rep_mismatch", model.ErrRepMismatch},
		{"pending", "pending_acct1", pendingRep, pendingID, account.FieldForm, "pending_activation", model.ErrPendingActivation},
		{"closed", closedAccount, closedRep, closedID, account.FieldForm, "account_closed", model.ErrAccountClosed},
		{"bad ID check digit (no look-up)", activeAccount, activeRep, activeID[:17] + "1", account.FieldIDNumber, "id_check", nil},
		{"bad account format (no look-up)", "1demo_corp01", activeRep, activeID, account.FieldAccount, "account_first", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk, err := f.svc.ConfirmAccount(ctx, tt.account, tt.rep, tt.idNum)
			if tt.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				if tk.MaskedPhone != "185****2289" || tk.EnterpriseID == "" || !tk.Expires.Equal(f.clk.Now().Add(30*time.Minute)) {
					t.Fatalf("ticket = %+v", tk)
				}
				return
			}
			wantField(t, err, tt.key, tt.code, tt.cause)
			if tk.EnterpriseID != "" || tk.MaskedPhone != "" {
				t.Fatalf("ticket on refusal: %+v", tk)
			}
		})
	}
	// Six look-ups were spent and audited, the format errors were free.
	recs := f.auditFor(account.AuditResetLookup)
	var outcomes []string
	for _, r := range recs {
		outcomes = append(outcomes, r.Outcome)
		if r.Actor != "anonymous" || r.Kiosk != "K-07" || r.Detail != "" {
			t.Fatalf("audit record %+v", r)
		}
	}
	if got := strings.Join(outcomes, ","); got != "ok,unknown,mismatch,mismatch,pending,closed" {
		t.Fatalf("outcomes = %s", got)
	}
}

func TestConfirmAccountRateLimit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 10 {
		_, err := f.svc.ConfirmAccount(ctx, "nobody_here1", activeRep, activeID)
		wantField(t, err, account.FieldAccount, "account_not_exist", model.ErrAccountNotExist)
		f.advance(time.Second * time.Duration(i))
	}
	// The 11th within ten minutes is refused, even for an existing account.
	_, err := f.svc.ConfirmAccount(ctx, activeAccount, activeRep, activeID)
	wantField(t, err, account.FieldForm, "lookup_limited", model.ErrLookupLimited)
	// Another kiosk has its own allowance.
	other := *f.svc
	other.Kiosk = "K-08"
	if _, err := other.ConfirmAccount(ctx, activeAccount, activeRep, activeID); err != nil {
		t.Fatal(err)
	}
	// The window slides: ten minutes after the first look-up one is free.
	f.clk.Set(start.Add(10*time.Minute + time.Second))
	if _, err := f.svc.ConfirmAccount(ctx, activeAccount, activeRep, activeID); err != nil {
		t.Fatal(err)
	}
	if n := len(f.auditFor(account.AuditResetLookup)); n != 13 {
		t.Fatalf("%d look-up audit records, want 13", n)
	}
}

func TestResetPassword(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before, _ := f.enterpriseByUSCC(activeUSCC)
	tk, err := f.svc.ConfirmAccount(ctx, activeAccount, activeRep, activeID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SendResetCode(ctx, passFor(f.svc.Codes), tk); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.SendResetCode(ctx, passFor(f.svc.Codes), tk)
	wantField(t, err, account.FieldSMSCode, "sms_too_soon", smscode.ErrTooSoon)
	_, err = f.svc.VerifyResetCode(ctx, tk, wrongCode)
	wantField(t, err, account.FieldSMSCode, "sms_code_wrong", smscode.ErrWrongCode)
	proof, err := f.svc.VerifyResetCode(ctx, tk, code)
	if err != nil {
		t.Fatal(err)
	}
	// The code went to the reserved phone.
	if err := f.codes.CheckProof(proof, smscode.PurposeReset, activePhone); err != nil {
		t.Fatal(err)
	}
	otherProof := f.proof(smscode.PurposeReset, freePhone)

	forged := tk
	forged.EnterpriseID = before.ID + "x"
	for _, tt := range []struct {
		name      string
		tk        account.ResetTicket
		proof     smscode.Proof
		pw        string
		key, code string
	}{
		{"zero ticket", account.ResetTicket{}, proof, newPw, account.FieldForm, "ticket_expired"},
		{"forged ticket", forged, proof, newPw, account.FieldForm, "ticket_expired"},
		{"proof of another phone", tk, otherProof, newPw, account.FieldSMSCode, "sms_proof_invalid"},
		{"no proof", tk, smscode.Proof{}, newPw, account.FieldSMSCode, "sms_proof_missing"},
		{"weak password", tk, proof, "abcdefgh", account.FieldPassword, "password_classes"},
		{"contains the account", tk, proof, "Xx1demo_corp01", account.FieldPassword, "password_account"},
		{"equal to the current one", tk, proof, demoPw, account.FieldPassword, "same_password"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.ResetPassword(ctx, tt.tk, tt.proof, tt.pw)
			wantField(t, err, tt.key, tt.code, nil)
		})
	}
	if len(f.auditFor(account.AuditReset)) != 0 || len(f.notices(activePhone)) != 0 {
		t.Fatal("refusals wrote an audit record or a notice")
	}

	done, err := f.svc.ResetPassword(ctx, tk, proof, newPw)
	if err != nil {
		t.Fatal(err)
	}
	if done.ID != before.ID || done.Account != activeAccount || done.MaskedPhone != "185****2289" {
		t.Fatalf("done = %+v", done)
	}
	after, _ := f.enterpriseByUSCC(activeUSCC)
	if after.SessionEpoch != before.SessionEpoch+1 || after.PasswordHash == before.PasswordHash || !after.UpdatedAt.Equal(f.clk.Now()) {
		t.Fatalf("after = %+v", after)
	}
	if ok, _ := f.svc.Hasher.Verify(after.PasswordHash, newPw); !ok {
		t.Fatal("new password does not verify")
	}
	if r := f.auditFor(account.AuditReset); len(r) != 1 || r[0].Subject != before.ID || r[0].Actor != "enterprise:"+before.ID {
		t.Fatalf("audit = %+v", r)
	}
	n := f.notices(activePhone)
	if len(n) != 1 || !strings.Contains(n[0].Text, "密码已修改") || strings.Contains(n[0].Text, newPw) {
		t.Fatalf("notices = %+v", n)
	}
	// The ticket is spent: the password it was issued against has changed.
	_, err = f.svc.ResetPassword(ctx, tk, proof, "Another#Pw2028")
	wantField(t, err, account.FieldForm, "ticket_expired", model.ErrTicketExpired)
}

func TestResetTicketExpires(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tk, err := f.svc.ConfirmAccount(ctx, activeAccount, activeRep, activeID)
	if err != nil {
		t.Fatal(err)
	}
	f.advance(30 * time.Minute)
	_, err = f.svc.SendResetCode(ctx, passFor(f.svc.Codes), tk)
	wantField(t, err, account.FieldForm, "ticket_expired", model.ErrTicketExpired)
}
