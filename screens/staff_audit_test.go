package screens

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"kiosk/model"
	"kiosk/screens/form"
	"kiosk/screens/staff"
)

// 审计日志: filters, the golden of a record meant to attack whoever reads
// the log, and the Change shown to 管理员 only.

// staffEvil appends a record whose actor and detail hold terminal escape
// sequences (SGR colour, an OSC 8 hyperlink, a BEL) and format characters
// (U+202E right-to-left override, U+200B zero-width space), with a Change.
func (f *fixture) staffEvil() {
	f.t.Helper()
	err := f.store.Update(context.Background(), func(tx model.Tx) error {
		_, err := tx.Audit().Append(model.AuditRecord{Time: f.clock.Now(), Kiosk: "KIOSK-T1",
			Actor:  "agent:\x1b[31mred\x1b[0m\u202eevil\u200b",
			Action: "evil.inject", Subject: "ent-\u200bxinghe", Outcome: "ok",
			Detail: "note \x1b]8;;http://evil.example/\x07click\x1b]8;;\x07 \u202egnp.exe\u200b \x1b[2J",
			Change: `{"field":"name","before":"\u001b[31m旧\u202e","after":"新"}`})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// staffInert fails when v draws anything live: an escape (the ASCII
// profile draws no colour at all), a BEL, a format character, a link.
func staffInert(t *testing.T, what, v string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\x07", "\u202e", "\u200b", "evil.example"} {
		if strings.Contains(v, bad) {
			t.Errorf("%s draws %q live:\n%s", what, bad, v)
		}
	}
}

// staffFilter opens the filter, types the values into its fields in
// order (action, kiosk, from, to) and searches.
func staffFilter(t *testing.T, r *Root, values ...string) {
	t.Helper()
	staffTap(t, r, staffButton(staff.AuditID, staff.AuditFilter))
	for _, v := range values {
		staffClearField(r)
		typeRunes(r, v)
		r.Update(tea.KeyMsg{Type: tea.KeyTab})
	}
	staffTap(t, r, form.ButtonZone(staff.AuditForm, form.ButtonNext))
}

// TestGoldenStaffAuditInert: the record is drawn inert in the list and in
// its detail (golden files at 120×40), its Change never in the list.
func TestGoldenStaffAuditInert(t *testing.T) {
	f := staffFixture(t)
	f.staffEvil()
	r := staffLoginAt(t, f, staffAdmin, 120, 40)
	staffOpen(t, r, staff.TileAudit)
	staffFilter(t, r, "evil")
	staffSees(t, r, "evil.inject", "共 1 条")
	v := r.View()
	staffInert(t, "the list", v)
	if strings.Contains(ansi.Strip(v), "旧") || strings.Contains(ansi.Strip(v), "before") {
		t.Fatalf("the Change is in the list:\n%s", v)
	}
	t.Run("list", func(t *testing.T) { teatest.RequireEqualOutput(t, []byte(v)) })
	staffKeys(r, tea.KeyEnter) // 详情
	staffSees(t, r, "审计记录详情", "note click gnp.exe", "有（点击“查看变更内容”显示）")
	v = r.View()
	staffInert(t, "the detail", v)
	t.Run("detail", func(t *testing.T) { teatest.RequireEqualOutput(t, []byte(v)) })
	// 管理员 opens the Change: inert too, and the reading is audited.
	staffTap(t, r, staffButton(staff.AuditDetailID, staff.AuditChange))
	staffSees(t, r, `"after": "新"`, "旧")
	staffInert(t, "the Change", r.View())
	rec, ok := f.staffAuditOf("audit.view_change")
	if !ok || rec.Actor != "staff:"+f.staffStaff(staffAdmin).ID || !strings.HasPrefix(rec.Subject, "KIOSK-T1#") {
		t.Errorf("the Change's reading audited as %+v", rec)
	}
}

// TestStaffAuditChangeAdminOnly: a reviewer sees that a record has a
// Change, never what it says, and has no button to open it.
func TestStaffAuditChangeAdminOnly(t *testing.T) {
	f := staffFixture(t)
	f.staffEvil()
	r := staffLoginAt(t, f, staffReviewer, 120, 40)
	staffOpen(t, r, staff.TileAudit)
	staffFilter(t, r, "evil")
	staffKeys(r, tea.KeyEnter)
	staffSees(t, r, "有（仅管理员可查看）")
	if z := r.Zone(staffButton(staff.AuditDetailID, staff.AuditChange)); z != nil && !z.IsZero() {
		t.Fatal("a reviewer is offered the Change")
	}
	if strings.Contains(ansi.Strip(r.View()), "新") {
		t.Fatal("a reviewer reads the Change")
	}
}

// TestStaffAuditFilter: by action prefix and a date range (the kiosk's
// days); a range that ends before it starts is refused at the field.
func TestStaffAuditFilter(t *testing.T) {
	f := staffFixture(t)
	r := staffLoginAt(t, f, staffCounter, 120, 40)
	staffOpen(t, r, staff.TileAudit)
	staffSees(t, r, "seed.demo", "login.staff") // everything, newest first
	staffFilter(t, r, "LOGIN.STAFF", "kiosk", "2026-11-27", "2026-11-27")
	staffSees(t, r, "操作：LOGIN.STAFF　终端：kiosk　日期：2026-11-27 至 2026-11-27", "共 1 条", "工作人员 "+staffCounter)
	if v := ansi.Strip(r.View()); strings.Contains(v, "seed.demo") {
		t.Fatalf("the filter let other actions through:\n%s", v)
	}
	staffFilter(t, r, "login", "", "2026-11-28", "2026-12-31")
	staffSees(t, r, "共 0 条", "没有符合条件的记录")
	staffFilter(t, r, "", "", "2026-11-28", "2026-11-27")
	staffSees(t, r, "结束日期不能早于起始日期")
	staffKeys(r, tea.KeyEsc) // the filter's 取消: the list as it was
	staffSees(t, r, "共 0 条")
}
