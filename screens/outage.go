package screens

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"kiosk/devices/audio"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// The 服务暂不可用 page (issue 13): when the store the kiosks share cannot
// be reached, the root puts a page over the visit. The screen below is
// kept as it is (what was typed, the step, the login) and gets no key or
// tap; whatever it already started still reaches it. The page goes up when
// a screen's action fails with model.ErrServiceDown (kit.App.TakeOutage,
// after the screen's Update) or when the health probe (Deps.StoreHealth)
// fails; while it stands the store is probed every healthRetry, and the
// first answer lifts it: the person is where they were and can submit
// again. The idle watchdog goes on as ever: a visit nobody continues is
// wiped and sent home, and the page stays over the fresh home screen.
// Going up, and on a change of language, the page says service_down
// (audio.PromptServiceDown: the service is down for now, wait); no device
// failed, so never device_error.
//
// Probes and their ticks run in one slot of the root's own scope, on the
// kiosk's clock: a newer probe or tick supersedes the older, so an answer
// given before the store failed (an "up" that predates the failure) is
// dropped when the page goes up.

type (
	healthTick   struct{}
	healthProbed struct{ err error }
)

// healthSlot is the slot of the probe and of the tick that starts it.
const healthSlot = "health"

// Probe timing.
const (
	healthEvery   = 5 * time.Second // while the store answers
	healthRetry   = 2 * time.Second // while the page stands
	healthTimeout = 3 * time.Second // one probe
)

// OutageZone prefixes the zones of the page's buttons.
const OutageZone = "outage"

// The page's buttons: 继续等待 (focused: Enter never wipes what was typed)
// and 返回首页, which ends the visit.
const (
	OutageWait = "wait"
	OutageHome = "home"
)

// outage is what the root knows of the store.
type outage struct {
	down  bool
	since time.Time
	row   kit.ButtonRow
}

// watchHealth starts the periodic probe, when there is a store to lose.
func (r *Root) watchHealth() tea.Cmd {
	if r.app.Deps.StoreHealth == nil {
		return nil
	}
	return r.own.After(healthSlot, healthEvery, healthTick{})
}

// probeHealth asks the store whether it answers, in the health slot.
func (r *Root) probeHealth() tea.Cmd {
	health := r.app.Deps.StoreHealth
	return r.own.In(healthSlot, func(ctx context.Context) tea.Msg {
		if health == nil { // nothing to ask: the page was raised by an action alone
			return healthProbed{}
		}
		ctx, cancel := context.WithTimeout(ctx, healthTimeout)
		defer cancel()
		return healthProbed{err: health(ctx)}
	})
}

// onHealth takes a probe's answer: a failure puts the page up, an answer
// lifts it; the next probe is scheduled either way.
func (r *Root) onHealth(err error) tea.Cmd {
	log := r.app.Deps.Log
	if err != nil {
		var say tea.Cmd
		if !r.outage.down {
			log.Warn("store unreachable: service-down page up", "err", err, "kiosk", r.app.Deps.KioskID)
			say = r.raiseOutage()
		}
		return tea.Batch(say, r.own.After(healthSlot, healthRetry, healthTick{}))
	}
	if r.outage.down {
		log.Info("store reachable again: page lifted", "down_for", r.now().Sub(r.outage.since).String(),
			"kiosk", r.app.Deps.KioskID)
		r.outage.down = false
	}
	return r.watchHealth()
}

// storeDown puts the page up after an action met model.ErrServiceDown
// (its error is logged by kit.App.Explain). The first probe comes after
// healthRetry; a probe under way is superseded, its answer being older
// than the failure.
func (r *Root) storeDown() tea.Cmd {
	if r.outage.down {
		return nil
	}
	r.app.Deps.Log.Warn("store unreachable: service-down page up", "kiosk", r.app.Deps.KioskID)
	return tea.Batch(r.raiseOutage(), r.own.After(healthSlot, healthRetry, healthTick{}))
}

