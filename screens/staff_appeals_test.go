package screens

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/material"
	mt "kiosk/model/material/materialtest"
	"kiosk/model/rules"
	"kiosk/screens/staff"
)

// 申诉处理 on the real root: appeals filed through the model's use cases
// (or, for what the kiosk's form would refuse, put in the store), the
// staff chord and login, the queue, the detail, the decisions; the store,
// the outbox and the audit log asserted.

// staffAppealUploads are the seven materials: the licence a PDF, the
// letter a DOCX, the photos JPEG and PNG.
func staffAppealUploads() []account.AppealUpload {
	pic := mt.JPEG(64, 48)
	return []account.AppealUpload{
		{Kind: model.MaterialLicense, Name: "执照.pdf", Data: mt.PDF()},
		{Kind: model.MaterialAuthorization, Name: "授权书.docx", Data: mt.DOCX()},
		{Kind: model.MaterialRepIDFront, Name: "法人正面.jpg", Data: pic},
		{Kind: model.MaterialRepIDBack, Name: "法人反面.png", Data: mt.PNG(64, 48)},
		{Kind: model.MaterialAgentIDFront, Name: "经办人正面.jpg", Data: pic},
		{Kind: model.MaterialAgentIDBack, Name: "经办人反面.jpg", Data: pic},
		{Kind: model.MaterialAgentHoldingID, Name: "手持.jpg", Data: pic},
	}
}

// staffAppealDoc is a resident ID card of period from from, its end date
// derived as the kiosk derives it.
func staffAppealDoc(number string, period model.ValidityPeriod, from time.Time) model.IDDocument {
	return model.IDDocument{Type: model.IDTypeResident, Number: number, Period: period, ValidFrom: from,
		ValidTo: rules.ValidityEnd(from, period)}
}

// staffAppealRegister is a 辅助企业注册申诉 of a sample enterprise (no
// account yet) for account acct.
func staffAppealRegister(e sampleEnt, period model.ValidityPeriod, from time.Time, acct string) account.AppealIdentity {
	return account.AppealIdentity{Kind: model.AppealKindRegister,
		Enterprise: account.EnterpriseInput{LegalType: e.legalType, Name: e.name, USCC: e.uscc},
		RepName:    e.rep, IDDoc: staffAppealDoc(e.id, period, from), Account: acct, Phone: e.phone}
}

// staffAppealTonghua and staffAppealQijin are register appeals of two
// sample enterprises.
func staffAppealTonghua() account.AppealIdentity {
	return staffAppealRegister(sampleTonghua, model.Validity10Years, day(2023, 11, 25), "tonghua_farm7")
}

func staffAppealQijin() account.AppealIdentity {
	return staffAppealRegister(sampleQijin, model.ValidityLongTerm, day(2022, 8, 4), "qijin_tech01")
}

// staffAppealChange is a 修改企业信息申诉 of the fixture's enterprise
// asking for changes, with phone as its (new) mobile and name as its
// (new) name.
func (f *fixture) staffAppealChange(phone, name string, changes ...model.AppealChange) account.AppealIdentity {
	rep := f.ent.LegalRep
	return account.AppealIdentity{Kind: model.AppealKindChange, Changes: changes,
		Enterprise: account.EnterpriseInput{LegalType: f.ent.LegalType, Name: name, USCC: f.uscc},
		RepName:    rep.Name, IDDoc: staffAppealDoc(rep.ID.Number, model.Validity20Years, day(2020, 1, 1)),
		Account: entAccount, Phone: phone}
}

