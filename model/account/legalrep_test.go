package account_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// 法定代表人变更 (manual §四(一)(4)) in model/account: the new legal
// representative must be the registry's and not the current one; the face
// of the new one; optionally a new reserved phone with its SMS proof; one
// transaction with audit and notices; and every refusal.

// The new legal representative of demo_corp01: 姜军东, a demo natural
// person (born 1999, a 20-year card from 2025).
const (
	repNewName = "姜军东"
	repNewID   = personFreeID
)

func repNewDoc() model.IDDocument {
	return model.IDDocument{Type: model.IDTypeResident, Number: repNewID, Period: model.Validity20Years,
		ValidFrom: date(2025, 9, 12), ValidTo: date(2045, 9, 12)}
}

func repNewInput() account.LegalRepInput {
	return account.LegalRepInput{Name: repNewName, IDDoc: repNewDoc()}
}

// registryHasNewRep records in the business registry that demo_corp01's
// legal representative is now 姜军东, as the registry would after the
// change was registered with the market regulator.
func (f *fixture) registryHasNewRep() {
	f.t.Helper()
	err := f.store.Update(context.Background(), func(tx model.Tx) error {
		rec, err := tx.Registry().Get(activeUSCC)
		if err != nil {
			return err
		}
		rec.LegalRep = model.LegalRep{Name: repNewName, ID: repNewDoc()}
		return tx.Registry().Put(rec)
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// repFace is the new legal representative's face evidence for the change.
func (f *fixture) repFace() model.FaceEvidence { return f.face(repNewID, model.FaceForLegalRepChange) }

// The change keeping the reserved phone: step 1 answers with the reserved
// phone masked; the record holds the new legal representative (named as
// the registry spells it) with the card as typed (full width folded), the same phone, found by its indexes; the login stays; one notice
// to the reserved phone; a look-up and a change record, each with the
// blind index of the ID number, no name or number in clear.
func TestChangeLegalRep(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.registryHasNewRep()
	who := f.entLogin()
	typed := repNewInput()
	typed.IDDoc.Number = "２２０１０５１９９９０４３０８５１８" // full width
	masked, err := f.svc.CheckNewLegalRep(ctx, who, typed)
	if err != nil {
		t.Fatal(err)
	}
	if masked != rules.MaskMobile(activePhone) {
		t.Errorf("masked phone %q", masked)
	}
	done, err := f.svc.ChangeLegalRep(ctx, who, typed, f.repFace(), "", smscode.Proof{})
	if err != nil {
		t.Fatal(err)
	}
	if done.Account != activeAccount || done.MaskedPhone != rules.MaskMobile(activePhone) {
		t.Errorf("done %+v", done)
	}
	e, err := f.enterpriseByUSCC(activeUSCC)
	if err != nil {
		t.Fatal(err)
	}
	want := model.LegalRep{Name: repNewName, ID: repNewDoc()}
	if e.LegalRep.Name != want.Name || e.LegalRep.ID.Number != repNewID || e.LegalRep.ID.Period != model.Validity20Years ||
		!e.LegalRep.ID.ValidFrom.Equal(want.ID.ValidFrom) || !e.LegalRep.ID.ValidTo.Equal(want.ID.ValidTo) ||
		e.LegalRep.ID.Type != model.IDTypeResident {
		t.Errorf("legal rep %+v, want %+v", e.LegalRep, want)
	}
	if e.Phone != activePhone {
		t.Errorf("phone %q", e.Phone)
	}
	var byAcct model.Enterprise
	if err := f.store.View(ctx, func(tx model.Tx) error {
		var err error
		byAcct, err = tx.Enterprises().ByAccount(activeAccount)
		return err
	}); err != nil || byAcct.LegalRep.Name != repNewName {
		t.Errorf("account index: %v %q", err, byAcct.LegalRep.Name)
	}
	if _, err := f.auth.EnterpriseView(ctx, who); err != nil {
		t.Errorf("the login ended: %v", err)
	}
	if n := f.notices(activePhone); len(n) != 1 || !strings.Contains(n[0].Text, "法定代表人") || !strings.Contains(n[0].Text, activeAccount) {
		t.Errorf("notices %+v", n)
	}
	look, chg := f.auditFor(account.AuditLegalRepLookup), f.auditFor(account.AuditChangeLegalRep)
	if len(look) != 1 || look[0].Outcome != "ok" || look[0].Actor != "enterprise:"+e.ID {
		t.Errorf("look-up records %+v", look)
	}
	if len(chg) != 1 || chg[0].Outcome != "ok" || chg[0].Actor != "enterprise:"+e.ID || chg[0].Subject != e.ID {
		t.Fatalf("change records %+v", chg)
	}
	d := detailFields(chg[0].Detail)
	if !blindHex.MatchString(d["id"]) || d["id"] != detailFields(look[0].Detail)["id"] || d["face"] != model.FaceDemo {
		t.Errorf("change detail %q", chg[0].Detail)
	}
	if _, ok := d["new_phone"]; ok {
		t.Errorf("a phone change recorded: %q", chg[0].Detail)
	}
	noPII(t, f.audit(), repNewName, repNewID, activeRep, activeID, activePhone)
}

// With a new reserved phone: its code behind the captcha, the record's
// phone replaced, the old number told the new one masked, the new number
// told it is the reserved phone now; both blind indexes in the record.
func TestChangeLegalRepWithPhone(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.registryHasNewRep()
	who := f.entLogin()
	if _, err := f.svc.CheckNewLegalRep(ctx, who, repNewInput()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SendLegalRepPhoneCode(ctx, who, passFor(f.codes), chgPhone); err != nil {
		t.Fatal(err)
	}
	if n := f.codesTo(chgPhone); n != 1 {
		t.Fatalf("%d codes to the new phone", n)
	}
	proof, err := f.svc.VerifyLegalRepPhoneCode(ctx, who, chgPhone, code)
	if err != nil {
		t.Fatal(err)
	}
	done, err := f.svc.ChangeLegalRep(ctx, who, repNewInput(), f.repFace(), chgPhone, proof)
	if err != nil {
		t.Fatal(err)
	}
	if done.MaskedPhone != chgMasked {
		t.Errorf("done %+v", done)
	}
	e, _ := f.enterpriseByUSCC(activeUSCC)
	if e.Phone != chgPhone || e.LegalRep.ID.Number != repNewID {
		t.Errorf("record phone %q rep %q", e.Phone, e.LegalRep.ID.Number)
	}
	old, nw := f.notices(activePhone), f.notices(chgPhone)
	if len(old) != 1 || !strings.Contains(old[0].Text, chgMasked) || strings.Contains(old[0].Text, chgPhone) {
		t.Errorf("notices to the old phone %+v", old)
	}
	if len(nw) != 1 || !strings.Contains(nw[0].Text, "预留手机号码") {
		t.Errorf("notices to the new phone %+v", nw)
	}
	chg := f.auditFor(account.AuditChangeLegalRep)
	if len(chg) != 1 {
		t.Fatalf("change records %+v", chg)
	}
	d := detailFields(chg[0].Detail)
	if !blindHex.MatchString(d["old_phone"]) || !blindHex.MatchString(d["new_phone"]) || d["old_phone"] == d["new_phone"] {
		t.Errorf("change detail %q", chg[0].Detail)
	}
	noPII(t, f.audit(), repNewName, repNewID, activePhone, chgPhone, chgMasked)
}

// Step 1 refuses the fields alone without a look-up (nothing audited);
// then, one look-up each, a legal representative the registry does not
// name (the registry not changed yet, or a typo in the name or number:
// one answer) and the current one; a fourth look-up of the enterprise in
// the window is limited.
func TestCheckNewLegalRepRefused(t *testing.T) {
	ctx := context.Background()
	t.Run("fields", func(t *testing.T) {
		f := newFixture(t)
		who := f.entLogin()
		for _, c := range []struct {
			name  string
			edit  func(in *account.LegalRepInput)
			field string
		}{
			{"no name", func(in *account.LegalRepInput) { in.Name = "" }, account.FieldRepName},
			{"check digit", func(in *account.LegalRepInput) { in.IDDoc.Number = "220105199904308519" }, account.FieldIDNumber},
			{"period for the age", func(in *account.LegalRepInput) {
				in.IDDoc.Period, in.IDDoc.ValidTo = model.Validity10Years, date(2035, 9, 12)
			}, account.FieldIDPeriod},
			{"end date", func(in *account.LegalRepInput) { in.IDDoc.ValidTo = date(2045, 9, 13) }, account.FieldIDTo},
			{"expired", func(in *account.LegalRepInput) {
				in.IDDoc.ValidFrom, in.IDDoc.ValidTo, in.IDDoc.Period = date(2014, 9, 12), date(2019, 9, 12), model.Validity5Years
			}, account.FieldIDTo},
		} {
			in := repNewInput()
			c.edit(&in)
			_, err := f.svc.CheckNewLegalRep(ctx, who, in)
			var fe *account.FieldErrors
			if !errors.As(err, &fe) || fe.Code(c.field) == "" {
				t.Errorf("%s: %v, want a refusal on %s", c.name, err, c.field)
			}
		}
		if n := len(f.auditFor(account.AuditLegalRepLookup)); n != 0 {
			t.Errorf("%d look-ups for format errors", n)
		}
	})
	t.Run("registry", func(t *testing.T) {
		f := newFixture(t)
		who := f.entLogin()
		// The registry still names 谢国勇.
		_, err := f.svc.CheckNewLegalRep(ctx, who, repNewInput())
		wantField(t, err, account.FieldRepName, "registry_mismatch", model.ErrRegistryMismatch)
		// The current legal representative, as the registry has him.
		cur := account.LegalRepInput{Name: activeRep, IDDoc: activeRepDoc()}
		_, err = f.svc.CheckNewLegalRep(ctx, who, cur)
		wantField(t, err, account.FieldRepName, "same_legal_rep", model.ErrSameLegalRep)
		f.registryHasNewRep()
		typo := repNewInput()
		typo.Name = "姜军"
		_, err = f.svc.CheckNewLegalRep(ctx, who, typo)
		wantField(t, err, account.FieldRepName, "registry_mismatch", model.ErrRegistryMismatch)
		_, err = f.svc.CheckNewLegalRep(ctx, who, repNewInput())
		wantField(t, err, account.FieldForm, "lookup_limited", model.ErrLookupLimited)
		var outcomes []string
		for _, r := range f.auditFor(account.AuditLegalRepLookup) {
			outcomes = append(outcomes, r.Outcome)
		}
		if got := strings.Join(outcomes, ","); got != "mismatch,same,mismatch,limited" {
			t.Errorf("look-up outcomes %s", got)
		}
		f.advance(account.DefaultLimits().LookupWindow + time.Second)
		if _, err := f.svc.CheckNewLegalRep(ctx, who, repNewInput()); err != nil {
			t.Errorf("after the window: %v", err)
		}
		if e, _ := f.enterpriseByUSCC(activeUSCC); e.LegalRep.Name != activeRep {
			t.Errorf("step 1 changed the record: %q", e.LegalRep.Name)
		}
	})
}

// The last step checks everything again and changes nothing on a
// refusal: face evidence missing, of another person, for another purpose
// or stale; a registry that does not name the new legal representative
// (audited); a phone without its proof, with a proof for another purpose
// or number, or the reserved phone itself.
func TestChangeLegalRepRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	who := f.entLogin()
	in := repNewInput()
	// Not in the registry yet.
	_, err := f.svc.ChangeLegalRep(ctx, who, in, f.repFace(), "", smscode.Proof{})
	wantField(t, err, account.FieldRepName, "registry_mismatch", model.ErrRegistryMismatch)
	if chg := f.auditFor(account.AuditChangeLegalRep); len(chg) != 1 || chg[0].Outcome != "mismatch" {
		t.Errorf("refused change records %+v", chg)
	}
	f.registryHasNewRep()
	for _, c := range []struct {
		name  string
		face  model.FaceEvidence
		phone string
		proof smscode.Proof
		field string
		code  string
	}{
		{"no face", model.FaceEvidence{}, "", smscode.Proof{}, account.FieldForm, "face_required"},
		{"face of the old rep", f.face(activeID, model.FaceForLegalRepChange), "", smscode.Proof{}, account.FieldForm, "face_other_person"},
		{"face for registration", f.face(repNewID, model.FaceForRegister), "", smscode.Proof{}, account.FieldForm, "face_other_purpose"},
		{"stale face", f.faceAgo(11*time.Minute, repNewID, model.FaceForLegalRepChange), "", smscode.Proof{}, account.FieldForm, "face_stale"},
		{"phone without proof", f.repFace(), chgPhone, smscode.Proof{}, account.FieldSMSCode, "sms_proof_missing"},
		{"proof for 修改手机号码", f.repFace(), chgPhone, f.proof(smscode.PurposePhone, chgPhone), account.FieldSMSCode, "sms_proof_invalid"},
		{"proof for another number", f.repFace(), chgPhone, f.proof(account.PurposeLegalRepPhone, "13900001111"), account.FieldSMSCode, "sms_proof_invalid"},
		{"the reserved phone", f.repFace(), activePhone, f.proof(account.PurposeLegalRepPhone, activePhone), account.FieldPhone, "same_phone"},
		{"malformed phone", f.repFace(), "1391234567", smscode.Proof{}, account.FieldPhone, rules.Code(rules.ValidMobile("1391234567"))},
	} {
		_, err := f.svc.ChangeLegalRep(ctx, who, in, c.face, c.phone, c.proof)
		var fe *account.FieldErrors
		if !errors.As(err, &fe) || fe.Code(c.field) != c.code {
			t.Errorf("%s: %v, want %s on %s", c.name, err, c.code, c.field)
		}
	}
	// The code of a phone: behind the captcha, not the reserved phone, right.
	_, err = f.svc.SendLegalRepPhoneCode(ctx, who, captcha.Pass{}, chgPhone)
	wantField(t, err, account.FieldSMSCode, "sms_captcha_required", smscode.ErrCaptchaRequired)
	_, err = f.svc.SendLegalRepPhoneCode(ctx, who, passFor(f.codes), activePhone)
	wantField(t, err, account.FieldPhone, "same_phone", model.ErrSamePhone)
	if _, err := f.svc.SendLegalRepPhoneCode(ctx, who, passFor(f.codes), chgPhone); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.VerifyLegalRepPhoneCode(ctx, who, chgPhone, wrongCode)
	wantField(t, err, account.FieldSMSCode, "sms_code_wrong", smscode.ErrWrongCode)

	e, _ := f.enterpriseByUSCC(activeUSCC)
	if e.LegalRep.Name != activeRep || e.LegalRep.ID.Number != activeID || e.Phone != activePhone {
		t.Errorf("record changed: %+v %q", e.LegalRep, e.Phone)
	}
	if n := len(f.notices(activePhone)) + len(f.notices(chgPhone)); n != 0 {
		t.Errorf("%d notices after refusals", n)
	}
	for _, r := range f.auditFor(account.AuditChangeLegalRep) {
		if r.Outcome == "ok" {
			t.Errorf("a change recorded: %+v", r)
		}
	}
}

// Only the enterprise itself changes its legal representative: an admin
// agent, staff and nobody are not permitted at any step; an ended login
// is refused at the last step.
func TestChangeLegalRepWho(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.registryHasNewRep()
	ent, ags := f.agentsOf(activeUSCC)
	admin := ags[model.AgentValid]
	for _, a := range ags {
		if a.Admin && a.State(f.clk.Now()) == model.AgentValid {
			admin = a
		}
	}
	for name, who := range map[string]model.Session{
		"agent":  agentSession(ent, admin),
		"staff":  {Kind: model.SessionStaff, StaffID: "counter01"},
		"nobody": {},
	} {
		if _, err := f.svc.CheckNewLegalRep(ctx, who, repNewInput()); !errors.Is(err, model.ErrNotPermitted) {
			t.Errorf("%s check: %v", name, err)
		}
		if _, err := f.svc.SendLegalRepPhoneCode(ctx, who, passFor(f.codes), chgPhone); !errors.Is(err, model.ErrNotPermitted) {
			t.Errorf("%s send: %v", name, err)
		}
		if _, err := f.svc.VerifyLegalRepPhoneCode(ctx, who, chgPhone, code); !errors.Is(err, model.ErrNotPermitted) {
			t.Errorf("%s verify: %v", name, err)
		}
		if _, err := f.svc.ChangeLegalRep(ctx, who, repNewInput(), f.repFace(), "", smscode.Proof{}); !errors.Is(err, model.ErrNotPermitted) {
			t.Errorf("%s change: %v", name, err)
		}
	}
	if n := len(f.auditFor(account.AuditLegalRepLookup)); n != 0 {
		t.Errorf("%d look-ups by the refused", n)
	}
	who := f.entLogin()
	if _, err := f.svc.CheckNewLegalRep(ctx, who, repNewInput()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ChangePassword(ctx, f.entLogin(), demoPw, newPw); err != nil { // on another kiosk
		t.Fatal(err)
	}
	if _, err := f.svc.ChangeLegalRep(ctx, who, repNewInput(), f.repFace(), "", smscode.Proof{}); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("change after the session ended: %v", err)
	}
	if e, _ := f.enterpriseByUSCC(activeUSCC); e.LegalRep.Name != activeRep {
		t.Errorf("changed by an ended login: %q", e.LegalRep.Name)
	}
}
