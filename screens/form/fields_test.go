package form

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	zone "github.com/lrstanley/bubblezone"
)

func TestSMSCountdown(t *testing.T) {
	f := twoStepForm()
	f.SetValue("name", "张三")
	f.SetValue("type", "企业法人")
	f.Update(tab)
	f.Update(tab)
	f.Update(enter)
	f.SetValue("phone", "13800138000")
	f.Focus("code")
	msgs := run(f.Update(f5))
	req, ok := func() (SMSRequested, bool) {
		if len(msgs) != 1 {
			return SMSRequested{}, false
		}
		r, ok := msgs[0].(SMSRequested)
		return r, ok
	}()
	if !ok || req.Key != "code" || req.Values["phone"] != "13800138000" {
		t.Fatalf("F5 on the SMS field = %#v", msgs)
	}
	if tick := f.StartCountdown("code"); tick == nil {
		t.Fatal("StartCountdown returned no tick")
	}
	if !strings.Contains(plain(f.View()), "[60秒后重发]") {
		t.Fatalf("countdown not drawn:\n%s", plain(f.View()))
	}
	// While counting, a request is refused.
	if msgs := run(f.Update(f5)); len(msgs) != 0 {
		t.Errorf("resend during countdown: %#v", msgs)
	}
	gen := f.byKey["code"].gen
	tick := countdownTick{form: "two", key: "code", gen: gen}
	if f.Update(tick) == nil {
		t.Fatal("tick should schedule the next tick")
	}
	if !strings.Contains(plain(f.View()), "[59秒后重发]") {
		t.Fatalf("want 59秒后重发:\n%s", plain(f.View()))
	}
	// A tick from an older countdown is ignored.
	f.Update(countdownTick{form: "two", key: "code", gen: gen - 1})
	if f.Countdown("code") != 59 {
		t.Errorf("stale tick counted: %d", f.Countdown("code"))
	}
	for i := 0; i < 59; i++ {
		f.Update(tick)
	}
	if f.Countdown("code") != 0 || !strings.Contains(plain(f.View()), "[获取验证码]") {
		t.Errorf("countdown did not end: %d\n%s", f.Countdown("code"), plain(f.View()))
	}
	if f.Update(tick) != nil {
		t.Errorf("ticks after the end must not re-arm")
	}
}

func TestPasswordReveal(t *testing.T) {
	f := loginForm()
	f.Update(tab)
	typeIn(f, "Pw#12345")
	if v := plain(f.View()); strings.Contains(v, "Pw#12345") || !strings.Contains(v, "********") || !strings.Contains(v, "[显示]") {
		t.Fatalf("password shown in clear:\n%s", v)
	}
	f.Update(f2)
	if v := plain(f.View()); !strings.Contains(v, "Pw#12345") || !strings.Contains(v, "[隐藏]") {
		t.Fatalf("F2 should reveal:\n%s", v)
	}
	f.Update(f2)
	if strings.Contains(plain(f.View()), "Pw#12345") {
		t.Fatalf("F2 again should hide")
	}
}

func TestRadioSelectAndDate(t *testing.T) {
	f := New(Config{ID: "r", Steps: []Step{{Fields: []Field{
		{Key: "period", Label: "证件有效期", Kind: Radio, Options: []string{"5年", "10年", "20年", "长期有效"}, Required: true},
		{Key: "start", Label: "开始日期", Kind: Date, Required: true},
	}}}})
	f.SetWidth(100)
	f.Validate()
	if f.Error("period") != "请选择证件有效期" {
		t.Errorf("radio required error = %q", f.Error("period"))
	}
	f.Focus("period")
	f.Update(left) // from none, ← picks the last
	if f.Value("period") != "长期有效" {
		t.Errorf("left = %q", f.Value("period"))
	}
	f.Update(right)
	if f.Value("period") != "5年" || !strings.Contains(plain(f.View()), "(*) 5年") {
		t.Errorf("right wraps to first: %q\n%s", f.Value("period"), plain(f.View()))
	}
	f.Update(tab)
	typeIn(f, "2024-13-01x")
	if f.Value("start") != "2024-13-01" {
		t.Errorf("date filter kept %q", f.Value("start"))
	}
	f.Update(tab)
	if !strings.Contains(f.Error("start"), "YYYY-MM-DD") {
		t.Errorf("bad date error = %q", f.Error("start"))
	}
	f.Focus("start")
	f.Clear("start")
	typeIn(f, "2024-02-29")
	if !f.Validate() {
		t.Errorf("valid date refused: %v", f.Errors())
	}
}

