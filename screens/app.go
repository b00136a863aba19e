package screens

import (
	"context"
	"time"

	zone "github.com/lrstanley/bubblezone"

	"kiosk/model"
	"kiosk/screens/theme"
)

// app is what every screen gets from the root: dependencies, the shared
// styles, keys and zone manager, and the current session.
type app struct {
	deps    Deps
	st      *theme.Styles
	keys    theme.KeyMap
	zones   *zone.Manager
	session *model.Session // owned by the root; nil when nobody is logged in
}

func (a *app) now() time.Time { return a.deps.Clock.Now() }

// logError sends an unexpected error's detail to the log; the screen shows
// only model.UserMessage.
func (a *app) logError(what string, err error) {
	a.deps.Log.Error(what, "err", err, "kiosk", a.deps.KioskID)
}

// opTimeout bounds one store round trip started from a screen.
const opTimeout = 15 * time.Second

func opContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), opTimeout)
}
