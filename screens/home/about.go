package home

import (
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// AboutBack is the zone id of 关于本终端's 返回 button.
const AboutBack = "about:back"

// NewAbout is 关于本终端: which kiosk this is, its software version, and
// the devices it runs with, a simulated one said so. Read-only; nothing
// on it is personal.
func NewAbout(a *kit.App, _ kit.None) kit.Screen {
	d := a.Deps
	device := func(present bool, name string, simulated bool) string {
		switch {
		case !present:
			return a.S("about.none")
		case simulated:
			return a.S("about.simulated", "Name", name)
		}
		return name
	}
	return &page{a: a, title: "home.about", backZone: AboutBack, body: func(w int) []string {
		mode := a.S("about.production")
		if d.Demo {
			mode = a.S("about.demo")
		}
		sms := a.S("about.modem")
		if d.Phone != nil {
			sms = a.S("about.sim_phone")
		}
		rows := []widget.Row{
			{Key: a.S("about.kiosk_id"), Value: d.KioskID},
			{Key: a.S("about.version"), Value: d.Version},
			{Key: a.S("about.mode"), Value: mode},
			{Key: a.S("about.camera"), Value: device(d.Camera != nil, name(d.Camera), d.Camera != nil && d.Camera.Simulated())},
			{Key: a.S("about.face"), Value: device(d.Face != nil, name(d.Face), d.Face != nil && d.Face.Simulated())},
			{Key: a.S("about.voice"), Value: device(d.Audio != nil, name(d.Audio), d.Audio != nil && d.Audio.Simulated())},
			{Key: a.S("about.sms"), Value: device(d.Outbox != nil || d.Phone != nil, sms, false)},
			{Key: a.S("about.counter"), Value: device(d.Counter != nil, a.S("about.enabled"), false)},
		}
		return []string{widget.InfoTable(a.St, rows), "", sentence(a.St.Muted, a.S("home.help"), w)}
	}}
}

func name(d interface{ Name() string }) string {
	if d == nil {
		return ""
	}
	return d.Name()
}
