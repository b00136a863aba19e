package account_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// validUSCC builds a well-formed USCC around an organisation body.
func validUSCC(t *testing.T, body string) string {
	t.Helper()
	oc, err := rules.OrgCodeCheckChar(body)
	if err != nil {
		t.Fatal(err)
	}
	first := "91220104" + body + string(oc)
	c, _ := rules.USCCCheckChar(first)
	return first + string(c)
}

func TestCheckEnterprise(t *testing.T) {
	f := newFixture(t)
	in := freeEnterprise
	with := func(mod func(*account.EnterpriseInput)) account.EnterpriseInput {
		e := in()
		mod(&e)
		return e
	}
	tests := []struct {
		name  string
		in    account.EnterpriseInput
		key   string
		code  string
		cause error
	}{
		{"lower case and spaces", with(func(e *account.EnterpriseInput) { e.USCC = " " + strings.ToLower(freeUSCC) + " " }), "", "", nil},
		{"name with spaces", with(func(e *account.EnterpriseInput) { e.Name = " " + freeName }), "", "", nil},
		{"bad check digit", with(func(e *account.EnterpriseInput) { e.USCC = freeUSCC[:17] + "K" }), account.FieldUSCC, "uscc_check", nil},
		{"bad characters", with(func(e *account.EnterpriseInput) { e.USCC = "91220502O76366391J" }), account.FieldUSCC, "uscc_char", nil},
		{"empty name", with(func(e *account.EnterpriseInput) { e.Name = " " }), account.FieldName, "ent_name_empty", nil},
		{"no legal type", with(func(e *account.EnterpriseInput) { e.LegalType = "" }), account.FieldLegalType, "legal_type", nil},
		// Step 1 looks nothing up: these are answered by CheckLegalRep,
		// after the SMS proof (TestCheckLegalRepEnterprise).
		{"already active", with(func(e *account.EnterpriseInput) { e.USCC = activeUSCC }), "", "", nil},
		{"not in the registry", with(func(e *account.EnterpriseInput) { e.USCC = validUSCC(t, "77777777") }), "", "", nil},
		{"other name", with(func(e *account.EnterpriseInput) { e.Name = "通化弘诚农业有限公司" }), "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.svc.CheckEnterprise(context.Background(), tt.in)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			wantField(t, err, tt.key, tt.code, tt.cause)
		})
	}
}

func TestCheckEnterpriseManyFieldsAtOnce(t *testing.T) {
	f := newFixture(t)
	err := f.svc.CheckEnterprise(context.Background(), account.EnterpriseInput{Name: "x", USCC: "123"})
	var fe *account.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatal(err)
	}
	if got := strings.Join(fe.Keys(), ","); got != "legal_type,name,uscc" {
		t.Fatalf("keys = %s", got)
	}
	if got := model.UserMessage(err); !reflect.DeepEqual(got, fe.Fields["legal_type"]) || zh(got) != "请选择法人类型" {
		t.Fatalf("message = %q, want the topmost field's", zh(got))
	}
}

