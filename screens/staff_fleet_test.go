package screens

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model/fleet"
	"kiosk/model/i18n"
	"kiosk/screens/route"
	"kiosk/screens/staff"
	"kiosk/storage"
	"kiosk/storage/kv/memkv"
)

// 终端状态: three kiosks on one store with leases (memkv as etcd), this
// one (KIOSK-T1) among them, read through the real root by a counter
// clerk: online and offline, a kiosk whose lease ran out listed offline
// with its last heartbeat, a failed modem named, every stored string
// inert.

// fleetKiosks is the fleet the console reads: each kiosk with a Fleet of
// its own, as each process has.
type fleetKiosks struct {
	eng    *memkv.Engine
	st     *storage.Store
	kiosks map[string]*storage.Fleet
}

// evilHall is a hall as a hostile kiosk (or a wrong config) might store it.
const evilHall = "吉林\x1b[31m市\x1b]8;;http://evil.example/\x07政务\x1b]8;;\x07\u202e中心\u200b"

var (
	fleetCam    = fleet.Device{Role: fleet.Camera, Adapter: "v4l2:/dev/video0", OK: true}
	fleetSMSBad = fleet.Device{Role: fleet.SMS, Adapter: "GSM modem on /dev/ttyUSB0", Problem: "modem: no answer to AT\x1b[2J"}
)

// staffFleet puts three kiosks in a store of their own and gives the
// fixture's desk its fleet: KIOSK-T1 and CC-02 in 长春, JL-01 (the evil
// hall, a failed modem) in 吉林; CC-02's heartbeat is two minutes old.
func staffFleet(t *testing.T, f *fixture) *fleetKiosks {
	t.Helper()
	eng := memkv.New()
	st, err := storage.Open(eng, storage.NewKeysForTest())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	fk := &fleetKiosks{eng: eng, st: st, kiosks: map[string]*storage.Fleet{}}
	now := f.clock.Now()
	for _, k := range []struct {
		id, hall string
		seen     time.Time
		devs     []fleet.Device
	}{
		{"KIOSK-T1", "长春市政务服务中心", now, []fleet.Device{fleetCam}},
		{"CC-02", "长春市政务服务中心", now.Add(-2 * time.Minute), []fleet.Device{fleetCam}},
		{"JL-01", evilHall, now, []fleet.Device{fleetCam, fleetSMSBad}},
	} {
		fk.kiosks[k.id] = st.Fleet(0)
		rec := fleet.Record{Kiosk: k.id, Hall: k.hall, Version: "1.4.0\u200b", Devices: k.devs, StartedAt: now.Add(-time.Hour),
			LastActivity: now.Add(-5 * time.Minute).Truncate(time.Minute), LastSeen: k.seen, Every: fleet.DefaultEvery}
		if err := fk.kiosks[k.id].Beat(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
	}
	f.deps.Staff.Fleet = st.Fleet(0)
	return fk
}

// expire ends a kiosk's lease as its death would.
func (fk *fleetKiosks) expire(t *testing.T, id string) {
	t.Helper()
	l := fk.kiosks[id].Lease()
	if l == nil {
		t.Fatalf("%s holds no lease", id)
	}
	fk.eng.Expire(l)
}

func TestStaffFleetJourney(t *testing.T) {
	f := staffFixture(t)
	fk := staffFleet(t, f)
	r := staffLoginAt(t, f, staffCounter, 120, 40)
	staffOpen(t, r, staff.TileFleet)
	if r.Current() != route.StaffFleet.ID() {
		t.Fatalf("the tile opened %s", r.Current())
	}
	staffSees(t, r, "终端状态", "共 3 台终端：在线 3 台，离线 0 台", "本机：KIOSK-T1", "CC-02", "JL-01",
		"吉林市政务中心", "异常：短信设备", "正常")
	staffInert(t, "the list", r.View())

	// CC-02 dies: its lease runs out; 刷新 lists it offline, with when it
	// was last seen.
	fk.expire(t, "CC-02")
	staffTap(t, r, staffButton(staff.FleetID, staff.FleetRefresh))
	seen := f.clock.Now().Add(-2 * time.Minute).Format("15:04") // today: the time alone
	staffSees(t, r, "共 3 台终端：在线 2 台，离线 1 台")
	if row := fleetRow(t, r, "CC-02"); !strings.Contains(row, "离线") || !strings.Contains(row, seen) {
		t.Fatalf("CC-02's row: %q", row)
	}
	if row := fleetRow(t, r, "JL-01"); !strings.Contains(row, "在线") {
		t.Fatalf("JL-01's row: %q", row)
	}

	// 详情 of JL-01 (this kiosk's hall first, then by hall): every field
	// inert, the modem's error shown, never a person's action.
	var order []string
	for _, l := range strings.Split(ansi.Strip(r.View()), "\n") {
		if f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(l), "▶")); len(f) > 1 && strings.Contains(l, "政务") {
			order = append(order, f[0])
		}
	}
	if strings.Join(order, " ") != "CC-02 KIOSK-T1 JL-01" {
		t.Fatalf("rows %v, want this kiosk's hall first", order)
	}
	staffTap(t, r, "staff-fleet:list:row:2")
	staffSees(t, r, "终端详情", "JL-01", "吉林市政务中心", "在线", "1.4.0", "短信设备", "异常", "modem: no answer to AT",
		"摄像头", "v4l2:/dev/video0", f.clock.Now().Add(-5*time.Minute).Truncate(time.Minute).Format("2006-01-02 15:04"))
	staffInert(t, "the detail", r.View())
	staffKeys(r, tea.KeyEsc)
	staffSees(t, r, "终端状态", "本机：KIOSK-T1")

	// The page reads again by itself (a heartbeat later): JL-01 has
	// stopped cleanly meanwhile, and its detail says so.
	if err := fk.kiosks["JL-01"].Leave(context.Background(), fleet.Record{Kiosk: "JL-01", Hall: "吉林市政务服务中心",
		LastSeen: f.clock.Now(), Every: fleet.DefaultEvery}); err != nil {
		t.Fatal(err)
	}
	feed(r, staff.FleetTick{})
	staffSees(t, r, "在线 1 台，离线 2 台")
	staffTap(t, r, staffButton(staff.FleetID, staff.FleetOpen)) // JL-01 is still selected
	staffSees(t, r, "离线（已正常关闭）")
	staffKeys(r, tea.KeyEsc, tea.KeyEsc)
	if r.Current() != route.StaffHome.ID() {
		t.Fatalf("esc from the list went to %s", r.Current())
	}
}

