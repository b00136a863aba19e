package screens

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
)

// Idle watchdog (SPEC §3): after IdleTimeout without a key or a click, a
// countdown of IdleCountdown; any input cancels it, otherwise the kiosk goes
// home with everything entered dropped and any login ended. Everything runs
// on tea.Tick messages; nothing but the event loop touches the model.

type (
	idleTick      struct{ gen int }
	countdownTick struct{ gen int }
)

func (r *Root) scheduleIdle(d time.Duration) tea.Cmd {
	gen := r.idleGen
	return r.after(d, func(time.Time) tea.Msg { return idleTick{gen} })
}

// onIdleTick fires when the timeout may have passed. Input since the tick was
// scheduled only moves lastInput, so the tick re-arms for the remainder
// instead of every key starting a timer.
func (r *Root) onIdleTick(t idleTick) tea.Cmd {
	if t.gen != r.idleGen || r.counting {
		return nil
	}
	timeout := r.app.deps.IdleTimeout
	if left := timeout - r.now().Sub(r.lastInput); left > 0 {
		return r.scheduleIdle(left)
	}
	if r.pristine() {
		return r.scheduleIdle(timeout)
	}
	r.counting = true
	r.deadline = r.now().Add(r.app.deps.IdleCountdown)
	r.remaining = ceilSeconds(r.app.deps.IdleCountdown)
	return tea.Batch(r.countdownStep(), r.voice.play(audio.PromptIdleWarning))
}

// pristine: on a fresh home screen there is nothing to wipe.
func (r *Root) pristine() bool {
	return r.curID == ScreenHome && r.app.session == nil && len(r.history) == 0
}

func (r *Root) countdownStep() tea.Cmd {
	gen := r.idleGen
	d := min(time.Second, r.deadline.Sub(r.now()))
	if d <= 0 {
		d = time.Millisecond
	}
	return r.after(d, func(time.Time) tea.Msg { return countdownTick{gen} })
}

func (r *Root) onCountdownTick(t countdownTick) tea.Cmd {
	if t.gen != r.idleGen || !r.counting {
		return nil
	}
	left := r.deadline.Sub(r.now())
	if left > 0 {
		r.remaining = ceilSeconds(left)
		return r.countdownStep()
	}
	r.counting = false
	r.idleGen++
	r.lastInput = r.now()
	return tea.Batch(r.home(""), r.scheduleIdle(r.app.deps.IdleTimeout)) // nobody is there to hear it
}

func (r *Root) cancelCountdown() tea.Cmd {
	r.counting = false
	r.idleGen++
	return r.scheduleIdle(r.app.deps.IdleTimeout)
}

func ceilSeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}
