package flow_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"kiosk/assets"
	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/clocktest"
	"kiosk/model/i18n"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

var (
	tab   = tea.KeyMsg{Type: tea.KeyTab}
	enter = tea.KeyMsg{Type: tea.KeyEnter}
	esc   = tea.KeyMsg{Type: tea.KeyEsc}
	down  = tea.KeyMsg{Type: tea.KeyDown}
	f5    = tea.KeyMsg{Type: tea.KeyF5}
)

// timersOff keeps the UI's timers from firing (countdowns, voice status).
type timersOff struct{ *clocktest.Clock }

func (timersOff) After(time.Duration) <-chan time.Time { return nil }

// driver runs a screen as the root would: its commands' messages are
// opened against the visit and fed back; what is meant for the root
// (navigation, prompts, Invalid) is kept in out.
type driver struct {
	t   *testing.T
	a   *kit.App
	s   kit.Screen
	out []tea.Msg
}

func newDriver(t *testing.T, a *kit.App, s kit.Screen) *driver {
	s.SetSize(100, 40)
	d := &driver{t: t, a: a, s: s}
	d.run(s.Init())
	return d
}

func (d *driver) send(msg tea.Msg) { d.run(d.a.Scope().Wrap(d.s.Update(msg))) }

func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(5 * time.Second):
		d.t.Fatal("a command did not return")
	}
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			d.run(c)
		}
		return
	}
	m, ok := d.a.Scope().Open(msg)
	if !ok || m == nil {
		return
	}
	switch m.(type) {
	case spinner.TickMsg:
	case kit.Navigate, kit.Back, kit.Home, kit.PlayPrompt, form.Invalid, kit.SessionStarted:
		d.out = append(d.out, m)
	default:
		d.send(m)
	}
}