// raiseOutage puts the page up and says its prompt. An action whose error
// played kit.ErrorPrompt has asked for the same clip in the same turn or
// the next: the later request restarts it (Player.Play cuts off what is
// playing) a few milliseconds in, so it is heard once.
func (r *Root) raiseOutage() tea.Cmd {
	r.outage.down, r.outage.since = true, r.now()
	r.outage.row = kit.NewButtonRow(r.app, OutageZone)
	r.outage.row.Set(kit.Btn{ID: OutageWait, Label: "outage.wait"}, kit.Btn{ID: OutageHome, Label: "outage.home"})
	return r.voice.play(audio.PromptServiceDown)
}

// outageKey takes a key while the page stands (the idle watchdog has seen
// it): the page's buttons, mute, the language and quit; nothing reaches
// the screen below.
func (r *Root) outageKey(msg tea.KeyMsg) tea.Cmd {
	k := r.app.Keys
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Mute):
		r.muted = !r.muted
		return r.voice.setMuted(r.muted)
	case key.Matches(msg, k.Lang):
		return r.outageLang()
	}
	return r.outagePress(r.outage.row.Update(msg))
}

// outageMouse takes a tap while the page stands.
func (r *Root) outageMouse(msg tea.MouseMsg) tea.Cmd {
	if widget.Tapped(r.app.Zones, LangToggle, msg) {
		return r.outageLang()
	}
	return r.outagePress(r.outage.row.Update(msg))
}

// outageLang switches the language and says the page's prompt in it, not
// the screen's, which would speak of a service that is not there.
func (r *Root) outageLang() tea.Cmd {
	r.app.SetLang(r.app.Lang().Next())
	r.resize()
	return r.voice.play(audio.PromptServiceDown)
}

// outagePress acts on a button: 返回首页 ends the visit (wiped, logged
// out) and the page stays over the fresh home screen; 继续等待 does
// nothing.
func (r *Root) outagePress(id string) tea.Cmd {
	if id != OutageHome {
		return nil
	}
	r.outage.row.Focus(OutageWait)
	return r.home("")
}

// outageWidth is the widest the page's text is set.
const outageWidth = 64

// outageView is the page, w×h: the title, what happened, that it
// reconnects by itself, that what was typed is kept, the counter; then the
// buttons, as boxes where the room allows.
func (r *Root) outageView(w, h int) string {
	st := r.app.St
	room := max(min(outageWidth, w-4), 10)
	var text []string
	for _, id := range []string{"outage.what", "outage.retry", "outage.kept", "outage.counter"} {
		text = append(text, widget.Wrap(r.app.S(id), room)...)
	}
	title := widget.Wrap(r.app.S("outage.title"), room)
	buttons := r.outage.row.Boxed(room)
	if len(title)+len(text)+len(buttons)+2 > h {
		buttons = []string{r.outage.row.View()}
	}
	gap := []string{""}
	if len(title)+len(text)+len(buttons)+2 > h {
		gap = nil
	}
	width := 0
	for _, l := range append(append(append([]string(nil), title...), text...), buttons...) {
		width = max(width, ansi.StringWidth(l))
	}
	center := func(l string) string { return lipgloss.PlaceHorizontal(width, lipgloss.Center, l) }
	var lines []string
	for _, l := range title {
		lines = append(lines, center(st.Error.Render(l)))
	}
	lines = append(lines, gap...)
	for _, l := range text { // a block of sentences, set left
		lines = append(lines, st.Text.Render(l)+strings.Repeat(" ", max(width-ansi.StringWidth(l), 0)))
	}
	lines = append(lines, gap...)
	for _, l := range buttons {
		lines = append(lines, center(l))
	}
	if len(lines) > h { // below the least size the shell is drawn for
		lines = lines[:h]
	}
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, strings.Join(lines, "\n"))
}

// outageHelp is the footer while the page stands.
func (r *Root) outageHelp() []key.Binding {
	return append(r.outage.row.Help(), r.app.Keys.Mute)
}
