// Package screens is the kiosk's Bubble Tea front end: the root router and
// shell (header, demo banner, step bar, help footer, idle countdown), and one
// file per screen. The form component lives in screens/form, styles and keys
// in screens/theme, small drawing helpers in screens/widget.
package screens

import (
	"io"
	"log/slog"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/rivo/uniseg"

	"kiosk/devices/audio"
	"kiosk/devices/camera"
	"kiosk/devices/face"
	"kiosk/devices/face/counter"
	"kiosk/devices/sms/sim"
	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/smscode"
)

// Deps is everything the screens need from the outside, built by main.
type Deps struct {
	Auth          *model.Auth
	Accounts      *account.Service // registration, password reset, activation, natural persons
	Captcha       *captcha.Service
	Clock         model.Clock
	Demo          bool   // show the permanent 演示模式 banner
	KioskID       string // shown in the header, written to audit records by Auth
	IdleTimeout   time.Duration
	IdleCountdown time.Duration
	Log           *slog.Logger
	AllowQuit     bool // ctrl+c quits: development only

	// Devices, wired by main for the configured mode. The screens never
	// choose an adapter themselves.
	Audio    audio.Player        // voice prompts; nil plays nothing (tests)
	Camera   camera.Camera       // document and face capture
	Face     face.Verifier       // identity authority, counter or demo adapter
	Counter  *counter.Verifier   // staff confirms a person in person
	SMSCodes *smscode.Service    // SMS verification codes (outbox-backed)
	Phone    *sim.Sender         // the simulated phone panel's feed; nil with a real modem
	Outbox   interface{ Kick() } // wakes the SMS worker after a message is queued; may be nil
}

// Defaults of the idle behaviour (SPEC §3).
const (
	DefaultIdleTimeout   = 120 * time.Second
	DefaultIdleCountdown = 20 * time.Second
)

func (d Deps) withDefaults() Deps {
	if d.Clock == nil {
		d.Clock = model.SystemClock{}
	}
	if d.Captcha == nil {
		d.Captcha = captcha.New(d.Clock, nil)
	}
	if d.IdleTimeout <= 0 {
		d.IdleTimeout = DefaultIdleTimeout
	}
	if d.IdleCountdown <= 0 {
		d.IdleCountdown = DefaultIdleCountdown
	}
	if d.Log == nil {
		d.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return d
}

// InitTerminal pins East-Asian ambiguous characters (box drawing, ·, ×, ▀)
// to one cell in every width table the UI uses. Under a zh_CN locale
// go-runewidth would count them as two while lipgloss counts one, and the
// layout would tear. main calls it before the program starts.
func InitTerminal() {
	runewidth.EastAsianWidth = false
	runewidth.DefaultCondition.EastAsianWidth = false
	uniseg.EastAsianAmbiguousWidth = 1
}
