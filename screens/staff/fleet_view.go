package staff

import (
	"strings"
	"time"

	"kiosk/model/fleet"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/widget"
)

// How 终端状态 is drawn: the summary and the list (kiosk, hall, state,
// devices, last seen) in the visit's language, and one kiosk's detail.

// build makes the list: the kiosk (at most 16 cells), state, devices (at
// most 18) and last seen as wide as they come, the hall takes the rest.
func (s *fleetScreen) build() {
	a := s.a
	cells := make([][]string, len(s.kiosks))
	for i, k := range s.kiosks {
		cells[i] = []string{k.Kiosk, k.Hall, s.stateLabel(k), s.devicesLabel(k), s.seen(k.LastSeen)}
	}
	titles := []string{"staff.fleet.col_kiosk", "staff.fleet.col_hall", "staff.fleet.col_state",
		"staff.fleet.col_devices", "staff.fleet.col_seen"}
	cols := fitColumns(a, titles, cells, []int{16, 0, 12, 18, 12})
	s.list = relist(a, s.list, FleetListID, "staff.fleet.empty", cols, cells)
	s.lang = a.Lang()
}

// kioskLabel is the kiosk's id, this kiosk's marked as such (the
// detail's; the list says which is this one above it).
func (s *fleetScreen) kioskLabel(k fleet.Kiosk) string {
	if k.Kiosk == s.a.Deps.KioskID {
		return s.a.S("staff.fleet.self", "Kiosk", rules.Sanitize(k.Kiosk))
	}
	return k.Kiosk
}

func (s *fleetScreen) stateLabel(k fleet.Kiosk) string {
	if k.Online {
		return s.a.S("staff.fleet.online")
	}
	return s.a.S("staff.fleet.offline")
}

// stateLong is the detail's state: offline says whether the kiosk stopped
// cleanly or was lost.
func (s *fleetScreen) stateLong(k fleet.Kiosk) string {
	switch {
	case k.Online:
		return s.a.S("staff.fleet.online")
	case k.Stopped:
		return s.a.S("staff.fleet.stopped")
	}
	return s.a.S("staff.fleet.lost")
}

// devicesLabel is the list's devices: all well, not checked yet, or the
// ones that failed.
func (s *fleetScreen) devicesLabel(k fleet.Kiosk) string {
	if k.Devices == nil {
		return s.a.S("staff.fleet.devices_unknown")
	}
	bad := k.Failing()
	if len(bad) == 0 {
		return s.a.S("staff.fleet.devices_ok")
	}
	names := make([]string, len(bad))
	for i, d := range bad {
		names[i] = s.deviceName(d.Role)
	}
	return s.a.S("staff.fleet.devices_bad", "Devices", strings.Join(names, s.a.S("staff.fleet.list_sep")))
}

// deviceName names a device role; an unknown one (a newer kiosk's) as
// stored.
func (s *fleetScreen) deviceName(role string) string {
	switch role {
	case fleet.Camera, fleet.Face, fleet.SMS, fleet.Audio, fleet.USB:
		return s.a.S("staff.fleet.device_" + role)
	}
	return rules.Sanitize(role)
}

// deviceValue is one device in the detail: its health, whether it is a
// simulation, its adapter and the check's error.
func (s *fleetScreen) deviceValue(d fleet.Device) string {
	parts := []string{s.a.S("staff.fleet.device_ok")}
	if !d.OK {
		parts[0] = s.a.S("staff.fleet.device_bad")
	}
	if d.Simulated {
		parts[0] += " " + s.a.S("staff.fleet.simulated")
	}
	for _, p := range []string{d.Adapter, d.Problem} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · ")
}

// seen is the list's last heartbeat: the time alone when it is today.
func (s *fleetScreen) seen(t time.Time) string {
	now := s.a.Now()
	if y, m, d := t.In(now.Location()).Date(); !t.IsZero() && y == now.Year() && m == now.Month() && d == now.Day() {
		return s.when(t, "15:04")
	}
	return s.when(t, "01-02 15:04")
}

// when is t in the kiosk's zone, or 无 for the zero time.
func (s *fleetScreen) when(t time.Time, layout string) string {
	if t.IsZero() {
		return s.a.S("staff.fleet.none")
	}
	return t.In(s.a.Now().Location()).Format(layout)
}

func (s *fleetScreen) View() string {
	if s.lang != s.a.Lang() {
		s.build()
	}
	if s.detail {
		p := s.detailLayout()
		p.body = s.scroll.View()
		return p.render(s.a, s.w)
	}
	return s.listPage().render(s.a, s.w)
}

// listPage is the list's page: the summary and the list, sized to what the
// page leaves it.
func (s *fleetScreen) listPage() page {
	p := page{title: "staff.fleet.title", errMsg: s.errMsg, buttons: buttonLines(&s.row, s.w, s.h)}
	switch {
	case s.ok:
		on, off := fleet.Count(s.kiosks)
		sum := s.a.S("staff.fleet.summary", "Total", len(s.kiosks), "Online", on, "Offline", off)
		if id := s.a.Deps.KioskID; id != "" {
			sum += "  " + s.a.S("staff.fleet.this", "Kiosk", rules.Sanitize(id))
		}
		p.body = p.listBelow(s.a, s.list, para(s.a, i18n.Raw(sum), s.w, s.a.St.Muted.Render), s.w, s.h, 14)
	case s.load.Running():
		p.body = []string{"  " + s.load.View()}
	}
	return p
}

// detailRows are the kiosk's fields, then one row per device.
func (s *fleetScreen) detailRows() []widget.Row {
	a, k := s.a, s.kiosk
	hall := k.Hall
	if hall == "" {
		hall = a.S("staff.fleet.none")
	}
	version := k.Version
	if version == "" {
		version = a.S("staff.fleet.none")
	}
	rows := []widget.Row{
		{Key: a.S("staff.fleet.kiosk"), Value: s.kioskLabel(k)},
		{Key: a.S("staff.fleet.hall"), Value: hall},
		{Key: a.S("staff.fleet.state"), Value: s.stateLong(k)},
		{Key: a.S("staff.fleet.version"), Value: version},
		{Key: a.S("staff.fleet.started"), Value: s.when(k.StartedAt, "2006-01-02 15:04:05")},
		{Key: a.S("staff.fleet.activity"), Value: s.when(k.LastActivity, "2006-01-02 15:04")},
		{Key: a.S("staff.fleet.seen"), Value: s.when(k.LastSeen, "2006-01-02 15:04:05")},
	}
	if k.Devices == nil {
		return append(rows, widget.Row{Key: a.S("staff.fleet.col_devices"), Value: a.S("staff.fleet.devices_unknown")})
	}
	for _, d := range k.Devices {
		rows = append(rows, widget.Row{Key: s.deviceName(d.Role), Value: s.deviceValue(d)})
	}
	return rows
}

// detailLayout is the detail's page with the kiosk in the scroll, sized so
// that the buttons always show below it.
func (s *fleetScreen) detailLayout() page {
	p := page{title: "staff.fleet.detail_title", errMsg: s.errMsg, buttons: buttonLines(&s.drow, s.w, s.h)}
	p.fillScroll(s.a, s.scroll, widget.InfoLines(s.a.St, s.detailRows(), infoWidth(s.w)), s.w, s.h)
	return p
}
