package screens

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/i18n"
	mt "kiosk/model/material/materialtest"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
	"kiosk/screens/staff"
)

// 申诉处理's materials, filters and pages, who may use it, its refusals,
// its size in every language, and a decision by touch alone.

// staffAppealMaterial presses the number key of material n (1-based).
func staffAppealMaterial(r *Root, n int) {
	feed(r, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{rune('0' + n)}})
}

// staffAppealMaterialViews are the audited reads of material kind.
func (f *fixture) staffAppealMaterialViews(kind model.MaterialKind) int {
	n := 0
	for _, r := range f.audit() {
		if r.Action == account.AuditAppealMaterial && r.Detail == "kind="+string(kind) {
			n++
		}
	}
	return n
}

// TestStaffAppealMaterials: a photo is read (audited) and drawn with
// half-blocks in true colour (a grey ramp without colour); a PDF is named
// with its type and size and not read; 上一份/下一份 go through them.
func TestStaffAppealMaterials(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	f := staffFixture(t)
	ap := f.staffAppealFile(staffAppealTonghua(), "")
	r := staffAppealsAt(t, f, staffReviewer, 120, 40)
	staffKeys(r, tea.KeyEnter)
	staffAppealMaterial(r, 3) // 法人身份证正面, a JPEG
	staffSees(t, r, "申诉材料", "3. 法人身份证正面：法人正面.jpg（JPEG 图片，", "▀")
	if n := f.staffAppealMaterialViews(model.MaterialRepIDFront); n != 1 {
		t.Errorf("the photo's read audited %d times", n)
	}
	staffTap(t, r, staffButton(staff.AppealMaterialID, staff.AppealNext)) // 4, a PNG
	staffSees(t, r, "4. 法人身份证反面：法人反面.png（PNG 图片，", "▀")
	m, _ := ap.Material(model.MaterialLicense)
	staffAppealMaterial(r, 1)
	staffSees(t, r, fmt.Sprintf("1. 企业营业执照原件：执照.pdf（PDF 文档，%d B）", m.Size), "PDF 文档不在终端中显示，请核对文件类型和大小")
	if v := ansi.Strip(r.View()); strings.Contains(v, "▀") {
		t.Fatalf("a PDF drawn:\n%s", v)
	}
	if n := f.staffAppealMaterialViews(model.MaterialLicense); n != 0 {
		t.Errorf("the PDF was read (%d audit records) though nothing of it is shown", n)
	}
	staffAppealMaterial(r, 2)
	staffSees(t, r, "2. 企业授权书：授权书.docx（Word 文档（DOCX）", "不在终端中显示")
	// Without colour the same photo is a grey ramp (the goldens' profile).
	lipgloss.SetColorProfile(termenv.Ascii)
	staffAppealMaterial(r, 7)
	staffSees(t, r, "7. 经办人手持身份证照片：手持.jpg")
	if v := ansi.Strip(r.View()); !strings.ContainsAny(v, "█▓▒░") {
		t.Fatalf("no picture without colour:\n%s", v)
	}
	staffKeys(r, tea.KeyEsc)
	staffSees(t, r, "申诉详情")
}

