package screens

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/model"
)

// Pure Update/View tests of the root: no program, messages in, view out.

func newRoot(t *testing.T, d Deps, w, h int) *Root {
	t.Helper()
	r := New(d)
	r.after = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil } // ticks are sent by hand
	t.Cleanup(r.Close)
	r.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return r
}

// collect runs a command (batches concurrently) and returns the messages
// it yields. Spinner ticks are dropped: they only animate.
func collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(10 * time.Second):
		panic("command did not return")
	}
	switch m := msg.(type) {
	case nil, spinner.TickMsg:
		return nil
	case tea.BatchMsg:
		outs := make([][]tea.Msg, len(m))
		var wg sync.WaitGroup
		for i, c := range m {
			wg.Add(1)
			go func() {
				defer wg.Done()
				outs[i] = collect(c)
			}()
		}
		wg.Wait()
		var out []tea.Msg
		for _, o := range outs {
			out = append(out, o...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// feed sends msg and then every message its commands yield, recursively.
func feed(r *Root, msg tea.Msg) {
	_, cmd := r.Update(msg)
	for _, m := range collect(cmd) {
		feed(r, m)
	}
}

func TestMinimumSizeNotice(t *testing.T) {
	for _, sz := range [][2]int{{79, 24}, {80, 23}, {40, 10}} {
		r := newRoot(t, Deps{Demo: true}, sz[0], sz[1])
		v := r.View()
		if !strings.Contains(v, TooSmall) || strings.Contains(v, Platform) {
			t.Errorf("%dx%d: want only the size notice, got:\n%s", sz[0], sz[1], v)
		}
	}
	r := newRoot(t, Deps{}, 80, 24)
	v := r.View()
	if strings.Contains(v, TooSmall) || !strings.Contains(v, Platform) {
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
	if v := newRoot(t, Deps{Demo: true}, 120, 40).View(); !strings.Contains(v, DemoBanner) {
		t.Errorf("demo mode without banner")
	}
	if v := newRoot(t, Deps{}, 120, 40).View(); strings.Contains(v, "演示模式") {
		t.Errorf("production shows the demo banner")
	}
}

func TestEveryScreenFitsAt80x24(t *testing.T) {
	r := newRoot(t, Deps{Demo: true}, 80, 24)
	for _, id := range []ScreenID{ScreenEnterpriseLogin, ScreenAgentLogin, ScreenComingSoon} {
		feed(r, Navigate{To: id, Params: "立即注册"})
		if id != ScreenComingSoon {
			// Submit the empty form from the 登录 button: every field shows
			// its error, the tallest this screen gets.
			feed(r, tea.KeyMsg{Type: tea.KeyShiftTab})
			feed(r, tea.KeyMsg{Type: tea.KeyShiftTab})
			feed(r, tea.KeyMsg{Type: tea.KeyEnter})
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
		if id != ScreenComingSoon && !strings.Contains(v, "登录 ]") {
			t.Errorf("%s: login button cut off:\n%s", id, v)
		}
	}
}

func TestHomeButtonsAndComingSoon(t *testing.T) {
	r := newRoot(t, Deps{Demo: true}, 120, 40)
	v := r.View()
	for _, it := range homeItems {
		if !strings.Contains(v, it.label) {
			t.Errorf("home lacks %s", it.label)
		}
	}
	// → ×5 to 账号申诉: not built yet, and it says so honestly.
	for range 5 {
		feed(r, tea.KeyMsg{Type: tea.KeyRight})
	}
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if r.Current() != ScreenComingSoon || !strings.Contains(r.View(), ComingSoonText) || !strings.Contains(r.View(), "账号申诉") {
		t.Fatalf("screen %s:\n%s", r.Current(), r.View())
	}
	feed(r, tea.KeyMsg{Type: tea.KeyEsc})
	if r.Current() != ScreenHome {
		t.Fatalf("esc should go back home, at %s", r.Current())
	}
}

func TestHistoryAndRebuild(t *testing.T) {
	r := newRoot(t, Deps{}, 120, 40)
	feed(r, Navigate{To: ScreenEnterpriseLogin})
	for _, c := range "abc12345" {
		feed(r, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
	}
	feed(r, Navigate{To: ScreenComingSoon, Params: "账号激活"})
	if len(r.history) != 2 {
		t.Fatalf("history %v", r.history)
	}
	feed(r, Back{})
	if r.Current() != ScreenEnterpriseLogin {
		t.Fatalf("back to %s", r.Current())
	}
	// Screens are rebuilt on entry: nothing typed survives leaving one.
	if strings.Contains(r.View(), "abc12345") {
		t.Errorf("value outlived the visit")
	}
	feed(r, Back{})
	feed(r, Back{}) // at home with no history: stays home
	if r.Current() != ScreenHome || len(r.history) != 0 {
		t.Errorf("at %s history %v", r.Current(), r.history)
	}
}

func TestCentersNeedASession(t *testing.T) {
	r := newRoot(t, Deps{}, 120, 40)
	feed(r, Navigate{To: ScreenEnterpriseCenter})
	if r.Current() != ScreenHome {
		t.Errorf("center without a session: at %s", r.Current())
	}
}

func TestSessionLineSanitisedAndMasked(t *testing.T) {
	r := newRoot(t, Deps{}, 120, 40)
	r.app.session = &model.Session{Kind: model.SessionAgent, EnterpriseName: "恶意\x1b[2J公司\u202e", AgentName: "李晓明"}
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
	feed(r, ErrMsg{Err: errors.New("bbolt: disk I/O error")})
	v := r.View()
	if !strings.Contains(v, model.ErrUnavailable.Msg) || strings.Contains(v, "bbolt") {
		t.Errorf("view:\n%s", v)
	}
	if !strings.Contains(log.String(), "disk I/O error") {
		t.Errorf("detail not logged: %s", log.String())
	}
	feed(r, tea.KeyMsg{Type: tea.KeyTab})
	if strings.Contains(r.View(), model.ErrUnavailable.Msg) {
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
	got := r.stepBar([]string{"确认账号", "安全验证", "设置账密", "激活成功"}, 1)
	if got != "1 确认账号 › [2 安全验证] › 3 设置账密 › 4 激活成功" {
		t.Errorf("step bar = %q", got)
	}
}

func TestUnlockTime(t *testing.T) {
	now := time.Date(2025, 3, 10, 10, 0, 0, 0, cst)
	if got := unlockTime(now.Add(15*time.Minute).UTC(), now); got != "10:15" {
		t.Errorf("same day = %q", got)
	}
	if got := unlockTime(now.Add(20*time.Hour), now); got != "3月11日 06:00" {
		t.Errorf("next day = %q", got)
	}
}

// TestIdleWatchdog drives the idle machinery with a fake now and hand-made
// ticks: the countdown starts only after the timeout, counts down, is
// cancelled by a key, and at zero resets to a fresh home.
func TestIdleWatchdog(t *testing.T) {
	now := time.Date(2025, 3, 10, 10, 0, 0, 0, cst)
	r := newRoot(t, Deps{IdleTimeout: 120 * time.Second, IdleCountdown: 20 * time.Second}, 120, 40)
	r.now = func() time.Time { return now }
	r.lastInput = now
	// On a pristine home the watchdog only re-arms.
	now = now.Add(121 * time.Second)
	r.Update(idleTick{r.idleGen})
	if r.counting {
		t.Fatal("countdown on an untouched home screen")
	}
	feed(r, Navigate{To: ScreenEnterpriseLogin})
	for _, c := range "typed_value" {
		r.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
	}
	now = now.Add(60 * time.Second)
	r.Update(idleTick{r.idleGen})
	if r.counting {
		t.Fatal("countdown before the timeout")
	}
	now = now.Add(61 * time.Second)
	r.Update(idleTick{r.idleGen - 1}) // stale generation
	if r.counting {
		t.Fatal("stale tick started the countdown")
	}
	r.Update(idleTick{r.idleGen})
	if !r.counting || !strings.Contains(r.View(), "长时间无操作，将在 20 秒后返回首页，按任意键继续") {
		t.Fatalf("countdown not shown:\n%s", r.View())
	}
	now = now.Add(5500 * time.Millisecond)
	r.Update(countdownTick{r.idleGen})
	if !strings.Contains(r.View(), "将在 15 秒后") {
		t.Errorf("countdown not updated:\n%s", r.View())
	}
	// Any key cancels and is swallowed.
	r.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'Z'}})
	if r.counting || !strings.Contains(r.View(), "typed_value") || strings.Contains(r.View(), "typed_valueZ") {
		t.Fatalf("cancel: counting %v\n%s", r.counting, r.View())
	}
	// Again, and this time let it run out.
	now = now.Add(121 * time.Second)
	r.Update(idleTick{r.idleGen})
	now = now.Add(20 * time.Second)
	feed(r, countdownTick{r.idleGen})
	if r.counting || r.Current() != ScreenHome || len(r.history) != 0 {
		t.Fatalf("after the countdown: counting %v screen %s history %v", r.counting, r.Current(), r.history)
	}
	feed(r, Navigate{To: ScreenEnterpriseLogin})
	if strings.Contains(r.View(), "typed_value") {
		t.Errorf("typed value survived the idle reset")
	}
}

func TestCountdownFooterSaysAnyKey(t *testing.T) {
	r := newRoot(t, Deps{}, 120, 40)
	feed(r, Navigate{To: ScreenEnterpriseLogin})
	r.lastInput = r.now().Add(-time.Hour)
	r.Update(idleTick{r.idleGen})
	if v := r.View(); !strings.Contains(v, "任意键 继续") {
		t.Errorf("countdown footer:\n%s", v)
	}
}
