package screens

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// Pure Update/View tests of the root: no program, messages in, view out.

// Navigations of the pure tests.
var (
	toEnterpriseLogin  = route.EnterpriseLogin.Nav(route.LoginParams{})
	toAgentLogin       = route.AgentLogin.Nav(kit.None{})
	toEnterpriseCenter = route.EnterpriseCenter.Nav(kit.None{})
)

func toComingSoon(service string) kit.Navigate {
	return route.ComingSoon.Nav(route.ComingSoonParams{Service: service})
}

// timedRoot is a pure root whose timers run on clock (newRoot turns them
// off): a timer's command waits until the test moves the clock.
func timedRoot(t *testing.T, d Deps, clock *clocktest.Clock, w, h int) *Root {
	t.Helper()
	d.Clock = clock
	r := New(d)
	t.Cleanup(r.Close)
	r.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return r
}

// timer runs the command of a timer on its own goroutine; the returned
// function waits (in real time) for its message once the test has moved
// the clock, and returns it: a delivery, to be handed to the root, or nil
// when the timer was superseded.
func timer(t *testing.T, cmd tea.Cmd) func() tea.Msg {
	t.Helper()
	if cmd == nil {
		t.Fatal("no timer armed")
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	return func() tea.Msg {
		t.Helper()
		select {
		case m := <-ch:
			return m
		case <-time.After(waitTimeout):
			t.Fatal("the timer never fired")
			return nil
		}
	}
}

// pump runs the commands of a timed root as the program would, each on
// its own goroutine, and hands their messages to the root one at a time
// when the test asks for them (next): a timer's message comes only after
// the test moved the clock. Spinner ticks only animate and are dropped.
type pump struct {
	t    *testing.T
	r    *Root
	msgs chan tea.Msg
}

func newPump(t *testing.T, r *Root) *pump {
	return &pump{t: t, r: r, msgs: make(chan tea.Msg, 64)}
}

// run starts cmd; batches are split as the program splits them.
func (p *pump) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		switch m := cmd().(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range m {
				p.run(c)
			}
		default:
			p.msgs <- m
		}
	}()
}

// send hands msg to the root and starts its commands.
func (p *pump) send(msg tea.Msg) {
	_, cmd := p.r.Update(msg)
	p.run(cmd)
}

// next waits for the next message that reaches the screen or the root
// (spinner ticks skipped) and hands it to the root.
func (p *pump) next() tea.Msg {
	p.t.Helper()
	for {
		select {
		case m := <-p.msgs:
			if _, spin := m.(spinner.TickMsg); spin {
				continue
			}
			p.send(m)
			return m
		case <-time.After(waitTimeout):
			p.t.Fatal("no message came")
			return nil
		}
	}
}

func TestMinimumSizeNotice(t *testing.T) {
	for _, sz := range [][2]int{{79, 24}, {80, 23}, {40, 10}} {
		r := newRoot(t, Deps{Demo: true}, sz[0], sz[1])
		v := r.View()
		if !strings.Contains(v, zh(TooSmall)) || strings.Contains(v, zh(Platform)) {
			t.Errorf("%dx%d: want only the size notice, got:\n%s", sz[0], sz[1], v)
		}
	}
	r := newRoot(t, Deps{}, 80, 24)
	v := r.View()
	if strings.Contains(v, zh(TooSmall)) || !strings.Contains(v, zh(Platform)) {
		t.Fatalf("80x24 must draw the shell:\n%s", v)
	}
	lines := strings.Split(v, "\n")
	if len(lines) != 24 {
		t.Errorf("80x24 view has %d lines", len(lines))
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > 80 {
			t.Errorf("line %d is %d cells wide: %q", i, w, l)
		}
	}
}

func TestDemoBanner(t *testing.T) {
	if v := newRoot(t, Deps{Demo: true}, 120, 40).View(); !strings.Contains(v, zh(DemoBanner)) {
		t.Errorf("demo mode without banner")
	}
	if v := newRoot(t, Deps{}, 120, 40).View(); strings.Contains(v, "演示模式") {
		t.Errorf("production shows the demo banner")
	}
}

func TestEveryScreenFitsAt80x24(t *testing.T) {
	r := newRoot(t, Deps{Demo: true}, 80, 24)
	for _, nav := range []kit.Navigate{toEnterpriseLogin, toAgentLogin, toComingSoon("home.register")} {
		id := nav.To()
		feed(r, nav)
		if id != route.ComingSoon.ID() {
			// Submit the empty form from the 登录 button: every field shows
			// its error, the tallest this screen gets.
			feed(r, tea.KeyMsg{Type: tea.KeyShiftTab})
			feed(r, tea.KeyMsg{Type: tea.KeyShiftTab})
			feed(r, tea.KeyMsg{Type: tea.KeyEnter})
			// The step scrolls (the picture keeps a legible size): the
			// captcha field, focused, shows whole with its error.
			formOf(t, r).Focus("captcha")
			if !strings.Contains(r.View(), "请输入图片验证码") {
				t.Fatalf("%s: errors not shown:\n%s", id, r.View())
			}
		}
		v := r.View()
		lines := strings.Split(v, "\n")
		if len(lines) != 24 {
			t.Errorf("%s: %d lines", id, len(lines))
		}
		for i, l := range lines {
			if w := lipgloss.Width(l); w != 80 {
				t.Errorf("%s line %d: %d cells", id, i, w)
			}
		}
		if id != route.ComingSoon.ID() && !strings.Contains(v, "登录 ]") {
			t.Errorf("%s: login button cut off:\n%s", id, v)
		}
	}
}

