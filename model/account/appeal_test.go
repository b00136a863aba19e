package account_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/material"
	mt "kiosk/model/material/materialtest"
	"kiosk/model/smscode"
)

// registerAppeal is a 辅助企业注册申诉 of the free enterprise (no account
// yet), with the phone's proof.
func (f *fixture) registerAppeal() (account.AppealIdentity, smscode.Proof) {
	in := account.AppealIdentity{Kind: model.AppealKindRegister, Enterprise: freeEnterprise(), RepName: freeRep,
		IDDoc: freeDoc(), Account: "tonghua_farm9", Phone: freePhone}
	return in, f.proof(smscode.PurposeAppeal, freePhone)
}

// changeAppeal is a 修改企业信息申诉 of demo_corp01 to a new phone and
// name.
func (f *fixture) changeAppeal(phone string) (account.AppealIdentity, smscode.Proof) {
	ent, err := f.enterpriseByUSCC(activeUSCC)
	if err != nil {
		f.t.Fatal(err)
	}
	in := account.AppealIdentity{Kind: model.AppealKindChange,
		Changes:    []model.AppealChange{model.ChangePhone, model.ChangeEnterprise},
		Enterprise: account.EnterpriseInput{LegalType: ent.LegalType, Name: "长春澜益新名称农业科技有限公司", USCC: activeUSCC},
		RepName:    activeRep, IDDoc: activeRepDoc(), Account: activeAccount, Phone: phone}
	return in, f.proof(smscode.PurposeAppeal, phone)
}

// uploads are the seven materials, each of a type its kind takes.
func uploads() []account.AppealUpload {
	pic := mt.JPEG(64, 48)
	return []account.AppealUpload{
		{Kind: model.MaterialLicense, Name: "执照.pdf", Data: mt.PDF()},
		{Kind: model.MaterialAuthorization, Name: "授权书.docx", Data: mt.DOCX()},
		{Kind: model.MaterialRepIDFront, Name: "a.jpg", Data: pic},
		{Kind: model.MaterialRepIDBack, Name: "b.png", Data: mt.PNG(64, 48)},
		{Kind: model.MaterialAgentIDFront, Name: "c.jpg", Data: pic},
		{Kind: model.MaterialAgentIDBack, Name: "d.jpg", Data: pic},
		{Kind: model.MaterialAgentHoldingID, Name: "e.jpg", Data: pic},
	}
}

// staffLogin is the login of a staff member of role, stored (the use
// cases check the record still stands).
func (f *fixture) staffLogin(role model.StaffRole) model.Session {
	f.t.Helper()
	st := model.Staff{ID: "staff-" + string(role), Username: "u_" + string(role), Name: "张审核", Role: role,
		CreatedAt: f.clk.Now()}
	if err := f.store.Update(context.Background(), func(tx model.Tx) error { return tx.Staff().Put(st) }); err != nil {
		f.t.Fatal(err)
	}
	return model.Session{Kind: model.SessionStaff, StaffID: st.ID, StaffRole: role}
}