func TestCheckLegalRep(t *testing.T) {
	f := newFixture(t)
	f.svc.Limits = account.Limits{Lookups: 100, IdentifierLookups: 100}
	proof := f.proof(smscode.PurposeRegister, freePhone)
	ent := freeEnterprise()
	ent.USCC = strings.ToLower(ent.USCC)
	with := func(mod func(*account.LegalRepInput)) account.LegalRepInput {
		r := freeRepInput()
		mod(&r)
		return r
	}
	tests := []struct {
		name  string
		in    account.LegalRepInput
		key   string
		code  string
		cause error
	}{
		{"valid", freeRepInput(), "", "", nil},
		{"phone with spaces", with(func(r *account.LegalRepInput) { r.Phone = " " + freePhone }), "", "", nil},
		{"bad ID check digit", with(func(r *account.LegalRepInput) { r.IDDoc.Number = freeID[:17] + "7" }), account.FieldIDNumber, "id_check", nil},
		{"expired ID", with(func(r *account.LegalRepInput) {
			r.IDDoc = model.IDDocument{Type: model.IDTypeResident, Number: freeID, Period: model.Validity5Years,
				ValidFrom: date(2016, 7, 1), ValidTo: date(2021, 7, 1)}
		}), account.FieldIDTo, rules.CodeExpired, nil},
		{"validity not matching age", with(func(r *account.LegalRepInput) {
			r.IDDoc.Period, r.IDDoc.ValidTo = model.Validity20Years, date(2043, 11, 25)
		}), account.FieldIDPeriod, "id_period", nil},
		{"wrong end date", with(func(r *account.LegalRepInput) { r.IDDoc.ValidTo = date(2033, 11, 26) }), account.FieldIDTo, "id_end", nil},
		{"start in the future", with(func(r *account.LegalRepInput) {
			r.IDDoc.ValidFrom, r.IDDoc.ValidTo = date(2026, 12, 1), date(2036, 12, 1)
		}), account.FieldIDFrom, "id_start_future", nil},
		{"bad mobile", with(func(r *account.LegalRepInput) { r.Phone = "12345678901" }), account.FieldPhone, "mobile_format", nil},
		{"bad name", with(func(r *account.LegalRepInput) { r.Name = "Feng" }), account.FieldRepName, "name_char", nil},
		{"other rep name", with(func(r *account.LegalRepInput) { r.Name = "冯强强" }), account.FieldRepName, "registry_mismatch", model.ErrRegistryMismatch},
		{"other rep ID", with(func(r *account.LegalRepInput) {
			r.IDDoc.Number = "220502200106123" + "824"
			c, _ := rules.IDCheckChar(r.IDDoc.Number[:17])
			r.IDDoc.Number = r.IDDoc.Number[:17] + string(c)
		}), account.FieldRepName, "registry_mismatch", model.ErrRegistryMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.svc.CheckLegalRep(context.Background(), ent, tt.in, proof)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			wantField(t, err, tt.key, tt.code, tt.cause)
		})
	}
}

func TestCheckAccountAndPassword(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tt := range []struct{ account, code string }{
		{"Tonghua_Farm1", ""},
		{"DEMO_CORP01", "account_taken"}, // case-insensitive
		{activeAccount, "account_taken"},
		{"1abcdefgh", "account_first"},
		{"short", "account_length"},
		{"", "account_empty"},
	} {
		err := f.svc.CheckAccount(ctx, tt.account)
		if tt.code == "" {
			if err != nil {
				t.Errorf("%q: %v", tt.account, err)
			}
			continue
		}
		wantField(t, err, account.FieldAccount, tt.code, nil)
	}
	if err := account.CheckNewPassword("Tonghua_Farm1", "Farm#2026ok", "Farm#2026ok"); err != nil {
		t.Fatal(err)
	}
	wantField(t, account.CheckNewPassword("Tonghua_Farm1", "password", "password"), account.FieldPassword, "password_classes", nil)
	wantField(t, account.CheckNewPassword("Tonghua_Farm1", "X#tonghua_farm1", "X#tonghua_farm1"), account.FieldPassword, "password_account", nil)
	wantField(t, account.CheckNewPassword("Tonghua_Farm1", "Farm#2026ok", "Farm#2026OK"), account.FieldConfirm, "password_confirm", model.ErrPasswordConfirm)
}