func TestInputFilteringAndSanitising(t *testing.T) {
	f := New(Config{ID: "s", Steps: []Step{{Fields: []Field{
		{Key: "code", Label: "短信验证码", Kind: SMSCode},
		{Key: "name", Label: "姓名", MaxLen: 4},
	}}}})
	typeIn(f, "12a34 5678")
	if got := f.Value("code"); got != "123456" {
		t.Errorf("sms code = %q (digits only, 6 max)", got)
	}
	f.Update(tab)
	f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("王\x1b[31m五\u202e"), Paste: true})
	if got := f.Value("name"); strings.ContainsAny(got, "\x1b\u202e") || !strings.HasPrefix(got, "王") {
		t.Errorf("name = %q: escape or bidi control got in", got)
	}
	typeIn(f, "六七八九")
	if n := len([]rune(f.Value("name"))); n > 4 {
		t.Errorf("MaxLen 4 exceeded: %q", f.Value("name"))
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

// TestMouse focuses fields, picks options and presses buttons through
// bubblezone, as a touch screen would.
func TestMouse(t *testing.T) {
	z := zone.New()
	defer z.Close()
	f := New(Config{ID: "m", SubmitLabel: "登录", Zones: z, Steps: []Step{{Fields: []Field{
		{Key: "account", Label: "企业账号"},
		{Key: "password", Label: "密码", Kind: Password},
		{Key: "period", Label: "有效期", Kind: Radio, Options: []string{"5年", "10年"}},
		{Key: "captcha", Label: "图片验证码", Kind: Captcha},
	}}}})
	f.SetWidth(100)
	click := func(id string) tea.Cmd {
		t.Helper()
		z.Scan(f.View())
		var zi *zone.ZoneInfo
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if zi = z.Get(id); zi != nil {
				break
			}
		}
		if zi == nil {
			t.Fatalf("zone %s never drawn", id)
		}
		return f.Update(tea.MouseMsg{X: zi.StartX, Y: zi.StartY, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	}
	click(FieldZone("m", "password"))
	if f.Focused() != "password" {
		t.Fatalf("click on the password row: focus %q", f.Focused())
	}
	typeIn(f, "abc")
	click(RevealZone("m", "password"))
	if !strings.Contains(plain(f.View()), "abc") {
		t.Errorf("click on 显示 should reveal")
	}
	click(OptionZone("m", "period", 1))
	if f.Value("period") != "10年" || f.Focused() != "period" {
		t.Errorf("option click: value %q focus %q", f.Value("period"), f.Focused())
	}
	if msgs := run(click(ActionZone("m", "captcha"))); len(msgs) != 1 || msgs[0] != (CaptchaRefresh{Form: "m", Key: "captcha"}) {
		t.Errorf("换一张 click = %#v", msgs)
	}
	msgs := run(click(ButtonZone("m", ButtonNext)))
	if len(msgs) != 1 {
		t.Fatalf("login button click = %#v", msgs)
	}
	if s, ok := msgs[0].(Submitted); !ok || s.Values["password"] != "abc" {
		t.Errorf("got %#v", msgs[0])
	}
	if msgs := run(click(ButtonZone("m", ButtonCancel))); len(msgs) != 1 || msgs[0] != (Cancelled{Form: "m"}) {
		t.Errorf("返回 click = %#v", msgs)
	}
}
