package screens

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"kiosk/devices/audio"
	"kiosk/model/i18n"
	"kiosk/screens/route"
	"kiosk/screens/widget"
)

// Idle watchdog (SPEC §3): after IdleTimeout without a key or a click, a
// countdown of IdleCountdown; any input cancels it, otherwise the kiosk goes
// home with everything entered dropped and any login ended. The timers run
// on the kiosk's clock in slots of the root's own scope: a newer timer
// replaces an older one, so no stale tick is ever delivered.

type (
	idleTick      struct{}
	countdownTick struct{}
)

// Slots of the root's timers.
const (
	idleSlot      = "idle"
	countdownSlot = "countdown"
)

func (r *Root) scheduleIdle(d time.Duration) tea.Cmd {
	return r.own.After(idleSlot, d, idleTick{})
}

// onIdleTick fires when the timeout may have passed. Input since the tick was
// scheduled only moves lastInput, so the tick re-arms for the remainder
// instead of every key starting a timer.
func (r *Root) onIdleTick() tea.Cmd {
	if r.counting {
		return nil
	}
	timeout := r.idleTimeout()
	if left := timeout - r.now().Sub(r.lastInput); left > 0 {
		return r.scheduleIdle(left)
	}
	if r.pristine() {
		return r.scheduleIdle(timeout)
	}
	r.counting = true
	r.deadline = r.now().Add(r.app.Deps.IdleCountdown)
	r.remaining = ceilSeconds(r.app.Deps.IdleCountdown)
	return tea.Batch(r.countdownStep(), r.voice.play(audio.PromptIdleWarning))
}

// pristine: on a fresh home screen there is nothing to wipe. A simulated
// phone panel that shows messages (or is open) is something to wipe: the
// next visitor must not read the last one's codes.
func (r *Root) pristine() bool {
	return r.curID == route.Home.ID() && r.app.Session() == nil && len(r.history) == 0 && r.phone.blank()
}

func (r *Root) countdownStep() tea.Cmd {
	d := min(time.Second, r.deadline.Sub(r.now()))
	if d <= 0 {
		d = time.Millisecond
	}
	return r.own.After(countdownSlot, d, countdownTick{})
}

func (r *Root) onCountdownTick() tea.Cmd {
	if !r.counting {
		return nil
	}
	left := r.deadline.Sub(r.now())
	if left > 0 {
		r.remaining = ceilSeconds(left)
		return r.countdownStep()
	}
	r.counting = false
	r.lastInput = r.now()
	return tea.Batch(r.home(""), r.scheduleIdle(r.app.Deps.IdleTimeout)) // nobody is there to hear it
}

func (r *Root) cancelCountdown() tea.Cmd {
	r.counting = false
	r.own.Drop(countdownSlot)
	return r.scheduleIdle(r.idleTimeout())
}

func ceilSeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// The countdown dialog: the sentence with the seconds left, a blank line,
// and what the reset wipes, in a box that keeps its size while the seconds
// count down ("10" → "9", "2 seconds" → "1 second"): it is as wide and as
// tall as the text gets over every second it can show.

// countdownWidth is the widest the dialog's box may be, padding included.
const countdownWidth = 64

// countdownBox is the size of the dialog's text for a language, a length
// of countdown and a room to wrap in.
type countdownBox struct {
	lang        i18n.Lang
	total, room int
	w, msgLines int // text width; lines of the sentence with the seconds
	wipe        []string
}

func (r *Root) countdownView() string {
	st := r.app.St
	pad := st.Overlay.GetHorizontalPadding()
	d := r.countdownSize(max(min(countdownWidth, r.width-4)-pad, 1))
	lines := widget.Wrap(r.app.S("shell.idle_countdown", "N", r.remaining), d.w)
	for len(lines) < d.msgLines {
		lines = append(lines, "")
	}
	lines = append(lines, "")
	for _, l := range d.wipe {
		lines = append(lines, st.Muted.Render(l))
	}
	return st.Overlay.Width(d.w + pad).Render(strings.Join(lines, "\n"))
}

// countdownSize measures the dialog's text at every second it can show,
// once for each language, countdown and room.
func (r *Root) countdownSize(room int) countdownBox {
	lang, total := r.app.Lang(), max(ceilSeconds(r.app.Deps.IdleCountdown), r.remaining, 1)
	if d := r.dialog; d.lang == lang && d.total == total && d.room == room {
		return d
	}
	d := countdownBox{lang: lang, total: total, room: room, wipe: widget.Wrap(r.app.S("shell.idle_wipe"), room)}
	for _, l := range d.wipe {
		d.w = max(d.w, ansi.StringWidth(l))
	}
	eachSecond(total, func(n int) {
		lines := widget.Wrap(r.app.S("shell.idle_countdown", "N", n), room)
		for _, l := range lines {
			d.w = max(d.w, ansi.StringWidth(l))
		}
		d.msgLines = max(d.msgLines, len(lines))
	})
	r.dialog = d
	return d
}

// eachSecond calls f with every number of seconds from 1 to total, or, for
// a long countdown, with enough of them: what the sentence looks like
// turns on how many digits the number has and on its plural form, which
// in every language turns on small numbers and the last two digits. So
// all of 1–199 are measured, then the first hundred of each longer length.
func eachSecond(total int, f func(int)) {
	for n := 1; n <= total; {
		f(n)
		n++
		if n >= 200 {
			p := 100
			for p*10 <= n {
				p *= 10
			}
			if n >= p+100 {
				n = p * 10
			}
		}
	}
}