func TestRegisterSuccess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := f.registration()
	in.Account = " Tonghua_Farm1 "
	in.Enterprise.Name = "通化弘诚农业科技 有限责任公司" // stored as the registry spells it
	f.advance(2 * time.Minute)
	done, err := f.svc.Register(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if done.Account != "Tonghua_Farm1" || done.Name != freeName || done.MaskedPhone != "187****2385" || done.ID == "" {
		t.Fatalf("done = %+v", done)
	}
	var byAcct, byUSCC model.Enterprise
	err = f.store.View(ctx, func(tx model.Tx) error {
		var err error
		if byAcct, err = tx.Enterprises().ByAccount("TONGHUA_FARM1"); err != nil {
			return err
		}
		byUSCC, err = tx.Enterprises().ByUSCC(freeUSCC)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e := byUSCC
	if byAcct.ID != done.ID || e.ID != done.ID {
		t.Fatalf("indexes: %s %s, want %s", byAcct.ID, e.ID, done.ID)
	}
	if e.State != model.EnterpriseActive || e.Name != freeName || e.Phone != freePhone || e.LegalRep.Name != freeRep ||
		e.LegalRep.ID.Number != freeID || e.Extended.RegisteredAddress == "" || e.LegalType != "企业法人" ||
		!strings.HasPrefix(e.PasswordHash, "$argon2id$") || !e.CreatedAt.Equal(f.clk.Now()) {
		t.Fatalf("stored enterprise = %+v", e)
	}
	recs := f.auditFor(account.AuditRegister)
	if len(recs) != 1 || recs[0].Subject != done.ID || recs[0].Outcome != "ok" || recs[0].Kiosk != "K-07" ||
		recs[0].Detail != "face=demo ref=demo-req-1" {
		t.Fatalf("audit = %+v", recs)
	}
	n := f.notices(freePhone)
	if len(n) != 1 || !strings.Contains(n[0].Text, "Tonghua_Farm1已注册成功") || strings.Contains(n[0].Text, in.Password) ||
		strings.Contains(n[0].Text, freeID) {
		t.Fatalf("notices = %+v", n)
	}
	// It logs in, and registering again is refused as already registered.
	if _, err := f.auth.LoginEnterprise(ctx, "tonghua_farm1", in.Password); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Register(ctx, in)
	wantField(t, err, account.FieldUSCC, "already_registered", model.ErrAlreadyRegistered)
}

func TestRegisterRevalidatesEverything(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	base := f.registration()
	otherProof := f.proof(smscode.PurposeRegister, "13911112222")
	resetProof := f.proof(smscode.PurposeReset, freePhone)
	tests := []struct {
		name  string
		mod   func(*account.RegistrationInput)
		key   string
		code  string
		cause error
	}{
		{"pending USCC", func(in *account.RegistrationInput) {
			in.Enterprise = account.EnterpriseInput{LegalType: "企业法人", Name: pendingName, USCC: pendingUSCC}
		}, account.FieldUSCC, "pending_uscc", model.ErrPendingUSCC},
		{"registry mismatch", func(in *account.RegistrationInput) { in.LegalRep.Name = "冯小强" }, account.FieldRepName, "registry_mismatch", model.ErrRegistryMismatch},
		{"bad ID", func(in *account.RegistrationInput) { in.LegalRep.IDDoc.Number = freeID[:17] + "X" }, account.FieldIDNumber, "id_check", nil},
		{"duplicate account", func(in *account.RegistrationInput) { in.Account = "Demo_Corp02" }, account.FieldAccount, "account_taken", model.ErrAccountTaken},
		{"weak password", func(in *account.RegistrationInput) { in.Password = "abc12345" }, account.FieldPassword, "password_classes", nil},
		{"common password", func(in *account.RegistrationInput) { in.Password = "Password1" }, account.FieldPassword, "password_common", nil},
		{"no proof", func(in *account.RegistrationInput) { in.PhoneProof = smscode.Proof{} }, account.FieldSMSCode, "sms_proof_missing", smscode.ErrProofMissing},
		{"proof for another phone", func(in *account.RegistrationInput) { in.PhoneProof = otherProof }, account.FieldSMSCode, "sms_proof_invalid", smscode.ErrProofInvalid},
		{"proof for another purpose", func(in *account.RegistrationInput) { in.PhoneProof = resetProof }, account.FieldSMSCode, "sms_proof_invalid", smscode.ErrProofInvalid},
		{"phone changed after the proof", func(in *account.RegistrationInput) { in.LegalRep.Phone = "13911112223" }, account.FieldSMSCode, "sms_proof_invalid", nil},
		{"no face", func(in *account.RegistrationInput) { in.Face = model.FaceEvidence{} }, account.FieldForm, "face_required", model.ErrFaceRequired},
		{"stale face", func(in *account.RegistrationInput) {
			in.Face = f.faceAgo(11*time.Minute, freeID, model.FaceForRegister)
		}, account.FieldForm, "face_stale", model.ErrFaceStale},
		{"unknown face method", func(in *account.RegistrationInput) { in.Face.Method = "selfie" }, account.FieldForm, "face_invalid", nil},
		{"counter face without staff", func(in *account.RegistrationInput) { in.Face.Method, in.Face.Ref = model.FaceCounter, " " }, account.FieldForm, "face_invalid", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			tt.mod(&in)
			_, err := f.svc.Register(ctx, in)
			wantField(t, err, tt.key, tt.code, tt.cause)
			if _, err := f.enterpriseByUSCC(freeUSCC); !errors.Is(err, model.ErrNotFound) {
				t.Fatalf("enterprise stored after a refusal: %v", err)
			}
		})
	}
	// The demo verdict is refused unless the service allows it.
	f.svc.AllowDemoFace = false
	_, err := f.svc.Register(ctx, base)
	wantField(t, err, account.FieldForm, "face_invalid", nil)
	in := base
	_, in.Face, err = f.svc.Faces.Confirm(ctx, model.FaceConfirmation{IDNumber: freeID, Purpose: model.FaceForRegister,
		Username: "counter01", Approve: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Register(ctx, in); err != nil {
		t.Fatal(err)
	}
	if r := f.auditFor(account.AuditRegister); len(r) != 1 || r[0].Detail != "face=counter ref=staff:counter01" {
		t.Fatalf("audit = %+v", r)
	}
	if len(f.auditFor(account.AuditRegister)) != 1 || len(f.notices(freePhone)) != 1 {
		t.Fatal("refusals left audit records or notices")
	}
}

func TestRegistrationSMSErrors(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Bad number: on the phone field, nothing sent.
	_, err := f.svc.SendRegisterCode(ctx, passFor(f.svc.Codes), "1234")
	wantField(t, err, account.FieldPhone, "mobile_format", nil)

	next, err := f.svc.SendRegisterCode(ctx, passFor(f.svc.Codes), freePhone)
	if err != nil || !next.Equal(f.clk.Now().Add(time.Minute)) {
		t.Fatalf("send: %v, %v", next, err)
	}
	// SMS rate limit: a second send within the minute, with the countdown.
	_, err = f.svc.SendRegisterCode(ctx, passFor(f.svc.Codes), freePhone)
	wantField(t, err, account.FieldSMSCode, "sms_too_soon", smscode.ErrTooSoon)
	var soon *smscode.TooSoonError
	if !errors.As(err, &soon) || soon.Wait != time.Minute {
		t.Fatalf("TooSoonError = %+v", soon)
	}
	// Wrong code, then the right one, then reused.
	_, err = f.svc.VerifyRegisterCode(ctx, freePhone, wrongCode)
	wantField(t, err, account.FieldSMSCode, "sms_code_wrong", smscode.ErrWrongCode)
	p, err := f.svc.VerifyRegisterCode(ctx, freePhone, code)
	if err != nil || p.IsZero() {
		t.Fatalf("verify: %+v, %v", p, err)
	}
	_, err = f.svc.VerifyRegisterCode(ctx, freePhone, code)
	wantField(t, err, account.FieldSMSCode, "sms_code_invalidated", smscode.ErrInvalidated)
	// Expired: a new code answered after five minutes.
	f.advance(time.Minute)
	if _, err := f.svc.SendRegisterCode(ctx, passFor(f.svc.Codes), freePhone); err != nil {
		t.Fatal(err)
	}
	f.advance(5 * time.Minute)
	_, err = f.svc.VerifyRegisterCode(ctx, freePhone, code)
	wantField(t, err, account.FieldSMSCode, "sms_code_expired", smscode.ErrExpired)
	// The hour limit after five sends.
	for range 3 {
		f.advance(time.Minute)
		if _, err := f.svc.SendRegisterCode(ctx, passFor(f.svc.Codes), freePhone); err != nil {
			t.Fatal(err)
		}
	}
	f.advance(time.Minute)
	_, err = f.svc.SendRegisterCode(ctx, passFor(f.svc.Codes), freePhone)
	wantField(t, err, account.FieldSMSCode, "sms_hour_limit", smscode.ErrHourLimit)
}

func TestRegisterProofExpires(t *testing.T) {
	f := newFixture(t)
	in := f.registration()
	f.advance(smscode.ProofTTL)
	in.Face.At = f.clk.Now()
	_, err := f.svc.Register(context.Background(), in)
	wantField(t, err, account.FieldSMSCode, "sms_proof_expired", smscode.ErrProofExpired)
}