// staffAppealBombPNG is a valid PNG of one pixel whose header claims
// 60000×60000 (the CRC fixed): decoding it would take gigabytes.
func staffAppealBombPNG() []byte {
	b := mt.PNG(1, 1)
	binary.BigEndian.PutUint32(b[16:], 60000)
	binary.BigEndian.PutUint32(b[20:], 60000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// TestStaffAppealMaterialRefused: a picture claiming 60000×60000 is
// refused before it is decoded; a damaged one is said to be; the page
// stays usable.
func TestStaffAppealMaterialRefused(t *testing.T) {
	f := staffFixture(t)
	ups := staffAppealUploads()
	ups[2].Data = staffAppealBombPNG()
	ups[3].Data = append(mt.JPEG(64, 48)[:200:200], make([]byte, 50)...) // cut short
	now := f.clock.Now()
	f.staffAppealPut(model.Appeal{ID: "appeal-bomb", Ref: "261127-B0MB-AAAAAA", Kind: model.AppealKindRegister,
		State: model.AppealPending, Kiosk: "KIOSK-T1", LegalType: "企业法人", EnterpriseName: "炸弹图片公司",
		USCC: sampleQijin.uscc, Account: "bomb_corp01", Phone: sampleQijin.phone, CreatedAt: now, UpdatedAt: now}, ups)
	r := staffAppealsAt(t, f, staffReviewer, 120, 40)
	staffKeys(r, tea.KeyEnter)
	staffAppealMaterial(r, 3)
	staffSees(t, r, "图片尺寸过大（60000×60000），无法在终端中显示")
	staffAppealMaterial(r, 4)
	staffSees(t, r, "图片无法解码，可能已损坏")
	staffAppealMaterial(r, 5)
	staffSees(t, r, "5. 经办人身份证正面")
	if v := ansi.Strip(r.View()); strings.Contains(v, "无法") || !strings.ContainsAny(v, "█▓▒░") {
		t.Fatalf("the next photo:\n%s", v)
	}
}

// TestStaffAppealMaterialsPurged: an appeal closed longer ago than the
// retention period lists its materials by name, type and size and says
// the files are deleted; nothing is read.
func TestStaffAppealMaterialsPurged(t *testing.T) {
	f := staffFixture(t)
	now := f.clock.Now()
	a := model.Appeal{ID: "appeal-old", Ref: "260801-PVRG-AAAAAA", Kind: model.AppealKindRegister,
		State: model.AppealRejected, Kiosk: "KIOSK-T1", LegalType: "企业法人", EnterpriseName: "旧申诉公司",
		USCC: sampleQijin.uscc, Account: "old_corp001", Phone: sampleQijin.phone, Reason: "材料不全",
		CreatedAt: now.AddDate(0, -4, 0), UpdatedAt: now.AddDate(0, -3, 0), DecidedAt: now.AddDate(0, -3, 0),
		MaterialsPurged: true}
	for _, u := range staffAppealUploads() {
		a.Materials = append(a.Materials, model.Material{Kind: u.Kind, Name: u.Name, MIME: "image/jpeg", Size: 2048,
			SHA256: strings.Repeat("0", 64)})
	}
	if err := f.store.Update(context.Background(), func(tx model.Tx) error { return tx.Appeals().Put(a) }); err != nil {
		t.Fatal(err)
	}
	r := staffAppealsAt(t, f, staffReviewer, 120, 40)
	staffAppealFilter(t, r, 4, 0, 0, 0) // 已驳回
	staffKeys(r, tea.KeyEnter)
	staffSees(t, r, "已驳回", "材料不全")
	staffAppealMaterial(r, 3)
	staffSees(t, r, "3. 法人身份证正面：法人正面.jpg（JPEG 图片，2.0 KB）", "材料已按规定删除")
	if n := f.staffAppealMaterialViews(model.MaterialRepIDFront); n != 0 {
		t.Errorf("a purged material read %d times", n)
	}
}

// staffAppealQueue puts appeals in the store for the queue's tests, every
// one with the same seven materials (written once: chunks are shared).
type staffAppealRow struct {
	ref   string
	kind  model.AppealKind
	state model.AppealState
	age   time.Duration
}

func (f *fixture) staffAppealQueue(rows ...staffAppealRow) {
	f.t.Helper()
	first := f.staffAppealPut(model.Appeal{ID: "appeal-q0", Ref: "261127-QQQQ-000000", Kind: model.AppealKindRegister,
		State: model.AppealApproved, Kiosk: "KIOSK-T1", EnterpriseName: "材料模板公司", USCC: sampleLanglan.uscc,
		Account: "template_01", Phone: sampleLanglan.phone, CreatedAt: f.clock.Now().Add(-100 * 24 * time.Hour),
		UpdatedAt: f.clock.Now()}, staffAppealUploads())
	now := f.clock.Now()
	err := f.store.Update(context.Background(), func(tx model.Tx) error {
		for i, r := range rows {
			a := model.Appeal{ID: fmt.Sprintf("appeal-q%d", i+1), Ref: r.ref, Kind: r.kind, State: r.state,
				Kiosk: "KIOSK-T1", LegalType: "企业法人", EnterpriseName: "队列公司" + r.ref[len(r.ref)-2:],
				USCC: sampleLanglan.uscc, Account: "queue_corp01", Phone: sampleLanglan.phone,
				Materials: first.Materials, CreatedAt: now.Add(-r.age), UpdatedAt: now.Add(-r.age)}
			if r.kind == model.AppealKindChange {
				a.Changes = []model.AppealChange{model.ChangePhone}
			}
			if err := tx.Appeals().Put(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// staffAppealFilter opens the filter, chooses option i of each field in
// order (状态, 类型, 提交时间, 排序) by touch, and applies it.
func staffAppealFilter(t *testing.T, r *Root, state, kind, age, order int) {
	t.Helper()
	staffTap(t, r, staffButton(staff.AppealsID, staff.AppealFilter))
	for i, key := range []string{staff.FieldAppealState, staff.FieldAppealKind, staff.FieldAppealAge, staff.FieldAppealOrder} {
		staffTap(t, r, form.OptionZone(staff.AppealsFilterForm, key, []int{state, kind, age, order}[i]))
	}
	staffTap(t, r, form.ButtonZone(staff.AppealsFilterForm, form.ButtonNext))
}

// staffAppealRefs are the references in the list as drawn, top down.
func staffAppealRefs(r *Root) []string {
	var out []string
	for _, l := range strings.Split(ansi.Strip(r.View()), "\n") {
		for _, w := range strings.Fields(l) {
			if strings.HasPrefix(w, "2611") && len(w) == 18 {
				out = append(out, w)
			}
		}
	}
	return out
}

// TestStaffAppealQueueFilters: 待处理 oldest first by default; 全部 states
// of one kind; older than 3 days; newest first; 加载更多 follows the
// cursor to the rest.
func TestStaffAppealQueueFilters(t *testing.T) {
	f := staffFixture(t)
	f.staffAppealQueue(
		staffAppealRow{"261127-AAAA-000001", model.AppealKindRegister, model.AppealPending, 2 * time.Hour},
		staffAppealRow{"261123-AAAA-000002", model.AppealKindChange, model.AppealPending, 4 * 24 * time.Hour},
		staffAppealRow{"261119-AAAA-000003", model.AppealKindRegister, model.AppealProcessing, 8 * 24 * time.Hour},
		staffAppealRow{"261125-AAAA-000004", model.AppealKindChange, model.AppealRejected, 2 * 24 * time.Hour},
	)
	r := staffAppealsAt(t, f, staffReviewer, 160, 40)
	if got := strings.Join(staffAppealRefs(r), " "); got != "261123-AAAA-000002 261127-AAAA-000001" {
		t.Fatalf("the default queue: %s", got)
	}
	staffSees(t, r, "修改：手机号码", "4天", "2小时", "11-23 10:00") // wide: 提交时间 too
	staffAppealFilter(t, r, 0, 2, 0, 0)                    // 全部 states, 修改企业信息申诉
	staffSees(t, r, "状态：全部　类型：修改企业信息申诉")
	if got := strings.Join(staffAppealRefs(r), " "); got != "261123-AAAA-000002 261125-AAAA-000004" {
		t.Fatalf("change appeals: %s", got)
	}
	staffAppealFilter(t, r, 0, 0, 2, 1) // older than 3 days, newest first
	if got := strings.Join(staffAppealRefs(r), " "); got != "261123-AAAA-000002 261119-AAAA-000003 261127-QQQQ-000000" {
		t.Fatalf("older than 3 days, newest first: %s", got)
	}
	staffAppealFilter(t, r, 3, 0, 3, 0) // 已通过, older than 7 days
	if got := strings.Join(staffAppealRefs(r), " "); got != "261127-QQQQ-000000" {
		t.Fatalf("approved older than 7 days: %s", got)
	}
	staffAppealFilter(t, r, 1, 1, 1, 0) // 待处理 辅助注册 older than a day: none
	staffSees(t, r, "没有符合条件的申诉", "已显示 0 条")

	// Pages: 25 pending appeals, 20 at a time.
	g := staffFixture(t)
	var many []staffAppealRow
	for i := range 25 {
		many = append(many, staffAppealRow{fmt.Sprintf("261127-PAGE-%06d", i), model.AppealKindRegister,
			model.AppealPending, time.Duration(30-i) * time.Hour})
	}
	g.staffAppealQueue(many...)
	r = staffAppealsAt(t, g, staffReviewer, 120, 40)
	staffAppealSays(t, r, "已显示 20 条，还有更多（加载更多）")
	staffTap(t, r, staffButton(staff.AppealsID, staff.AppealMore))
	staffSees(t, r, "已显示 25 条")
	if v := ansi.Strip(r.View()); strings.Contains(v, "还有更多") {
		t.Fatalf("more after the last page:\n%s", v)
	}
	for range 24 {
		staffKeys(r, tea.KeyDown)
	}
	staffSees(t, r, "261127-PAGE-000024")
}

// TestStaffAppealCounterRefused: a 窗口工作人员 has no 申诉处理 tile, is
// sent back to the staff home by the route, and every review use case
// refuses them.
func TestStaffAppealCounterRefused(t *testing.T) {
	f := staffFixture(t)
	ap := f.staffAppealFile(staffAppealTonghua(), "")
	r := staffLoginAt(t, f, staffCounter, 120, 40)
	if v := ansi.Strip(r.View()); strings.Contains(v, "申诉处理") {
		t.Fatalf("a counter clerk sees 申诉处理:\n%s", v)
	}
	feed(r, route.StaffAppeals.Nav(kit.None{}))
	if r.Current() != route.StaffHome.ID() {
		t.Fatalf("the route let a counter clerk in: %s", r.Current())
	}
	ctx, s := context.Background(), f.staffSession(staffCounter)
	_, _, err := f.svc.AppealQueue(ctx, s, model.AppealFilter{}, "", 10)
	refused := []error{err}
	_, err = f.svc.Appeal(ctx, s, ap.ID)
	refused = append(refused, err)
	_, err = f.svc.AppealMaterial(ctx, s, ap.ID, model.MaterialRepIDFront)
	refused = append(refused, err)
	_, err = f.svc.TakeAppeal(ctx, s, ap.ID)
	refused = append(refused, err)
	_, err = f.svc.ApproveAppeal(ctx, s, ap.ID)
	refused = append(refused, err)
	_, err = f.svc.RejectAppeal(ctx, s, ap.ID, "不予受理")
	refused = append(refused, err)
	for i, err := range refused {
		if !errors.Is(err, model.ErrStaffForbidden) {
			t.Errorf("use case %d: %v, want ErrStaffForbidden", i, err)
		}
	}
	// The screen built for a counter clerk anyway (a guard gone wrong)
	// shows the refusal and no appeal.
	r = newRoot(t, f.deps, 120, 40)
	r.app.SetSession(&s)
	r.app.BeginVisit()
	r.cur = staff.NewAppeals(r.app, kit.None{})
	r.resize()
	for _, m := range collect(r.app.Scope().Wrap(r.cur.Init())) {
		feed(r, m)
	}
	staffSees(t, r, "您的工作人员账号无权办理此项业务")
	if v := ansi.Strip(r.View()); strings.Contains(v, ap.Ref) {
		t.Fatalf("a counter clerk sees the appeal:\n%s", v)
	}
	if got := f.staffAppealByRef(ap.Ref); got.State != model.AppealPending {
		t.Fatalf("stored as %s", got.State)
	}
}

// TestStaffAppealRefusals: another reviewer took the appeal meanwhile:
// 受理 is refused in Chinese and the appeal is read again (处理中, with
// 通过 and 驳回); a reviewer disabled meanwhile is logged out by the next
// decision.
func TestStaffAppealRefusals(t *testing.T) {
	f := staffFixture(t)
	ap := f.staffAppealFile(staffAppealTonghua(), "")
	r := staffAppealsAt(t, f, staffReviewer, 120, 40)
	staffKeys(r, tea.KeyEnter)
	admin := f.staffSession(staffAdmin)
	if _, err := f.svc.TakeAppeal(context.Background(), admin, ap.ID); err != nil {
		t.Fatal(err)
	}
	staffAppealDecide(t, r, staff.AppealTake, ap.Ref)
	staffSees(t, r, "该申诉当前为“处理中”，不能改为“处理中”", "其他工作人员（编号 "+f.staffStaff(staffAdmin).ID[:8]+"）")
	staffTap(t, r, staffButton(staff.AppealDetailID, staff.AppealApprove)) // offered now
	staffKeys(r, tea.KeyEsc)                                               // the confirm's safe answer
	if err := f.staffDesk().SetMemberDisabled(context.Background(), admin, staffReviewer, true); err != nil {
		t.Fatal(err)
	}
	staffAppealDecide(t, r, staff.AppealApprove, ap.Ref)
	if r.Session() != nil || r.Current() != route.Home.ID() {
		t.Fatalf("still logged in at %s: %+v", r.Current(), r.Session())
	}
	if got := f.staffAppealByRef(ap.Ref); got.State != model.AppealProcessing {
		t.Fatalf("a disabled reviewer decided: %s", got.State)
	}
}

// TestStaffAppealByTouch: the whole of a decision by touch alone: the
// tile, the row, 受理 and its confirm, 通过 and its confirm.
func TestStaffAppealByTouch(t *testing.T) {
	f := staffFixture(t)
	ap := f.staffAppealFile(staffAppealQijin(), "")
	r := staffLoginAt(t, f, staffReviewer, 120, 40)
	staffOpen(t, r, staff.TileAppeals)
	staffTap(t, r, kit.RowZone(staff.AppealsListID, 0))
	staffSees(t, r, "申诉详情", ap.Ref)
	staffTap(t, r, kit.ScrollZone("staff-appeal:scroll", +1)) // ▼: the materials
	staffTap(t, r, staff.MaterialZone(2))                     // a material by touch
	staffSees(t, r, "3. 法人身份证正面")
	staffTap(t, r, staffButton(staff.AppealMaterialID, staff.AppealBack))
	staffTap(t, r, staffButton(staff.AppealDetailID, staff.AppealTake))
	staffTap(t, r, staffAsk(staff.AppealAskID, staff.AskOK))
	staffTap(t, r, staffButton(staff.AppealDetailID, staff.AppealApprove))
	staffTap(t, r, staffAsk(staff.AppealAskID, staff.AskOK))
	staffSees(t, r, "已通过")
	if got := f.staffAppealByRef(ap.Ref); got.State != model.AppealApproved {
		t.Fatalf("stored as %s", got.State)
	}
	if e := f.enterprise(sampleQijin.uscc); e.Account != "qijin_tech01" {
		t.Fatalf("opened %+v", e)
	}
}

// TestStaffAppealsWholeAt80x24: every page of 申诉处理 is whole at 80×24 in
// every language: the queue, the filter, the detail (scrolled), a photo,
// a document, the confirm, the reason form with a refusal, the result.
func TestStaffAppealsWholeAt80x24(t *testing.T) {
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			f := staffFixture(t)
			ap := f.staffAppealFile(staffAppealQijin(), "工商登记信息与实际不符，请协助注册")
			f.staffAppealFile(f.staffAppealChange("13922223333", entName, model.ChangePhone), "")
			f.deps.Language = lang
			cat := i18n.Default()
			s := func(id string, kv ...any) string { return cat.Render(lang, i18n.T(id, kv...)) }
			r := newRoot(t, f.deps, 80, 24)
			feed(r, staffChordKey)
			staffLoginOn(t, r, staffReviewer, staffPw)
			staffOpen(t, r, staff.TileAppeals)
			whole := func(want ...string) {
				t.Helper()
				checkRoot(t, r)
				staffSees(t, r, want...)
			}
			whole(s("staff.appeals.title"), ap.Ref, s("staff.appeals.kind_register"), s("staff.back"))
			staffTap(t, r, staffButton(staff.AppealsID, staff.AppealFilter))
			whole(s("staff.appeals.filter_title"))
			staffKeys(r, tea.KeyEsc)
			staffKeys(r, tea.KeyEnter)
			whole(s("staff.appeals.detail_title"), ap.Ref, s("staff.appeals.take"), s("staff.appeals.back_list"))
			staffKeys(r, tea.KeyPgDown, tea.KeyPgDown, tea.KeyPgDown, tea.KeyPgDown, tea.KeyPgDown)
			whole("7. ") // the last material
			staffAppealMaterial(r, 3)
			whole(s("staff.appeals.material_title"), s("staff.appeals.next"), s("staff.appeals.back_detail"))
			staffAppealMaterial(r, 1)
			whole(s("staff.appeals.back_detail"))
			staffKeys(r, tea.KeyEsc)
			staffTap(t, r, staffButton(staff.AppealDetailID, staff.AppealTake))
			checkRoot(t, r)
			staffTap(t, r, staffAsk(staff.AppealAskID, staff.AskOK))
			whole(s("staff.appeals.approve"), s("staff.appeals.reject"))
			staffTap(t, r, staffButton(staff.AppealDetailID, staff.AppealReject))
			staffKeys(r, tea.KeyEnter)
			whole(s("staff.appeals.reason_title"), s("error.appeal.reason_required"))
			typeRunes(r, "材料不全")
			staffKeys(r, tea.KeyEnter)
			checkRoot(t, r)
			staffTap(t, r, staffAsk(staff.AppealAskID, staff.AskOK))
			whole(s("staff.appeals.filter"))
			if got := f.staffAppealByRef(ap.Ref); got.State != model.AppealRejected {
				t.Fatalf("stored as %s", got.State)
			}
		})
	}
}
