package screens

import (
	"bytes"
	"context"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/devices/sms"
	"kiosk/devices/sms/sim"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/screens/kit"
	"kiosk/screens/login"
	"kiosk/screens/route"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

// phoneRoot is a pure root with a simulated phone whose push feed is
// already ended, so feed() can run every command (the stream command then
// returns at once); tests deliver pushes by hand with phoneReceived.
func phoneRoot(t *testing.T, d Deps, w, h int) (*Root, *sim.Sender) {
	t.Helper()
	s := sim.New(sim.Options{Clock: d.Clock})
	t.Cleanup(func() { s.Close() })
	d.Phone = s
	r := newRoot(t, d, w, h)
	r.phone.cancel()
	return r, s
}

// pushSMS sends text to the simulated phone and hands the push to the root.
func pushSMS(t *testing.T, r *Root, s *sim.Sender, to, text string) {
	t.Helper()
	if err := s.Send(context.Background(), to, text); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages()
	feed(r, phoneReceived{msgs[len(msgs)-1]})
}

func checkFits(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d:\n%s", len(lines), h, v)
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw != w {
			t.Errorf("line %d is %d cells, want %d: %q", i, lw, w, l)
		}
	}
}

const codeText = "【统一身份认证平台】您的验证码为482915，5分钟内有效。如非本人操作，请忽略本短信。"

func TestPhonePanelBesideTheScreen(t *testing.T) {
	if lipgloss.Width(zh(PhoneLabel)) != phoneInner {
		t.Fatalf("phoneInner %d does not fit the label (%d cells)", phoneInner, lipgloss.Width(zh(PhoneLabel)))
	}
	r, s := phoneRoot(t, Deps{Demo: true}, 120, 40)
	feed(r, toEnterpriseLogin)
	if w, _ := r.bodySize(); w != 120-phoneSide || w < MinWidth {
		t.Fatalf("screen width %d beside the panel", w)
	}
	v := r.View()
	if !strings.Contains(v, zh(PhoneLabel)) || !strings.Contains(v, "暂无短信") || !strings.Contains(v, zh(DemoBanner)) {
		t.Fatalf("empty panel not drawn:\n%s", v)
	}
	pushSMS(t, r, s, "13800138000", codeText)
	v = r.View()
	t.Logf("\n%s", v)
	checkFits(t, v, 120, 40)
	for _, want := range []string{"发至 138****8000", "482915", "图片验证码"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "13800138000") || strings.Contains(v, zh(PhoneIndicatorNew)) {
		t.Errorf("unmasked number or a needless indicator:\n%s", v)
	}
}

