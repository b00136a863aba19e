package account_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// 修改手机号码 (manual §四(一)(2)) in model/account: the login password, the
// code to the new number behind the captcha, the change with its notices
// and audit record; and every refusal.

const (
	chgPhone  = "13912345678" // the new number of the demo enterprise
	chgMasked = "139****5678"
)

// blindHex is a blind index as the audit details write it.
var blindHex = regexp.MustCompile(`^[0-9a-f]{24}$`)

// entLogin logs demo_corp01 in.
func (f *fixture) entLogin() model.Session {
	f.t.Helper()
	s, err := f.auth.LoginEnterprise(context.Background(), activeAccount, demoPw)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// phoneTicket is step 1 with the right password.
func (f *fixture) phoneTicket(who model.Session) account.PhoneTicket {
	f.t.Helper()
	t, err := f.svc.VerifyPhoneChangePassword(context.Background(), who, demoPw)
	if err != nil {
		f.t.Fatal(err)
	}
	return t
}

// phoneProof is step 2: a code sent to phone behind a fresh captcha pass
// (after the previous send's resend time) and answered.
func (f *fixture) phoneProof(who model.Session, t account.PhoneTicket, phone string) smscode.Proof {
	f.t.Helper()
	ctx := context.Background()
	f.advance(61 * time.Second)
	if _, err := f.svc.SendPhoneChangeCode(ctx, who, passFor(f.codes), t, phone); err != nil {
		f.t.Fatal(err)
	}
	p, err := f.svc.VerifyPhoneChangeCode(ctx, who, t, phone, code)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// detailFields splits an audit detail "k=v k=v" into a map.
func detailFields(d string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Fields(d) {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out[k] = v
		}
	}
	return out
}

// noPII fails when an audit record holds any of the values in clear.
func noPII(t *testing.T, recs []model.AuditRecord, values ...string) {
	t.Helper()
	for _, r := range recs {
		for _, v := range values {
			if v != "" && (strings.Contains(r.Detail, v) || strings.Contains(r.Subject, v) || strings.Contains(r.Actor, v)) {
				t.Errorf("audit record %s holds %q in clear: %+v", r.Action, v, r)
			}
		}
	}
}

// The whole change: the ticket shows the current number masked; the code
// goes to the new number only; the record has the new number (found by
// its USCC and account indexes), the login stays and the password is
// untouched; the old number is told the new one masked, the new one gets
// a confirmation; one audit record with both blind indexes, no number in
// clear; the ticket is spent (the phone it was bound to changed).
func TestChangePhone(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	who := f.entLogin()
	tk := f.phoneTicket(who)
	if tk.MaskedPhone != rules.MaskMobile(activePhone) {
		t.Errorf("ticket shows %q, want %q", tk.MaskedPhone, rules.MaskMobile(activePhone))
	}
	proof := f.phoneProof(who, tk, chgPhone)
	done, err := f.svc.ChangePhone(ctx, who, tk, "１３９１２３４５６７８", proof) // full width from an input method
	if err != nil {
		t.Fatal(err)
	}
	if done.MaskedPhone != chgMasked || done.Account != activeAccount {
		t.Errorf("done %+v", done)
	}
	e, err := f.enterpriseByUSCC(activeUSCC)
	if err != nil || e.Phone != chgPhone {
		t.Fatalf("record phone %q (%v), want %s", e.Phone, err, chgPhone)
	}
	if !e.UpdatedAt.Equal(f.clk.Now()) {
		t.Errorf("UpdatedAt %v", e.UpdatedAt)
	}
	var byAcct model.Enterprise
	if err := f.store.View(ctx, func(tx model.Tx) error {
		var err error
		byAcct, err = tx.Enterprises().ByAccount(activeAccount)
		return err
	}); err != nil || byAcct.ID != e.ID || byAcct.Phone != chgPhone {
		t.Errorf("account index: %v %+v", err, byAcct.Phone)
	}
	if _, err := f.auth.EnterpriseView(ctx, who); err != nil {
		t.Errorf("the login ended with a phone change: %v", err)
	}
	if _, err := f.auth.LoginEnterprise(ctx, activeAccount, demoPw); err != nil {
		t.Errorf("the password no longer logs in: %v", err)
	}
	old, nw := f.notices(activePhone), f.notices(chgPhone)
	if len(old) != 1 || !strings.Contains(old[0].Text, chgMasked) || !strings.Contains(old[0].Text, activeAccount) ||
		strings.Contains(old[0].Text, chgPhone) {
		t.Errorf("notices to the old number: %+v", old)
	}
	if len(nw) != 1 || !strings.Contains(nw[0].Text, activeAccount) || !strings.Contains(nw[0].Text, "绑定") {
		t.Errorf("notices to the new number: %+v", nw)
	}
	recs := f.auditFor(account.AuditChangePhone)
	if len(recs) != 1 || recs[0].Outcome != "ok" || recs[0].Actor != "enterprise:"+e.ID || recs[0].Subject != e.ID {
		t.Fatalf("audit %+v", recs)
	}
	d := detailFields(recs[0].Detail)
	if !blindHex.MatchString(d["old_phone"]) || !blindHex.MatchString(d["new_phone"]) || d["old_phone"] == d["new_phone"] {
		t.Errorf("audit detail %q: want two distinct blind indexes", recs[0].Detail)
	}
	noPII(t, f.audit(), activePhone, chgPhone, rules.MaskMobile(activePhone), chgMasked)
	// The ticket was bound to the old number: spent.
	if _, err := f.svc.ChangePhone(ctx, who, tk, "13800001111", proof); err == nil {
		t.Error("the ticket was used twice")
	} else {
		wantField(t, err, account.FieldForm, "ticket_expired", model.ErrTicketExpired)
	}
}

// Step 1 checks the login password as a login attempt: a wrong one is
// refused on its field with the tries left, audited as a failed check; an
// empty one is refused unchecked; five wrong ones lock the account's
// logins, and then the right one is refused too. Nothing changes.
func TestChangePhoneWrongPassword(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	who := f.entLogin()
	_, err := f.svc.VerifyPhoneChangePassword(ctx, who, "Wrong#2026x")
	wantField(t, err, account.FieldPassword, "password_again", model.ErrPasswordAgain)
	var bad *model.BadCredentialsError
	if !errors.As(err, &bad) || bad.Left != model.MaxFailures-1 {
		t.Errorf("err %v, want %d tries left", err, model.MaxFailures-1)
	}
	recs := f.auditFor(account.AuditChangePhoneCheck)
	if len(recs) != 1 || recs[0].Outcome != "fail" {
		t.Fatalf("audit %+v", recs)
	}
	_, err = f.svc.VerifyPhoneChangePassword(ctx, who, "")
	wantField(t, err, account.FieldPassword, "login_password_empty", model.ErrLoginPasswordEmpty)
	if n := len(f.auditFor(account.AuditChangePhoneCheck)); n != 1 {
		t.Errorf("%d checks after an empty password, want 1", n)
	}
	for i := 2; i <= model.MaxFailures; i++ {
		_, err = f.svc.VerifyPhoneChangePassword(ctx, who, "Wrong#2026x")
	}
	if !errors.As(err, new(*model.LockedError)) {
		t.Fatalf("after %d wrong passwords: %v, want locked", model.MaxFailures, err)
	}
	if _, err := f.svc.VerifyPhoneChangePassword(ctx, who, demoPw); !errors.As(err, new(*model.LockedError)) {
		t.Errorf("the right password while locked: %v", err)
	}
	if _, err := f.auth.LoginEnterprise(ctx, activeAccount, demoPw); !errors.As(err, new(*model.LockedError)) {
		t.Errorf("the login is not locked: %v", err)
	}
	if n := len(f.auditFor(account.AuditChangePhone)); n != 0 {
		t.Errorf("%d change records", n)
	}
	if e, _ := f.enterpriseByUSCC(activeUSCC); e.Phone != activePhone {
		t.Errorf("phone changed to %q", e.Phone)
	}
}

// A ticket that is stale, forged, zero, another enterprise's, or issued
// before the password changed is refused at every later step.
func TestChangePhoneTicketRefused(t *testing.T) {
	ctx := context.Background()
	type tc struct {
		name string
		// make returns the session to act as and the ticket to present.
		make func(f *fixture) (model.Session, account.PhoneTicket)
	}
	for _, c := range []tc{
		{"stale", func(f *fixture) (model.Session, account.PhoneTicket) {
			who := f.entLogin()
			tk := f.phoneTicket(who)
			f.advance(account.DefaultLimits().TicketTTL + time.Second)
			return who, tk
		}},
		{"forged", func(f *fixture) (model.Session, account.PhoneTicket) {
			who := f.entLogin()
			tk := f.phoneTicket(who)
			tk.Expires = tk.Expires.Add(time.Hour)
			return who, tk
		}},
		{"zero", func(f *fixture) (model.Session, account.PhoneTicket) { return f.entLogin(), account.PhoneTicket{} }},
		{"another enterprise's", func(f *fixture) (model.Session, account.PhoneTicket) {
			other, err := f.auth.LoginEnterprise(ctx, "demo_corp02", demoPw)
			if err != nil {
				f.t.Fatal(err)
			}
			return f.entLogin(), f.phoneTicket(other)
		}},
		{"password changed since", func(f *fixture) (model.Session, account.PhoneTicket) {
			who := f.entLogin()
			tk := f.phoneTicket(who)
			stays, err := f.svc.ChangePassword(ctx, who, demoPw, newPw)
			if err != nil {
				f.t.Fatal(err)
			}
			return stays, tk
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			who, tk := c.make(f)
			_, err := f.svc.SendPhoneChangeCode(ctx, who, passFor(f.codes), tk, chgPhone)
			wantField(t, err, account.FieldForm, "ticket_expired", model.ErrTicketExpired)
			_, err = f.svc.VerifyPhoneChangeCode(ctx, who, tk, chgPhone, code)
			wantField(t, err, account.FieldForm, "ticket_expired", model.ErrTicketExpired)
			_, err = f.svc.ChangePhone(ctx, who, tk, chgPhone, f.proof(smscode.PurposePhone, chgPhone))
			wantField(t, err, account.FieldForm, "ticket_expired", model.ErrTicketExpired)
			if e, _ := f.enterpriseByUSCC(activeUSCC); e.Phone != activePhone {
				t.Errorf("phone changed to %q", e.Phone)
			}
			if n := len(f.notices(chgPhone)); n != 0 {
				t.Errorf("%d notices to the new number", n)
			}
		})
	}
}

// Step 2 and 3 refuse: no captcha pass (nothing sent), the number on file
// already, a malformed number, a wrong code, a resend too soon, and a
// proof that is missing or was made for another number or purpose.
func TestChangePhoneCodeRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	who := f.entLogin()
	tk := f.phoneTicket(who)

	_, err := f.svc.SendPhoneChangeCode(ctx, who, captcha.Pass{}, tk, chgPhone)
	wantField(t, err, account.FieldSMSCode, "sms_captcha_required", smscode.ErrCaptchaRequired)
	_, err = f.svc.SendPhoneChangeCode(ctx, who, passFor(f.codes), tk, activePhone)
	wantField(t, err, account.FieldPhone, "same_phone", model.ErrSamePhone)
	_, err = f.svc.SendPhoneChangeCode(ctx, who, passFor(f.codes), tk, "1391234567")
	wantField(t, err, account.FieldPhone, rules.Code(rules.ValidMobile("1391234567")), nil)
	if msgs := f.codesTo(chgPhone); msgs != 0 {
		t.Fatalf("%d codes sent before a valid send", msgs)
	}

	if _, err := f.svc.SendPhoneChangeCode(ctx, who, passFor(f.codes), tk, chgPhone); err != nil {
		t.Fatal(err)
	}
	if msgs := f.codesTo(chgPhone); msgs != 1 {
		t.Fatalf("%d codes to the new number, want 1", msgs)
	}
	if msgs := f.codesTo(activePhone); msgs != 0 {
		t.Errorf("%d codes to the old number", msgs)
	}
	_, err = f.svc.SendPhoneChangeCode(ctx, who, passFor(f.codes), tk, chgPhone)
	wantField(t, err, account.FieldSMSCode, "sms_too_soon", smscode.ErrTooSoon)
	_, err = f.svc.VerifyPhoneChangeCode(ctx, who, tk, chgPhone, wrongCode)
	wantField(t, err, account.FieldSMSCode, "sms_code_wrong", smscode.ErrWrongCode)
	_, err = f.svc.VerifyPhoneChangeCode(ctx, who, tk, activePhone, code)
	wantField(t, err, account.FieldPhone, "same_phone", model.ErrSamePhone)

	_, err = f.svc.ChangePhone(ctx, who, tk, chgPhone, smscode.Proof{})
	wantField(t, err, account.FieldSMSCode, "sms_proof_missing", smscode.ErrProofMissing)
	_, err = f.svc.ChangePhone(ctx, who, tk, chgPhone, f.proof(smscode.PurposeRegister, chgPhone))
	wantField(t, err, account.FieldSMSCode, "sms_proof_invalid", smscode.ErrProofInvalid)
	_, err = f.svc.ChangePhone(ctx, who, tk, chgPhone, f.proof(smscode.PurposePhone, "13900001111"))
	wantField(t, err, account.FieldSMSCode, "sms_proof_invalid", smscode.ErrProofInvalid)
	_, err = f.svc.ChangePhone(ctx, who, tk, activePhone, f.proof(smscode.PurposePhone, activePhone))
	wantField(t, err, account.FieldPhone, "same_phone", model.ErrSamePhone)

	if e, _ := f.enterpriseByUSCC(activeUSCC); e.Phone != activePhone {
		t.Errorf("phone changed to %q", e.Phone)
	}
	if n := len(f.auditFor(account.AuditChangePhone)); n != 0 {
		t.Errorf("%d change records after refusals", n)
	}
	if n := len(f.notices(activePhone)) + len(f.notices(chgPhone)); n != 0 {
		t.Errorf("%d notices after refusals", n)
	}
}

