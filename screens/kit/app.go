package kit

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	zone "github.com/lrstanley/bubblezone"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/screens/task"
	"kiosk/screens/theme"
	"kiosk/screens/widget"
)

// App is what every screen gets from the root: the dependencies, the
// shared styles, keys and zone manager, who is logged in, and the work of
// the current visit. Every command a screen starts for I/O goes through
// Do or In: its result reaches the screen only while the visit lasts.
type App struct {
	Deps  Deps
	St    *theme.Styles
	Keys  theme.KeyMap
	Zones *zone.Manager

	// Home is the home menu, from the route table (Entry.OnHome).
	Home []MenuItem
	// Sprites holds the heavy drawn lines of the visit (pictures); the
	// root swaps them into the frame.
	Sprites *widget.Sprites

	session *model.Session
	scope   *task.Scope
	visits  uint64
	lang    i18n.Lang
	outage  bool // Explain met model.ErrServiceDown; the root takes it (TakeOutage)
}

// OpTimeout bounds one store round trip started from a screen.
const OpTimeout = 15 * time.Second

// NewApp builds the app of a kiosk (or of a test) with a first scope.
func NewApp(d Deps) *App {
	d = d.WithDefaults()
	a := &App{Deps: d, St: theme.DefaultStyles(), Keys: theme.DefaultKeyMap(d.AllowQuit), Zones: zone.New(),
		Sprites: widget.NewSprites(), lang: d.Language}
	a.BeginVisit()
	return a
}

// BeginVisit ends the current visit's scope (nothing it started is
// delivered afterwards) and opens the next. The root calls it each time
// it shows a screen.
// Visit is the number of the current screen's visit.
func (a *App) Visit() uint64 { return a.visits }

func (a *App) BeginVisit() *task.Scope {
	if a.scope != nil {
		a.scope.End()
	}
	a.Sprites.Forget()
	a.visits++
	a.scope = task.New(a.visits, a.Deps.After())
	return a.scope
}

// Scope is the current visit's scope.
func (a *App) Scope() *task.Scope { return a.scope }

// Session is who is logged in, nil for nobody.
func (a *App) Session() *model.Session { return a.session }

// SetSession is the root's: it records a login or (nil) a logout.
func (a *App) SetSession(s *model.Session) { a.session = s }

// Lang is the language of the visit.
func (a *App) Lang() i18n.Lang { return a.lang }

// SetLang is the root's: the person chose another language (it lasts until
// they leave: idle, logout).
func (a *App) SetLang(l i18n.Lang) { a.lang = l }

// T renders a catalog text in the language of the visit.
func (a *App) T(t i18n.Text) string { return a.Deps.Catalog.Render(a.lang, t) }

// S renders the catalog id (with placeholder values kv) in the language of
// the visit.
func (a *App) S(id string, kv ...any) string { return a.T(i18n.T(id, kv...)) }

// Now is the kiosk's clock.
func (a *App) Now() time.Time { return a.Deps.Clock.Now() }

// Do runs fn off the event loop with a bounded context that also ends
// with the visit; its message is delivered only while the visit lasts.
// fn must capture values, never the screen.
// The context carries the language of the visit (i18n.WithLang): what a
// use case sends (an SMS) is written in it.
func (a *App) Do(fn func(ctx context.Context) tea.Msg) tea.Cmd {
	return a.scope.Do(a.bounded(OpTimeout, fn))
}

// In is Do in a slot: newer work in the slot supersedes it, and Drop
// abandons it.
func (a *App) In(slot string, fn func(ctx context.Context) tea.Msg) tea.Cmd {
	return a.scope.In(slot, a.bounded(OpTimeout, fn))
}

// InFor is In with its own time limit (a face verification with retries).
func (a *App) InFor(slot string, d time.Duration, fn func(ctx context.Context) tea.Msg) tea.Cmd {
	return a.scope.In(slot, a.bounded(d, fn))
}

// After delivers msg after d (on the kiosk's clock), in slot.
func (a *App) After(slot string, d time.Duration, msg tea.Msg) tea.Cmd {
	return a.scope.After(slot, d, msg)
}

// Drop abandons the work of a slot.
func (a *App) Drop(slot string) { a.scope.Drop(slot) }

// Busy reports whether work of a slot is under way.
func (a *App) Busy(slot string) bool { return a.scope.Busy(slot) }

func (a *App) bounded(d time.Duration, fn func(ctx context.Context) tea.Msg) func(ctx context.Context) tea.Msg {
	lang := a.lang
	return func(ctx context.Context) tea.Msg {
		ctx, cancel := context.WithTimeout(i18n.WithLang(ctx, lang), d)
		defer cancel()
		return fn(ctx)
	}
}

// TakeOutage is the root's: whether an error explained since the last call
// said the store cannot be reached (model.ErrServiceDown). Explain is the
// one helper every failure goes through, so whatever screen met the outage,
// the root puts the 服务暂不可用 page up after the screen's Update.
func (a *App) TakeOutage() bool {
	o := a.outage
	a.outage = false
	return o
}

// LogError sends an unexpected error's detail to the log; the screen shows
// only its sentence (Explain).
func (a *App) LogError(what string, err error) {
	a.Deps.Log.Error(what, "err", err, "kiosk", a.Deps.KioskID)
}