func TestHomeButtonsAndComingSoon(t *testing.T) {
	r := newRoot(t, Deps{Demo: true}, 120, 40)
	v := r.View()
	// The services of SPEC §1, in the manual's order, then the kiosk's own page.
	want := []string{"企业登录", "经办人登录", "立即注册", "忘记密码", "账号激活", "账号申诉", "自然人注册", "关于本终端"}
	if len(r.app.Home) != len(want) {
		t.Errorf("home has %d tiles: %+v", len(r.app.Home), r.app.Home)
	}
	for i, it := range r.app.Home {
		if i < len(want) && zh(it.Label) != want[i] {
			t.Errorf("tile %d is %s, want %s", i, zh(it.Label), want[i])
		}
		if !strings.Contains(v, zh(it.Label)) {
			t.Errorf("home lacks %s", zh(it.Label))
		}
	}
	// → ×5 to 账号申诉: its first step, the type.
	for range 5 {
		feed(r, tea.KeyMsg{Type: tea.KeyRight})
	}
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if r.Current() != route.Appeal.ID() || !strings.Contains(r.View(), zh("appeal.type")) {
		t.Fatalf("screen %s:\n%s", r.Current(), r.View())
	}
	feed(r, tea.KeyMsg{Type: tea.KeyEsc})
	if r.Current() != route.Home.ID() {
		t.Fatalf("esc should go back home, at %s", r.Current())
	}
}

