package kit

import (
	"bytes"
	"context"
	"errors"
	"kiosk/model/i18n"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"kiosk/model"
	"kiosk/model/clocktest"
	"kiosk/model/material"
	mt "kiosk/model/material/materialtest"
	"kiosk/screens/form"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

var (
	up    = tea.KeyMsg{Type: tea.KeyUp}
	down  = tea.KeyMsg{Type: tea.KeyDown}
	left  = tea.KeyMsg{Type: tea.KeyLeft}
	right = tea.KeyMsg{Type: tea.KeyRight}
	tab   = tea.KeyMsg{Type: tea.KeyTab}
	enter = tea.KeyMsg{Type: tea.KeyEnter}
	space = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	esc   = tea.KeyMsg{Type: tea.KeyEsc}
	pgdn  = tea.KeyMsg{Type: tea.KeyPgDown}
)

func plain(s string) string { return ansi.Strip(s) }

// timersOff is a clock whose timers never fire.
type timersOff struct{ *clocktest.Clock }

func (timersOff) After(time.Duration) <-chan time.Time { return nil }

func newApp(t *testing.T) *App {
	t.Helper()
	a := NewApp(Deps{Clock: timersOff{clocktest.New(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))}})
	t.Cleanup(a.Zones.Close)
	return a
}

// open runs cmd and opens what it yields against the app's visit.
func open(t *testing.T, a *App, cmd tea.Cmd) tea.Msg {
	t.Helper()
	if cmd == nil {
		return nil
	}
	m, ok := a.Scope().Open(cmd())
	if !ok {
		return nil
	}
	return m
}

// tapAt presses on the zone id as last drawn by view.
func tapAt(t *testing.T, a *App, view, id string) tea.MouseMsg {
	t.Helper()
	before := a.Zones.Get(id)
	a.Zones.Scan(view)
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if z := a.Zones.Get(id); z != nil && z != before && !z.IsZero() {
			return tea.MouseMsg{X: z.StartX, Y: z.StartY, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft}
		}
	}
	t.Fatalf("zone %s never drawn", id)
	return tea.MouseMsg{}
}

func TestRouteParamsAreTyped(t *testing.T) {
	type params struct{ USCC string }
	r := NewRoute[params]("activate")
	var got params
	e := r.Screen(func(_ *App, p params) Screen { got = p; return nil })
	n := r.Nav(params{USCC: "X"})
	if _, err := e.Build(nil, n.Params()); err != nil || got.USCC != "X" {
		t.Fatalf("build with its params: %v %+v", err, got)
	}
	if _, err := e.Build(nil, "X"); err == nil {
		t.Error("params of another type were accepted")
	}
	if o := e.Open(); o.To() != "activate" || o.Params() != (params{}) {
		t.Errorf("home tile opens %#v", o)
	}
	fresh := r.Fresh(params{})().(Navigate)
	if !fresh.Fresh() || r.Nav(params{}).Fresh() {
		t.Error("Fresh not marked")
	}
}

func TestGuards(t *testing.T) {
	ent := &model.Session{Kind: model.SessionEnterprise, Admin: true}
	agent := &model.Session{Kind: model.SessionAgent}
	admin := &model.Session{Kind: model.SessionAgent, Admin: true}
	reviewer := &model.Session{Kind: model.SessionStaff, StaffRole: model.StaffReviewer}
	for _, c := range []struct {
		name  string
		guard func(*model.Session) bool
		yes   []*model.Session
		no    []*model.Session
	}{
		{"Visitor", Visitor, []*model.Session{nil}, []*model.Session{ent, agent, reviewer}},
		{"Enterprise", Enterprise, []*model.Session{ent}, []*model.Session{nil, agent, admin, reviewer}},
		{"Agent", Agent, []*model.Session{agent, admin}, []*model.Session{nil, ent, reviewer}},
		{"AdminAgent", AdminAgent, []*model.Session{admin}, []*model.Session{nil, ent, agent}},
		{"AgentManager", AgentManager, []*model.Session{ent, admin}, []*model.Session{nil, agent, reviewer}},
		{"Staff(reviewer)", Staff(model.StaffReviewer), []*model.Session{reviewer}, []*model.Session{nil, ent, agent}},
		{"Staff(counter)", Staff(model.StaffCounter), nil, []*model.Session{reviewer, ent}},
	} {
		for _, s := range c.yes {
			if !c.guard(s) {
				t.Errorf("%s refused %+v", c.name, s)
			}
		}
		for _, s := range c.no {
			if c.guard(s) {
				t.Errorf("%s allowed %+v", c.name, s)
			}
		}
	}
}

