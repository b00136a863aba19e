package form

import (
	"errors"
	"kiosk/model/i18n"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/model/rules"
)

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
		if sub.Values.Text(k) != v {
			t.Errorf("%s = %q, want %q", k, sub.Values.Text(k), v)
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
		t.Fatalf("values lost: %v", f.Values().Texts())
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
	f.SetErrors(map[string]i18n.Text{"name": i18n.Raw("法人信息不匹配")})
	if f.Step() != 0 || f.Focused() != "name" || f.Error("name") != "法人信息不匹配" {
		t.Fatalf("step %d focus %q err %q", f.Step(), f.Focused(), f.Error("name"))
	}
}

// A gated form hands every valid 下一步 to its owner, which answers with
// Advance or Refuse; going back a step ends the wait.
func TestGatedNextAdvanceAndRefuse(t *testing.T) {
	f := New(Config{Text: testText, ID: "c", Gate: true, Tasks: noTimers(), Steps: []Step{
		{Title: "一", Fields: []Field{Text("uscc", "统一社会信用代码", Required)}},
		{Title: "二", Fields: []Field{Text("x", "X")}},
	}})
	if msgs := run(f.Update(enter)); len(msgs) != 1 || msgs[0] != (Invalid{Form: "c"}) {
		t.Fatalf("an empty step is refused by the form itself: %#v", msgs)
	}
	typeIn(f, "BAD")
	msgs := run(f.Update(enter))
	req, ok := msgs[0].(NextRequested)
	if len(msgs) != 1 || !ok || req.Step != 0 || req.Values.Text("uscc") != "BAD" || !f.Busy() {
		t.Fatalf("want one NextRequested and a waiting form, got %#v busy %v", msgs, f.Busy())
	}
	if msgs := run(f.Update(enter)); len(msgs) != 0 {
		t.Errorf("pressing again while waiting: %#v", msgs)
	}
	if got := run(f.Refuse(map[string]i18n.Text{"uscc": i18n.Raw("该统一社会信用代码已注册")})); len(got) != 1 || got[0] != (Invalid{Form: "c"}) {
		t.Errorf("Refuse: want Invalid, got %#v", got)
	}
	if f.Step() != 0 || f.Error("uscc") != "该统一社会信用代码已注册" || f.Busy() {
		t.Fatalf("step %d err %q busy %v", f.Step(), f.Error("uscc"), f.Busy())
	}
	f.Clear("uscc")
	typeIn(f, "GOOD")
	run(f.Update(enter))
	f.Advance()
	if f.Step() != 1 || f.Busy() {
		t.Fatalf("Advance: step %d busy %v", f.Step(), f.Busy())
	}
	run(f.Update(enter))
	if !f.Pending() {
		t.Fatal("the last step waits too")
	}
	f.Update(esc) // back a step: the wait ends, the owner sees the step change
	if f.Step() != 0 || f.Pending() {
		t.Errorf("back while waiting: step %d pending %v", f.Step(), f.Pending())
	}
}

func TestResetWipesEverything(t *testing.T) {
	f := twoStepForm()
	typeIn(f, "张三")
	f.SetValue("type", "企业法人")
	f.Focus("phone")
	typeIn(f, "139")
	f.SetError("phone", i18n.Raw("bad"))
	f.SetFormError(i18n.Raw("账号或密码错误"))
	f.SetButtons([]Button{{ID: "x", Label: "X"}})
	f.StartCountdown("code", 0)
	f.Reset()
	for k, v := range f.Values().Texts() {
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
	if got := zht(ErrorText(rules.ValidMobile("12"))); got != "手机号码格式不正确，应为11位手机号" {
		t.Errorf("rules error → %q", got)
	}
	if got := zht(ErrorText(errors.New("disk on fire"))); strings.Contains(got, "disk") || got == "" {
		t.Errorf("unknown error leaked detail: %q", got)
	}
}

func TestContentWidth(t *testing.T) {
	f := New(Config{Text: testText, ID: "w", Steps: []Step{{Fields: []Field{Text("a", "图片验证码")}}}})
	f.SetWidth(80)
	if got, want := f.ContentWidth(), 80-2-2-10-2; got != want {
		t.Errorf("ContentWidth = %d, want %d", got, want)
	}
	// Too narrow for the label beside: it goes above, and the input
	// keeps what is left, never less than nothing.
	f.SetWidth(5)
	if w := f.ContentWidth(); w < 0 || w > 5 {
		t.Errorf("width %d at 5 cells", w)
	}
}

func TestCJKWidthStable(t *testing.T) {
	f := loginForm()
	rowWidth := func() int {
		for _, l := range strings.Split(f.View(), "\n") {
			if strings.Contains(plain(l), "企业账号") {
				return lipgloss.Width(l)
			}
		}
		t.Fatal("row not found")
		return 0
	}
	empty := rowWidth()
	typeIn(f, "中文")
	cjk := rowWidth()
	f.Clear("account")
	typeIn(f, "abcd")
	ascii := rowWidth()
	if empty != cjk || cjk != ascii {
		t.Errorf("row width moves while typing: empty %d, CJK %d, ASCII %d", empty, cjk, ascii)
	}
}
