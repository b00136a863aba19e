package screens

import (
	"bytes"
	"context"
	"errors"
	"kiosk/screens/screentest"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	zone "github.com/lrstanley/bubblezone"
	"github.com/muesli/termenv"

	"kiosk/assets"
	"kiosk/devices/camera"
	"kiosk/devices/camera/replay"
	"kiosk/devices/face/demo"
	"kiosk/devices/sms"
	"kiosk/devices/sms/sim"
	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/clocktest"
	"kiosk/model/i18n"
	"kiosk/model/pwhash"
	"kiosk/model/registry"
	"kiosk/model/rules"
	"kiosk/model/smscode"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/home"
	"kiosk/screens/kit"
	"kiosk/screens/task"
	"kiosk/storage"
	"kiosk/storage/kv/bboltkv"
)

// The one fixture, the one wait helper and the one clock of the screens'
// tests. Journeys drive the real root model (teatest) against a real
// bbolt store: keys and clicks in, screen text and stored records out.
// Pure tests feed messages to a root by hand (newRoot, feed).

func TestMain(m *testing.M) {
	InitTerminal()
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

var cst = time.FixedZone("CST", 8*3600)

// testNow is when every journey happens: after the demo data's issue
// dates, so every sample ID card is valid.
var testNow = time.Date(2026, 11, 27, 10, 0, 0, 0, cst)

// Test data: what a citizen types.
const (
	entAccount   = "xinghe_2024"
	entPassword  = "Xinghe#2024"
	entName      = "星河示范科技有限公司"
	agentPhone   = "13987654321"
	agentPass    = "Agent#2025ok"
	captchaText  = "7KXP"
	expiredPhone = "13711112222"
	pendingAcct  = "pending_ent01"
)

// fixture is the demo store (sample registry and demo accounts,
// assets/demo/ACCOUNTS.md) on bbolt in a temp dir, plus an active
// enterprise with a valid and an expired agent; the real login and account
// use cases; the simulated phone with its outbox worker; the demo face
// verifier and the replay camera; a captcha whose text is always
// captchaText; and the test clock, which drives every timer of the UI.
type fixture struct {
	t       *testing.T
	store   *storage.Store
	clock   *clocktest.Clock
	auth    *model.Auth
	svc     *account.Service
	phone   *sim.Sender
	worker  *sms.Worker
	deps    Deps
	log     *bytes.Buffer
	uscc    string
	ent     model.Enterprise
	agent   model.Agent
	expired model.Agent
}

// makeUSCC builds a valid USCC around an 8-char organisation-code body.
func makeUSCC(t testing.TB, region, body8 string) string {
	org, err := rules.OrgCodeCheckChar(body8)
	if err != nil {
		t.Fatal(err)
	}
	first := "91" + region + body8 + string(org)
	c, err := rules.USCCCheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}

// makeID builds a valid resident ID from its first 17 digits.
func makeID(t testing.TB, first17 string) string {
	c, err := rules.IDCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, cst) }