func TestPhonePanelCollapsedAt80x24(t *testing.T) {
	for _, demo := range []bool{true, false} {
		r, s := phoneRoot(t, Deps{Demo: demo}, 80, 24)
		feed(r, toEnterpriseLogin)
		if w, _ := r.bodySize(); w != 80 {
			t.Fatalf("demo %v: screen width %d", demo, w)
		}
		if v := r.View(); !strings.Contains(v, zh(PhoneIndicatorIdle)) || strings.Contains(v, zh(PhoneLabel)) {
			t.Fatalf("demo %v: idle indicator:\n%s", demo, v)
		}
		pushSMS(t, r, s, "+8613800138000", codeText)
		v := r.View()
		checkFits(t, v, 80, 24)
		if !strings.Contains(v, zh(PhoneIndicatorNew)) || strings.Contains(v, "482915") || !strings.Contains(v, "F9 模拟手机") {
			t.Fatalf("demo %v: new-message indicator:\n%s", demo, v)
		}
		if demo != strings.Contains(v, zh(DemoBanner)) {
			t.Errorf("demo %v: banner shown %v", demo, !demo)
		}
		// F9 opens the overlay over the screen; keys do not reach the form.
		feed(r, tea.KeyMsg{Type: tea.KeyF9})
		feed(r, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
		v = r.View()
		t.Logf("\n%s", v)
		checkFits(t, v, 80, 24)
		for _, want := range []string{zh(PhoneLabel), "138****8000", "482915", zh(PhoneIndicatorOpen), "F9/esc 关闭模拟手机"} {
			if !strings.Contains(v, want) {
				t.Errorf("demo %v: overlay lacks %q:\n%s", demo, want, v)
			}
		}
		// esc closes it and stays on the screen.
		feed(r, tea.KeyMsg{Type: tea.KeyEsc})
		v = r.View()
		if r.Current() != route.EnterpriseLogin.ID() || strings.Contains(v, zh(PhoneLabel)) || !strings.Contains(v, zh(PhoneIndicatorIdle)) {
			t.Fatalf("demo %v: esc: at %s\n%s", demo, r.Current(), v)
		}
		if got := formOf(t, r).Value(login.FieldIdentifier); got != "" {
			t.Errorf("demo %v: a key reached the form under the overlay: %q", demo, got)
		}
	}
}

func TestPhoneIndicatorTap(t *testing.T) {
	r, s := phoneRoot(t, Deps{Demo: true}, 80, 24)
	pushSMS(t, r, s, "13800138000", codeText)
	r.View() // zones are recorded when drawn
	var z = r.Zone(PhoneToggle)
	for deadline := time.Now().Add(waitTimeout); z == nil && time.Now().Before(deadline); z = r.Zone(PhoneToggle) {
		time.Sleep(2 * time.Millisecond)
	}
	if z == nil {
		t.Fatal("indicator zone never drawn")
	}
	tap := tea.MouseMsg{X: z.StartX + 1, Y: z.StartY, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft}
	feed(r, tap)
	if !r.phone.overlay || !strings.Contains(r.View(), "482915") {
		t.Fatalf("tap did not open the overlay:\n%s", r.View())
	}
	feed(r, tea.MouseMsg{X: 1, Y: 10, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if r.phone.overlay || r.Current() != route.Home.ID() {
		t.Fatalf("a tap elsewhere should only close the overlay: overlay %v at %s", r.phone.overlay, r.Current())
	}
}

func TestPhoneProductionShowsNothing(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		r := newRoot(t, Deps{}, sz[0], sz[1])
		feed(r, tea.KeyMsg{Type: tea.KeyF9})
		if v := r.View(); strings.Contains(v, "模拟手机") {
			t.Errorf("%v: production shows the phone:\n%s", sz, v)
		}
		if w, _ := r.bodySize(); w != sz[0] {
			t.Errorf("%v: screen width %d", sz, w)
		}
	}
}

func TestPhoneSanitisesAndKeepsTheNewest(t *testing.T) {
	r, s := phoneRoot(t, Deps{Demo: true}, 120, 40)
	pushSMS(t, r, s, "13800138000", "恶意\x1b[2J\x1b]0;title\x07短信")
	for i := range phoneKeep + 2 {
		pushSMS(t, r, s, "13912345678", "第"+string(rune('A'+i))+"条")
	}
	v := r.View()
	if strings.Contains(v, "\x1b[2J") || strings.Contains(v, "title") {
		t.Errorf("escape sequence drawn: %q", v)
	}
	if len(r.phone.msgs) != phoneKeep || !strings.Contains(v, "第G条") {
		t.Errorf("kept %d messages:\n%s", len(r.phone.msgs), v)
	}
	// The newest comes first.
	if strings.Index(v, "第G条") > strings.Index(v, "第F条") {
		t.Errorf("newest not on top:\n%s", v)
	}
	// A full panel cuts old messages, never the frame.
	checkFits(t, v, 120, 40)
	r2, s2 := phoneRoot(t, Deps{Demo: true}, MinWidth+phoneSide, 24)
	for range phoneKeep {
		pushSMS(t, r2, s2, "13800138000", codeText)
	}
	checkFits(t, r2.View(), MinWidth+phoneSide, 24)
}

// A push lost to a full buffer shows up through the phone's history.
func TestPhoneGapFetchesHistory(t *testing.T) {
	r, s := phoneRoot(t, Deps{Demo: true}, 120, 40)
	ctx := context.Background()
	for _, text := range []string{"一号短信", "二号短信", "三号短信"} {
		if err := s.Send(ctx, "13800138000", text); err != nil {
			t.Fatal(err)
		}
	}
	msgs := s.Messages()
	feed(r, phoneReceived{msgs[0]})
	feed(r, phoneReceived{msgs[2]}) // the second push was dropped
	v := r.View()
	for _, want := range []string{"一号短信", "二号短信", "三号短信"} {
		if !strings.Contains(v, want) {
			t.Errorf("lacks %q:\n%s", want, v)
		}
	}
}

func TestPhoneClearedWhenTheVisitEnds(t *testing.T) {
	r, s := phoneRoot(t, Deps{Demo: true}, 120, 40)
	pushSMS(t, r, s, "13800138000", codeText)
	feed(r, kit.EndSession{})
	feed(r, phoneHistory{s.Messages()}) // an old snapshot must not bring it back
	if v := r.View(); strings.Contains(v, "482915") || !strings.Contains(v, "暂无短信") {
		t.Errorf("code survived the end of the visit:\n%s", v)
	}
	pushSMS(t, r, s, "13800138000", "新的短信")
	if v := r.View(); !strings.Contains(v, "新的短信") {
		t.Errorf("a later message is not shown:\n%s", v)
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+8613800138000": "138****8000",
		"13800138000":    "138****8000",
		"+447700900123":  rules.MaskMobile("+447700900123"),
	} {
		if got := maskPhone(in); got != want {
			t.Errorf("maskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

// codeReader makes smscode draw the given 6-digit code.
func codeReader(code uint32) *bytes.Reader {
	return bytes.NewReader(binary.BigEndian.AppendUint32(nil, code))
}

// TestJourneyCodeOnSimulatedPhone: a code issued by the real SMS-code use
// case goes through the durable outbox and the real worker to the
// simulated phone, and the running kiosk shows it, masked number and all.
func TestJourneyCodeOnSimulatedPhone(t *testing.T) {
	f := newFixture(t)
	st, err := storage.Open(memkv.New(), storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	phone := sim.New(sim.Options{})
	t.Cleanup(func() { phone.Close() })
	codes := &smscode.Service{Store: st, Kiosk: "KIOSK-T1", Secret: bytes.Repeat([]byte{7}, 32), Rand: codeReader(482915),
		Captcha: f.deps.Captcha}
	worker := &sms.Worker{Store: st, Sender: phone}

	d := f.deps
	d.Phone, d.SMSCodes, d.Outbox = phone, codes, worker
	k := startKiosk(t, d)
	ctx := context.Background()
	if _, err := codes.Send(ctx, answeredPass(t, f.deps.Captcha), smscode.PurposeRegister, "13800138000"); err != nil {
		t.Fatal(err)
	}
	if n, err := worker.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("worker sent %d: %v", n, err)
	}
	k.waitFor("482915")
	r := k.finish()
	v := r.View()
	if !strings.Contains(v, "发至 138****8000") || strings.Contains(v, "13800138000") {
		t.Errorf("recipient not masked:\n%s", v)
	}
	if err := codes.Check(ctx, smscode.PurposeRegister, "13800138000", "482915"); err != nil {
		t.Errorf("the code on the panel does not check: %v", err)
	}
}
