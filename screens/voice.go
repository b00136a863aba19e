package screens

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/devices/audio"
	"kiosk/model"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// Voice prompts (SPEC §3): the root plays a screen's prompt on entry (the
// prompt field of its route), idle_warning when the countdown starts, and
// whatever a screen asks for with PlayPrompt, typically an error. Prompts
// are fixed clips named by audio.Prompt* ids: nothing typed or stored is
// ever spoken.

// PlayPrompt asks the root to play a voice prompt (an audio.Prompt* id).
// Screens return it as a command: playPrompt(id) or playError(err).
type PlayPrompt struct{ ID string }

func playPrompt(id string) tea.Cmd {
	if id == "" {
		return nil
	}
	return func() tea.Msg { return PlayPrompt{ID: id} }
}

// playError plays the prompt matching err (see ErrorPrompt), if any.
func playError(err error) tea.Cmd { return playPrompt(ErrorPrompt(err)) }

// ErrorPrompt is the voice prompt for an error shown on screen, or "" when
// no clip fits (the sentence on screen says more than any clip could).
func ErrorPrompt(err error) string {
	var locked *model.LockedError
	var state *model.AgentStateError
	var known interface{ Message() string }
	switch {
	case err == nil, errors.Is(err, context.Canceled):
		return ""
	case errors.As(err, &locked):
		return audio.PromptLocked
	case errors.Is(err, model.ErrBadCredentials), errors.Is(err, model.ErrAgentBadCredentials):
		return audio.PromptErrorLogin
	case errors.Is(err, smscode.ErrTooSoon), errors.Is(err, smscode.ErrHourLimit),
		errors.Is(err, smscode.ErrDayLimit), errors.Is(err, smscode.ErrKioskLimit):
		return audio.PromptErrorRate
	case errors.Is(err, smscode.ErrWrongCode), errors.Is(err, smscode.ErrInvalidated),
		errors.Is(err, smscode.ErrExpired), errors.Is(err, smscode.ErrNoCode):
		return audio.PromptErrorSMS
	case errCode(err) == rules.CodeExpired:
		return audio.PromptErrorExpired
	// Account states: no clip fits, and error_login would be a lie.
	case errors.As(err, &state), errors.Is(err, model.ErrPendingActivation),
		errors.Is(err, model.ErrAccountClosed), errors.Is(err, model.ErrEnterpriseNotActive),
		errors.Is(err, model.ErrSessionEnded):
		return ""
	case errors.Is(err, model.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return audio.PromptDeviceError
	case rules.Code(err) != "", errors.As(err, &known): // validation and other domain errors
		return audio.PromptErrorInput
	}
	return audio.PromptDeviceError // the store or a device failed
}

// errCode is the English code of a validation or domain error in err's chain.
func errCode(err error) string {
	var d *model.DomainError
	if errors.As(err, &d) {
		return d.Code
	}
	return rules.Code(err)
}

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
	seq    uint64 // event loop only

	mu       sync.Mutex
	lastPlay uint64
	lastMute uint64
}

func (v *voice) next() uint64 {
	v.seq++
	return v.seq
}

// play starts prompt id in a command.
func (v *voice) play(id string) tea.Cmd {
	if v.player == nil || id == "" {
		return nil
	}
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
	return func() tea.Msg {
		v.mu.Lock()
		defer v.mu.Unlock()
		if n < v.lastMute {
			return nil
		}
		v.lastMute = n
		v.player.SetMuted(muted)
		if !muted {
			v.start(n, audio.PromptVoiceOn)
		}
		return nil
	}
}
