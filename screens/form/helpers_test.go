package form

import (
	"kiosk/model/i18n"
	"os"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"kiosk/model/rules"
	"kiosk/screens/task"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// run executes a command and returns every message it yields (batches
// flattened, deliveries of scope opened). A timer (a countdown tick) is not
// waited for: the test scope's timers are off.
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
	space    = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	f2       = tea.KeyMsg{Type: tea.KeyF2}
	f5       = tea.KeyMsg{Type: tea.KeyF5}
	f6       = tea.KeyMsg{Type: tea.KeyF6}
	bs       = tea.KeyMsg{Type: tea.KeyBackspace}
)

// noTimers is a scope whose timers are off: countdown ticks are fed by hand.
func noTimers() *task.Scope {
	return task.New(1, func(d time.Duration) <-chan time.Time { return nil })
}

func loginForm() *Form {
	f := New(Config{Text: testText, ID: "t", SubmitLabel: "登录", Tasks: noTimers(), Steps: []Step{{Title: "登录", Fields: []Field{
		Text("account", "企业账号", Required, Check(rules.ValidAccount)),
		Password("password", "密码", Required),
		Captcha("captcha", "图片验证码", Required),
	}}}})
	f.SetWidth(100)
	return f
}

func twoStepForm() *Form {
	f := New(Config{Text: testText, ID: "two", Tasks: noTimers(), Steps: []Step{
		{Title: "确认账号", Fields: []Field{
			Text("name", "姓名", Required),
			Choice("type", "法人类型", Opts("企业法人", "非企业法人"), Required).Cycle(),
		}},
		{Title: "安全验证", Fields: []Field{
			Text("phone", "手机号码", Required, Check(rules.ValidMobile)),
			SMSCode("code", "短信验证码", Required),
		}},
	}})
	f.SetWidth(100)
	return f
}

func plain(s string) string { return ansi.Strip(s) }

// zht renders a catalog text in Chinese, the forms' default language.
func zht(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }

// testText renders catalog ids in Chinese; the test forms' own labels,
// which are no catalog ids, stand as they are.
func testText(t i18n.Text) string {
	if c := i18n.Default(); t.ID == "raw" || c.Has(i18n.Chinese, t.ID) {
		for k, v := range t.Args {
			if sub, ok := v.(i18n.Text); ok && !c.Has(i18n.Chinese, sub.ID) {
				t.Args[k] = i18n.Raw(sub.ID)
			}
		}
		return c.Render(i18n.Chinese, t)
	}
	return t.ID
}
