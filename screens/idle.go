package screens

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/screens/route"
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
	timeout := r.app.Deps.IdleTimeout
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
	return r.scheduleIdle(r.app.Deps.IdleTimeout)
}

func ceilSeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}
