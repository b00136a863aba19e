package screens

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	zone "github.com/lrstanley/bubblezone"
	"github.com/muesli/termenv"

	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/model/pwhash"
	"kiosk/model/rules"
	"kiosk/storage"
	"kiosk/storage/kv/bboltkv"
)

func TestMain(m *testing.M) {
	InitTerminal()
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// fakeClock is a settable clock, safe for the login commands' goroutines.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var cst = time.FixedZone("CST", 8*3600)

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

// fixture is a real store on bbolt in a temp dir, with an active enterprise,
// a valid agent and an expired agent, a fake clock and a captcha whose text
// is always captchaText.
type fixture struct {
	t       *testing.T
	store   *storage.Store
	clock   *fakeClock
	auth    *model.Auth
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

// auditLog is the audit log of st.
func auditLog(t testing.TB, st *storage.Store) []model.AuditRecord {
	t.Helper()
	recs, err := readTx(st, func(tx model.Tx) ([]model.AuditRecord, error) { return tx.Audit().List(0, 10000) })
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := openStore(t)
	clock := &fakeClock{t: time.Date(2025, 3, 10, 10, 0, 0, 0, cst)}
	hasher := pwhash.New(pwhash.Fast)
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
		ValidFrom: day(2025, 1, 1), ValidTo: day(2025, 12, 31), Enabled: true,
		PasswordHash: hash(agentPass), CreatedAt: now, UpdatedAt: now,
	}
	f.expired = model.Agent{
		ID: "agent-zhao", EnterpriseID: f.ent.ID, PersonID: "person-zhao", Name: "赵一鸣",
		IDNumber: makeID(t, "11010219851111456"), Phone: expiredPhone,
		ValidFrom: day(2024, 1, 1), ValidTo: day(2025, 2, 28), Enabled: true,
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
	f.auth = &model.Auth{Store: st, Clock: clock, Hasher: hasher, Kiosk: "KIOSK-T1"}
	f.deps = Deps{
		Auth: f.auth, Clock: clock, Demo: true, KioskID: "KIOSK-T1",
		Captcha: captcha.New(clock, func() string { return captchaText }, captcha.WithSeeds(captcha.Counter(1))),
		Log:     slog.New(slog.NewTextHandler(f.log, nil)),
	}
	return f
}

// audit returns the audit log.
func (f *fixture) audit() []model.AuditRecord {
	f.t.Helper()
	return auditLog(f.t, f.store)
}

// kiosk runs the real root model in teatest at 120×40.
type kiosk struct {
	t    *testing.T
	tm   *teatest.TestModel
	root *Root
}

func startKiosk(t *testing.T, deps Deps) *kiosk {
	t.Helper()
	r := New(deps)
	tm := teatest.NewTestModel(t, r, teatest.WithInitialTermSize(120, 40))
	k := &kiosk{t: t, tm: tm, root: r}
	t.Cleanup(func() {
		_ = tm.Quit()
		r.Close()
	})
	k.waitFor("欢迎使用单位服务自助终端")
	return k
}

// waitFor waits until s appears in output drawn after the previous wait.
// On a timeout it stops the program and reports where the kiosk was.
// waitTimeout bounds every wait for a frame in the journeys.
const waitTimeout = 20 * time.Second

func (k *kiosk) waitFor(s string) {
	k.t.Helper()
	var seen bytes.Buffer
	// Generous: only a failing wait spends it, and a loaded 2-core CI
	// machine can hold a frame back for seconds.
	deadline := time.Now().Add(waitTimeout)
	for !bytes.Contains(seen.Bytes(), []byte(s)) {
		if time.Now().After(deadline) {
			_ = k.tm.Quit()
			r := k.tm.FinalModel(k.t, teatest.WithFinalTimeout(waitTimeout)).(*Root)
			k.t.Fatalf("%q not drawn within %s; at %s (history %v, counting %v); output since the last wait:\n%s",
				s, waitTimeout, r.curID, r.history, r.counting, seen.String())
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

func (k *kiosk) key(t tea.KeyType) { k.tm.Send(tea.KeyMsg{Type: t}) }

// click presses the left button on the top-left cell of a zone once it has
// been drawn.
func (k *kiosk) click(id string) {
	k.t.Helper()
	var z *zone.ZoneInfo
	for deadline := time.Now().Add(waitTimeout); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if z = k.root.Zone(id); z != nil {
			break
		}
	}
	if z == nil {
		k.t.Fatalf("zone %s never drawn", id)
	}
	k.tm.Send(tea.MouseMsg{X: z.StartX + 1, Y: z.StartY, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
}

// finish quits the program and returns the final root model.
func (k *kiosk) finish() *Root {
	k.t.Helper()
	_ = k.tm.Quit()
	return k.tm.FinalModel(k.t, teatest.WithFinalTimeout(waitTimeout)).(*Root)
}