// codesTo counts the code SMS queued to phone.
func (f *fixture) codesTo(phone string) int {
	f.t.Helper()
	n := 0
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		n = 0 // the closure may run again
		msgs, err := tx.Outbox().List(model.OutboxPending, 100000)
		for _, m := range msgs {
			if m.To == phone && m.Kind == model.SMSKindCode {
				n++
			}
		}
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// Only the enterprise itself changes its phone: an agent (even an admin),
// staff and nobody are not permitted at any step; a login that has ended
// (the password changed on another kiosk) is refused at every step, the
// last one included.
func TestChangePhoneWho(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ent, ags := f.agentsOf(activeUSCC)
	admin := ags[model.AgentValid]
	for _, a := range ags {
		if a.Admin && a.State(f.clk.Now()) == model.AgentValid {
			admin = a
		}
	}
	tk := f.phoneTicket(f.entLogin())
	for name, who := range map[string]model.Session{
		"agent":  agentSession(ent, admin),
		"staff":  {Kind: model.SessionStaff, StaffID: "counter01"},
		"nobody": {},
	} {
		_, err := f.svc.VerifyPhoneChangePassword(ctx, who, agentPw)
		if !errors.Is(err, model.ErrNotPermitted) {
			t.Errorf("%s step 1: %v, want ErrNotPermitted", name, err)
		}
		if _, err := f.svc.SendPhoneChangeCode(ctx, who, passFor(f.codes), tk, chgPhone); !errors.Is(err, model.ErrNotPermitted) {
			t.Errorf("%s send: %v", name, err)
		}
		if _, err := f.svc.VerifyPhoneChangeCode(ctx, who, tk, chgPhone, code); !errors.Is(err, model.ErrNotPermitted) {
			t.Errorf("%s verify: %v", name, err)
		}
		if _, err := f.svc.ChangePhone(ctx, who, tk, chgPhone, f.proof(smscode.PurposePhone, chgPhone)); !errors.Is(err, model.ErrNotPermitted) {
			t.Errorf("%s change: %v", name, err)
		}
	}

	who := f.entLogin()
	tk = f.phoneTicket(who)
	proof := f.phoneProof(who, tk, chgPhone)
	if _, err := f.svc.ChangePassword(ctx, f.entLogin(), demoPw, newPw); err != nil { // on another kiosk
		t.Fatal(err)
	}
	if _, err := f.svc.ChangePhone(ctx, who, tk, chgPhone, proof); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("change after the session ended: %v", err)
	}
	if _, err := f.svc.VerifyPhoneChangePassword(ctx, who, newPw); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("step 1 after the session ended: %v", err)
	}
	if e, _ := f.enterpriseByUSCC(activeUSCC); e.Phone != activePhone {
		t.Errorf("phone changed to %q", e.Phone)
	}
}
