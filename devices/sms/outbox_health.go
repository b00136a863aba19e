package sms

import (
	"context"
	"time"
)

// health is what the worker knows of its own device (see Worker). It is
// this kiosk's alone, so it lives in memory.
type health struct {
	down      bool      // the last check or send failed on the device
	faults    int       // device faults of sends in a row
	holdUntil time.Time // no claim before this, after a device fault
	checked   time.Time // last passed check
}

// healthy reports whether the worker may claim messages now, asking
// Sender.Check when the device is down or was last checked HealthEvery
// ago.
func (w *Worker) healthy(ctx context.Context) bool {
	h, now := &w.health, w.now()
	if now.Before(h.holdUntil) {
		return false
	}
	if !h.down && !h.checked.IsZero() && now.Sub(h.checked) < w.healthEvery() {
		return true
	}
	if err := w.Sender.Check(ctx); err != nil {
		if !h.down && ctx.Err() == nil {
			w.log().Warn("sms device check failed, leaving messages to other kiosks", "err", err.Error())
		}
		h.down = true
		return false
	}
	if h.down {
		w.log().Info("sms device answers again")
	}
	h.down, h.checked = false, now
	return true
}

// fault notes a send that failed on the device: no claims for a hold
// that doubles with each fault in a row, and a check before the next.
func (w *Worker) fault(now time.Time) {
	h := &w.health
	h.faults++
	hold := w.poll()
	for i := 1; i < h.faults && hold < maxFaultHold; i++ {
		hold *= 2
	}
	h.down, h.holdUntil = true, now.Add(min(hold, maxFaultHold))
}
