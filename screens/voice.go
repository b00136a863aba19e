package screens

import (
	"context"
	"log/slog"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model/i18n"
)

// Voice prompts (SPEC §3): the root plays a screen's prompt on entry (the
// prompt field of its route), idle_warning when the countdown starts, and
// whatever a screen asks for with PlayPrompt, typically an error. Prompts
// are fixed clips named by audio.Prompt* ids: nothing typed or stored is
// ever spoken. Each is heard in the language of the visit where that
// language has a voice (audio.ClipFor), else in Mandarin, and then the
// footer says so (audio.MandarinOnly).

// playTimeout bounds starting a prompt; playback itself runs on.
const playTimeout = 2 * time.Second

// voice sends prompts and the mute state to the audio device from commands.
// Commands run on their own goroutines, so two issued one after the other
// may start in either order: each gets a number when issued (seq, touched
// only by the event loop), and under mu a command older than the last one
// applied of its kind is dropped. A late prompt never cuts off a newer one,
// and a late mute never undoes a newer unmute.
type voice struct {
	player audio.Player // nil: no audio device, every method is a no-op
	log    *slog.Logger
	lang   func() i18n.Lang // the language of the visit (event loop only)
	seq    uint64           // event loop only

	mu       sync.Mutex
	lastPlay uint64
	lastMute uint64
}

func (v *voice) next() uint64 {
	v.seq++
	return v.seq
}

// mandarinOnly reports whether prompts are heard in Mandarin although the
// visit is in l.
func (v *voice) mandarinOnly(l i18n.Lang) bool { return v.player != nil && !audio.Speaks(l) }

// clip is prompt id's clip in the language of the visit.
func (v *voice) clip(id string) string {
	if v.lang != nil {
		id, _ = audio.ClipFor(id, v.lang())
	}
	return id
}

// play starts prompt id, in the language of the visit, in a command.
func (v *voice) play(id string) tea.Cmd {
	if v.player == nil || id == "" {
		return nil
	}
	id = v.clip(id)
	n := v.next()
	return func() tea.Msg {
		v.mu.Lock()
		defer v.mu.Unlock()
		v.start(n, id)
		return nil
	}
}

// start plays id as operation n; v.mu is held.
func (v *voice) start(n uint64, id string) {
	if n < v.lastPlay {
		return // a newer prompt is already playing
	}
	v.lastPlay = n
	ctx, cancel := context.WithTimeout(context.Background(), playTimeout)
	defer cancel()
	if err := v.player.Play(ctx, id); err != nil {
		v.log.Warn("voice prompt", "prompt", id, "err", err)
	}
}

// setMuted mutes or unmutes the device in a command; unmuting says so.
func (v *voice) setMuted(muted bool) tea.Cmd {
	if v.player == nil {
		return nil
	}
	n := v.next()
	on := v.clip(audio.PromptVoiceOn)
	return func() tea.Msg {
		v.mu.Lock()
		defer v.mu.Unlock()
		if n < v.lastMute {
			return nil
		}
		v.lastMute = n
		v.player.SetMuted(muted)
		if !muted {
			v.start(n, on)
		}
		return nil
	}
}
