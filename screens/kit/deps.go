package kit

import (
	"context"
	"io"
	"log/slog"
	"time"

	"kiosk/devices/audio"
	"kiosk/devices/camera"
	"kiosk/devices/face"
	"kiosk/devices/face/counter"
	"kiosk/devices/sms/sim"
	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/material"
	"kiosk/model/smscode"
	"kiosk/model/staffdesk"
)

// Deps is everything the screens need from the outside, built by main.
type Deps struct {
	Auth          *model.Auth
	Accounts      *account.Service // registration, password reset, activation, natural persons
	Captcha       *captcha.Service
	Clock         model.Clock // also drives every timer of the UI when it has After (tests)
	Demo          bool        // show the permanent 演示模式 banner
	KioskID       string      // shown in the header, written to audit records by Auth
	Version       string      // shown on 关于本终端
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
	Faces    *model.FaceService  // the face step's verification over Face and Counter; seals passes (key hidden)
	SMSCodes *smscode.Service    // SMS verification codes (outbox-backed)
	Phone    *sim.Sender         // the simulated phone panel's feed; nil with a real modem
	Outbox   interface{ Kick() } // wakes the SMS worker after a message is queued; may be nil
	// Activity hears of every key and tap (the root calls Touch with its
	// time): the fleet's last activity, kept to the minute and written
	// with the next heartbeat (fleet.Heartbeat); may be nil.
	Activity interface{ Touch(time.Time) }
	// USBRoot is where a USB stick is mounted: the file picker's root
	// ("" for none).
	USBRoot string
	// TemplateURL is the 企业授权书 template's address on the platform's
	// website, shown as a QR code by 下载模板 ("" shows none).
	TemplateURL string
	// MaterialLimits bound an appeal's files, each and together (zero:
	// material.DefaultLimits); the use case enforces the same.
	MaterialLimits material.Limits
	// Catalog holds every sentence in every language (i18n.Default when
	// nil); Language is the hall's language, which every visit starts in.
	Catalog  *i18n.Catalog
	Language i18n.Lang

	// The staff console. StaffChord is the key chord that opens the staff
	// login (kit.ParseChord; "" is DefaultStaffChord); Staff holds the
	// console's use cases (nil: the console answers "unavailable").
	StaffChord string
	Staff      *staffdesk.Desk

	// StoreHealth answers nil while the store can be reached, an error
	// otherwise (storage.Store.Ping). nil: the store cannot be lost (bbolt)
	// and is never probed. While it fails, the 服务暂不可用 page stands
	// over the visit.
	StoreHealth func(ctx context.Context) error
}

// DefaultStaffChord opens the staff login when none is configured: a
// chord no touch screen and no stray key press can produce.
const DefaultStaffChord = "ctrl+alt+s"

// StaffIdleLimit is how long staff mode lasts without input: the idle
// countdown starts IdleCountdown before it, and staff mode ends at it.
const StaffIdleLimit = 5 * time.Minute

// Defaults of the idle behaviour (SPEC §3).
const (
	DefaultIdleTimeout   = 120 * time.Second
	DefaultIdleCountdown = 20 * time.Second
)

// WithDefaults fills what main may leave out.
func (d Deps) WithDefaults() Deps {
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
	if d.Catalog == nil {
		d.Catalog = i18n.Default()
	}
	if _, ok := i18n.Parse(string(d.Language)); !ok {
		d.Language = i18n.Chinese
	}
	return d
}

// After is the clock's timer: the clock's own After when it has one (a
// test clock), else time.After.
func (d Deps) After() func(time.Duration) <-chan time.Time {
	if t, ok := d.Clock.(interface {
		After(time.Duration) <-chan time.Time
	}); ok {
		return t.After
	}
	return time.After
}