func (f *fixture) appealByRef(ref string) model.Appeal {
	f.t.Helper()
	var a model.Appeal
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		var err error
		a, err = tx.Appeals().ByRef(ref)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// A 辅助企业注册申诉 end to end: step 1 answers, the appeal is filed whole
// (every material readable and equal to what was given, an audit record,
// an SMS with the reference); a reviewer takes and approves it: the
// enterprise exists, active, with the appeal's account and phone, and no
// password until 忘记密码 sets one; the SMS says so.
func TestAppealRegisterApproved(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in, proof := f.registerAppeal()
	if err := f.svc.CheckAppealIdentity(ctx, in, proof); err != nil {
		t.Fatal(err)
	}
	ups := uploads()
	done, err := f.svc.SubmitAppeal(ctx, account.AppealSubmission{Identity: in, Proof: proof, Materials: ups, Remark: "工商信息有误"})
	if err != nil {
		t.Fatal(err)
	}
	if done.Ref == "" || done.MaskedPhone != "187****2385" {
		t.Fatalf("done %+v", done)
	}
	a := f.appealByRef(done.Ref)
	if a.State != model.AppealPending || a.USCC != freeUSCC || a.Account != "tonghua_farm9" || len(a.Materials) != 7 {
		t.Fatalf("stored %+v", a)
	}
	rev := f.staffLogin(model.StaffReviewer)
	for i, u := range ups {
		got, err := f.svc.AppealMaterial(ctx, rev, a.ID, u.Kind)
		if err != nil || string(got) != string(u.Data) {
			t.Fatalf("material %d: %v (equal %v)", i, err, string(got) == string(u.Data))
		}
	}
	if m, _ := a.Material(model.MaterialLicense); m.MIME != material.PDF.MIME() || m.Name != "执照.pdf" {
		t.Errorf("license %+v", m)
	}
	if n := f.notices(freePhone); len(n) != 1 || !strings.Contains(n[0].Text, done.Ref) {
		t.Errorf("filed notice %+v", n)
	}
	if _, err := f.svc.ApproveAppeal(ctx, rev, a.ID); err == nil {
		t.Fatal("approved before it was taken")
	}
	if _, err := f.svc.TakeAppeal(ctx, rev, a.ID); err != nil {
		t.Fatal(err)
	}
	if a, err = f.svc.ApproveAppeal(ctx, rev, a.ID); err != nil || a.State != model.AppealApproved || a.Handler != rev.StaffID {
		t.Fatalf("approve: %v %+v", err, a)
	}
	e, err := f.enterpriseByUSCC(freeUSCC)
	if err != nil || e.State != model.EnterpriseActive || e.Account != "tonghua_farm9" || e.Phone != freePhone ||
		e.PasswordHash != "" || e.LegalRep.Name != freeRep {
		t.Fatalf("opened %+v %v", e, err)
	}
	if n := f.notices(freePhone); len(n) != 2 || !strings.Contains(n[0].Text+n[1].Text, "忘记密码") {
		t.Errorf("result notice %+v", n)
	}
	for _, action := range []string{account.AuditAppealSubmit, account.AuditAppealTake, account.AuditAppealApprove} {
		if recs := f.auditFor(action); len(recs) != 1 || recs[0].Outcome != "ok" {
			t.Errorf("%s audit %+v", action, recs)
		}
	}
	// The password is set with 忘记密码, and the account logs in.
	tk, err := f.svc.ConfirmAccount(ctx, "tonghua_farm9", freeRep, freeID)
	if err != nil {
		t.Fatal(err)
	}
	f.advance(61 * time.Second) // past the appeal code's resend time
	if _, err := f.svc.SendResetCode(ctx, passFor(f.codes), tk); err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.VerifyResetCode(ctx, tk, code)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ResetPassword(ctx, tk, p, newPw); err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.LoginEnterprise(ctx, "tonghua_farm9", newPw); err != nil {
		t.Errorf("the appeal's account does not log in: %v", err)
	}
}

// A 修改企业信息申诉 approved changes the phone and the name, ends every
// login, tells the old number; rejected, it changes nothing and texts the
// reason.
func TestAppealChangeApprovedAndRejected(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	here, err := f.auth.LoginEnterprise(ctx, activeAccount, demoPw)
	if err != nil {
		t.Fatal(err)
	}
	const newPhone = "13911112222"
	in, proof := f.changeAppeal(newPhone)
	if err := f.svc.CheckAppealIdentity(ctx, in, proof); err != nil {
		t.Fatal(err)
	}
	done, err := f.svc.SubmitAppeal(ctx, account.AppealSubmission{Identity: in, Proof: proof, Materials: uploads()})
	if err != nil {
		t.Fatal(err)
	}
	rev := f.staffLogin(model.StaffAdmin) // 管理员 reviews too
	a := f.appealByRef(done.Ref)
	if _, err := f.svc.TakeAppeal(ctx, rev, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ApproveAppeal(ctx, rev, a.ID); err != nil {
		t.Fatal(err)
	}
	e, _ := f.enterpriseByUSCC(activeUSCC)
	if e.Phone != newPhone || e.Name != "长春澜益新名称农业科技有限公司" || e.LegalRep.Name != activeRep {
		t.Errorf("changed %+v", e)
	}
	if _, err := f.auth.EnterpriseView(ctx, here); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("the login goes on: %v", err)
	}
	if n := f.notices(activePhone); len(n) != 1 || !strings.Contains(n[0].Text, "139****2222") {
		t.Errorf("old number notice %+v", n)
	}

	// A second appeal, rejected: nothing changes, the reason is texted.
	in2, proof2 := f.changeAppeal("13933334444")
	done2, err := f.svc.SubmitAppeal(ctx, account.AppealSubmission{Identity: in2, Proof: proof2, Materials: uploads()})
	if err != nil {
		t.Fatal(err)
	}
	a2 := f.appealByRef(done2.Ref)
	if _, err := f.svc.TakeAppeal(ctx, rev, a2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RejectAppeal(ctx, rev, a2.ID, " "); !errors.Is(err, model.ErrRejectReasonRequired) {
		t.Errorf("blank reason: %v", err)
	}
	if _, err := f.svc.RejectAppeal(ctx, rev, a2.ID, strings.Repeat("因", 101)); !errors.Is(err, model.ErrRejectReasonTooLong) {
		t.Errorf("long reason: %v", err)
	}
	if a2, err = f.svc.RejectAppeal(ctx, rev, a2.ID, "营业执照照片不清晰"); err != nil || a2.State != model.AppealRejected {
		t.Fatalf("reject: %v %+v", err, a2)
	}
	if e2, _ := f.enterpriseByUSCC(activeUSCC); e2.Phone != newPhone {
		t.Errorf("a rejected appeal changed the phone to %s", e2.Phone)
	}
	if n := f.notices("13933334444"); len(n) != 2 || !strings.Contains(n[0].Text+n[1].Text, "营业执照照片不清晰") {
		t.Errorf("reject notice %+v", n)
	}
}

// Step 1's refusals: a registered USCC for a 辅助企业注册申诉, a wrong
// account for a 修改企业信息申诉, no proof; and nothing at all before the
// proof (the look-up is not spent).
func TestAppealIdentityRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in, proof := f.registerAppeal()
	in.Enterprise.USCC = activeUSCC
	wantField(t, f.svc.CheckAppealIdentity(ctx, in, proof), account.FieldUSCC, "already_registered", model.ErrAlreadyRegistered)

	in, proof = f.registerAppeal()
	in.Account = activeAccount
	wantField(t, f.svc.CheckAppealIdentity(ctx, in, proof), account.FieldAccount, "account_taken", model.ErrAccountTaken)

	ch, chProof := f.changeAppeal("13911112222")
	ch.Account = "demo_corp02"
	wantField(t, f.svc.CheckAppealIdentity(ctx, ch, chProof), account.FieldAccount, "appeal_no_account", model.ErrAppealNoAccount)

	looks := len(f.auditFor(account.AuditAppealLookup))
	in, _ = f.registerAppeal()
	if err := f.svc.CheckAppealIdentity(ctx, in, smscode.Proof{}); err == nil {
		t.Fatal("no proof accepted")
	}
	if n := len(f.auditFor(account.AuditAppealLookup)); n != looks {
		t.Errorf("a look-up without the proof: %d records, want %d", n, looks)
	}
}

// Materials are checked by content, never by name: a PDF that is a PNG, an
// executable renamed .jpg, an oversized file and a missing one are each
// refused on their field, and nothing is filed.
func TestAppealMaterialsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in, proof := f.registerAppeal()
	ups := uploads()
	ups[0] = account.AppealUpload{Kind: model.MaterialLicense, Name: "执照.png", Data: mt.PNG(8, 8)}        // a PNG licence is fine
	ups[1] = account.AppealUpload{Kind: model.MaterialAuthorization, Name: "授权书.pdf", Data: mt.PNG(8, 8)} // a .pdf that is a PNG
	ups[2] = account.AppealUpload{Kind: model.MaterialRepIDFront, Name: "front.jpg", Data: mt.PE()}
	ups[3] = account.AppealUpload{Kind: model.MaterialRepIDBack, Name: "back.png", Data: mt.PDF()}
	ups[4] = account.AppealUpload{Kind: model.MaterialAgentIDFront, Name: "big.jpg", Data: make([]byte, 11<<20)}
	ups = ups[:6] // no 经办人手持身份证
	_, err := f.svc.SubmitAppeal(ctx, account.AppealSubmission{Identity: in, Proof: proof, Materials: ups, Remark: strings.Repeat("备", 151)})
	var fe *account.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("err %v", err)
	}
	for _, key := range []string{account.FieldMaterial(model.MaterialAuthorization), account.FieldMaterial(model.MaterialRepIDFront), account.FieldMaterial(model.MaterialRepIDBack),
		account.FieldMaterial(model.MaterialAgentIDFront), account.FieldMaterial(model.MaterialAgentHoldingID), account.FieldRemark} {
		if _, ok := fe.Fields[key]; !ok {
			t.Errorf("no refusal on %s (%v)", key, fe.Fields)
		}
	}
	if _, ok := fe.Fields[account.FieldMaterial(model.MaterialLicense)]; ok {
		t.Errorf("a PNG licence refused: %v", fe.Fields)
	}
	var n int
	_ = f.store.View(ctx, func(tx model.Tx) error {
		as, _, err := tx.Appeals().List(model.AppealFilter{}, "", 10)
		n = len(as)
		return err
	})
	if n != 0 {
		t.Errorf("%d appeals filed", n)
	}
}

