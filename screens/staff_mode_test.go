package screens

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/devices/audio"
	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
	"kiosk/screens/staff"
)

// Staff mode as a whole on the real program: its idle limit on the test
// clock, a flow by touch alone, and every screen at 80×24.

// staffEnter types the chord and logs user in through the running kiosk.
func (k *kiosk) staffEnter(user, pw string) {
	k.t.Helper()
	k.tm.Send(staffChordKey)
	k.waitFor(k.text("staff.login.title"))
	k.typeFields(user, pw)
	k.typeText(captchaText)
	k.key(tea.KeyEnter)
	k.waitFor(k.text("staff.home.title"))
}

// TestJourneyStaffIdleExit: staff mode outlasts the visitors' two minutes,
// shows the same countdown dialog before its own limit, and leaves by
// itself at five minutes without input: logged out, the visitors' home.
func TestJourneyStaffIdleExit(t *testing.T) {
	f := staffFixture(t)
	k := startKiosk(t, f.deps)
	k.staffEnter(staffCounter, staffCounterPw)
	start := f.clock.Now()
	k.idle(f.clock, "长时间无操作，将在")
	if at := f.clock.Now().Sub(start); at < kit.StaffIdleLimit-DefaultIdleCountdown || at > kit.StaffIdleLimit-DefaultIdleCountdown+10*time.Second {
		t.Fatalf("the countdown came %s after the last key, want %s", at, kit.StaffIdleLimit-DefaultIdleCountdown)
	}
	k.idle(f.clock, "欢迎使用单位服务自助终端")
	if at := f.clock.Now().Sub(start); at < kit.StaffIdleLimit || at > kit.StaffIdleLimit+15*time.Second {
		t.Fatalf("staff mode ended %s after the last key, want %s", at, kit.StaffIdleLimit)
	}
	r := k.finish()
	if r.Session() != nil || r.Current() != route.Home.ID() {
		t.Fatalf("after the idle limit: %s %+v", r.Current(), r.Session())
	}
	counter := f.staffStaff(staffCounter)
	eventually(t, "the staff logout", func() bool {
		rec, ok := f.staffAuditOf("logout")
		return ok && rec.Actor == "staff:"+counter.ID
	})
}

// TestJourneyStaffIdleCancelledByKey: a key during the countdown keeps
// staff mode.
func TestJourneyStaffIdleCancelledByKey(t *testing.T) {
	f := staffFixture(t)
	k := startKiosk(t, f.deps)
	k.staffEnter(staffCounter, staffCounterPw)
	k.idle(f.clock, "长时间无操作，将在")
	k.key(tea.KeyRight)
	k.waitFor(k.text("staff.home.title"))
	r := k.finish()
	if !r.Session().IsStaff() || r.Current() != route.StaffHome.ID() {
		t.Fatalf("a key ended staff mode: %s", r.Current())
	}
}

// TestJourneyStaffByTouch: after the chord and the credentials, a dead SMS
// is retried and staff mode left by taps alone.
func TestJourneyStaffByTouch(t *testing.T) {
	f := staffFixture(t)
	f.staffDead("dead-touch", "13812345678")
	k := startKiosk(t, f.deps)
	k.staffEnter(staffCounter, staffCounterPw)
	k.click(staff.TileZone(staff.TileSMS))
	k.waitFor("138****5678", "CMS-500")
	k.click(kit.RowZone(staff.SMSListID, 0)) // a tap on the row asks to retry it
	k.waitFor("确定重新发送发往 138****5678 的短信吗？")
	k.click(staffAsk(staff.SMSAskID, staff.AskOK))
	k.waitFor("已重新排队发送")
	eventually(t, "the retry stored", func() bool {
		m, _ := readTx(f.store, func(tx model.Tx) (model.OutboundSMS, error) { return tx.Outbox().Get("dead-touch") })
		return m.State != model.OutboxDead
	})
	k.click(staffButton(staff.SMSID, staff.SMSBack))
	k.waitFor(k.text("staff.home.title"))
	k.click(staff.TileZone(staff.TileLogout))
	k.waitFor("欢迎使用单位服务自助终端")
	r := k.finish()
	if r.Session() != nil {
		t.Fatalf("still logged in: %+v", r.Session())
	}
	if _, ok := f.staffAuditOf("outbox.retry"); !ok {
		t.Error("the retry is not audited")
	}
}