func TestButtonRow(t *testing.T) {
	a := newApp(t)
	b := NewButtonRow(a, "row")
	b.Set(Btn{ID: "off", Label: "停用", Disabled: true}, Btn{ID: "a", Label: "甲"}, Btn{ID: "b", Label: "乙"})
	if b.Focused() != "a" {
		t.Fatalf("focus starts on the first enabled button: %q", b.Focused())
	}
	b.Update(right)
	if b.Update(space) != "b" {
		t.Error("space does not press")
	}
	b.Update(right) // wraps over the disabled one
	if b.Focused() != "a" {
		t.Errorf("focus %q", b.Focused())
	}
	if id := b.Update(tapAt(t, a, b.View(), b.Zone("b"))); id != "b" {
		t.Errorf("tap = %q", id)
	}
	if id := b.Update(tapAt(t, a, b.View(), b.Zone("off"))); id != "" {
		t.Errorf("a disabled button was pressed by a tap")
	}
}

func TestMenuGrid(t *testing.T) {
	a := newApp(t)
	m := NewMenu(a, "home", 4, "home.enterprise_login", "home.agent_login", "home.register", "home.forgot", "home.activate", "home.appeal", "home.person_register")
	for _, c := range []struct {
		k    tea.KeyMsg
		want int
	}{{right, 1}, {down, 5}, {down, 6}, {up, 2}, {left, 1}, {tab, 2}} {
		m.Update(c.k)
		if m.Focused() != c.want {
			t.Fatalf("after %s focus %d, want %d", c.k, m.Focused(), c.want)
		}
	}
	if m.Update(enter) != 2 {
		t.Error("enter does not open")
	}
	if i := m.Update(tapAt(t, a, m.View(), MenuZone("home", "home.person_register"))); i != 6 {
		t.Errorf("tap opened %d", i)
	}
}

func TestListPagesAndChooses(t *testing.T) {
	a := newApp(t)
	l := NewList(a, "agents", Column{Title: "field.name", Width: 8}, Column{Title: "center.state"})
	l.SetSize(60, 6) // 4 rows a page
	if v := plain(l.View()); !strings.Contains(v, "暂无记录") {
		t.Fatalf("empty list:\n%s", v)
	}
	var rows [][]string
	for i := 0; i < 10; i++ {
		rows = append(rows, []string{"经办人" + string(rune('A'+i)), "有效"})
	}
	rows[9][0] = "恶意\x1b[2J名"
	l.SetRows(rows)
	v := plain(l.View())
	if !strings.Contains(v, "▶ 经办人A") || !strings.Contains(v, "第 1/3 页") || strings.Contains(v, "经办人E") {
		t.Fatalf("first page:\n%s", v)
	}
	l.Update(pgdn)
	if l.Selected() != 4 || !strings.Contains(plain(l.View()), "第 2/3 页") {
		t.Fatalf("PgDn: selected %d\n%s", l.Selected(), plain(l.View()))
	}
	for range 10 {
		l.Update(down)
	}
	if l.Selected() != 9 || strings.Contains(l.View(), "\x1b[2J") {
		t.Errorf("last row %d, sanitised view %q", l.Selected(), l.View())
	}
	if l.Update(enter) != 9 {
		t.Error("enter does not choose")
	}
	l.Update(tapAt(t, a, l.View(), PagerZone("agents", -1)))
	if l.Selected() != 4 {
		t.Errorf("‹ tap: selected %d", l.Selected())
	}
	if i := l.Update(tapAt(t, a, l.View(), RowZone("agents", 6))); i != 6 {
		t.Errorf("row tap chose %d", i)
	}
}

func TestConfirmDefaultsToTheSafeAnswer(t *testing.T) {
	a := newApp(t)
	c := NewConfirm(a, "confirm")
	c.Ask(i18n.T("confirm.question"), Btn{ID: "stay", Label: "confirm.stay"}, Btn{ID: "leave", Label: "confirm.leave"})
	if !c.Open() || !strings.Contains(plain(c.View()), "▶ 继续填写 ◀") {
		t.Fatalf("dialog:\n%s", plain(c.View()))
	}
	if c.Update(enter) != "stay" || c.Open() {
		t.Error("enter on the default must keep the form")
	}
	c.Ask(i18n.Raw("?"), Btn{ID: "stay", Label: "confirm.stay"}, Btn{ID: "leave", Label: "confirm.leave"})
	if c.Update(esc) != "stay" {
		t.Error("esc must keep the form")
	}
	c.Ask(i18n.Raw("?"), Btn{ID: "stay", Label: "confirm.stay"}, Btn{ID: "leave", Label: "confirm.leave"})
	c.Update(right)
	if c.Update(enter) != "leave" {
		t.Error("the other answer")
	}
	if c.Update(enter) != "" {
		t.Error("a closed dialog answers")
	}
}

