package screens

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	accountui "kiosk/screens/account"
	"kiosk/screens/center"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Shared-terminal hygiene (issue 9, item 7): whenever the kiosk goes home
// (返回首页, logout, idle reset) the simulated phone panel is emptied, so
// the next visitor never reads the last one's codes or notices; a home
// screen whose panel still shows something is not pristine, so the idle
// reset runs there too.

// phoneCleared checks the final root: home, fresh history, and a panel
// that shows none of gone (and says it is empty).
func phoneCleared(t *testing.T, r *Root, gone ...string) {
	t.Helper()
	if r.Current() != route.Home.ID() || len(r.history) != 0 {
		t.Errorf("at %s with history %v, want a fresh home", r.Current(), r.history)
	}
	if len(r.phone.msgs) != 0 || r.phone.overlay || r.phone.unseen {
		t.Errorf("panel not cleared: %d messages, overlay %v, unseen %v", len(r.phone.msgs), r.phone.overlay, r.phone.unseen)
	}
	v := r.View()
	for _, s := range gone {
		if strings.Contains(v, s) {
			t.Errorf("%q still on the panel:\n%s", s, v)
		}
	}
	if !strings.Contains(v, zh("phone.empty")) {
		t.Errorf("the panel does not say it is empty:\n%s", v)
	}
}

// sendSMS puts a message on the simulated phone as the outbox worker would.
func (f *fixture) sendSMS(to, text string) {
	f.t.Helper()
	if err := f.phone.Send(context.Background(), to, text); err != nil {
		f.t.Fatal(err)
	}
}

// A code on the panel during 立即注册, the notice of the finished
// registration, then 返回首页: the next visitor sees neither; a message
// sent afterwards shows.
func TestJourneyHomeButtonClearsPhone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	k.fillToCode(e)
	k.requestCode()
	k.waitFor(k.text("flow.code_sent_to", "Phone", "187****2385"))
	code := f.deliver(e.phone)
	k.waitFor(code) // on the panel beside the form, before anyone typed it
	k.typeText(code)
	k.key(tea.KeyEnter)
	k.waitFor(k.text("field.confirm"))
	k.fillAccount(newAccount, newPassword, newPassword)
	k.passFace()
	k.waitFor("✔ 注册成功")
	if n, err := f.worker.RunOnce(context.Background()); n != 1 || err != nil {
		t.Fatalf("notice: worker sent %d: %v", n, err)
	}
	k.waitFor("已注册成功") // the notice, on the panel
	k.click(accountui.RegisterForm + "-done:" + accountui.DoneHome)
	k.waitFor(k.text("home.welcome"))
	f.sendSMS("13800138000", "新访客的短信")
	k.waitFor("新访客的短信")
	r := k.finish()
	v := r.View()
	for _, gone := range []string{code, "已注册成功", "187****2385"} {
		if strings.Contains(v, gone) {
			t.Errorf("%q of the last visit still drawn:\n%s", gone, v)
		}
	}
	if r.Current() != route.Home.ID() || len(r.history) != 0 || len(r.phone.msgs) != 1 {
		t.Errorf("at %s, history %v, %d messages on the panel", r.Current(), r.history, len(r.phone.msgs))
	}
}

// A code on the panel during 立即注册, then the idle reset.
func TestJourneyIdleClearsPhone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	k.fillToCode(e)
	k.requestCode()
	k.waitFor(k.text("flow.code_sent_to", "Phone", "187****2385"))
	code := f.deliver(e.phone)
	k.waitFor(code)
	k.idle(f.clock, "长时间无操作，将在")
	k.idle(f.clock, "欢迎使用单位服务自助终端")
	phoneCleared(t, k.finish(), code, "187****2385")
}

// A message on the panel while logged in, then 退出登录.
func TestJourneyLogoutClearsPhone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.enterpriseAttempt(entAccount, entPassword)
	k.waitFor("企业中心")
	f.sendSMS("13812345678", codeText)
	k.waitFor("482915")
	k.click(center.Logout)
	k.waitFor(k.text("home.welcome"))
	phoneCleared(t, k.finish(), "482915", "138****5678")
}

// A home screen with a message on the panel is not pristine: the idle
// countdown runs and the reset empties the panel.
func TestJourneyIdleOnHomeWithMessage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	k := startKiosk(t, f.deps)
	f.sendSMS("13800138000", codeText)
	k.waitFor("482915")
	k.idle(f.clock, "长时间无操作，将在")
	k.idle(f.clock, "欢迎使用单位服务自助终端")
	phoneCleared(t, k.finish(), "482915")
}

// Pure: what the idle watchdog counts as pristine.
func TestIdleCountsThePhonePanel(t *testing.T) {
	idleNow := func(r *Root) bool {
		r.lastInput = r.now().Add(-time.Hour)
		r.Update(idleTick{}) // the timers it starts never fire on the hand clock
		return r.counting
	}
	r, _ := phoneRoot(t, Deps{Demo: true}, 120, 40)
	if idleNow(r) {
		t.Error("countdown on a fresh home with an empty panel")
	}
	r, s := phoneRoot(t, Deps{Demo: true}, 120, 40)
	pushSMS(t, r, s, "13800138000", codeText)
	if !idleNow(r) {
		t.Error("no countdown on a home with a message on the panel")
	}
	r, s = phoneRoot(t, Deps{Demo: true}, 80, 24) // collapsed: the message waits behind the indicator
	pushSMS(t, r, s, "13800138000", codeText)
	if !idleNow(r) {
		t.Error("no countdown on a home with an unread message behind the indicator")
	}
	r, _ = phoneRoot(t, Deps{Demo: true}, 80, 24)
	feed(r, tea.KeyMsg{Type: tea.KeyF9}) // the overlay, open and empty
	if !idleNow(r) {
		t.Error("no countdown on a home with the phone overlay open")
	}
}

// Pure: 返回首页 starts a fresh home with an empty panel, even for a
// message whose push was still on its way when the visit ended.
func TestHomeButtonClearsPushesInFlight(t *testing.T) {
	r, s := phoneRoot(t, Deps{Demo: true}, 120, 40)
	feed(r, toEnterpriseLogin)
	pushSMS(t, r, s, "13800138000", "一号短信")
	if err := s.Send(context.Background(), "13800138000", codeText); err != nil {
		t.Fatal(err)
	}
	inFlight := s.Messages()[1]
	feed(r, kit.Home{})
	feed(r, phoneReceived{inFlight})    // the push arrives after the visit ended
	feed(r, phoneHistory{s.Messages()}) // and so does a snapshot of the phone
	if !r.pristine() {
		t.Errorf("home after 返回首页 not pristine: history %v, %d messages", r.history, len(r.phone.msgs))
	}
	if v := r.View(); strings.Contains(v, "一号短信") || strings.Contains(v, "482915") || !strings.Contains(v, zh("phone.empty")) {
		t.Errorf("the last visit's messages on the panel:\n%s", v)
	}
	pushSMS(t, r, s, "13800138000", "新的短信")
	if v := r.View(); !strings.Contains(v, "新的短信") || strings.Contains(v, "482915") {
		t.Errorf("a later message not shown alone:\n%s", v)
	}
}
