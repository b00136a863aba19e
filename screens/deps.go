// Package screens is the kiosk's Bubble Tea front end: the root (router,
// shell, idle watchdog, voice, the demo's simulated phone) and the route
// table. The screens themselves live in sub-packages by area: home, login,
// account, center, facestep; they stand on the kit (screens/kit: app,
// routes, components), the flow host (screens/flow), the form engine
// (screens/form), the visit scopes (screens/task), and the leaf packages
// theme and widget.
package screens

import (
	"sync"

	"github.com/mattn/go-runewidth"
	"github.com/rivo/uniseg"

	"kiosk/screens/kit"
)

// Deps is everything the screens need from the outside, built by main.
type Deps = kit.Deps

// Defaults of the idle behaviour (SPEC §3).
const (
	DefaultIdleTimeout   = kit.DefaultIdleTimeout
	DefaultIdleCountdown = kit.DefaultIdleCountdown
)

// InitTerminal pins East-Asian ambiguous characters (box drawing, ·, ×, ▀)
// to one cell in every width table the UI uses. Under a zh_CN locale
// go-runewidth would count them as two while lipgloss counts one, and the
// layout would tear. It also has go-runewidth build its width table in the
// background: it is built on the first width asked of a character beyond
// U+0300, every Chinese one, and that took 3 ms of the first frame here
// (two tables of 1.1 MB). main calls it first thing, before the program
// starts.
func InitTerminal() {
	runewidth.EastAsianWidth = false
	runewidth.DefaultCondition.EastAsianWidth = false
	uniseg.EastAsianAmbiguousWidth = 1
	warmWidths.Do(func() {
		// A condition of its own: nothing here reads the globals set above
		// while a caller may set them again.
		go (&runewidth.Condition{StrictEmojiNeutral: true}).RuneWidth('统')
	})
}

var warmWidths sync.Once