func TestLoaderCancelsAndTimesOut(t *testing.T) {
	a := newApp(t)
	l := NewLoader(a, "load")
	release := make(chan struct{})
	cmd := l.Run("正在加载…", time.Minute, func(ctx context.Context) (any, error) {
		<-release
		return 42, nil
	})
	if !l.Running() || !strings.Contains(plain(l.View()), "正在加载…") {
		t.Fatal("not running")
	}
	// The batch: the spinner tick and the work.
	b := cmd().(tea.BatchMsg)
	work := b[1]
	l.Cancel()
	close(release)
	if m, ok := a.Scope().Open(work()); ok && m != nil {
		t.Errorf("cancelled work delivered %#v", m)
	}
	if l.Running() || l.View() != "" {
		t.Error("still running after Cancel")
	}
	cmd = l.Run("正在加载…", 20*time.Millisecond, func(ctx context.Context) (any, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	_, done := l.Update(open(t, a, cmd().(tea.BatchMsg)[1]))
	if done == nil || !errors.Is(done.Err, context.DeadlineExceeded) {
		t.Fatalf("timeout: %+v", done)
	}
	if got := a.Explain("load", done.Err); zht(got) != "操作超时，请重试或咨询窗口工作人员" {
		t.Errorf("timeout sentence %q", got)
	}
}

func TestExplain(t *testing.T) {
	a := newApp(t)
	var log strings.Builder
	a.Deps.Log = newLog(&log)
	locked := &model.LockedError{Until: a.Now().Add(15 * time.Minute)}
	if got := zht(a.Explain("x", locked)); got != "账号已锁定，请于 10:15 后重试" {
		t.Errorf("lock: %q", got)
	}
	if got := a.Explain("x", errors.New("bolt: disk I/O error")); got.ID != model.ErrUnavailable.Msg.ID || !strings.Contains(log.String(), "disk I/O") {
		t.Errorf("failure: %q, log %q", got, log.String())
	}
	log.Reset()
	if got := a.Explain("x", model.ErrBadCredentials); got.ID != model.ErrBadCredentials.Msg.ID || log.Len() != 0 {
		t.Errorf("a refusal is not logged: %q %q", got, log.String())
	}
	if zht(UnlockTime(a.Now().Add(24*time.Hour), a.Now())) != "11月28日 10:00" {
		t.Errorf("another day: %q", UnlockTime(a.Now().Add(24*time.Hour), a.Now()))
	}
}

// The picker lists one USB stick's folders and accepted files, opens
// folders, never leaves the stick, and reports the chosen file.
func TestFilePicker(t *testing.T) {
	a := newApp(t)
	root := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "材料"), 0o755))
	must(os.WriteFile(filepath.Join(root, "材料", "营业执照.pdf"), mt.PDF(), 0o644))
	must(os.WriteFile(filepath.Join(root, "readme.exe"), []byte("MZ"), 0o644))
	must(os.WriteFile(filepath.Join(root, ".hidden.pdf"), nil, 0o644))
	outside := t.TempDir()
	must(os.WriteFile(filepath.Join(outside, "secret.pdf"), nil, 0o644))
	must(os.Symlink(outside, filepath.Join(root, "link")))
	p := NewFilePicker(a, "pick", root, []string{".pdf", ".jpg"})
	p.SetSize(100, 20)
	feedAll := func(cmd tea.Cmd) tea.Cmd {
		var last tea.Cmd
		for cmd != nil {
			msg := cmd()
			if b, ok := msg.(tea.BatchMsg); ok {
				msg = b[len(b)-1]()
			}
			m, ok := a.Scope().Open(msg)
			if !ok || m == nil {
				return nil
			}
			last = p.Update(m)
			cmd = nil
		}
		return last
	}
	feedAll(p.Init())
	v := plain(p.View())
	if !strings.Contains(v, "▸ 材料") || strings.Contains(v, "readme.exe") || strings.Contains(v, "hidden") || strings.Contains(v, "link") {
		t.Fatalf("root listing:\n%s", v)
	}
	feedAll(p.Update(enter)) // into 材料
	if v := plain(p.View()); !strings.Contains(v, "营业执照.pdf") || !strings.Contains(v, "U盘 / 材料") {
		t.Fatalf("folder listing:\n%s", v)
	}
	p.Update(down) // past ‹ 上一级
	// Read in a command, checked by content.
	msgs := runPicker(a, p, p.Update(enter))
	done, ok := last(msgs).(StepDone)
	f, isFile := done.Result.(form.File)
	if !ok || !isFile || f.Name != "营业执照.pdf" || f.Path != filepath.Join(root, "材料", "营业执照.pdf") ||
		f.Size != int64(len(mt.PDF())) || f.Type != material.PDF || !bytes.Equal(f.Data, mt.PDF()) {
		t.Fatalf("chose %#v", msgs)
	}
	p.Update(up)
	feedAll(p.Update(enter)) // ‹ 上一级: back at the root, and no further
	if v := plain(p.View()); strings.Contains(v, "上一级") || !strings.Contains(v, "▸ 材料") {
		t.Errorf("back at the root:\n%s", v)
	}
	if m := p.Update(esc)(); m != (StepBack{}) {
		t.Errorf("esc = %#v", m)
	}
	none := NewFilePicker(a, "none", "", nil)
	none.Init()
	if !strings.Contains(plain(none.View()), "未检测到U盘") {
		t.Errorf("no stick:\n%s", plain(none.View()))
	}
}