// TestStaffScreensAt80x24: every staff screen fits 80×24 with its
// buttons on show, in every language.
func TestStaffScreensAt80x24(t *testing.T) {
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			f := staffFixture(t)
			f.staffLock()
			f.staffDead("dead-80", "13812345678")
			f.staffEvil()
			f.deps.Language = lang
			cat := i18n.Default()
			s := func(id string, kv ...any) string { return cat.Render(lang, i18n.T(id, kv...)) }
			r := newRoot(t, f.deps, 80, 24)
			fits := func(want ...string) {
				t.Helper()
				staffFits(t, r, 80, 24)
				staffSees(t, r, want...)
			}
			feed(r, staffChordKey)
			fits(s("staff.login.title"), s("staff.login.submit"))
			staffLoginOn(t, r, staffAdmin, staffPw)
			fits(s("staff.home.appeals"), s("staff.home.members"), s("staff.home.logout"))
			staffOpen(t, r, staff.TileAppeals)
			fits(s("staff.appeals.title"), s("staff.back"))
			staffKeys(r, tea.KeyEsc)
			staffOpen(t, r, staff.TileEnterprise)
			fits(s("staff.ent.search"))
			typeRunes(r, entAccount)
			staffKeys(r, tea.KeyEnter)
			fits(entName, s("staff.ent.unlock"), s("staff.ent.again"), s("staff.back"))
			staffKeys(r, tea.KeyEsc, tea.KeyEsc)
			staffOpen(t, r, staff.TileSMS)
			fits("138****5678", s("staff.sms.retry"), s("staff.back"))
			staffKeys(r, tea.KeyEsc)
			staffOpen(t, r, staff.TileAudit)
			fits(s("staff.audit.open"), s("staff.audit.filter"))
			staffKeys(r, tea.KeyEnter)
			fits(s("staff.audit.back_list"))
			staffKeys(r, tea.KeyEsc)
			staffTap(t, r, staffButton(staff.AuditID, staff.AuditFilter))
			fits(s("staff.audit.search"), s("staff.cancel"))
			staffKeys(r, tea.KeyEsc, tea.KeyEsc)
			staffOpen(t, r, staff.TileMembers)
			fits(staffCounter, s("staff.members.add"), s("staff.members.reset"), s("staff.back"))
			staffTap(t, r, staffButton(staff.MembersID, staff.MembersAdd))
			fits(s("staff.members.add_title"))
			if v := ansi.Strip(r.View()); !strings.Contains(v, s("staff.members.add")) {
				// a long form scrolls: its button is reached by tab
				formOf(t, r).Focus("button:" + form.ButtonNext)
			}
			staffKeys(r, tea.KeyEsc)
			if r.Current() != route.StaffMembers.ID() {
				t.Fatalf("esc on an empty 添加 went to %s", r.Current())
			}
			staffRowOf(t, r, f, staffCounter)
			staffTap(t, r, staffButton(staff.MembersID, staff.MembersReset))
			fits(s("staff.members.reset_title"))
		})
	}
}

// TestStaffModeIsQuiet: the staff login says nothing (the visitors around
// need not hear it), the staff home says 已进入工作人员模式 once, the
// console's other screens nothing; after 退出 the visitors' prompts are back.
func TestStaffModeIsQuiet(t *testing.T) {
	f := staffFixture(t)
	d := f.deps
	r, p := voiceRoot(t, d)
	n := len(p.Requests())
	feed(r, staffChordKey)
	if len(p.Requests()) != n {
		t.Fatalf("the staff login spoke: %q", lastPrompt(p))
	}
	staffLoginOn(t, r, staffAdmin, staffPw)
	if lastPrompt(p) != audio.PromptStaff || len(p.Requests()) != n+1 {
		t.Fatalf("the staff home said %q (%d prompts)", lastPrompt(p), len(p.Requests())-n)
	}
	staffOpen(t, r, staff.TileAudit)
	staffKeys(r, tea.KeyEsc)
	if len(p.Requests()) != n+1 {
		t.Fatalf("the console spoke again: %q", lastPrompt(p))
	}
	staffOpen(t, r, staff.TileLogout)
	if lastPrompt(p) != audio.PromptLogout {
		t.Fatalf("after 退出: %q", lastPrompt(p))
	}
	feed(r, toEnterpriseLogin)
	if lastPrompt(p) != audio.PromptLoginEnterprise {
		t.Fatalf("a visitor's screen after staff mode: %q", lastPrompt(p))
	}
}