func TestHistoryAndRebuild(t *testing.T) {
	r := newRoot(t, Deps{}, 120, 40)
	feed(r, toEnterpriseLogin)
	for _, c := range "abc12345" {
		feed(r, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
	}
	feed(r, toComingSoon("home.activate"))
	if len(r.history) != 2 {
		t.Fatalf("history %v", r.history)
	}
	feed(r, kit.Back{})
	if r.Current() != route.EnterpriseLogin.ID() {
		t.Fatalf("back to %s", r.Current())
	}
	// Back into a flow from a page it opened: what was typed is kept.
	if !strings.Contains(r.View(), "abc12345") {
		t.Errorf("value lost on the way back into the flow")
	}
	feed(r, kit.Back{})
	feed(r, kit.Back{}) // at home with no history: stays home
	if r.Current() != route.Home.ID() || len(r.history) != 0 {
		t.Errorf("at %s history %v", r.Current(), r.history)
	}
	// Once the flow is left, it is rebuilt on entry: nothing typed survives.
	feed(r, toEnterpriseLogin)
	if strings.Contains(r.View(), "abc12345") {
		t.Errorf("value outlived the flow")
	}
}

func TestCentersNeedASession(t *testing.T) {
	r := newRoot(t, Deps{}, 120, 40)
	feed(r, toEnterpriseCenter)
	if r.Current() != route.Home.ID() {
		t.Errorf("center without a session: at %s", r.Current())
	}
}

func TestSessionLineSanitisedAndMasked(t *testing.T) {
	r := newRoot(t, Deps{}, 120, 40)
	r.app.SetSession(&model.Session{Kind: model.SessionAgent, EnterpriseName: "恶意\x1b[2J公司\u202e", AgentName: "李晓明"})
	v := r.View()
	if strings.ContainsAny(v, "\x1b\u202e") {
		t.Errorf("escape or bidi control reached the terminal: %q", v)
	}
	if !strings.Contains(v, "当前登录：经办人 李**（恶意") || strings.Contains(v, "李晓明") {
		t.Errorf("session line:\n%s", v)
	}
}

func TestErrMsgShowsSentenceLogsDetail(t *testing.T) {
	var log bytes.Buffer
	r := newRoot(t, Deps{Log: slog.New(slog.NewTextHandler(&log, nil))}, 120, 40)
	feed(r, kit.ErrMsg{Err: errors.New("bbolt: disk I/O error")})
	v := r.View()
	if !strings.Contains(v, zht(model.ErrUnavailable.Msg)) || strings.Contains(v, "bbolt") {
		t.Errorf("view:\n%s", v)
	}
	if !strings.Contains(log.String(), "disk I/O error") {
		t.Errorf("detail not logged: %s", log.String())
	}
	feed(r, tea.KeyMsg{Type: tea.KeyTab})
	if strings.Contains(r.View(), zht(model.ErrUnavailable.Msg)) {
		t.Errorf("notice should go with the next key")
	}
}

func TestQuitOnlyWhenAllowed(t *testing.T) {
	ctrlC := tea.KeyMsg{Type: tea.KeyCtrlC}
	r := newRoot(t, Deps{}, 120, 40)
	if msgs := collect(func() tea.Cmd { _, c := r.Update(ctrlC); return c }()); len(msgs) != 0 {
		t.Errorf("a citizen could quit: %#v", msgs)
	}
	r = newRoot(t, Deps{AllowQuit: true}, 120, 40)
	_, cmd := r.Update(ctrlC)
	if msgs := collect(cmd); len(msgs) != 1 || msgs[0] != (tea.QuitMsg{}) {
		t.Errorf("dev quit: %#v", msgs)
	}
}

func TestMuteKey(t *testing.T) {
	r := newRoot(t, Deps{KioskID: "K1"}, 120, 40)
	feed(r, tea.KeyMsg{Type: tea.KeyF8})
	if !strings.Contains(r.View(), "已静音") {
		t.Errorf("mute not shown")
	}
	feed(r, tea.KeyMsg{Type: tea.KeyF8})
	if strings.Contains(r.View(), "已静音") {
		t.Errorf("unmute not shown")
	}
}

func TestStepBar(t *testing.T) {
	r := newRoot(t, Deps{}, 120, 40)
	got := r.stepBar([]string{"activate.step_confirm", "activate.step_sms", "activate.step_account", "activate.step_done"}, 1)
	if got != "1 确认账号 › [2 安全验证] › 3 设置账密 › 4 激活成功" {
		t.Errorf("step bar = %q", got)
	}
}

// TestIdleWatchdog drives the idle machinery on the test clock, one timer
// at a time: the countdown starts only after the timeout, a superseded
// timer never starts it, it counts down, is cancelled by a key, and at
// zero resets to a fresh home.
func TestIdleWatchdog(t *testing.T) {
	clock := clocktest.New(testNow)
	r := timedRoot(t, Deps{IdleTimeout: 120 * time.Second, IdleCountdown: 20 * time.Second}, clock, 120, 40)
	idle := timer(t, r.Init()) // on a bare home the idle timer is all Init starts
	// On a pristine home the watchdog only re-arms.
	clock.Add(121 * time.Second)
	_, cmd := r.Update(idle())
	if r.counting {
		t.Fatal("countdown on an untouched home screen")
	}
	idle = timer(t, cmd)
	feed(r, toEnterpriseLogin)
	clock.Add(60 * time.Second)
	for _, c := range "typed_value" {
		r.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
	}
	// The timer fires 60 s after the last key: it re-arms for the rest.
	clock.Add(60 * time.Second)
	_, cmd = r.Update(idle())
	if r.counting {
		t.Fatal("countdown before the timeout")
	}
	// A newer timer supersedes the pending one: when the timeout has
	// passed, the superseded timer's tick (if it comes at all) is dropped.
	superseded := timer(t, cmd)
	newer := timer(t, r.scheduleIdle(2*time.Minute))
	clock.Add(61 * time.Second)
	if m := superseded(); m != nil {
		r.Update(m)
	}
	if r.counting {
		t.Fatal("stale tick started the countdown")
	}
	clock.Add(59 * time.Second)
	_, cmd = r.Update(newer())
	if !r.counting || !strings.Contains(r.View(), "长时间无操作，将在 20 秒后返回首页，按任意键继续") {
		t.Fatalf("countdown not shown:\n%s", r.View())
	}
	countdown := timer(t, cmd)
	clock.Add(5500 * time.Millisecond)
	_, cmd = r.Update(countdown())
	if !strings.Contains(r.View(), "将在 15 秒后") {
		t.Errorf("countdown not updated:\n%s", r.View())
	}
	// Any key cancels and is swallowed.
	_, cmd = r.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'Z'}})
	if r.counting || !strings.Contains(r.View(), "typed_value") || strings.Contains(r.View(), "typed_valueZ") {
		t.Fatalf("cancel: counting %v\n%s", r.counting, r.View())
	}
	// Again, and this time let it run out.
	idle = timer(t, cmd)
	clock.Add(121 * time.Second)
	_, cmd = r.Update(idle())
	if !r.counting {
		t.Fatal("no countdown after the timeout")
	}
	countdown = timer(t, cmd)
	clock.Add(20 * time.Second)
	r.Update(countdown()) // home, and a new idle timer that is never fired
	if r.counting || r.Current() != route.Home.ID() || len(r.history) != 0 {
		t.Fatalf("after the countdown: counting %v screen %s history %v", r.counting, r.Current(), r.history)
	}
	feed(r, toEnterpriseLogin)
	if strings.Contains(r.View(), "typed_value") {
		t.Errorf("typed value survived the idle reset")
	}
}

func TestCountdownFooterSaysAnyKey(t *testing.T) {
	r := newRoot(t, Deps{}, 120, 40)
	feed(r, toEnterpriseLogin)
	r.lastInput = r.now().Add(-time.Hour)
	r.Update(idleTick{})
	if v := r.View(); !strings.Contains(v, "任意键 继续") {
		t.Errorf("countdown footer:\n%s", v)
	}
}