// staffAppealFile files in through the kiosk's use cases (the captcha,
// the SMS code read off the simulated phone, the submission with the
// seven materials) and returns the stored appeal.
func (f *fixture) staffAppealFile(in account.AppealIdentity, remark string) model.Appeal {
	f.t.Helper()
	ctx := context.Background()
	f.clock.Add(61 * time.Second) // past an earlier code's resend time
	ch := f.deps.Captcha.Issue()
	pass, ok := f.deps.Captcha.Answer(ch.ID, captchaText)
	if !ok {
		f.t.Fatal("the captcha refused its own text")
	}
	if _, err := f.svc.SendAppealCode(ctx, pass, in.Phone); err != nil {
		f.t.Fatal(err)
	}
	proof, err := f.svc.VerifyAppealCode(ctx, in.Phone, f.deliver(in.Phone))
	if err != nil {
		f.t.Fatal(err)
	}
	done, err := f.svc.SubmitAppeal(ctx, account.AppealSubmission{Identity: in, Proof: proof,
		Materials: staffAppealUploads(), Remark: remark})
	if err != nil {
		f.t.Fatal(err)
	}
	return f.staffAppealByRef(done.Ref)
}

// staffAppealByRef reads an appeal.
func (f *fixture) staffAppealByRef(ref string) model.Appeal {
	f.t.Helper()
	a, ok := findRecord(f.t, f.store, func(tx model.Tx) (model.Appeal, error) { return tx.Appeals().ByRef(ref) })
	if !ok {
		f.t.Fatalf("no appeal %s", ref)
	}
	return a
}

// staffAppealPut stores a straight into the store with materials written
// from files (kind → file name and bytes; the type named by content), as
// the kiosk's form would never let it through.
func (f *fixture) staffAppealPut(a model.Appeal, files []account.AppealUpload) model.Appeal {
	f.t.Helper()
	ctx := context.Background()
	for _, u := range files {
		m, err := model.WriteMaterial(ctx, f.store, f.clock, bytes.NewReader(u.Data), 10<<20)
		if err != nil {
			f.t.Fatal(err)
		}
		m.Kind, m.Name, m.MIME = u.Kind, u.Name, material.Sniff(u.Data).MIME()
		a.Materials = append(a.Materials, m)
	}
	if err := f.store.Update(ctx, func(tx model.Tx) error { return tx.Appeals().Put(a) }); err != nil {
		f.t.Fatal(err)
	}
	return a
}

// staffAppealsAt logs user in at w×h and opens 申诉处理.
func staffAppealsAt(t *testing.T, f *fixture, user string, w, h int) *Root {
	t.Helper()
	r := staffLoginAt(t, f, user, w, h)
	staffOpen(t, r, staff.TileAppeals)
	if r.Current() != "staff-appeals" {
		t.Fatalf("申诉处理 opened %s", r.Current())
	}
	return r
}

// staffAppealDecide presses a decision's button, reads the confirm's
// question and answers it.
func staffAppealDecide(t *testing.T, r *Root, button string, says ...string) {
	t.Helper()
	staffTap(t, r, staffButton(staff.AppealDetailID, button))
	staffAppealSays(t, r, says...)
	staffTap(t, r, staffAsk(staff.AppealAskID, staff.AskOK))
}

// staffAppealSays fails unless every s is on the screen as a sentence
// wrapped over lines may show it (in a dialog, say): spaces, line ends and
// box sides ignored.
func staffAppealSays(t *testing.T, r *Root, ss ...string) {
	t.Helper()
	flat := func(s string) string {
		return strings.Map(func(c rune) rune {
			if c == ' ' || c == '\n' || c == '║' || c == '│' {
				return -1
			}
			return c
		}, s)
	}
	v := ansi.Strip(r.View())
	for _, s := range ss {
		if !strings.Contains(flat(v), flat(s)) {
			t.Fatalf("%q not on %s:\n%s", s, r.Current(), v)
		}
	}
}

// staffAppealNoticeWith is a notice SMS to phone that says text, and
// whether there is one.
func (f *fixture) staffAppealNoticeWith(phone, text string) (model.OutboundSMS, bool) {
	for _, m := range f.notices(phone) {
		if strings.Contains(m.Text, text) {
			return m, true
		}
	}
	return model.OutboundSMS{}, false
}

