package form

import (
	"errors"
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"kiosk/model/rules"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// run executes a command and returns every message it yields (batches
// flattened). Ticks are not waited for: a tea.Tick command is returned in
// ticks instead of being run.
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, run(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

func keyRunes(s string) []tea.KeyMsg {
	var ks []tea.KeyMsg
	for _, r := range s {
		ks = append(ks, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return ks
}

func typeIn(f *Form, s string) {
	for _, k := range keyRunes(s) {
		f.Update(k)
	}
}

var (
	tab      = tea.KeyMsg{Type: tea.KeyTab}
	shiftTab = tea.KeyMsg{Type: tea.KeyShiftTab}
	down     = tea.KeyMsg{Type: tea.KeyDown}
	up       = tea.KeyMsg{Type: tea.KeyUp}
	enter    = tea.KeyMsg{Type: tea.KeyEnter}
	esc      = tea.KeyMsg{Type: tea.KeyEsc}
	left     = tea.KeyMsg{Type: tea.KeyLeft}
	right    = tea.KeyMsg{Type: tea.KeyRight}
	f2       = tea.KeyMsg{Type: tea.KeyF2}
	f5       = tea.KeyMsg{Type: tea.KeyF5}
	bs       = tea.KeyMsg{Type: tea.KeyBackspace}
)

func loginForm() *Form {
	f := New(Config{ID: "t", SubmitLabel: "登录", Steps: []Step{{Title: "登录", Fields: []Field{
		{Key: "account", Label: "企业账号", Required: true, Validate: rules.ValidAccount},
		{Key: "password", Label: "密码", Kind: Password, Required: true},
		{Key: "captcha", Label: "图片验证码", Kind: Captcha, Required: true},
	}}}})
	f.SetWidth(100)
	return f
}

func twoStepForm() *Form {
	f := New(Config{ID: "two", Steps: []Step{
		{Title: "确认账号", Fields: []Field{
			{Key: "name", Label: "姓名", Required: true},
			{Key: "type", Label: "法人类型", Kind: Select, Options: []string{"企业法人", "非企业法人"}, Required: true},
		}},
		{Title: "安全验证", Fields: []Field{
			{Key: "phone", Label: "手机号码", Required: true, Validate: rules.ValidMobile},
			{Key: "code", Label: "短信验证码", Kind: SMSCode, Required: true},
		}},
	}})
	f.SetWidth(100)
	return f
}

func plain(s string) string { return ansi.Strip(s) }

func TestFocusMovesWithTabArrowsAndWraps(t *testing.T) {
	f := loginForm()
	steps := []struct {
		key  tea.KeyMsg
		want string
	}{
		{tab, "password"}, {down, "captcha"}, {tab, "button:next"}, {right, "button:cancel"},
		{left, "button:next"}, {tab, "button:cancel"}, {tab, "account"}, {shiftTab, "button:cancel"},
		{up, "button:next"}, {up, "captcha"},
	}
	if got := f.Focused(); got != "account" {
		t.Fatalf("initial focus %q", got)
	}
	for i, s := range steps {
		f.Update(s.key)
		if got := f.Focused(); got != s.want {
			t.Fatalf("step %d (%s): focus %q, want %q", i, s.key, got, s.want)
		}
	}
	if !strings.Contains(plain(f.View()), "> * 图片验证码") {
		t.Errorf("focused field has no marker:\n%s", plain(f.View()))
	}
}

func TestEnterMovesOnThenSubmits(t *testing.T) {
	f := loginForm()
	typeIn(f, "acme_corp01")
	if cmd := f.Update(enter); cmd != nil || f.Focused() != "password" {
		t.Fatalf("enter on a field should move on, focus %q", f.Focused())
	}
	typeIn(f, "Secret#2024")
	f.Update(enter)
	typeIn(f, "ab7k")
	msgs := run(f.Update(enter))
	if len(msgs) != 1 {
		t.Fatalf("want one Submitted, got %#v", msgs)
	}
	sub, ok := msgs[0].(Submitted)
	if !ok || sub.Form != "t" {
		t.Fatalf("got %#v", msgs[0])
	}
	want := map[string]string{"account": "acme_corp01", "password": "Secret#2024", "captcha": "AB7K"}
	for k, v := range want {
		if sub.Values[k] != v {
			t.Errorf("%s = %q, want %q", k, sub.Values[k], v)
		}
	}
	// Submitting marks the form busy: a second press sends nothing.
	if msgs := run(f.Update(enter)); len(msgs) != 0 {
		t.Errorf("double submit: %#v", msgs)
	}
	f.SetBusy(false)
	if msgs := run(f.Update(enter)); len(msgs) != 1 {
		t.Errorf("after SetBusy(false) submit should work again: %#v", msgs)
	}
}

func TestValidationOnBlurAndSubmit(t *testing.T) {
	f := loginForm()
	// Walking through empty fields paints nothing red.
	f.Update(tab)
	f.Update(shiftTab)
	if e := f.Errors(); len(e) != 0 {
		t.Fatalf("errors on an untouched form: %v", e)
	}
	// A bad value is reported when the field is left.
	typeIn(f, "1abc")
	f.Update(tab)
	if got := f.Error("account"); !strings.Contains(got, "字母开头") {
		t.Fatalf("blur error = %q", got)
	}
	if !strings.Contains(plain(f.View()), "字母开头") {
		t.Errorf("error not drawn:\n%s", plain(f.View()))
	}
	// Editing clears it; a good value stays clean on blur.
	f.Update(shiftTab)
	for range 4 {
		f.Update(bs)
	}
	if f.Error("account") != "" {
		t.Errorf("edit should clear the error")
	}
	typeIn(f, "acme_corp01")
	f.Update(tab)
	if f.Error("account") != "" {
		t.Errorf("valid value has error %q", f.Error("account"))
	}
	// Submit checks required fields and focuses the first bad one.
	f.Focus("captcha")
	if msgs := run(f.Update(enter)); len(msgs) != 1 || msgs[0] != (Invalid{Form: "t"}) {
		t.Fatalf("invalid form: want only Invalid, got %#v", msgs)
	}
	if got := f.Error("password"); got != "请输入密码" {
		t.Errorf("password error = %q", got)
	}
	if got := f.Error("captcha"); got != "请输入图片验证码" {
		t.Errorf("captcha error = %q", got)
	}
	if f.Focused() != "password" {
		t.Errorf("focus %q, want the first field in error", f.Focused())
	}
	// Leaving the still-empty field keeps its required error.
	f.Update(tab)
	if f.Error("password") == "" {
		t.Errorf("required error vanished on blur")
	}
}

func TestValuesKeptAcrossSteps(t *testing.T) {
	f := twoStepForm()
	if got := f.Steps(); len(got) != 2 || got[0] != "确认账号" || got[1] != "安全验证" {
		t.Fatalf("Steps() = %v", got)
	}
	typeIn(f, "张三")
	f.Update(tab)
	f.Update(right) // 企业法人
	f.Update(right) // 非企业法人
	if f.Value("type") != "非企业法人" {
		t.Fatalf("select = %q", f.Value("type"))
	}
	f.Update(tab) // → 下一步
	f.Update(enter)
	if f.Step() != 1 || f.Focused() != "phone" {
		t.Fatalf("step %d focus %q", f.Step(), f.Focused())
	}
	typeIn(f, "13800138000")
	f.Update(esc) // 返回 on step 2 = previous step
	if f.Step() != 0 {
		t.Fatalf("esc should go back a step")
	}
	if f.Value("name") != "张三" || f.Value("type") != "非企业法人" || f.Value("phone") != "13800138000" {
		t.Fatalf("values lost: %v", f.Values())
	}
	if !strings.Contains(plain(f.View()), "张三") {
		t.Errorf("step 1 does not show its value again:\n%s", plain(f.View()))
	}
	if msgs := run(f.Update(esc)); len(msgs) != 1 || msgs[0] != (Cancelled{Form: "two"}) {
		t.Errorf("esc on step 1 = %#v, want Cancelled", msgs)
	}
}

func TestServerErrorsSwitchStep(t *testing.T) {
	f := twoStepForm()
	f.SetValue("name", "张三")
	f.SetValue("type", "企业法人")
	f.Focus("phone")
	f.Update(Errors{Form: "two", Errors: map[string]string{"name": "法人信息不匹配"}})
	if f.Step() != 0 || f.Focused() != "name" || f.Error("name") != "法人信息不匹配" {
		t.Fatalf("step %d focus %q err %q", f.Step(), f.Focused(), f.Error("name"))
	}
	f.Update(Errors{Form: "other", Errors: map[string]string{"name": "x"}})
	if f.Error("name") != "法人信息不匹配" {
		t.Errorf("another form's errors applied")
	}
}

func TestAsyncCheckStep(t *testing.T) {
	var calls int
	f := New(Config{ID: "c", Steps: []Step{
		{Title: "一", Fields: []Field{{Key: "uscc", Label: "统一社会信用代码", Required: true}}},
		{Title: "二", Fields: []Field{{Key: "x", Label: "X"}}},
	}, CheckStep: Check("c", func(step int, v map[string]string) map[string]string {
		calls++
		if v["uscc"] == "BAD" {
			return map[string]string{"uscc": "该统一社会信用代码已注册"}
		}
		return nil
	})})
	typeIn(f, "BAD")
	msgs := run(f.Update(enter))
	if !f.Busy() || len(msgs) != 1 {
		t.Fatalf("check should be pending, msgs %#v", msgs)
	}
	f.Update(enter) // pressing again while pending does nothing
	if got := run(f.Update(msgs[0])); len(got) != 1 || got[0] != (Invalid{Form: "c"}) {
		t.Errorf("failed check: want Invalid, got %#v", got)
	}
	if f.Step() != 0 || f.Error("uscc") != "该统一社会信用代码已注册" || f.Busy() {
		t.Fatalf("step %d err %q busy %v", f.Step(), f.Error("uscc"), f.Busy())
	}
	f.Clear("uscc")
	typeIn(f, "GOOD")
	msgs = run(f.Update(enter))
	stale := CheckResult{Form: "c", Step: 0, Seq: -1, Errors: map[string]string{"uscc": "stale"}}
	f.Update(stale)
	if f.Error("uscc") == "stale" {
		t.Fatalf("stale result applied")
	}
	f.Update(msgs[0])
	if f.Step() != 1 {
		t.Fatalf("clean check should advance, step %d", f.Step())
	}
	if calls != 2 {
		t.Errorf("check ran %d times", calls)
	}
}

func TestResetWipesEverything(t *testing.T) {
	f := twoStepForm()
	typeIn(f, "张三")
	f.SetValue("type", "企业法人")
	f.Focus("phone")
	typeIn(f, "139")
	f.SetError("phone", "bad")
	f.SetFormError("账号或密码错误")
	f.SetButtons([]Button{{ID: "x", Label: "X"}})
	f.StartCountdown("code")
	f.Reset()
	for k, v := range f.Values() {
		if v != "" {
			t.Errorf("%s kept %q after Reset", k, v)
		}
	}
	if f.Step() != 0 || f.Focused() != "name" || len(f.Errors()) != 0 || f.FormError() != "" || f.Countdown("code") != 0 {
		t.Errorf("state after reset: step %d focus %q errs %v formErr %q countdown %d",
			f.Step(), f.Focused(), f.Errors(), f.FormError(), f.Countdown("code"))
	}
	if strings.Contains(plain(f.View()), "张三") {
		t.Errorf("view still shows a wiped value")
	}
}

func TestErrorText(t *testing.T) {
	if got := ErrorText(rules.ValidMobile("12")); got != "手机号码格式不正确，应为11位手机号" {
		t.Errorf("rules error → %q", got)
	}
	if got := ErrorText(errors.New("disk on fire")); strings.Contains(got, "disk") || got == "" {
		t.Errorf("unknown error leaked detail: %q", got)
	}
}
