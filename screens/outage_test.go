package screens

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/screens/kit"
	"kiosk/screens/login"
	"kiosk/screens/route"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
	"kiosk/storage/storetest"
)

// The 服务暂不可用 page (issue 13, item 6): when the store the kiosks share
// cannot be reached, the page stands over the visit, nothing of a flow is
// half-written, and the page lifts by itself when the store answers, the
// person where they were.

// newCutFixture is the fixture on an in-memory store that the test can cut
// off (storetest.Cut), with the health probe wired as main wires it.
func newCutFixture(t *testing.T) (*fixture, *storetest.Cut) {
	t.Helper()
	cut := storetest.NewCut(memkv.New())
	st, err := storage.Open(cut, storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := newFixtureOn(t, st)
	f.deps.StoreHealth = st.Ping
	return f, cut
}

// waitOutage waits for the page: its title, what happened (the title
// alone begins the sentence of error.service_down) and its buttons.
func (k *kiosk) waitOutage() {
	k.t.Helper()
	k.waitFor(k.text("outage.title"), k.text("outage.what"), k.text("outage.wait"), k.text("outage.home"))
}

// Mid-registration the cluster goes: 注册 after the face check shows the
// page and writes nothing; the cluster comes back and the page lifts once
// the next probe (healthRetry on the kiosk's clock) answers; the form
// holds what was typed, and the same registration goes through, once.
func TestJourneyOutageMidRegistration(t *testing.T) {
	t.Parallel()
	f, cut := newCutFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	count := func() int {
		t.Helper()
		n, err := readTx(f.store, func(tx model.Tx) (int, error) { return tx.Enterprises().Count() })
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	f.toAccountStep(k, e)
	k.fillAccount(newAccount, newPassword, newPassword)
	k.waitFor("核验对象：冯*")
	cut.SetDown(true)
	k.passFace() // the face matches; 注册 meets the cut
	k.waitOutage()
	if cut.Refused() == 0 {
		t.Fatal("the page is up but the store was never asked")
	}
	k.typeText("zz") // keys reach nothing below the page

	cut.SetDown(false)
	// Nothing of the half-done registration is in the store.
	if _, ok := f.enterpriseByUSCC(e.uscc); ok {
		t.Fatal("an enterprise was stored by a registration the store refused")
	}
	if _, ok := findRecord(t, f.store, func(tx model.Tx) (model.Enterprise, error) {
		return tx.Enterprises().ByAccount(newAccount)
	}); ok {
		t.Fatal("the account index holds the refused registration")
	}
	if n := f.countAudit(account.AuditRegister); n != 0 {
		t.Fatalf("%d register audit records for a registration the store refused", n)
	}
	if n := count(); n != before {
		t.Fatalf("%d enterprises, %d before the refused registration", n, before)
	}

	f.clock.Add(healthRetry) // the next probe answers: the page lifts by itself
	k.waitFor(k.text("error.service_down"), newAccount)
	k.key(tea.KeyEnter) // 注册 again: the account page is checked, then the face
	k.waitFor("核验对象：冯*")
	k.passFace()
	k.waitFor("✔ 注册成功")
	r := k.finish()
	if r.outage.down {
		t.Error("the page is still up")
	}
	ent, ok := f.enterpriseByUSCC(e.uscc)
	if !ok || ent.Account != newAccount || ent.Name != e.name || ent.LegalRep.Name != e.rep ||
		ent.LegalRep.ID.Number != e.id || ent.Phone != e.phone {
		t.Fatalf("stored after the outage: %+v (found %v)", ent, ok)
	}
	if n := f.countAudit(account.AuditRegister); n != 1 {
		t.Fatalf("%d register audit records, want 1", n)
	}
	if n := count(); n != before+1 {
		t.Fatalf("%d enterprises, want %d: the registration is stored once", n, before+1)
	}
}

// 获取验证码 while the cluster is cut off: the use case puts the failure on
// the code field, and still the page goes up (and nothing is queued); once
// the store is back the same press sends the code.
func TestJourneyOutageOnCodeRequest(t *testing.T) {
	t.Parallel()
	f, cut := newCutFixture(t)
	k := startKiosk(t, f.deps)
	e := sampleTonghua
	k.fillToCode(e)
	cut.SetDown(true)
	k.requestCode()
	k.waitOutage()
	cut.SetDown(false)
	if n := len(f.notices(e.phone)) + len(f.phone.Messages()); n != 0 {
		t.Fatalf("%d messages for a code the store refused", n)
	}
	f.clock.Add(healthRetry)
	k.waitFor(k.text("error.service_down"))
	f.answerCode(k, e.phone) // 获取验证码 again, the code, 下一步
	r := k.finish()
	if r.outage.down {
		t.Error("the page is still up")
	}
}

// At the home screen the probe finds the outage: the page goes up within
// healthEvery, 继续等待 keeps it, and it lifts once the store answers.
func TestJourneyOutageAtHomeByProbe(t *testing.T) {
	t.Parallel()
	f, cut := newCutFixture(t)
	k := startKiosk(t, f.deps)
	cut.SetDown(true)
	f.clock.Add(healthEvery)
	k.waitOutage()
	k.key(tea.KeyEnter) // 继续等待 has the focus: nothing happens
	cut.SetDown(false)
	k.idle(f.clock, k.text("home.welcome")) // the next probe answers
	r := k.finish()
	if r.outage.down || r.Current() != route.Home.ID() {
		t.Fatalf("after the store came back: down %v, at %s", r.outage.down, r.Current())
	}
}

// A visit that ends by idle while the store is down is wiped as ever: the
// page stands over a fresh home screen, nothing of the visitor on it.
func TestJourneyOutageIdleWipes(t *testing.T) {
	t.Parallel()
	f, cut := newCutFixture(t)
	k := startKiosk(t, f.deps)
	k.openEnterpriseLogin()
	k.typeText(entAccount)
	k.waitFor(entAccount)
	cut.SetDown(true)
	f.clock.Add(healthEvery)
	k.waitOutage()
	k.idle(f.clock, k.text("shell.idle_wipe")) // the countdown, over the page
	k.idle(f.clock, k.text("outage.what"))     // it ran out: the page again
	r := k.finish()
	if !r.outage.down {
		t.Fatal("the page went with the visit")
	}
	if r.Current() != route.Home.ID() || r.Session() != nil || len(r.history) != 0 {
		t.Fatalf("after idle: at %s, session %v, history %v", r.Current(), r.Session(), r.history)
	}
	for what, v := range map[string]string{"frame": r.View(), "screen below": r.cur.View()} {
		if strings.Contains(v, entAccount) {
			t.Errorf("the %s still shows what the last visitor typed:\n%s", what, v)
		}
	}
}

// By hand: keys reach nothing below the page and the typed value is kept;
// an answer of a probe started before the failure does not lift it; the
// next answer does; 返回首页 ends the visit under the page.
func TestOutageKeepsTheScreen(t *testing.T) {
	f := newFixture(t)
	r := newRoot(t, f.deps, 120, 40)
	feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // 企业登录
	typeInto(r, entAccount)
	stale := r.probeHealth() // under way when an action meets the outage
	feed(r, kit.ErrMsg{Err: fmt.Errorf("%w: %w", model.ErrServiceDown, errors.New("etcd: no leader"))})
	if !r.outage.down {
		t.Fatal("ErrServiceDown did not put the page up")
	}
	if !strings.Contains(f.log.String(), "no leader") {
		t.Errorf("the engine's error is not logged: %s", f.log.String())
	}
	feed(r, stale()) // "up", from before the failure
	if !r.outage.down {
		t.Fatal("a stale probe lifted the page")
	}
	typeInto(r, "zz")
	feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // 继续等待
	feed(r, tea.KeyMsg{Type: tea.KeyEsc})
	if !r.outage.down || r.Current() != route.EnterpriseLogin.ID() {
		t.Fatalf("keys under the page: down %v, at %s", r.outage.down, r.Current())
	}
	id := func() string { return formOf(t, r).Values().Text(login.FieldIdentifier) }
	if id() != entAccount {
		t.Fatalf("under the page the field holds %q", id())
	}
	feed(r, healthProbed{}) // the store answers
	if r.outage.down {
		t.Fatal("an answer did not lift the page")
	}
	typeInto(r, "9")
	if id() != entAccount+"9" {
		t.Fatalf("after the page the field holds %q", id())
	}

	feed(r, healthProbed{err: errors.New("cut")})
	if !r.outage.down {
		t.Fatal("a failed probe did not put the page up")
	}
	feed(r, tea.KeyMsg{Type: tea.KeyRight}) // 返回首页
	feed(r, tea.KeyMsg{Type: tea.KeyEnter})
	if !r.outage.down || r.Current() != route.Home.ID() || len(r.history) != 0 {
		t.Fatalf("返回首页: down %v, at %s, history %v", r.outage.down, r.Current(), r.history)
	}
	if strings.Contains(r.View(), entAccount) || strings.Contains(r.cur.View(), entAccount) {
		t.Error("返回首页 left the visitor's value on screen")
	}
}

// The page is whole in every language at 80×24 and 120×40, over a
// registration with its step bar and the simulated phone: every sentence,
// both buttons, nothing cut.
func TestOutagePageWholeInEveryLanguage(t *testing.T) {
	for _, l := range i18n.Langs {
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", l, sz[0], sz[1]), func(t *testing.T) {
				f := newFixture(t)
				r := newRoot(t, f.deps, sz[0], sz[1])
				inLang(r, l)
				feed(r, tea.KeyMsg{Type: tea.KeyRight})
				feed(r, tea.KeyMsg{Type: tea.KeyRight})
				feed(r, tea.KeyMsg{Type: tea.KeyEnter}) // 立即注册
				if r.Current() != route.Register.ID() {
					t.Fatalf("at %s", r.Current())
				}
				feed(r, healthProbed{err: errors.New("cut")})
				checkRoot(t, r)
				v := ansi.Strip(r.View())
				flat := strings.Join(strings.Fields(v), "")
				for _, id := range []string{"outage.title", "outage.what", "outage.retry", "outage.kept",
					"outage.counter", "outage.wait", "outage.home"} {
					if s := strings.Join(strings.Fields(tr(l, id)), ""); !strings.Contains(flat, s) {
						t.Errorf("%s not whole on the page:\n%s", id, v)
					}
				}
				// The language can be switched on the page, the form kept.
				feed(r, tea.KeyMsg{Type: tea.KeyF3})
				if !r.outage.down || r.app.Lang() == l || r.Current() != route.Register.ID() {
					t.Errorf("F3 on the page: down %v, lang %s, at %s", r.outage.down, r.app.Lang(), r.Current())
				}
			})
		}
	}
}