// TestStaffAppealApproveRegister: a reviewer finds the pending 辅助企业注册
// 申诉 in the queue, reads it whole (the legal representative's ID number
// whole for the comparison, the phone masked), takes it, approves it;
// the enterprise account exists, active, with the appeal's account, the
// SMS names the account, each step is audited; after 忘记密码 sets a
// password the enterprise logs in with that account.
func TestStaffAppealApproveRegister(t *testing.T) {
	f := staffFixture(t)
	in := staffAppealTonghua()
	ap := f.staffAppealFile(in, "工商登记信息有误")
	r := staffAppealsAt(t, f, staffReviewer, 120, 40)
	staffSees(t, r, "状态：待处理　类型：全部", ap.Ref, "辅助注册", sampleTonghua.name, "待处理", "已显示 1 条")
	staffKeys(r, tea.KeyEnter) // 详情
	staffSees(t, r, "申诉详情", ap.Ref, "辅助企业注册申诉", sampleTonghua.uscc, sampleTonghua.rep, sampleTonghua.id,
		"2023-11-25 至 2033-11-25", "tonghua_farm7", "187****2385", "工商登记信息有误", "KIOSK-T1",
		"1. 企业营业执照原件：执照.pdf（PDF 文档，")
	if v := ansi.Strip(r.View()); strings.Contains(v, sampleTonghua.phone) {
		t.Fatalf("the phone is shown whole:\n%s", v)
	}
	if _, ok := f.staffAuditOf(account.AuditAppealView); !ok {
		t.Error("reading the appeal is not audited")
	}
	staffAppealDecide(t, r, staff.AppealTake, "确定受理申诉 "+ap.Ref+" 吗？")
	staffSees(t, r, "已受理申诉 "+ap.Ref, "处理中", "李审核（本人）")
	if got := f.staffAppealByRef(ap.Ref); got.State != model.AppealProcessing || got.Handler != f.staffStaff(staffReviewer).ID {
		t.Fatalf("taken as %s by %s", got.State, got.Handler)
	}
	staffAppealDecide(t, r, staff.AppealApprove, "将为“"+sampleTonghua.name+"”开通企业账号 tonghua_farm7")
	staffSees(t, r, "申诉 "+ap.Ref+" 已通过，企业账号 tonghua_farm7 已开通", "没有符合条件的申诉")
	if got := f.staffAppealByRef(ap.Ref); got.State != model.AppealApproved || got.DecidedAt.IsZero() {
		t.Fatalf("stored %s decided %v", got.State, got.DecidedAt)
	}
	e := f.enterprise(sampleTonghua.uscc)
	if e.State != model.EnterpriseActive || e.Account != "tonghua_farm7" || e.Phone != sampleTonghua.phone || e.PasswordHash != "" {
		t.Fatalf("opened %+v", e)
	}
	if sms, ok := f.staffAppealNoticeWith(sampleTonghua.phone, "tonghua_farm7"); !ok || !strings.Contains(sms.Text, ap.Ref) {
		t.Fatalf("approval SMS %+v in %+v", sms, f.notices(sampleTonghua.phone))
	}
	for _, act := range []string{account.AuditAppealTake, account.AuditAppealApprove} {
		if rec, ok := f.staffAuditOf(act); !ok || rec.Actor != "staff:"+f.staffStaff(staffReviewer).ID || rec.Subject != ap.ID {
			t.Errorf("%s audited as %+v", act, rec)
		}
	}
	// 忘记密码 through the model: the SMS proves the phone again.
	const pw = "Songhua#2031"
	ctx := context.Background()
	ticket, err := f.svc.ConfirmAccount(ctx, "tonghua_farm7", sampleTonghua.rep, sampleTonghua.id)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(61 * time.Second)
	ch := f.deps.Captcha.Issue()
	pass, _ := f.deps.Captcha.Answer(ch.ID, captchaText)
	if _, err := f.svc.SendResetCode(ctx, pass, ticket); err != nil {
		t.Fatal(err)
	}
	proof, err := f.svc.VerifyResetCode(ctx, ticket, f.deliver(sampleTonghua.phone))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ResetPassword(ctx, ticket, proof, pw); err != nil {
		t.Fatal(err)
	}
	if err := f.login("tonghua_farm7", pw); err != nil {
		t.Fatalf("the appeal's account does not log in: %v", err)
	}
}

