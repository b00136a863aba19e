package screens

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model"
	"kiosk/screens/route"
	"kiosk/screens/staff"
)

// Journeys through 企业查询与解锁 and 短信发送异常 on the real root: the
// chord, the login, the screen, the action, and the store asserted.

// TestStaffUnlockJourney: a counter clerk finds the locked enterprise by
// its USCC, sees until when it is locked, unlocks it after the confirm;
// the lock is gone from the store, the enterprise logs in, and the unlock
// is audited with the clerk's id.
func TestStaffUnlockJourney(t *testing.T) {
	f := staffFixture(t)
	f.staffLock()
	r := staffLoginAt(t, f, staffCounter, 120, 40)
	staffOpen(t, r, staff.TileEnterprise)
	staffType(r, strings.ToLower(f.uscc)) // as a clerk may type it
	staffKeys(r, tea.KeyEnter)
	until := f.clock.Now().Add(model.BaseLock).Format("15:04")
	staffSees(t, r, entName, f.uscc, entAccount, "王**", "138****5678", "已锁定，至 "+until)
	if v := ansi.Strip(r.View()); strings.Contains(v, f.ent.LegalRep.ID.Number) || strings.Contains(v, f.ent.Phone) {
		t.Fatalf("personal data shown whole:\n%s", v)
	}
	staffTap(t, r, staffButton(staff.EnterpriseID, staff.EntUnlock))
	staffSees(t, r, "确定解除 "+entName+" 的登录锁定")
	staffTap(t, r, staffAsk(staff.EnterpriseAskID, staff.AskOK))
	staffSees(t, r, "已解除 "+entName+" 的登录锁定", "未锁定")
	rec, ok := f.staffAuditOf("lock.clear")
	if !ok || rec.Actor != "staff:"+f.staffStaff(staffCounter).ID || rec.Subject != f.ent.ID || rec.Outcome != "ok" {
		t.Fatalf("unlock audited as %+v", rec)
	}
	if rec, ok := f.staffAuditOf("staff.enterprise_lookup"); !ok || rec.Subject != f.ent.ID {
		t.Errorf("look-up audited as %+v", rec)
	}
	if _, err := f.auth.LoginEnterprise(context.Background(), entAccount, entPassword); err != nil {
		t.Errorf("the enterprise is still locked: %v", err)
	}
	// An unknown one is said plainly; esc goes back to the form, then home.
	staffTap(t, r, staffButton(staff.EnterpriseID, staff.EntAgain))
	staffClearField(r)
	staffType(r, "nobody_here01")
	staffKeys(r, tea.KeyEnter)
	staffSees(t, r, "未找到该企业")
	staffKeys(r, tea.KeyEsc)
	if r.Current() != route.StaffHome.ID() {
		t.Errorf("esc on the form: %s", r.Current())
	}
}

// staffClearField empties the focused field (the look-up form keeps what
// was typed for 重新查询) by backspaces.
func staffClearField(r *Root) {
	for i := 0; i < 25; i++ {
		r.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	}
}

// TestStaffReviewerLooksButDoesNotUnlock: a reviewer may look an
// enterprise up, but has no 解锁 (the use case would refuse it).
func TestStaffReviewerLooksButDoesNotUnlock(t *testing.T) {
	f := staffFixture(t)
	f.staffLock()
	r := staffLoginAt(t, f, staffReviewer, 120, 40)
	staffOpen(t, r, staff.TileEnterprise)
	staffType(r, entAccount)
	staffKeys(r, tea.KeyEnter)
	staffSees(t, r, entName, "已锁定")
	if z := r.Zone(staffButton(staff.EnterpriseID, staff.EntUnlock)); z != nil && !z.IsZero() {
		t.Fatal("a reviewer is offered 解锁")
	}
	if err := f.auth.UnlockEnterprise(context.Background(), *r.Session(), f.uscc); err == nil {
		t.Fatal("the use case let a reviewer unlock")
	}
}

// TestStaffLookupSanitised: an enterprise whose name holds escape
// sequences and format characters is drawn inert.
func TestStaffLookupSanitised(t *testing.T) {
	f := staffFixture(t)
	err := f.store.Update(context.Background(), func(tx model.Tx) error {
		e, err := tx.Enterprises().Get(f.ent.ID)
		if err != nil {
			return err
		}
		e.Name = "星河\x1b[31m红\x1b]8;;http://evil.example\x07链接\x1b]8;;\x07\u202e反\u200b科技"
		return tx.Enterprises().Put(e)
	})
	if err != nil {
		t.Fatal(err)
	}
	r := staffLoginAt(t, f, staffCounter, 120, 40)
	staffOpen(t, r, staff.TileEnterprise)
	staffType(r, entAccount)
	staffKeys(r, tea.KeyEnter)
	v := r.View()
	for _, bad := range []string{"\x1b", "\u202e", "\u200b", "\x07", "evil.example"} {
		if strings.Contains(v, bad) {
			t.Errorf("%q drawn live", bad)
		}
	}
	staffSees(t, r, "星河红链接反科技")
}

// TestStaffSMSRetryJourney: a dead notice is listed with its number
// masked, its kind and a short error code, never its text; 重试 after the
// confirm puts it back in the queue (the store says pending, attempts
// afresh) with an audit record naming the clerk.
func TestStaffSMSRetryJourney(t *testing.T) {
	f := staffFixture(t)
	f.staffDead("dead-notice", "13812345678")
	r := staffLoginAt(t, f, staffCounter, 120, 40)
	staffOpen(t, r, staff.TileSMS)
	staffSees(t, r, "138****5678", "通知", "CMS-500", "8")
	if v := ansi.Strip(r.View()); strings.Contains(v, "密码已修改") || strings.Contains(v, "13812345678") || strings.Contains(v, "gave up") {
		t.Fatalf("text, number or raw error shown:\n%s", v)
	}
	staffKeys(r, tea.KeyEnter) // 重试 has the focus
	staffSees(t, r, "确定重新发送发往 138****5678 的短信吗？")
	staffKeys(r, tea.KeyEnter) // 取消 has the focus: a stray enter changes nothing
	if m, _ := readTx(f.store, func(tx model.Tx) (model.OutboundSMS, error) { return tx.Outbox().Get("dead-notice") }); m.State != model.OutboxDead {
		t.Fatalf("retried without the confirm: %+v", m)
	}
	staffKeys(r, tea.KeyEnter)
	staffTap(t, r, staffAsk(staff.SMSAskID, staff.AskOK))
	staffSees(t, r, "已重新排队发送", "没有发送异常的短信")
	m, _ := readTx(f.store, func(tx model.Tx) (model.OutboundSMS, error) { return tx.Outbox().Get("dead-notice") })
	if m.State != model.OutboxPending || m.Attempts != 0 || m.LastError != "" {
		t.Fatalf("after the retry: %+v", m)
	}
	rec, ok := f.staffAuditOf("outbox.retry")
	if !ok || rec.Actor != "staff:"+f.staffStaff(staffCounter).ID || rec.Subject != "dead-notice" {
		t.Fatalf("retry audited as %+v", rec)
	}
}
