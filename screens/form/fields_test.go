package form

import (
	"image"
	"image/color"
	"kiosk/model/i18n"
	"kiosk/screens/widget"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	zone "github.com/lrstanley/bubblezone"

	"kiosk/model/rules"
	"kiosk/screens/task"
	"kiosk/screens/theme"
)

// firing is a scope whose timers fire at once: each countdown command
// yields its tick as a delivery, to be opened against the scope.
func firing() *task.Scope {
	return task.New(1, func(time.Duration) <-chan time.Time {
		ch := make(chan time.Time, 1)
		ch <- time.Time{}
		return ch
	})
}

func TestSMSCountdown(t *testing.T) {
	sc := firing()
	f := New(Config{Text: testText, ID: "two", Tasks: sc, Steps: []Step{{Fields: []Field{
		Text("phone", "手机号码", Required, Check(rules.ValidMobile)),
		SMSCode("code", "短信验证码", Required),
	}}}})
	f.SetWidth(100)
	f.SetValue("phone", "13800138000")
	f.Focus("code")
	msgs := run(f.Update(f5))
	if len(msgs) != 1 {
		t.Fatalf("F5 on the SMS field = %#v", msgs)
	}
	if req, ok := msgs[0].(SMSRequested); !ok || req.Key != "code" || req.Values.Text("phone") != "13800138000" {
		t.Fatalf("F5 on the SMS field = %#v", msgs)
	}
	tick := f.StartCountdown("code", 0)
	if tick == nil {
		t.Fatal("StartCountdown returned no tick")
	}
	if !strings.Contains(plain(f.View()), "[60秒后重发]") {
		t.Fatalf("countdown not drawn:\n%s", plain(f.View()))
	}
	// While counting, a request is refused.
	if msgs := run(f.Update(f5)); len(msgs) != 0 {
		t.Errorf("resend during countdown: %#v", msgs)
	}
	// The tick of a countdown that was restarted since is never delivered.
	stale := tick()
	tick = f.StartCountdown("code", 0)
	if m, ok := sc.Open(stale); ok && m != nil {
		t.Fatal("the superseded countdown's tick was delivered")
	}
	for want := 59; want >= 0; want-- {
		m, ok := sc.Open(tick())
		if !ok {
			t.Fatalf("tick at %d not delivered", want+1)
		}
		tick = f.Update(m)
		if f.Countdown("code") != want {
			t.Fatalf("countdown %d, want %d", f.Countdown("code"), want)
		}
		if want == 59 && !strings.Contains(plain(f.View()), "[59秒后重发]") {
			t.Fatalf("want 59秒后重发:\n%s", plain(f.View()))
		}
		if want == 0 && tick != nil {
			t.Errorf("ticks after the end must not re-arm")
		}
	}
	if !strings.Contains(plain(f.View()), "[获取验证码]") {
		t.Errorf("countdown did not end:\n%s", plain(f.View()))
	}
	// A refused send's countdown starts from the wait left; Stop drops it.
	tick = f.StartCountdown("code", 42)
	f.StopCountdown("code")
	if m, ok := sc.Open(tick()); ok && m != nil || f.Countdown("code") != 0 {
		t.Errorf("a stopped countdown ticks on")
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
	// Typed with an input method: nothing but printable ASCII gets in.
	typeIn(f, "中")
	if strings.Contains(f.Value("password"), "中") {
		t.Error("a CJK rune got into a password")
	}
}

func TestChoiceAndDate(t *testing.T) {
	f := New(Config{Text: testText, ID: "r", Tasks: noTimers(), Steps: []Step{{Fields: []Field{
		Choice("period", "证件有效期", Opts("5年", "10年", "20年", "长期有效"), Required),
		Date("start", "开始日期", Required),
	}}}})
	f.SetWidth(100)
	f.Validate()
	if f.Error("period") != "请选择证件有效期" {
		t.Errorf("choice required error = %q", f.Error("period"))
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
	f.Update(space) // space chooses the next option, never types
	if f.Value("period") != "10年" {
		t.Errorf("space = %q", f.Value("period"))
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
	if v := f.Values(); !v.Date("start").IsZero() {
		t.Errorf("an invalid date has a typed value %v", v.Date("start"))
	}
	f.Focus("start")
	f.Clear("start")
	typeIn(f, "2024-02-29")
	if !f.Validate() {
		t.Errorf("valid date refused: %v", f.Errors())
	}
	if got := f.Values().Date("start"); got.Format(DateLayout) != "2024-02-29" {
		t.Errorf("typed date value %v", got)
	}
}

// A derived date follows the other values and takes no typing.
func TestDerivedDate(t *testing.T) {
	end := Date("end", "结束日期").Derived(func(v Values) string {
		if s := v.Date("start"); !s.IsZero() && v.Text("years") != "" {
			return s.AddDate(10, 0, 0).Format(DateLayout)
		}
		return ""
	})
	f := New(Config{Text: testText, ID: "d", Tasks: noTimers(), Steps: []Step{{Fields: []Field{
		Text("years", "年"), Date("start", "开始日期"), end,
	}}}})
	typeIn(f, "x")
	f.Update(tab)
	typeIn(f, "2020-03-01")
	if f.Value("end") != "2030-03-01" {
		t.Fatalf("end = %q", f.Value("end"))
	}
	f.Update(tab)
	typeIn(f, "1999")
	if f.Value("end") != "2030-03-01" {
		t.Errorf("typing changed a derived date: %q", f.Value("end"))
	}
	f.Focus("start")
	f.Update(bs)
	if f.Value("end") != "" {
		t.Errorf("end outlived its start: %q", f.Value("end"))
	}
}

// Rules across fields run when their field is left and on 下一步.
func TestRules(t *testing.T) {
	confirmErr := &rules.Error{Code: "confirm", Msg: i18n.Raw("两次输入的密码不一致")}
	f := New(Config{Text: testText, ID: "p", Tasks: noTimers(), Steps: []Step{{
		Fields: []Field{Text("account", "账号"), Password("pw", "密码", Required), Password("confirm", "确认密码", Required)},
		Rules: []Rule{
			{Field: "pw", Check: func(v Values) error { return rules.CheckPassword(v.Text("pw"), v.Text("account")) }},
			Equal("confirm", "pw", confirmErr),
		},
	}}})
	typeIn(f, "acme_corp01")
	f.Update(tab)
	typeIn(f, "acme_corp01X#")
	f.Update(tab)
	if f.Error("pw") == "" {
		t.Error("a password containing the account passed its rule")
	}
	f.Focus("pw")
	f.Clear("pw")
	typeIn(f, "Strong#Pass9")
	f.Update(tab)
	typeIn(f, "Strong#Pass8")
	f.Update(tab)
	if f.Error("pw") != "" || f.Error("confirm") != "两次输入的密码不一致" {
		t.Fatalf("errors %v", f.Errors())
	}
	if f.Validate() {
		t.Error("a step breaking a rule validated")
	}
}

func TestInputFilteringAndSanitising(t *testing.T) {
	f := New(Config{Text: testText, ID: "s", Tasks: noTimers(), Steps: []Step{{Fields: []Field{
		SMSCode("code", "短信验证码"),
		Text("name", "姓名", Max(4)),
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
		t.Errorf("Max(4) exceeded: %q", f.Value("name"))
	}
}

func TestTextAreaCounts(t *testing.T) {
	f := New(Config{Text: testText, ID: "a", Tasks: noTimers(), Steps: []Step{{Fields: []Field{
		TextArea("remark", "申诉备注", Max(150)),
	}}}})
	f.SetWidth(100)
	if !strings.Contains(plain(f.View()), "0/150") {
		t.Fatalf("no counter:\n%s", plain(f.View()))
	}
	typeIn(f, strings.Repeat("营业执照遗失", 30)) // 180 runes
	if n := len([]rune(f.Value("remark"))); n != 150 {
		t.Errorf("text area took %d runes", n)
	}
	if v := plain(f.View()); !strings.Contains(v, "150/150") {
		t.Errorf("counter not live:\n%s", v)
	}
	f.Update(bs)
	if !strings.Contains(plain(f.View()), "149/150") {
		t.Errorf("backspace not counted:\n%s", plain(f.View()))
	}
	f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a\x1b[2J\nb"), Paste: true})
	if strings.ContainsAny(f.Value("remark"), "\x1b\n") {
		t.Errorf("control got in: %q", f.Value("remark"))
	}
}

func TestFileField(t *testing.T) {
	f := New(Config{Text: testText, ID: "u", Tasks: noTimers(), Steps: []Step{{Fields: []Field{
		FileInput("licence", "营业执照", []string{".pdf", ".jpg", ".png"}, Required),
	}}}})
	f.SetWidth(100)
	f.Validate()
	if f.Error("licence") != "请选择营业执照" {
		t.Errorf("empty file field: %q", f.Error("licence"))
	}
	msgs := run(f.Update(f5))
	if r, ok := msgs[0].(FileRequested); len(msgs) != 1 || !ok || r.Key != "licence" || len(r.Accept) != 3 {
		t.Fatalf("F5 = %#v", msgs)
	}
	f.SetFiles("licence", []File{{Name: "notes.exe", Size: 9}, {Name: "执照.PDF", Path: "/media/usb/执照.PDF", Size: 1024}})
	files := f.Values().Files("licence")
	if len(files) != 1 || files[0].Name != "执照.PDF" {
		t.Fatalf("files %+v: only accepted ones, at most one", files)
	}
	if !f.Validate() || !strings.Contains(plain(f.View()), "执照.PDF") {
		t.Errorf("chosen file not shown or refused:\n%s", plain(f.View()))
	}
	f.SetValue("licence", "")
	if len(f.Values().Files("licence")) != 0 {
		t.Error("clearing kept the file")
	}
}

func TestCaptchaPictureAndSpeak(t *testing.T) {
	z := zone.New()
	defer z.Close()
	f := New(Config{Text: testText, ID: "s", Zones: z, Tasks: noTimers(), Steps: []Step{{Fields: []Field{
		Text("account", "企业账号"),
		Captcha("captcha", "图片验证码"),
	}}}})
	f.SetWidth(100)
	if !strings.Contains(plain(f.View()), "验证码加载中") {
		t.Errorf("no placeholder before the first picture")
	}
	img := image.NewGray(image.Rect(0, 0, 20, 8))
	for x := 0; x < 20; x += 2 {
		img.SetGray(x, 3, color.Gray{})
	}
	f.Focus("captcha")
	typeIn(f, "ab")
	f.SetPicture("captcha", img)
	if f.Value("captcha") != "" {
		t.Error("an answer to the old picture survived a new picture")
	}
	v := plain(f.View())
	if !strings.Contains(v, "[换一张]  [听语音]") || strings.Count(v, "\n") < 5 {
		t.Fatalf("captcha row:\n%s", v)
	}
	f.Focus("account")
	want := CaptchaSpeak{Form: "s", Key: "captcha"}
	if msgs := run(f.Update(f6)); len(msgs) != 1 || msgs[0] != want {
		t.Errorf("F6 on the account field = %#v", msgs)
	}
	if f.Focused() != "account" {
		t.Errorf("F6 moved the focus to %q", f.Focused())
	}
	msgs := run(tap(t, f, z, SpeakZone("s", "captcha")))
	if len(msgs) != 1 || msgs[0] != want {
		t.Errorf("听语音 tap = %#v", msgs)
	}
	if f.Focused() != "captcha" {
		t.Errorf("a tap focuses the captcha field, got %q", f.Focused())
	}
	if !strings.Contains(helpText(f.Help()), "F6 key.speak") { // the footer renders the ids
		t.Errorf("help on the captcha field: %s", helpText(f.Help()))
	}
	// A form without a captcha ignores F6.
	g := New(Config{Text: testText, ID: "n", Steps: []Step{{Fields: []Field{Text("a", "甲")}}}})
	if msgs := run(g.Update(f6)); len(msgs) != 0 {
		t.Errorf("F6 without a captcha = %#v", msgs)
	}
}

func helpText(bs []key.Binding) string {
	s := ""
	for _, b := range bs {
		s += b.Help().Key + " " + b.Help().Desc + " "
	}
	return s
}

// tap presses the left button on the top-left cell of a zone.
func tap(t *testing.T, f *Form, z *zone.Manager, id string) tea.Cmd {
	t.Helper()
	before := z.Get(id)
	z.Scan(f.View())
	// The manager stores a scan's zones asynchronously: wait for this
	// scan's (a new ZoneInfo), not a stale position from an earlier view.
	var zi *zone.ZoneInfo
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if zi = z.Get(id); zi != nil && zi != before && !zi.IsZero() {
			break
		}
	}
	if zi == nil || zi.IsZero() {
		t.Fatalf("zone %s never drawn", id)
	}
	return f.Update(tea.MouseMsg{X: zi.StartX, Y: zi.StartY, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
}

// TestMouse focuses fields, picks options and presses buttons through
// bubblezone, as a touch screen would.
func TestMouse(t *testing.T) {
	z := zone.New()
	defer z.Close()
	f := New(Config{Text: testText, ID: "m", SubmitLabel: "登录", Zones: z, Tasks: noTimers(), Steps: []Step{{Fields: []Field{
		Text("account", "企业账号"),
		Password("password", "密码"),
		Choice("period", "有效期", Opts("5年", "10年")),
		Choice("type", "法人类型", Opts("企业法人", "非企业法人")).Cycle(),
		Captcha("captcha", "图片验证码"),
	}}}})
	f.SetWidth(100)
	tap(t, f, z, FieldZone("m", "password"))
	if f.Focused() != "password" {
		t.Fatalf("tap on the password row: focus %q", f.Focused())
	}
	typeIn(f, "abc")
	tap(t, f, z, RevealZone("m", "password"))
	if !strings.Contains(plain(f.View()), "abc") {
		t.Errorf("tap on 显示 should reveal")
	}
	tap(t, f, z, OptionZone("m", "period", 1))
	if f.Value("period") != "10年" || f.Focused() != "period" {
		t.Errorf("option tap: value %q focus %q", f.Value("period"), f.Focused())
	}
	tap(t, f, z, ArrowZone("m", "type", 1))
	if f.Value("type") != "企业法人" || f.Focused() != "type" {
		t.Errorf("arrow tap: value %q focus %q", f.Value("type"), f.Focused())
	}
	if msgs := run(tap(t, f, z, ActionZone("m", "captcha"))); len(msgs) != 1 || msgs[0] != (CaptchaRefresh{Form: "m", Key: "captcha"}) {
		t.Errorf("换一张 tap = %#v", msgs)
	}
	msgs := run(tap(t, f, z, ButtonZone("m", ButtonNext)))
	if len(msgs) != 1 {
		t.Fatalf("login button tap = %#v", msgs)
	}
	if s, ok := msgs[0].(Submitted); !ok || s.Values.Text("password") != "abc" {
		t.Errorf("got %#v", msgs[0])
	}
	if msgs := run(tap(t, f, z, ButtonZone("m", ButtonCancel))); len(msgs) != 1 || msgs[0] != (Cancelled{Form: "m"}) {
		t.Errorf("返回 tap = %#v", msgs)
	}
}

// A step taller than its room: pictures shrink first, then the fields
// scroll around the focus, and the form error and buttons stay in sight.
func TestViewportScrolls(t *testing.T) {
	fields := []Field{}
	for i := 0; i < 12; i++ {
		fields = append(fields, Text(string(rune('a'+i)), "字段"+string(rune('A'+i)), Required))
	}
	fields = append(fields, Captcha("captcha", "图片验证码", Required))
	f := New(Config{Text: testText, ID: "v", Tasks: noTimers(), Steps: []Step{{Fields: fields}}})
	f.SetPicture("captcha", image.NewGray(image.Rect(0, 0, 52, 24)))
	f.SetSize(80, 18)
	f.Validate() // an error under every field
	f.SetFormError(i18n.Raw("短信验证已超时，请重新获取验证码"))
	check := func(want string) {
		t.Helper()
		v := plain(f.View())
		lines := strings.Split(v, "\n")
		if len(lines) > 18 {
			t.Fatalf("%d lines in a room of 18:\n%s", len(lines), v)
		}
		for _, s := range []string{want, "[ 提交 ]", "短信验证已超时"} {
			if !strings.Contains(v, s) {
				t.Fatalf("%q not in sight:\n%s", s, v)
			}
		}
	}
	check("> * 字段A")
	if !strings.Contains(plain(f.View()), "▼ 下方还有内容") {
		t.Errorf("no marker for what is below:\n%s", plain(f.View()))
	}
	for range 8 {
		f.Update(tab)
	}
	check("> * 字段I")
	if !strings.Contains(plain(f.View()), "▲ 上方还有内容") {
		t.Errorf("no marker for what is above:\n%s", plain(f.View()))
	}
	f.Focus("captcha")
	check("> * 图片验证码")
	// The picture gave rows first: fewer than its own 12.
	if n := strings.Count(plain(f.View()), "▀") + strings.Count(plain(f.View()), "█"); n > 52*12 {
		t.Errorf("picture not shrunk")
	}
	f.SetSize(80, 0)
	// Uncut, the buttons are boxes; the natural height counts them on one line.
	if n := len(strings.Split(f.View(), "\n")); n != f.NaturalHeight()+widget.BoxButtonRows-1 {
		t.Errorf("unbounded view %d lines, natural %d", n, f.NaturalHeight())
	}
}

// stars is a field kind declared outside the engine: a 1–5 rating. It
// shows that a new kind needs no change to the engine.
type stars struct {
	Spec
	n     int
	draws int
}

func (s *stars) Base() *Spec      { return &s.Spec }
func (s *stars) Text() string     { return strings.Repeat("★", s.n) }
func (s *stars) SetText(v string) { s.n = len([]rune(v)) }
func (s *stars) Value() any {
	if s.n == 0 {
		return nil
	}
	return s.n
}
func (s *stars) Check() error { return nil }
func (s *stars) Focus()       {}
func (s *stars) Blur()        {}
func (s *stars) Reset()       { s.n = 0 }
func (s *stars) OnKey(m tea.KeyMsg, c *Ctx) (tea.Cmd, bool) {
	switch {
	case key.Matches(m, c.Keys.Right) && s.n < 5:
		s.n++
	case key.Matches(m, c.Keys.Left) && s.n > 0:
		s.n--
	default:
		return nil, false
	}
	return nil, true
}
func (s *stars) OnTap(tea.MouseMsg, *Ctx) (tea.Cmd, bool) { return nil, false }
func (s *stars) Action(*Ctx) tea.Cmd                      { return nil }
func (s *stars) Help(theme.KeyMap) []key.Binding          { return nil }
func (s *stars) View(*Ctx, bool) (string, []string) {
	s.draws++
	return "[" + strings.Repeat("★", s.n) + strings.Repeat("☆", 5-s.n) + "]", nil
}

func TestOpenFieldAndRowCache(t *testing.T) {
	r := &stars{Spec: Spec{Key: "rating", Label: "满意度", Required: true}}
	f := New(Config{Text: testText, ID: "o", Tasks: noTimers(), Steps: []Step{{Fields: []Field{Text("name", "姓名"), r}}}})
	f.SetWidth(80)
	f.View()
	drawn := r.draws
	typeIn(f, "张三") // keys on another field: the rating is not drawn again
	f.View()
	if r.draws != drawn {
		t.Errorf("an unchanged field was redrawn %d times", r.draws-drawn)
	}
	f.Update(tab)
	f.Update(right)
	f.Update(right)
	if v := plain(f.View()); !strings.Contains(v, "[★★☆☆☆]") || f.Values().Text("rating") != "★★" {
		t.Fatalf("custom field:\n%s", v)
	}
	f.Update(left)
	f.Update(left)
	if f.Validate() || f.Error("rating") != "请输入满意度" {
		t.Errorf("required custom field: %q", f.Error("rating"))
	}
}

// Labels too wide to stand beside their inputs (a long English label on a
// narrow screen) stand above them, wrapped; nothing is cut.
func TestLongLabelsStackAndWrap(t *testing.T) {
	f := New(Config{Text: testText, ID: "l", Tasks: noTimers(), Steps: []Step{{Fields: []Field{
		Text("uscc", "Unified Social Credit Code (统一社会信用代码) of the enterprise as on its licence", Required),
		Text("name", "Name"),
	}}}})
	f.SetWidth(60)
	f.Validate()
	v := plain(f.View())
	for _, l := range strings.Split(v, "\n") {
		if w := ansi.StringWidth(l); w > 60 {
			t.Errorf("line of %d cells: %q", w, l)
		}
	}
	for _, want := range []string{"> * Unified Social Credit Code", "as on its licence", "请输入"} {
		if !strings.Contains(v, want) {
			t.Errorf("%q missing:\n%s", want, v)
		}
	}
	if f.ContentWidth() < 50 {
		t.Errorf("the input keeps only %d cells", f.ContentWidth())
	}
}