// TestStaffAppealReject: 驳回 asks for the reason; an empty one and one of
// 101 characters are refused at the field with the use case's sentences
// (and the use case refuses 101 itself); a reason within the limit, after
// the confirm, rejects the appeal and texts the reason.
func TestStaffAppealReject(t *testing.T) {
	f := staffFixture(t)
	ap := f.staffAppealFile(staffAppealQijin(), "")
	r := staffAppealsAt(t, f, staffReviewer, 120, 40)
	staffKeys(r, tea.KeyEnter)
	staffAppealDecide(t, r, staff.AppealTake, ap.Ref)
	staffTap(t, r, staffButton(staff.AppealDetailID, staff.AppealReject))
	staffSees(t, r, "驳回申诉", "申诉编号："+ap.Ref, "驳回原因", "0/100")
	staffKeys(r, tea.KeyEnter) // empty
	staffSees(t, r, "请填写驳回原因")
	long := strings.Repeat("材", model.MaxRejectReason+1)
	staffType(r, long)
	staffSees(t, r, "101/100")
	staffKeys(r, tea.KeyEnter)
	staffSees(t, r, "驳回原因不能超过100个字")
	if v := ansi.Strip(r.View()); strings.Contains(v, "确定驳回") {
		t.Fatalf("a reason of 101 characters reached the confirm:\n%s", v)
	}
	rev := f.staffSession(staffReviewer)
	_, err := f.svc.RejectAppeal(context.Background(), rev, ap.ID, long)
	var fields *account.FieldErrors
	if !errors.As(err, &fields) || fields.Fields[account.FieldReason].ID != "error.appeal.reason_too_long" {
		t.Fatalf("the use case took 101 characters: %v", err)
	}
	if got := f.staffAppealByRef(ap.Ref); got.State != model.AppealProcessing {
		t.Fatalf("stored as %s", got.State)
	}
	staffClearField(r)
	staffClearField(r)
	staffClearField(r)
	staffClearField(r)
	staffClearField(r)
	const reason = "营业执照照片模糊，请重新提交清晰照片"
	staffType(r, reason)
	staffSees(t, r, "18/100")
	staffKeys(r, tea.KeyEnter)
	staffAppealSays(t, r, "确定驳回申诉 "+ap.Ref+" 吗？驳回原因将以短信发送至 158****0777："+reason)
	staffTap(t, r, staffAsk(staff.AppealAskID, staff.AskOK))
	staffSees(t, r, "申诉 "+ap.Ref+" 已驳回，已短信通知申诉人")
	got := f.staffAppealByRef(ap.Ref)
	if got.State != model.AppealRejected || got.Reason != reason {
		t.Fatalf("stored %s %q", got.State, got.Reason)
	}
	if sms, ok := f.staffAppealNoticeWith(sampleQijin.phone, reason); !ok || !strings.Contains(sms.Text, ap.Ref) {
		t.Fatalf("rejection SMS %+v", sms)
	}
	if rec, ok := f.staffAuditOf(account.AuditAppealReject); !ok || rec.Subject != ap.ID {
		t.Errorf("the rejection audited as %+v", rec)
	}
	if _, ok := f.enterpriseByUSCC(sampleQijin.uscc); ok {
		t.Error("a rejected appeal opened an account")
	}
}