// fleetRow is the list's row that holds id.
func fleetRow(t *testing.T, r *Root, id string) string {
	t.Helper()
	for _, l := range strings.Split(ansi.Strip(r.View()), "\n") {
		if strings.Contains(l, id) {
			return l
		}
	}
	t.Fatalf("no row of %s:\n%s", id, ansi.Strip(r.View()))
	return ""
}

// TestStaffFleetWholeAt80x24: the list and a detail are whole at 80×24 in
// every language, for a 管理员 (whose home has every tile).
func TestStaffFleetWholeAt80x24(t *testing.T) {
	for _, lang := range i18n.Langs {
		t.Run(string(lang), func(t *testing.T) {
			f := staffFixture(t)
			fk := staffFleet(t, f)
			fk.expire(t, "CC-02")
			f.deps.Language = lang
			s := func(id string, kv ...any) string { return i18n.Default().Render(lang, i18n.T(id, kv...)) }
			r := newRoot(t, f.deps, 80, 24)
			feed(r, staffChordKey)
			staffLoginOn(t, r, staffAdmin, staffPw)
			checkRoot(t, r)
			staffSees(t, r, s("staff.home.fleet"), s("staff.home.members"), s("staff.home.logout"))
			staffOpen(t, r, staff.TileFleet)
			checkRoot(t, r)
			staffSees(t, r, s("staff.fleet.title"), s("staff.fleet.summary", "Total", 3, "Online", 2, "Offline", 1),
				"CC-02", s("staff.fleet.offline"), s("staff.fleet.open"), s("staff.back"))
			// CC-02 is selected: this kiosk's hall comes first.
			staffTap(t, r, staffButton(staff.FleetID, staff.FleetOpen))
			checkRoot(t, r)
			staffSees(t, r, s("staff.fleet.detail_title"), s("staff.fleet.lost"), s("staff.fleet.back_list"))
			staffInert(t, "the detail", r.View())
		})
	}
}

// TestStaffFleetRefusedToReviewer: a reviewer has no tile and no route,
// and the screen built for one anyway shows the refusal, no kiosk.
func TestStaffFleetRefusedToReviewer(t *testing.T) {
	f := staffFixture(t)
	staffFleet(t, f)
	rev := f.staffSession(staffReviewer)
	if tiles := strings.Join(staff.Tiles(&rev), " "); strings.Contains(tiles, staff.TileFleet) {
		t.Fatalf("a reviewer's tiles: %s", tiles)
	}
	r := newRoot(t, f.deps, 120, 40)
	r.app.SetSession(&rev)
	feed(r, route.StaffFleet.Nav(struct{}{}))
	if r.Current() == route.StaffFleet.ID() {
		t.Fatal("the route let a reviewer in")
	}
	r.app.BeginVisit()
	r.cur = staff.NewFleet(r.app, struct{}{})
	r.resize()
	for _, m := range collect(r.app.Scope().Wrap(r.cur.Init())) {
		feed(r, m)
	}
	if v := ansi.Strip(r.View()); strings.Contains(v, "CC-02") || !strings.Contains(v, "无权") {
		t.Fatalf("a reviewer's 终端状态:\n%s", v)
	}
}

// touches is a Deps.Activity that counts.
type touches struct {
	mu   sync.Mutex
	last time.Time
	n    int
}

func (a *touches) Touch(t time.Time) { a.mu.Lock(); a.last, a.n = t, a.n+1; a.mu.Unlock() }

// TestRootFeedsActivity: every key and tap reaches Deps.Activity with the
// root's clock, nothing else does.
func TestRootFeedsActivity(t *testing.T) {
	f := newFixture(t)
	act := &touches{}
	f.deps.Activity = act
	r := newRoot(t, f.deps, 120, 40)
	if act.n != 0 {
		t.Fatalf("touched %d times before any input", act.n)
	}
	f.clock.Add(90 * time.Second)
	feed(r, tea.KeyMsg{Type: tea.KeyRight})
	feed(r, tea.MouseMsg{X: 1, Y: 1, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	feed(r, tea.WindowSizeMsg{Width: 100, Height: 30})
	if act.n != 2 || !act.last.Equal(f.clock.Now()) {
		t.Fatalf("touched %d times, last %v (now %v)", act.n, act.last, f.clock.Now())
	}
}