// Only reviewers (审核员, 管理员) review: counter staff, enterprises,
// agents and nobody are refused by every review use case.
func TestAppealReviewRoles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in, proof := f.registerAppeal()
	done, err := f.svc.SubmitAppeal(ctx, account.AppealSubmission{Identity: in, Proof: proof, Materials: uploads()})
	if err != nil {
		t.Fatal(err)
	}
	id := f.appealByRef(done.Ref).ID
	for _, who := range []model.Session{f.staffLogin(model.StaffCounter), {Kind: model.SessionEnterprise, EnterpriseID: "x"},
		{Kind: model.SessionAgent, AgentID: "y"}, {}} {
		calls := map[string]error{}
		_, _, calls["queue"] = f.svc.AppealQueue(ctx, who, model.AppealFilter{}, "", 10)
		_, calls["detail"] = f.svc.Appeal(ctx, who, id)
		_, calls["material"] = f.svc.AppealMaterial(ctx, who, id, model.MaterialLicense)
		_, calls["take"] = f.svc.TakeAppeal(ctx, who, id)
		_, calls["approve"] = f.svc.ApproveAppeal(ctx, who, id)
		_, calls["reject"] = f.svc.RejectAppeal(ctx, who, id, "理由")
		_, calls["reject-empty"] = f.svc.RejectAppeal(ctx, who, id, "")
		for name, err := range calls {
			if !errors.Is(err, model.ErrStaffForbidden) {
				t.Errorf("%+v %s: %v", who, name, err)
			}
		}
	}
	// A reviewer disabled since logging in: the login has ended.
	rev := f.staffLogin(model.StaffReviewer)
	if err := f.store.Update(ctx, func(tx model.Tx) error {
		st, err := tx.Staff().ByUsername("u_reviewer")
		if err != nil {
			return err
		}
		st.Disabled = true
		return tx.Staff().Put(st)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.TakeAppeal(ctx, rev, id); !errors.Is(err, model.ErrSessionEnded) {
		t.Errorf("a disabled reviewer: %v", err)
	}
	if a := f.appealByRef(done.Ref); a.State != model.AppealPending {
		t.Errorf("state %s", a.State)
	}
}
