package staff

import (
	"context"
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/fleet"
	"kiosk/model/i18n"
	"kiosk/screens/kit"
)

// 终端状态 (窗口工作人员, 管理员): every kiosk that shares the store, by
// hall and id, this kiosk's hall first — online or offline, its devices at a glance, when it was
// last seen — read again every heartbeat while the page is open. 详情
// shows one kiosk whole: version, start, the minute of its last use (never
// what was done), each device with its adapter and, when it failed, the
// check's error. Everything comes from the kiosks' own records: the list
// and widget.InfoLines sanitise it (staffdesk.Desk.Kiosks).

// Zone ids of 终端状态.
const (
	FleetID       = "staff-fleet"        // buttons: FleetID + ":" + id
	FleetListID   = "staff-fleet:list"   // rows: kit.RowZone(FleetListID, i)
	FleetDetailID = "staff-fleet-detail" // the detail's buttons
)

// Buttons of 终端状态.
const (
	FleetOpen    = "open"
	FleetRefresh = "refresh"
	FleetBack    = "back"
)

// FleetTick asks 终端状态 for the list again (a heartbeat after each
// read; tests with the timers off feed it by hand).
type FleetTick struct{}

// fleetTickSlot is the slot of the next read.
const fleetTickSlot = "staff-fleet:tick"

type fleetScreen struct {
	kit.Base
	a      *kit.App
	load   *kit.Loader
	kiosks []fleet.Kiosk
	ok     bool
	list   *kit.List
	lang   i18n.Lang
	errMsg i18n.Text
	row    kit.ButtonRow
	drow   kit.ButtonRow
	detail bool
	kiosk  fleet.Kiosk // the kiosk in detail
	scroll *kit.Scroll
	w, h   int
}

// NewFleet is 终端状态.
func NewFleet(a *kit.App, _ kit.None) kit.Screen {
	s := &fleetScreen{a: a, load: kit.NewLoader(a, "staff-fleet:load"), row: kit.NewButtonRow(a, FleetID),
		drow: kit.NewButtonRow(a, FleetDetailID), scroll: kit.NewScroll(a, "staff-fleet:scroll")}
	s.build()
	s.buttons()
	return s
}

func (s *fleetScreen) SetSize(w, h int) { s.w, s.h = w, h }

func (s *fleetScreen) Init() tea.Cmd { return s.reload() }

func (s *fleetScreen) Leave() tea.Cmd {
	s.load.Cancel()
	s.a.Drop(fleetTickSlot)
	return nil
}

func (s *fleetScreen) reload() tea.Cmd {
	s.a.Drop(fleetTickSlot)
	desk, who := s.a.Deps.Staff, who(s.a)
	return s.load.Run("staff.loading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if desk == nil {
			return nil, errNoDesk
		}
		return desk.Kiosks(ctx, who)
	})
}

func (s *fleetScreen) selected() (fleet.Kiosk, bool) {
	if !s.ok || len(s.kiosks) == 0 {
		return fleet.Kiosk{}, false
	}
	return s.kiosks[s.list.Selected()], true
}

func (s *fleetScreen) buttons() {
	_, ok := s.selected()
	s.row.Reset(kit.Btn{ID: FleetOpen, Label: "staff.fleet.open", Disabled: !ok},
		kit.Btn{ID: FleetRefresh, Label: "staff.fleet.refresh"}, kit.Btn{ID: FleetBack, Label: "staff.back"})
}

func (s *fleetScreen) Help() []key.Binding {
	if s.detail {
		s.detailLayout() // the scroll's help turns on what overflows now
		return append(append(s.scroll.Help(), s.drow.Help()...), backHelp(s.a))
	}
	s.listPage() // PgUp/PgDn turn on the pages at the list's size now
	return s.list.HelpWith("staff.fleet.open", append(s.row.Help(), backHelp(s.a))...)
}

func (s *fleetScreen) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := s.load.Update(msg); done != nil {
		return s.loaded(done)
	} else if cmd != nil {
		return cmd
	}
	if _, ok := msg.(FleetTick); ok {
		if s.load.Running() {
			return nil
		}
		return s.reload()
	}
	if s.detail {
		return s.detailInput(msg)
	}
	return s.listInput(msg)
}

// listInput: ↑/↓ and the pages move the selection, enter or a tap on a
// row opens it, the buttons do the rest.
func (s *fleetScreen) listInput(msg tea.Msg) tea.Cmd {
	if cmd, done := listKeys(s.a, s.list, msg, s.buttons, s.open); done {
		return cmd
	}
	switch s.row.Update(msg) {
	case FleetOpen:
		return s.open()
	case FleetRefresh:
		s.errMsg = i18n.Text{}
		return s.reload()
	case FleetBack:
		return kit.GoBack
	}
	return nil
}

// open shows the chosen kiosk.
func (s *fleetScreen) open() tea.Cmd {
	k, ok := s.selected()
	if !ok {
		return nil
	}
	s.detail, s.kiosk = true, k
	s.scroll = kit.NewScroll(s.a, "staff-fleet:scroll")
	s.drow.Set(kit.Btn{ID: FleetBack, Label: "staff.fleet.back_list"})
	return nil
}

func (s *fleetScreen) detailInput(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, s.a.Keys.Back) {
		s.detail = false
		return nil
	}
	if s.scroll.Update(msg) {
		return nil
	}
	if s.drow.Update(msg) == FleetBack {
		s.detail = false
	}
	return nil
}

// loaded takes a read: the list keeps the kiosk it had selected (kiosks
// may have come meanwhile), the detail shows its kiosk afresh; the next
// read follows a heartbeat later.
func (s *fleetScreen) loaded(done *kit.Loaded) tea.Cmd {
	next := s.a.After(fleetTickSlot, fleet.DefaultEvery, FleetTick{})
	if done.Err != nil {
		var cmd tea.Cmd
		s.errMsg, cmd = failed(s.a, "staff fleet", done.Err)
		return tea.Batch(cmd, next)
	}
	was, had := s.selected()
	first := !s.ok
	s.kiosks, s.ok, s.errMsg = hallFirst(done.Value.([]fleet.Kiosk), s.a.Deps.KioskID), true, i18n.Text{}
	s.build()
	for i, k := range s.kiosks {
		if had && k.Kiosk == was.Kiosk {
			s.list.Select(i)
		}
		if s.detail && k.Kiosk == s.kiosk.Kiosk {
			s.kiosk = k
		}
	}
	if first {
		s.row.Set()
	}
	s.buttons()
	return next
}

// hallFirst puts the kiosks of this kiosk's hall first (staff look after
// their own hall; a province may list hundreds), the order otherwise
// kept.
func hallFirst(ks []fleet.Kiosk, self string) []fleet.Kiosk {
	i := slices.IndexFunc(ks, func(k fleet.Kiosk) bool { return k.Kiosk == self })
	if i < 0 {
		return ks
	}
	hall := ks[i].Hall
	out := make([]fleet.Kiosk, 0, len(ks))
	for _, k := range ks {
		if k.Hall == hall {
			out = append(out, k)
		}
	}
	for _, k := range ks {
		if k.Hall != hall {
			out = append(out, k)
		}
	}
	return out
}