func (d *driver) typeText(s string) {
	for _, r := range s {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func (d *driver) view() string {
	d.t.Helper()
	v := ansi.Strip(d.s.View())
	if strings.Contains(v, "⟦") {
		d.t.Errorf("a catalog id is missing:\n%s", v)
	}
	return v
}

func (d *driver) played() []string {
	var ids []string
	for _, m := range d.out {
		if p, ok := m.(kit.PlayPrompt); ok {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

func newApp(t *testing.T) *kit.App {
	clock := timersOff{clocktest.New(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))}
	a := kit.NewApp(kit.Deps{Clock: clock, Captcha: captcha.New(clock, func() string { return "7KXP" }), Catalog: testCatalog(t)})
	t.Cleanup(a.Zones.Close)
	return a
}

// testLabels are the titles, labels and lines of the test flows, which
// are no ids of the kiosk's catalog: the test catalog shows each as it is.
var testLabels = []string{
	"测试办理", "提交", "完成", "填写姓名", "姓名", "图片验证码", "填写备注", "备注", "核对信息", "办理成功", "返回首页",
	"两步", "一", "甲", "二", "乙", "上传材料", "材料", "企业授权书", "组件", "好", "选择", "条件", "选择经办人",
}

// testCatalog is the kiosk's catalog (assets/i18n) with the test labels
// added to the Chinese one.
func testCatalog(t testing.TB) *i18n.Catalog {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(assets.I18n, "i18n", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := fs.ReadFile(assets.I18n, p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, l := range testLabels {
		fmt.Fprintf(&b, "%q = %q\n", l, l)
	}
	fsys["i18n/zh/flow_test.toml"] = &fstest.MapFile{Data: []byte(b.String())}
	c, err := i18n.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// zht renders a catalog text in Chinese, the default language of a visit.
func zht(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }

// st is the state of the test flow.
type st struct {
	ticket   string
	accepted int
	reviewed bool
	final    string
}

// fieldErr is how the use cases refuse a field.
func fieldErr(key, msg string) error {
	return &account.FieldErrors{Fields: map[string]i18n.Text{key: i18n.Raw(msg)}}
}

// def is a flow of two pages (the first with a picture captcha and a
// checked name), a review, a final call and a result page.
func def(check func(name string) error, final func(ctx context.Context) error) flow.Def[st] {
	return flow.Def[st]{
		ID: "t", Title: "测试办理", Submit: "提交", DoneTitle: "完成", Hold: true,
		Steps: []flow.Step[st]{
			{Title: "填写姓名", Fields: []form.Field{
				form.Text("name", "姓名", form.Required),
				form.Captcha("captcha", "图片验证码", form.Required),
			}, Check: func(_ *st, v form.Values) flow.Job {
				name := v.Text("name")
				return func(context.Context) (any, error) { return "ticket:" + name, check(name) }
			}, Accept: func(s *st, _ *form.Form, res any) { s.ticket, s.accepted = res.(string), s.accepted+1 }},
			{Title: "填写备注", Fields: []form.Field{form.TextArea("remark", "备注")}},
			flow.Review("核对信息", func(_ *st, v form.Values) []widget.Row {
				return []widget.Row{{Key: "姓名", Value: v.Text("name")}, {Key: "备注", Value: v.Text("remark")}}
			}),
		},
		Final: func(s *st, v form.Values) flow.Job {
			s.reviewed = true
			name := v.Text("name")
			return func(ctx context.Context) (any, error) { return "done:" + name, final(ctx) }
		},
		Done: func(_ *kit.App, s *st, res any) flow.Result {
			s.final = res.(string)
			return flow.Result{Lines: []flow.Line{flow.Say("办理成功")}, Buttons: []kit.Btn{{ID: "home", Label: "返回首页"}},
				Go: func(string) tea.Cmd { return kit.GoHome }}
		},
	}
}

func TestFlowStepsChecksReviewAndResult(t *testing.T) {
	a := newApp(t)
	tries := 0
	h := flow.New(a, def(func(name string) error {
		tries++
		if name == "坏人" {
			return fieldErr("name", "姓名与登记信息不符")
		}
		return nil
	}, func(context.Context) error { return nil }))
	d := newDriver(t, a, h)
	if titles, cur := h.Steps(); strings.Join(titles, ",") != "填写姓名,填写备注,核对信息,完成" || cur != 0 {
		t.Fatalf("step bar %v %d", titles, cur)
	}
	// A wrong captcha never reaches the use case, and the field takes the
	// next answer at once.
	d.typeText("坏人")
	d.send(tab)
	d.typeText("AAAA")
	d.send(enter)
	if tries != 0 || h.Form().Error("captcha") != zht(kit.CaptchaWrong) || h.Form().Focused() != "captcha" {
		t.Fatalf("wrong captcha: tries %d err %q focus %q", tries, h.Form().Error("captcha"), h.Form().Focused())
	}
	d.typeText("7kxp")
	if h.Form().Value("captcha") != "7KXP" {
		t.Fatalf("retyped captcha %q", h.Form().Value("captcha"))
	}
	d.send(enter)
	if tries != 1 || h.Form().Error("name") != "姓名与登记信息不符" || h.Form().Step() != 0 || h.Form().Busy() {
		t.Fatalf("refusal: tries %d err %q step %d", tries, h.Form().Error("name"), h.Form().Step())
	}
	// The captcha was used: a new one must be answered.
	h.Form().Focus("name")
	h.Form().Clear("name")
	d.typeText("张三")
	d.send(tab)
	d.typeText("7KXP")
	d.send(enter)
	if h.Form().Step() != 1 || h.State().ticket != "ticket:张三" {
		t.Fatalf("step %d state %+v", h.Form().Step(), *h.State())
	}
	d.typeText("无")
	d.send(enter) // the text area's enter goes on: 提交 → the review
	if h.Component() == nil || !strings.Contains(d.view(), "核对信息") || !strings.Contains(d.view(), "张三") {
		t.Fatalf("review not shown:\n%s", d.view())
	}
	if _, cur := h.Steps(); cur != 2 {
		t.Errorf("step bar at %d on the review", cur)
	}
	// 返回修改 keeps the values; confirming again goes to the final call.
	d.send(esc)
	if !h.OnForm() || h.Form().Value("remark") != "无" {
		t.Fatalf("back from the review: on form %v remark %q", h.OnForm(), h.Form().Value("remark"))
	}
	d.send(enter)
	d.send(enter) // 确认无误
	if !h.Finished() || h.State().final != "done:张三" || !strings.Contains(d.view(), "办理成功") {
		t.Fatalf("result: finished %v state %+v\n%s", h.Finished(), *h.State(), d.view())
	}
	if _, cur := h.Steps(); cur != 3 {
		t.Errorf("step bar at %d on the result", cur)
	}
	if v := h.Form().Values().Texts(); v["name"] != "" || v["remark"] != "" {
		t.Errorf("typed values outlived the result: %v", v)
	}
	if p := d.played(); len(p) == 0 || p[len(p)-1] != "success" {
		t.Errorf("prompts %v", p)
	}
	d.send(esc)
	if _, ok := d.out[len(d.out)-1].(kit.Home); !ok {
		t.Errorf("esc on the result: %#v", d.out[len(d.out)-1])
	}
}

// Going back a page abandons the check under way: its result never
// arrives, however late.
func TestFlowBackAbandonsTheCheck(t *testing.T) {
	a := newApp(t)
	release := make(chan struct{})
	h := flow.New(a, flow.Def[st]{ID: "b", Title: "两步", Steps: []flow.Step[st]{
		{Title: "一", Fields: []form.Field{form.Text("x", "甲")}},
		{Title: "二", Fields: []form.Field{form.Text("y", "乙")},
			Check: func(*st, form.Values) flow.Job {
				return func(context.Context) (any, error) { <-release; return "late", nil }
			},
			Accept: func(s *st, _ *form.Form, res any) { s.ticket, s.accepted = res.(string), s.accepted+1 }},
	}})
	d := newDriver(t, a, h)
	d.send(enter) // page 1 has no check
	if h.Form().Step() != 1 {
		t.Fatalf("step %d", h.Form().Step())
	}
	// 提交 by hand: keep the check's command instead of running it.
	m, _ := a.Scope().Open(a.Scope().Wrap(h.Update(enter))())
	held := a.Scope().Wrap(h.Update(m)) // NextRequested → the check starts
	if !h.Form().Busy() {
		t.Fatal("no check under way")
	}
	d.send(esc) // back to page 1: the check is abandoned
	if h.Form().Step() != 0 || h.Form().Busy() {
		t.Fatalf("back: step %d busy %v", h.Form().Step(), h.Form().Busy())
	}
	close(release)
	d.run(held)
	if h.State().accepted != 0 || h.Form().Step() != 0 {
		t.Errorf("the abandoned check was taken: %+v step %d", *h.State(), h.Form().Step())
	}
}

// While the final call of a Hold flow runs, leaving waits.
func TestFlowHoldsWhileFinal(t *testing.T) {
	a := newApp(t)
	gate := make(chan struct{})
	h := flow.New(a, def(func(string) error { return nil }, func(context.Context) error { <-gate; return nil }))
	d := newDriver(t, a, h)
	d.typeText("张三")
	d.send(tab)
	d.typeText("7KXP")
	d.send(enter)
	d.send(enter)
	m, _ := a.Scope().Open(a.Scope().Wrap(h.Update(enter))()) // 确认无误 on the review: StepDone
	final := a.Scope().Wrap(h.Update(m))
	if !strings.Contains(d.view(), "正在保存") {
		t.Fatalf("no saving spinner:\n%s", d.view())
	}
	before := len(d.out)
	d.send(esc)
	if len(d.out) != before {
		t.Errorf("esc left while saving: %#v", d.out[before:])
	}
	close(gate)
	d.run(final)
	if !h.Finished() {
		t.Error("the result was not shown")
	}
}

// A refusal of the final call goes back to the field it names, on its page.
func TestFlowFinalRefusalGoesToItsField(t *testing.T) {
	a := newApp(t)
	h := flow.New(a, def(func(string) error { return nil }, func(context.Context) error {
		return errors.Join(fieldErr("name", "该姓名已被占用"), fieldErr(account.FieldForm, "请重新核对"))
	}))
	d := newDriver(t, a, h)
	d.typeText("张三")
	d.send(tab)
	d.typeText("7KXP")
	d.send(enter)
	d.send(enter)
	d.send(enter)
	if !h.OnForm() || h.Form().Step() != 0 || h.Form().Error("name") != "该姓名已被占用" || h.Form().FormError() != "请重新核对" {
		t.Fatalf("on form %v step %d err %q form %q", h.OnForm(), h.Form().Step(), h.Form().Error("name"), h.Form().FormError())
	}
	if _, cur := h.Steps(); cur != 0 {
		t.Errorf("step bar at %d", cur)
	}
}

// A store failure is said in one sentence above the buttons; the detail
// goes to the log only.
func TestFlowFailureIsLoggedNotShown(t *testing.T) {
	a := newApp(t)
	var log strings.Builder
	a.Deps.Log = newLog(&log)
	h := flow.New(a, def(func(string) error { return errors.New("bolt: disk I/O error") }, nil))
	d := newDriver(t, a, h)
	d.typeText("张三")
	d.send(tab)
	d.typeText("7KXP")
	d.send(enter)
	if h.Form().FormError() != zht(model.ErrUnavailable.Msg) || strings.Contains(d.view(), "bolt") || !strings.Contains(log.String(), "disk I/O") {
		t.Fatalf("form error %q, log %q", h.Form().FormError(), log.String())
	}
}

// A File field opens the USB picker over its page; the chosen file fills
// the field.
func TestFlowFilePicker(t *testing.T) {
	a := newApp(t)
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "授权书.pdf"), []byte("%PDF-1.4"), 0o644); err != nil {
		t.Fatal(err)
	}
	a.Deps.USBRoot = root
	h := flow.New(a, flow.Def[st]{ID: "u", Title: "上传材料", Steps: []flow.Step[st]{{Title: "材料",
		Fields: []form.Field{form.FileInput("letter", "企业授权书", []string{".pdf"}, form.Required)}}}})
	d := newDriver(t, a, h)
	d.send(f5)
	if !strings.Contains(d.view(), "授权书.pdf") {
		t.Fatalf("picker:\n%s", d.view())
	}
	d.send(enter)
	files := h.Form().Values().Files("letter")
	if len(files) != 1 || files[0].Path != filepath.Join(root, "授权书.pdf") || !strings.Contains(d.view(), "企业授权书") {
		t.Fatalf("files %+v\n%s", files, d.view())
	}
	d.send(f5)
	d.send(esc) // 返回 closes the picker, the file stays
	if len(h.Form().Values().Files("letter")) != 1 || !h.OnForm() {
		t.Errorf("esc in the picker lost the file")
	}
}

// A component step: whatever it reports goes to the flow's state.
func TestFlowComponentStep(t *testing.T) {
	a := newApp(t)
	var got any
	h := flow.New(a, flow.Def[st]{ID: "c", Title: "组件", DoneTitle: "完成", Steps: []flow.Step[st]{
		{Title: "一", Fields: []form.Field{form.Text("x", "甲")}},
		{Title: "二", Prompt: "face_verify", Component: func(a *kit.App, _ *st, v form.Values) kit.Component {
			return &echo{a: a, said: v.Text("x")}
		}, Took: func(_ *st, res any) { got = res }},
	}, Done: func(*kit.App, *st, any) flow.Result { return flow.Result{Lines: []flow.Line{flow.Say("好")}} }})
	d := newDriver(t, a, h)
	d.typeText("hi")
	d.send(enter)
	if h.Component() == nil || !strings.Contains(d.view(), "echo hi") {
		t.Fatalf("component not shown:\n%s", d.view())
	}
	if p := d.played(); len(p) == 0 || p[len(p)-1] != "face_verify" {
		t.Errorf("the step's prompt was not played: %v", p)
	}
	d.send(enter)
	if got != "hi" || !h.Finished() {
		t.Errorf("took %#v, finished %v", got, h.Finished())
	}
}

// echo is a component that reports what it was given on enter.
type echo struct {
	kit.Base
	a    *kit.App
	said string
}

func (e *echo) Help() []key.Binding { return nil }
func (e *echo) View() string        { return "echo " + e.said }
func (e *echo) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, e.a.Keys.Enter) {
		return kit.Emit(kit.StepDone{Result: e.said})
	}
	return nil
}

// A list step chooses one row; its index is the step's result.
func TestFlowPickStep(t *testing.T) {
	a := newApp(t)
	var chose any
	h := flow.New(a, flow.Def[st]{ID: "p", Title: "选择", Steps: []flow.Step[st]{
		{Title: "条件", Fields: []form.Field{form.Text("q", "姓名")}},
		func() flow.Step[st] {
			s := flow.Pick("选择经办人", []kit.Column{{Title: "姓名"}}, func(_ *st, v form.Values) [][]string {
				return [][]string{{v.Text("q") + "甲"}, {v.Text("q") + "乙"}}
			})
			s.Took = func(_ *st, res any) { chose = res }
			return s
		}(),
	}})
	d := newDriver(t, a, h)
	d.typeText("李")
	d.send(enter)
	if !strings.Contains(d.view(), "▶ 李甲") {
		t.Fatalf("list:\n%s", d.view())
	}
	d.send(down)
	d.send(enter)
	if chose != 1 {
		t.Errorf("chose %#v", chose)
	}
}
