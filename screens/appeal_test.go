package screens

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/i18n"
	mt "kiosk/model/material/materialtest"
	"kiosk/model/rules"
	accountui "kiosk/screens/account"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// appealStick is a USB stick with one folder per material, in the order
// of the upload step, each holding one file of a type the material takes
// (the licence a PDF, the letter a DOCX, the photos JPEG and PNG).
func appealStick(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := []struct{ dir, name string }{{"1", "执照.pdf"}, {"2", "授权书.docx"}, {"3", "法人正面.jpg"}, {"4", "法人反面.png"},
		{"5", "经办人正面.jpg"}, {"6", "经办人反面.jpg"}, {"7", "手持.jpg"}}
	data := map[string][]byte{".pdf": mt.PDF(), ".docx": mt.DOCX(), ".jpg": mt.JPEG(64, 48), ".png": mt.PNG(64, 48)}
	for _, f := range files {
		if err := os.MkdirAll(filepath.Join(root, f.dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, f.dir, f.name), data[filepath.Ext(f.name)], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// appealIdentity fills 身份验证 for e (the focus on 法人类型) up to the
// SMS code, answers it and goes on to 材料上传.
func (f *fixture) appealIdentity(k *kiosk, e sampleEnt, account string) {
	k.t.Helper()
	k.key(tea.KeyRight) // 企业法人
	k.key(tea.KeyTab)
	k.typeFields(e.name, e.uscc, e.rep)
	k.key(tea.KeyTab) // 证件类型 is preset
	k.typeFields(e.id)
	for range e.period {
		k.key(tea.KeyRight)
	}
	k.key(tea.KeyTab)
	k.typeFields(e.from)
	k.key(tea.KeyTab) // 结束日期 is derived
	k.typeFields(account, e.phone, captchaText)
	k.requestCode()
	k.waitFor(k.text("flow.code_sent_to", "Phone", rules.MaskMobile(e.phone)))
	k.typeText(f.deliver(e.phone))
	k.key(tea.KeyEnter)
	k.waitFor(k.text("appeal.remark"))
}

// pickFromStick opens 选择文件 on the focused material (F5), opens folder
// n of the stick (1-based) and takes its one file; a picture is reviewed
// first (使用此文件).
func (k *kiosk) pickFromStick(n int, picture bool) {
	k.t.Helper()
	k.key(tea.KeyF5)
	k.waitFor(k.text("picker.name"))
	for range n - 1 {
		k.key(tea.KeyDown)
	}
	k.key(tea.KeyEnter) // the folder
	k.waitFor("‹ ")
	k.key(tea.KeyDown) // past ‹ 上一级
	k.key(tea.KeyEnter)
	if picture {
		k.waitFor(k.text("material.picker.use"))
		k.key(tea.KeyEnter)
	}
	k.waitFor(k.text("appeal.remark"))
	k.settle()
}

// 辅助企业注册申诉 end to end at the kiosk: the type, 身份验证 with the SMS
// code, six materials from a USB stick and one photographed with the
// kiosk's camera (F6), a remark; 完成 shows the reference number and its
// QR code; the appeal is stored whole, each material what was picked.
func TestJourneyAppealRegister(t *testing.T) {
	f := newFixture(t)
	d := f.deps
	d.USBRoot = appealStick(t)
	k := startKioskAt(t, d, 80, 24)
	k.clickHome("home.appeal")
	k.waitFor(k.text("appeal.type"))
	k.key(tea.KeyRight) // 未注册 · 辅助企业注册申诉
	k.waitFor(k.text("appeal.type_register"))
	k.key(tea.KeyEnter)
	k.waitFor(k.text("appeal.account"))
	e := sampleTonghua
	f.appealIdentity(k, e, "tonghua_farm7")

	// 材料上传: the focus is on the licence.
	k.pickFromStick(1, false)
	k.key(tea.KeyTab)
	k.pickFromStick(2, false)
	k.key(tea.KeyTab)
	k.key(tea.KeyF6) // 法人身份证正面: 拍照
	k.waitFor("【" + k.text("capture.shoot") + "】")
	k.key(tea.KeyEnter)
	k.waitFor(k.text("capture.use"))
	k.key(tea.KeyEnter)
	k.waitFor(k.text("appeal.remark"))
	k.settle()
	for n := 4; n <= 7; n++ {
		k.key(tea.KeyTab)
		k.pickFromStick(n, true)
	}
	k.key(tea.KeyTab)
	k.typeText("工商登记的企业名称有误")
	k.key(tea.KeyTab)
	k.key(tea.KeyEnter) // 提交申诉
	k.waitFor(k.text("appeal.done"), "▀")
	r := k.finish()
	v := r.View()
	var a model.Appeal
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		as, _, err := tx.Appeals().List(model.AppealFilter{}, "", 10)
		if len(as) != 1 {
			t.Fatalf("%d appeals", len(as))
		}
		a = as[0]
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(v, a.Ref) || !strings.Contains(v, "187****2385") {
		t.Errorf("完成 does not show the reference and the masked phone:\n%s", v)
	}
	checkRoot(t, r) // the whole 完成 page at 80×24, QR code included
	if a.Kind != model.AppealKindRegister || a.USCC != e.uscc || a.Account != "tonghua_farm7" || a.Remark != "工商登记的企业名称有误" ||
		len(a.Materials) != 7 {
		t.Fatalf("stored %+v", a)
	}
	front, _ := a.Material(model.MaterialRepIDFront)
	licence, _ := a.Material(model.MaterialLicense)
	if front.MIME != "image/jpeg" || front.Name != "rep_id_front.jpg" || licence.Name != "执照.pdf" || licence.MIME != "application/pdf" {
		t.Errorf("materials %+v / %+v", front, licence)
	}
	for _, m := range a.Materials {
		if _, err := model.ReadMaterial(context.Background(), f.store, m); err != nil {
			t.Errorf("%s: %v", m.Kind, err)
		}
	}
	if n := f.notices(e.phone); len(n) != 1 || !strings.Contains(n[0].Text, a.Ref) {
		t.Errorf("notice %+v", n)
	}
}

// A file whose content is not what its name says is refused by the picker
// with a sentence, and the field stays empty.
func TestJourneyAppealMaterialByContent(t *testing.T) {
	f := newFixture(t)
	d := f.deps
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "执照.pdf"), mt.PNG(8, 8), 0o644); err != nil {
		t.Fatal(err)
	}
	d.USBRoot = root
	k := startKiosk(t, d)
	k.clickHome("home.appeal")
	k.waitFor(k.text("appeal.type"))
	k.key(tea.KeyRight)
	k.key(tea.KeyEnter)
	k.waitFor(k.text("appeal.account"))
	f.appealIdentity(k, sampleTonghua, "tonghua_farm7")
	k.key(tea.KeyF5)
	k.waitFor("执照.pdf")
	k.key(tea.KeyEnter)
	k.waitFor("PNG")
	fin := k.finish()
	if files := formOf(t, fin).Values().Files(svc.FieldMaterial(model.MaterialLicense)); len(files) != 0 {
		t.Errorf("a PNG called .pdf was taken: %+v", files)
	}
}

// 账号申诉's pages are whole in every language at 80×24: the type, 身份验证
// with every field refused at once, 材料上传 with every material refused
// at once.
func TestAppealWholeInEveryLanguage(t *testing.T) {
	for _, l := range i18n.Langs {
		t.Run(string(l), func(t *testing.T) {
			f := newFixture(t)
			r := newRoot(t, f.deps, 80, 24)
			inLang(r, l)
			feed(r, route.Appeal.Nav(route.AppealParams{}))
			checkRoot(t, r)
			fm := formOf(t, r)
			feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // no type chosen
			checkRoot(t, r)
			feed(r, tea.KeyMsg{Type: tea.KeyRight})
			feed(r, tea.KeyMsg{Type: tea.KeyEnter})
			if fm.Step() != 1 {
				t.Fatalf("step %d: %v", fm.Step(), fm.Errors())
			}
			checkRoot(t, r)
			fm.Focus(svc.FieldSMSCode)
			feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // everything empty
			if len(fm.Errors()) < 5 {
				t.Fatalf("errors %v", fm.Errors())
			}
			checkRoot(t, r)
			fm.GoTo(2)
			fm.Focus(svc.FieldRemark)
			feed(r, tea.KeyMsg{Type: tea.KeyTab})
			feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // 提交 with nothing
			checkRoot(t, r)
		})
	}
}

// 下载模板 on 材料上传: the 企业授权书 template saved to the stick, and 返回
// comes back to the appeal with what was chosen.
func TestJourneyAppealTemplate(t *testing.T) {
	f := newFixture(t)
	d := f.deps
	d.USBRoot = appealStick(t)
	d.TemplateURL = "https://ids.example.gov.cn/templates/authorization_letter.docx"
	k := startKiosk(t, d)
	k.clickHome("home.appeal")
	k.waitFor(k.text("appeal.type"))
	k.key(tea.KeyRight)
	k.key(tea.KeyEnter)
	k.waitFor(k.text("appeal.account"))
	f.appealIdentity(k, sampleTonghua, "tonghua_farm7")
	k.pickFromStick(1, false)
	k.click(form.ButtonZone(accountui.AppealForm, accountui.AppealTemplateButton))
	k.waitFor(k.text("material.template.title"), "▀")
	k.click("template:" + kit.TemplateSave)
	k.waitFor(k.text("material.template.saved", "Name", kit.TemplateFileName))
	if _, err := os.Stat(filepath.Join(d.USBRoot, kit.TemplateFileName)); err != nil {
		t.Fatalf("the template is not on the stick: %v", err)
	}
	k.key(tea.KeyEsc)
	k.waitFor(k.text("appeal.remark"), "执照.pdf")
	r := k.finish()
	if files := formOf(t, r).Values().Files(svc.FieldMaterial(model.MaterialLicense)); len(files) != 1 {
		t.Errorf("the licence chosen before 下载模板 is gone: %+v", files)
	}
}

// 修改企业信息申诉 (a new mobile number) at the kiosk with every material
// photographed by the kiosk's camera; the reviewer approves it and the
// enterprise's reserved phone is the new one.
func TestJourneyAppealChangeByCamera(t *testing.T) {
	f := newFixture(t)
	const newPhone = "13922223333"
	k := startKiosk(t, f.deps)
	k.clickHome("home.appeal")
	k.waitFor(k.text("appeal.type"))
	k.key(tea.KeyRight)
	k.key(tea.KeyRight) // 已注册 · 修改手机号码
	k.waitFor(k.text("appeal.type_change_phone"))
	k.key(tea.KeyEnter)
	k.waitFor(k.text("appeal.account"))
	rep := f.ent.LegalRep
	f.appealIdentity(k, sampleEnt{name: entName, uscc: f.uscc, rep: rep.Name, id: rep.ID.Number, period: 3,
		from: "2020-01-01", phone: newPhone}, entAccount)
	for i := range model.MaterialKinds {
		if i > 0 {
			k.key(tea.KeyTab)
		}
		k.key(tea.KeyF6)
		k.waitFor("【" + k.text("capture.shoot") + "】")
		k.key(tea.KeyEnter)
		k.waitFor(k.text("capture.use"))
		k.key(tea.KeyEnter)
		k.waitFor(k.text("appeal.remark"))
		k.settle()
	}
	k.key(tea.KeyTab)
	k.key(tea.KeyTab)
	k.key(tea.KeyEnter) // 提交申诉
	k.waitFor(k.text("appeal.done"))
	k.finish()
	var a model.Appeal
	if err := f.store.View(context.Background(), func(tx model.Tx) error {
		as, _, err := tx.Appeals().List(model.AppealFilter{}, "", 10)
		if len(as) == 1 {
			a = as[0]
		}
		return err
	}); err != nil || a.ID == "" {
		t.Fatalf("no appeal: %v", err)
	}
	if a.Kind != model.AppealKindChange || len(a.Changes) != 1 || a.Changes[0] != model.ChangePhone || a.Phone != newPhone {
		t.Fatalf("stored %+v", a)
	}
	for _, m := range a.Materials {
		if m.MIME != "image/jpeg" {
			t.Errorf("%s is %s, not a photo", m.Kind, m.MIME)
		}
	}
	reviewer := model.Staff{ID: "staff-rev", Username: "rev01", Name: "审核员", Role: model.StaffReviewer, CreatedAt: testNow}
	if err := f.store.Update(context.Background(), func(tx model.Tx) error { return tx.Staff().Put(reviewer) }); err != nil {
		t.Fatal(err)
	}
	who := model.Session{Kind: model.SessionStaff, StaffID: reviewer.ID, StaffRole: model.StaffReviewer}
	if _, err := f.svc.TakeAppeal(context.Background(), who, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ApproveAppeal(context.Background(), who, a.ID); err != nil {
		t.Fatal(err)
	}
	if e := f.enterprise(f.uscc); e.Phone != newPhone {
		t.Errorf("the reserved phone is %s after the approval", e.Phone)
	}
}