// TestStaffAppealChangeApproved: a 修改企业信息申诉 of the phone and the
// name, shown with what it changes; approved, the enterprise has the new
// phone and name, its logins ended; the old phone is told too.
func TestStaffAppealChangeApproved(t *testing.T) {
	f := staffFixture(t)
	const newPhone, newName = "13922223333", "星河新名称科技有限公司"
	ap := f.staffAppealFile(f.staffAppealChange(newPhone, newName, model.ChangePhone, model.ChangeEnterprise), "企业已更名")
	before := f.enterprise(f.uscc)
	r := staffAppealsAt(t, f, staffAdmin, 120, 40) // 管理员 reviews too
	staffSees(t, r, "修改：手机号码、", newName)
	staffKeys(r, tea.KeyEnter)
	staffSees(t, r, "修改企业信息申诉", "修改内容", "手机号码、企业信息", "139****3333", newName)
	staffAppealDecide(t, r, staff.AppealTake, ap.Ref)
	staffAppealDecide(t, r, staff.AppealApprove, "将修改“"+newName+"”的手机号码、企业信息，并结束该企业账号的全部登录")
	staffSees(t, r, "申诉 "+ap.Ref+" 已通过，企业信息已修改")
	e := f.enterprise(f.uscc)
	if e.Phone != newPhone || e.Name != newName || e.SessionEpoch <= before.SessionEpoch {
		t.Fatalf("after the approval: phone %s name %s epoch %d (was %d)", e.Phone, e.Name, e.SessionEpoch, before.SessionEpoch)
	}
	if _, ok := f.staffAppealNoticeWith(newPhone, ap.Ref); !ok {
		t.Errorf("no SMS of the decision to the appeal's phone: %+v", f.notices(newPhone))
	}
	if n := f.notices(before.Phone); len(n) == 0 {
		t.Error("the old phone is not told")
	}
}

// staffAppealEvil is an appeal whose enterprise name, remark and a file
// name hold terminal escape sequences (SGR colour, an OSC 8 hyperlink
// ended by ST, a BEL, a screen clear) and format characters (U+202E
// right-to-left override, U+200B zero-width space): put in the store
// directly, as the kiosk's form refuses them.
func (f *fixture) staffAppealEvil() model.Appeal {
	f.t.Helper()
	now := f.clock.Now()
	a := model.Appeal{ID: "appeal-evil", Ref: "261125-EV1L-GQLDEN", Kind: model.AppealKindChange,
		Changes: []model.AppealChange{model.ChangeEnterprise}, State: model.AppealPending, Kiosk: "KIOSK-T1",
		LegalType: "企业法人", EnterpriseName: "星河\x1b[31m红色\x1b[0m\u202e公司\u200b", USCC: f.uscc,
		LegalRep: model.LegalRep{Name: "王\u200b建国", ID: staffAppealDoc(f.ent.LegalRep.ID.Number, model.Validity20Years, day(2020, 1, 1))},
		Account:  entAccount, Phone: "13922223333",
		Remark:    "请看 \x1b]8;;http://evil.example/\x1b\\点此\x1b]8;;\x1b\\ \u202egnp.exe\u200b\x07 \x1b[2J完",
		CreatedAt: now.Add(-50 * time.Hour), UpdatedAt: now.Add(-50 * time.Hour)}
	ups := staffAppealUploads()
	ups[0].Name = "执照\x1b[5m闪\x1b[0m\u202efdp.exe"
	return f.staffAppealPut(a, ups)
}

// TestGoldenStaffAppealInert: the appeal is drawn inert in the queue and
// in its detail (golden files at 120×40): no escape, no BEL, no format
// character, no link, the visible text kept.
func TestGoldenStaffAppealInert(t *testing.T) {
	f := staffFixture(t)
	f.staffAppealEvil()
	r := staffAppealsAt(t, f, staffReviewer, 120, 40)
	staffSees(t, r, "261125-EV1L-GQLDEN", "星河红色公司", "2天")
	v := r.View()
	staffInert(t, "the queue", v)
	t.Run("list", func(t *testing.T) { teatest.RequireEqualOutput(t, []byte(v)) })
	staffKeys(r, tea.KeyEnter)
	staffSees(t, r, "申诉详情", "请看 点此 gnp.exe 完", "王建国", "执照闪fdp.exe")
	v = r.View()
	staffInert(t, "the detail", v)
	t.Run("detail", func(t *testing.T) { teatest.RequireEqualOutput(t, []byte(v)) })
	// The confirm dialog names the enterprise: inert too.
	staffTap(t, r, staffButton(staff.AppealDetailID, staff.AppealTake))
	staffInert(t, "the confirm", r.View())
}