// openStore opens a store on bbolt in a temp dir, closed when t ends.
func openStore(t *testing.T) *storage.Store {
	t.Helper()
	eng, err := bboltkv.Open(filepath.Join(t.TempDir(), "kiosk.db"), bboltkv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	st, err := storage.Open(eng, storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func faceCamera() camera.Camera {
	return replay.New(assets.CameraFrames, replay.Options{Pattern: "camera/face-*.jpg", FPS: 30})
}

func newFixture(t *testing.T) *fixture { t.Helper(); return newFixtureOn(t, openStore(t)) }

// newFixtureOn is newFixture on another store (an engine a test can cut
// off, outage_test.go).
func newFixtureOn(t *testing.T, st *storage.Store) *fixture {
	t.Helper()
	clock := clocktest.New(testNow)
	hasher := pwhash.New(pwhash.Fast)
	if err := registry.SeedDemo(context.Background(), st, hasher, clock,
		bytes.NewReader(assets.SampleRegistryCSV), bytes.NewReader(assets.DemoSeedJSON)); err != nil {
		t.Fatal(err)
	}
	hash := func(pw string) string {
		h, err := hasher.Hash(pw)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	f := &fixture{t: t, store: st, clock: clock, log: &bytes.Buffer{}}
	f.uscc = makeUSCC(t, "110108", "MA01XH24")
	now := clock.Now()
	f.ent = model.Enterprise{
		ID: "ent-xinghe", USCC: f.uscc, Name: entName, LegalType: "企业法人",
		LegalRep: model.LegalRep{Name: "王建国", ID: model.IDDocument{Type: model.IDTypeResident,
			Number: makeID(t, "11010819800101123"), Period: model.ValidityLongTerm, ValidFrom: day(2020, 1, 1)}},
		Account: entAccount, PasswordHash: hash(entPassword), Phone: "13812345678",
		State: model.EnterpriseActive, CreatedAt: now, UpdatedAt: now,
	}
	f.agent = model.Agent{
		ID: "agent-li", EnterpriseID: f.ent.ID, PersonID: "person-li", Name: "李晓明",
		IDNumber: makeID(t, "11010519900307234"), Phone: agentPhone,
		ValidFrom: day(2026, 1, 1), ValidTo: day(2026, 12, 31), Enabled: true,
		PasswordHash: hash(agentPass), CreatedAt: now, UpdatedAt: now,
	}
	f.expired = model.Agent{
		ID: "agent-zhao", EnterpriseID: f.ent.ID, PersonID: "person-zhao", Name: "赵一鸣",
		IDNumber: makeID(t, "11010219851111456"), Phone: expiredPhone,
		ValidFrom: day(2025, 1, 1), ValidTo: day(2026, 2, 28), Enabled: true,
		PasswordHash: hash(agentPass), CreatedAt: now, UpdatedAt: now,
	}
	err := st.Update(context.Background(), func(tx model.Tx) error {
		if err := tx.Enterprises().Put(f.ent); err != nil {
			return err
		}
		pending := model.Enterprise{ID: "ent-pending", USCC: makeUSCC(t, "310115", "MA1PEND0"), Name: "待激活示例有限公司",
			LegalType: "企业法人", Account: pendingAcct, State: model.EnterprisePending, CreatedAt: now, UpdatedAt: now}
		if err := tx.Enterprises().Put(pending); err != nil {
			return err
		}
		for _, a := range []model.Agent{f.agent, f.expired} {
			p := model.NaturalPerson{ID: a.PersonID, Name: a.Name, Phone: a.Phone, PasswordHash: a.PasswordHash,
				Document: model.IDDocument{Type: model.IDTypeResident, Number: a.IDNumber, Period: model.Validity20Years,
					ValidFrom: day(2015, 6, 1), ValidTo: day(2035, 6, 1)}, CreatedAt: now}
			if err := tx.Persons().Put(p); err != nil {
				return err
			}
			if err := tx.Agents().Put(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	captchas := captcha.New(clock, func() string { return captchaText }, captcha.WithSeeds(captcha.Counter(1)))
	codes := &smscode.Service{Store: st, Clock: clock, Kiosk: "KIOSK-T1", Secret: st.Keys().Derive("sms-code"), Captcha: captchas}
	f.auth = &model.Auth{Store: st, Clock: clock, Hasher: hasher, Kiosk: "KIOSK-T1"}
	f.svc = &account.Service{Store: st, Registry: registry.StoreRegistry{Store: st}, Clock: clock, Hasher: hasher,
		Codes: codes, Kiosk: "KIOSK-T1", AllowDemoFace: true, Faces: faceServiceFor(t, Deps{Clock: clock}), Auth: f.auth}
	f.phone = sim.New(sim.Options{Clock: clock})
	f.worker = &sms.Worker{Store: st, Sender: f.phone, Clock: clock}
	fv, err := demo.New(true)
	if err != nil {
		t.Fatal(err)
	}
	fv.Delay = 10 * time.Millisecond
	f.deps = Deps{
		Auth: f.auth, Accounts: f.svc, Clock: clock, Demo: true, KioskID: "KIOSK-T1",
		Captcha: captchas,
		Log:     slog.New(slog.NewTextHandler(f.log, nil)),
		Camera:  faceCamera(), Face: fv, SMSCodes: codes, Phone: f.phone, Outbox: f.worker,
	}
	return f
}

// readTx returns what get reads in a read transaction of st.
func readTx[T any](st *storage.Store, get func(model.Tx) (T, error)) (T, error) {
	var v T
	err := st.View(context.Background(), func(tx model.Tx) error {
		var err error
		v, err = get(tx)
		return err
	})
	return v, err
}

// findRecord reads one record: false when there is none; any other error
// fails the test.
func findRecord[T any](t testing.TB, st *storage.Store, get func(model.Tx) (T, error)) (T, bool) {
	t.Helper()
	v, err := readTx(st, get)
	if errors.Is(err, model.ErrNotFound) {
		return v, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return v, true
}

// audit is the audit log.
func (f *fixture) audit() []model.AuditRecord {
	f.t.Helper()
	recs, err := readTx(f.store, func(tx model.Tx) ([]model.AuditRecord, error) { return tx.Audit().List(0, 10000) })
	if err != nil {
		f.t.Fatal(err)
	}
	return recs
}

// auditCount counts the records of action (with outcome, when not "").
func (f *fixture) auditCount(action, outcome string) int {
	n := 0
	for _, r := range f.audit() {
		if r.Action == action && (outcome == "" || r.Outcome == outcome) {
			n++
		}
	}
	return n
}

func hasAudit(recs []model.AuditRecord, action, outcome string) bool {
	for _, r := range recs {
		if r.Action == action && r.Outcome == outcome {
			return true
		}
	}
	return false
}

// eventually waits until ok holds (a command's write lands after the frame).
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(waitTimeout); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s never happened", what)
		}
	}
}

func (f *fixture) enterpriseByUSCC(uscc string) (model.Enterprise, bool) {
	f.t.Helper()
	return findRecord(f.t, f.store, func(tx model.Tx) (model.Enterprise, error) { return tx.Enterprises().ByUSCC(uscc) })
}

// smsCodeText finds the code in a code SMS, in any language: its only run
// of exactly six digits.
var smsCodeText = regexp.MustCompile(`(?:^|\D)(\d{6})(?:\D|$)`)

// deliver runs the outbox once and returns the newest code the phone got,
// as a person reads it off their phone.
func (f *fixture) deliver(phone string) string {
	f.t.Helper()
	if _, err := f.worker.RunOnce(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	msgs := f.phone.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.HasSuffix(msgs[i].To, phone) {
			if m := smsCodeText.FindStringSubmatch(msgs[i].Text); m != nil {
				return m[1]
			}
		}
	}
	f.t.Fatalf("no code delivered to %s: %+v", phone, msgs)
	return ""
}

// notices are the notice SMS of the outbox to phone, in any state.
func (f *fixture) notices(phone string) []model.OutboundSMS {
	f.t.Helper()
	var out []model.OutboundSMS
	err := f.store.View(context.Background(), func(tx model.Tx) error {
		for _, s := range []model.OutboxState{model.OutboxPending, model.OutboxSent} {
			msgs, err := tx.Outbox().List(s, 1000)
			if err != nil {
				return err
			}
			for _, m := range msgs {
				if m.Kind == model.SMSKindNotice && strings.HasSuffix(m.To, phone) {
					out = append(out, m)
				}
			}
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

// zh is the catalog id (with placeholder values kv) as a visit in Chinese,
// the default language, shows it.
func zh(id string, kv ...any) string { return zht(i18n.T(id, kv...)) }

// zht is the catalog text as a visit in Chinese shows it.
func zht(t i18n.Text) string { return i18n.Default().Render(i18n.Chinese, t) }

// ---- journeys: the real program in teatest ----

// kiosk runs the real root model in teatest at 120×40.
type kiosk struct {
	t    *testing.T
	tm   *teatest.TestModel
	root *Root
	// lang is the language of the visit as the test drove it: the hall's
	// (Deps.Language), moved on by each press of the language key and each
	// tap on the language button. The helpers wait for their texts in it.
	lang i18n.Lang
}

// text is the catalog id (with placeholder values kv) as the visit shows
// it, in k.lang.
func (k *kiosk) text(id string, kv ...any) string {
	return i18n.Default().Render(k.lang, i18n.T(id, kv...))
}

func startKiosk(t *testing.T, deps Deps) *kiosk { return startKioskAt(t, deps, 120, 40) }

func startKioskAt(t *testing.T, deps Deps, w, h int) *kiosk {
	t.Helper()
	if deps.Faces == nil {
		deps.Faces = faceServiceFor(t, deps)
	}
	r := New(deps)
	tm := teatest.NewTestModel(t, r, teatest.WithInitialTermSize(w, h))
	k := &kiosk{t: t, tm: tm, root: r, lang: deps.Language}
	if _, ok := i18n.Parse(string(k.lang)); !ok {
		k.lang = i18n.Chinese
	}
	t.Cleanup(func() {
		_ = tm.Quit()
		r.Close()
	})
	k.waitFor(k.text("home.welcome"), "["+k.text("lang."+string(k.lang))+"]")
	return k
}

// waitTimeout bounds every wait for a frame. Generous: only a failing wait
// spends it, and a loaded 2-core CI machine can hold a frame back.
const waitTimeout = 20 * time.Second

// waitFor waits until every s appears in the output drawn after the
// previous wait. On a timeout it stops the program and reports where the
// kiosk was.
func (k *kiosk) waitFor(ss ...string) {
	k.t.Helper()
	var seen bytes.Buffer
	deadline := time.Now().Add(waitTimeout)
	for {
		all := true
		for _, s := range ss {
			all = all && bytes.Contains(seen.Bytes(), []byte(s))
		}
		if all {
			return
		}
		if time.Now().After(deadline) {
			_ = k.tm.Quit()
			r := k.tm.FinalModel(k.t, teatest.WithFinalTimeout(waitTimeout)).(*Root)
			k.t.Fatalf("%q not drawn within %s; at %s (history %v, counting %v); the screen:\n%s",
				ss, waitTimeout, r.curID, r.history, r.counting, ansi.Strip(r.View()))
		}
		if _, err := seen.ReadFrom(k.tm.Output()); err != nil {
			k.t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// typeText sends s rune by rune (teatest's Type sends bytes, which breaks CJK).
func (k *kiosk) typeText(s string) {
	for _, r := range s {
		k.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func (k *kiosk) key(t tea.KeyType) {
	msg := tea.KeyMsg{Type: t}
	if key.Matches(msg, k.root.app.Keys.Lang) { // the key map is fixed once the app is built
		k.lang = k.lang.Next()
	}
	k.tm.Send(msg)
}

// typeFields types values into consecutive fields, tab after each.
func (k *kiosk) typeFields(values ...string) {
	for _, v := range values {
		k.typeText(v)
		k.key(tea.KeyTab)
	}
}

// click presses the left button on the top-left cell of a zone once it has
// been drawn.
func (k *kiosk) click(id string) {
	k.t.Helper()
	k.settle()
	var z *zone.ZoneInfo
	for deadline := time.Now().Add(waitTimeout); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if z = k.root.Zone(id); z != nil && !z.IsZero() {
			break
		}
	}
	if z == nil || z.IsZero() {
		k.t.Fatalf("zone %s never drawn", id)
	}
	if id == LangToggle {
		k.lang = k.lang.Next()
	}
	k.tm.Send(tea.MouseMsg{X: z.StartX + 1, Y: z.StartY, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
}

// settle waits until the kiosk has drawn no frame for a moment (at most
// a second): a tap goes where its zone is now, not where it was before the
// last keys moved it (a strength meter appearing pushes the buttons down).
func (k *kiosk) settle() {
	last := k.root.frames.Load()
	quiet := time.Now()
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if n := k.root.frames.Load(); n != last {
			last, quiet = n, time.Now()
		} else if time.Since(quiet) > 25*time.Millisecond {
			return
		}
	}
}

// clickHome taps the home tile labelled id (a catalog id).
func (k *kiosk) clickHome(id string) { k.click(home.Zone(id)) }

// idle moves the clock on, a second at a time, until want is drawn: the
// idle timers run on the test clock, never on real time.
func (k *kiosk) idle(clock *clocktest.Clock, want string) {
	k.t.Helper()
	var seen bytes.Buffer
	deadline := time.Now().Add(waitTimeout)
	for !bytes.Contains(seen.Bytes(), []byte(want)) {
		if time.Now().After(deadline) {
			k.t.Fatalf("%q not drawn while the clock ran on; output:\n%s", want, seen.String())
		}
		clock.Add(time.Second)
		time.Sleep(2 * time.Millisecond)
		if _, err := seen.ReadFrom(k.tm.Output()); err != nil {
			k.t.Fatal(err)
		}
	}
}

// finish quits the program and returns the final root model.
func (k *kiosk) finish() *Root {
	k.t.Helper()
	_ = k.tm.Quit()
	return k.tm.FinalModel(k.t, teatest.WithFinalTimeout(waitTimeout)).(*Root)
}

// host is the flow on show: the flow host of the current screen.
type host interface {
	Form() *form.Form
	OnForm() bool
	Finished() bool
	Component() kit.Component
}

func flowOf(t *testing.T, r *Root) host {
	t.Helper()
	h, ok := r.cur.(host)
	if !ok {
		t.Fatalf("current screen %s is not a flow", r.curID)
	}
	return h
}

// formOf is the form of the flow on show.
func formOf(t *testing.T, r *Root) *form.Form { return flowOf(t, r).Form() }

// stateOf is the flow's own state (tickets, proofs).
func stateOf[S any](t *testing.T, r *Root) *S {
	t.Helper()
	h, ok := r.cur.(*flow.Host[S])
	if !ok {
		t.Fatalf("current screen %s is not a flow of %T", r.curID, *new(S))
	}
	return h.State()
}

// ---- pure tests: a root fed by hand ----

// handClock is the test clock with its timers off: pure tests feed the
// ticks they need by hand.
type handClock struct{ *clocktest.Clock }

func (handClock) After(time.Duration) <-chan time.Time { return nil }

func newRoot(t *testing.T, d Deps, w, h int) *Root {
	t.Helper()
	if d.Clock == nil {
		d.Clock = clocktest.New(testNow)
	}
	if c, ok := d.Clock.(*clocktest.Clock); ok {
		d.Clock = handClock{c}
	}
	r := New(d)
	t.Cleanup(r.Close)
	r.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return r
}

// collect runs a command as the runtime does (screentest.Collect).
func collect(cmd tea.Cmd) []tea.Msg { return screentest.Collect(cmd) }

// feed sends msg and then every message its commands yield, recursively.
// Deliveries are opened as the program would (a stale one is dropped);
// spinner ticks only animate and are not fed back.
func feed(r *Root, msg tea.Msg) {
	_, cmd := r.Update(msg)
	for _, m := range collect(cmd) {
		if d, ok := m.(task.Delivery); ok {
			inner, live := r.open(d)
			if !live || inner == nil {
				continue
			}
			m = inner
		}
		if _, spin := m.(spinner.TickMsg); spin {
			continue
		}
		feed(r, m)
	}
}

// boxed is how a form button without the focus is drawn where the room
// allows: in a box three rows high (its middle row).
func boxed(label string) string { return "│   " + label + "   │" }
