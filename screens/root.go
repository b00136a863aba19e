package screens

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	zone "github.com/lrstanley/bubblezone"

	"kiosk/devices/audio"
	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
	"kiosk/screens/task"
	"kiosk/screens/widget"
)

// visit is one history entry: screens are rebuilt from it, never kept.
type visit struct {
	id     kit.RouteID
	params any
	kept   kit.Resumer // a flow below a page it opened, values kept; nil: rebuilt
}

// Root is the kiosk's tea.Model: router, shell and idle watchdog.
//
// Every screen is shown in a visit of its own (kit.App.BeginVisit): every
// command the screen returns is tagged with the visit, and a result whose
// visit has ended is dropped here, before any screen or the root acts on
// it. So a login checked while its visitor pressed esc never logs the next
// visitor in.
type Root struct {
	app       *kit.App
	routes    map[kit.RouteID]kit.Entry
	cur       kit.Screen
	curID     kit.RouteID
	params    any
	history   []visit
	help      help.Model
	width     int
	height    int
	notice    i18n.Text // last ErrMsg sentence, until the next key
	muted     bool
	voice     *voice
	phone     *phonePanel // nil unless the demo's simulated phone is wired
	own       *task.Scope // the root's own timers (idle watchdog)
	shell     shellCache
	widths    map[string]int      // of recent body lines (fitBody)
	zoneLines map[string]zoneLine // recent lines with zone markers (scanZones)
	frame     steadyFrame         // the body's block while its screen and step stay
	sized     [2]int              // the size the screen was last given
	late      atomic.Int64
	checking  bool         // a check of the login is in flight (checkLogin)
	frames    atomic.Int64 // frames drawn, for tests that wait for a still screen
	staff     staffMode    // the staff key chord (staff_mode.go)
	outage    outage       // the 服务暂不可用 page (outage.go)

	// Idle watchdog: one idle timer and one countdown timer at a time, in
	// slots of the root's scope.
	lastInput time.Time
	counting  bool
	deadline  time.Time
	remaining int          // whole seconds shown in the countdown
	dialog    countdownBox // the countdown's size, steady while it counts
}

// Minimum terminal size the layout is drawn for.
const (
	MinWidth  = 80
	MinHeight = 24
)

// New builds the root model on the home screen.
func New(deps Deps) *Root {
	a := kit.NewApp(deps)
	r := &Root{app: a, routes: map[kit.RouteID]kit.Entry{}, help: help.New(), width: 120, height: 40,
		voice: &voice{player: a.Deps.Audio, log: a.Deps.Log, lang: a.Lang}, phone: newPhonePanel(a.Deps.Phone),
		own: task.New(0, a.Deps.After()), widths: map[string]int{}, zoneLines: map[string]zoneLine{}}
	for _, e := range routes() {
		r.routes[e.ID()] = e
		if l := e.HomeLabel(); l != "" {
			a.Home = append(a.Home, kit.MenuItem{Label: l, Open: e.Open()})
		}
	}
	if a.Deps.Audio != nil {
		r.muted = a.Deps.Audio.Muted() // a kiosk may be configured to start muted
	}
	r.help.ShortSeparator = "  "
	r.staff = newStaffMode(a)
	r.lastInput = r.now()
	r.show(route.Home.Nav(kit.None{}))
	return r
}

func (r *Root) now() time.Time { return r.app.Now() }

// Close stops the zone manager's worker and the simulated phone's feed.
func (r *Root) Close() {
	r.app.Zones.Close()
	r.phone.close()
}

// Zone returns where a marked zone was last drawn (nil if not yet).
func (r *Root) Zone(id string) *zone.ZoneInfo { return r.app.Zones.Get(id) }

// Current is the route on show. Read it only from the model's goroutine or
// after the program ended.
func (r *Root) Current() kit.RouteID { return r.curID }

// Screen is the screen on show (same caveat as Current).
func (r *Root) Screen() kit.Screen { return r.cur }

// Session is who is logged in, nil for nobody (same caveat as Current).
func (r *Root) Session() *model.Session { return r.app.Session() }

// Init starts the idle watchdog, the home screen and its voice prompt, and
// the simulated phone's feed.
func (r *Root) Init() tea.Cmd {
	return tea.Batch(r.app.Scope().Wrap(r.cur.Init()), r.voice.play(r.routes[r.curID].EntryPrompt()),
		r.scheduleIdle(r.app.Deps.IdleTimeout), r.phone.init(), r.watchHealth())
}

// open unwraps a delivery of the root's own timers or of the current
// visit; anything from an ended visit or superseded work is dropped.
func (r *Root) open(d task.Delivery) (tea.Msg, bool) {
	if d.Visit() == r.own.Visit() {
		return r.own.Open(d)
	}
	cur := r.app.Scope()
	m, ok := cur.Open(d)
	if !ok && d.Visit() != cur.Visit() && d.Slot() != "" {
		r.late.Add(1) // the result of work whose visitor has left
		r.app.Deps.Log.Debug("late result dropped", "slot", d.Slot(), "kiosk", r.app.Deps.KioskID)
	}
	return m, ok
}

// LateResults counts the results of work that arrived after its visit
// ended and were dropped (safe from any goroutine).
func (r *Root) LateResults() int64 { return r.late.Load() }

// Update routes a message: deliveries are opened against the visit, then
// the shell and idle watchdog act, then the screen. An error the screen
// (or the root) explained that says the store cannot be reached puts the
// 服务暂不可用 page up (outage.go).
func (r *Root) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := r.update(msg)
	if r.app.TakeOutage() {
		cmd = tea.Batch(cmd, r.storeDown())
	}
	return r, cmd
}

func (r *Root) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := msg.(task.Delivery); ok {
		inner, live := r.open(d)
		if !live || inner == nil {
			return r, nil
		}
		msg = inner
	}
	k := r.app.Keys
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		r.width, r.height = msg.Width, msg.Height
		r.resize()
		return r, nil
	case tea.KeyMsg:
		r.input()
		if r.counting { // any key only cancels the countdown
			return r, r.cancelCountdown()
		}
		if r.outage.down { // the screen below waits for the store
			return r, r.outageKey(msg)
		}
		r.notice = i18n.Text{}
		if cmd, ok := r.staffKey(msg); ok {
			return r, cmd
		}
		switch {
		case key.Matches(msg, k.Quit):
			return r, tea.Quit
		case key.Matches(msg, k.Mute):
			r.muted = !r.muted
			return r, r.voice.setMuted(r.muted)
		case key.Matches(msg, k.Lang):
			return r, r.switchLang(r.app.Lang().Next())
		}
		if r.phone != nil && r.phoneKey(msg) {
			return r, nil
		}
	case tea.MouseMsg:
		r.input()
		if r.counting {
			if msg.Action == tea.MouseActionPress {
				return r, r.cancelCountdown()
			}
			return r, nil
		}
		if r.outage.down {
			return r, r.outageMouse(msg)
		}
		if r.phone != nil && r.phoneMouse(msg) {
			return r, nil
		}
		if widget.Tapped(r.app.Zones, LangToggle, msg) {
			return r, r.switchLang(r.app.Lang().Next())
		}
	case idleTick:
		return r, r.onIdleTick()
	case countdownTick:
		return r, r.onCountdownTick()
	case healthTick:
		return r, r.probeHealth()
	case healthProbed:
		return r, r.onHealth(msg.err)
	case kit.PlayPrompt:
		return r, r.voice.play(msg.ID)
	case form.Invalid: // every form's refused step sounds the same
		return r, tea.Batch(r.voice.play(audio.PromptErrorInput), r.screen(msg))
	case phoneReceived, phoneHistory, phoneClosed:
		if r.phone == nil {
			return r, nil
		}
		return r, r.phone.update(msg, r.phoneWide())
	case kit.Navigate:
		return r, r.navigate(msg)
	case kit.Back:
		return r, r.back()
	case kit.Home: // 返回首页: a fresh home, the simulated phone cleared
		r.phone.clear()
		return r, r.navigate(route.Home.Nav(kit.None{}), true)
	case kit.SessionStarted:
		s := msg.Session
		r.app.SetSession(&s)
		return r, tea.Batch(r.navigate(msg.Then, true), r.staffIdle())
	case kit.EndSession:
		if msg.Of != nil && !sameLogin(r.app.Session(), msg.Of) {
			return r, nil // that login has already left
		}
		cmd := r.home(audio.PromptLogout)
		r.notice = msg.Reason // on the home screen, until the next key
		return r, cmd
	case loginChecked:
		r.checking = false
		if errors.Is(msg.err, model.ErrServiceDown) {
			return r, r.storeDown()
		}
		if errors.Is(msg.err, model.ErrSessionEnded) && sameLogin(r.app.Session(), &msg.of) {
			return r, kit.Emit(kit.EndSession{Reason: model.UserMessage(msg.err), Of: &msg.of})
		}
		return r, nil
	case kit.ErrMsg:
		r.notice = r.app.Explain("screen error", msg.Err)
		return r, tea.Batch(r.voice.play(kit.ErrorPrompt(msg.Err)), r.screen(msg))
	}
	return r, tea.Batch(r.checkLogin(msg), r.screen(msg))
}

// loginChecked is the answer of checkLogin.
type loginChecked struct {
	of  model.Session
	err error
}

// checkLogin checks, at each action of a logged-in person (a key, a tap),
// that the login still stands: an agent disabled, removed or out of its
// window, or a password changed elsewhere, ends it at the next action with
// a sentence, whatever the screen. One check at a time; it answers even
// after its visit (checking must be cleared), and the answer is dropped
// unless the same login is still there.
func (r *Root) checkLogin(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case tea.KeyMsg:
	case tea.MouseMsg:
		if !widget.Tap(m) {
			return nil
		}
	default:
		return nil
	}
	s, auth := r.app.Session(), r.app.Deps.Auth
	if r.checking || auth == nil || !(s.IsEnterprise() || s.IsAgent()) {
		return nil
	}
	r.checking = true
	of := *s
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), kit.OpTimeout)
		defer cancel()
		return loginChecked{of: of, err: auth.Check(ctx, of)}
	}
}

// sameLogin reports whether cur is the login of, as of was checked: a
// login that has moved on since (its own password change gave it a new
// epoch) is not ended by an answer about the old one.
func sameLogin(cur, of *model.Session) bool {
	return cur != nil && of != nil && cur.Kind == of.Kind && cur.EnterpriseID == of.EnterpriseID &&
		cur.AgentID == of.AgentID && cur.StaffID == of.StaffID && cur.Started.Equal(of.Started) &&
		cur.Epoch == of.Epoch && cur.AgentEpoch == of.AgentEpoch
}

// screen hands msg to the current screen; its commands belong to the visit.
func (r *Root) screen(msg tea.Msg) tea.Cmd { return r.app.Scope().Wrap(r.cur.Update(msg)) }

// enter builds and shows a screen and plays its voice prompt.
func (r *Root) enter(n kit.Navigate) tea.Cmd {
	leave, prompt := r.show(n)
	return tea.Batch(leave, r.app.Scope().Wrap(r.cur.Init()), r.voice.play(r.staffPrompt(prompt)))
}

// resume shows a kept screen again in a visit of its own, with what was
// typed in it.
func (r *Root) resume(v visit) tea.Cmd {
	e, ok := r.routes[v.id]
	if !ok || !e.Allows(r.app.Session()) {
		return r.enter(route.Home.Nav(kit.None{}))
	}
	leave := r.app.Scope().Wrap(r.cur.Leave())
	r.app.BeginVisit()
	r.cur, r.curID, r.params = v.kept, v.id, v.params
	r.resize()
	return tea.Batch(leave, r.app.Scope().Wrap(v.kept.Resume()), r.voice.play(e.EntryPrompt()))
}

// show ends the current visit (the screen's Leave runs; nothing it started
// is delivered afterwards), opens the next and builds its screen. A route
// that is unknown, refused by its guard or given the wrong params goes
// home with the history cleared. It returns the old screen's Leave
// command and the route's prompt.
func (r *Root) show(n kit.Navigate) (leave tea.Cmd, prompt string) {
	e, ok := r.routes[n.To()]
	if !ok || !e.Allows(r.app.Session()) {
		if ok {
			r.app.Deps.Log.Warn("route refused by its guard", "route", string(n.To()), "kiosk", r.app.Deps.KioskID)
		}
		n, e = route.Home.Nav(kit.None{}), r.routes[route.Home.ID()]
		r.history = nil
	}
	n, e = r.staffHomeInstead(n, e)
	if r.cur != nil {
		leave = r.app.Scope().Wrap(r.cur.Leave())
	}
	r.app.BeginVisit()
	scr, err := e.Build(r.app, n.Params())
	if err != nil { // a defect: never show a screen with made-up params
		r.app.LogError("build screen", err)
		n, e = route.Home.Nav(kit.None{}), r.routes[route.Home.ID()]
		r.history = nil
		scr, _ = e.Build(r.app, n.Params())
	}
	r.cur, r.curID, r.params = scr, n.To(), n.Params()
	r.resize()
	return leave, e.EntryPrompt()
}

// navigate opens n on top of the history, or on a fresh one (home below
// it) when n says so or fresh is set.
func (r *Root) navigate(n kit.Navigate, fresh ...bool) tea.Cmd {
	if n.Fresh() || len(fresh) > 0 && fresh[0] {
		r.history = nil
		if n.To() != route.Home.ID() {
			r.history = []visit{{id: route.Home.ID(), params: kit.None{}}}
		}
	} else {
		v := visit{id: r.curID, params: r.params}
		if k, ok := r.cur.(kit.Resumer); ok {
			v.kept = k // 返回 comes back to what was typed
		}
		r.history = append(r.history, v)
	}
	return r.enter(n)
}

func (r *Root) back() tea.Cmd {
	if len(r.history) == 0 {
		return r.enter(route.Home.Nav(kit.None{}))
	}
	v := r.history[len(r.history)-1]
	r.history = r.history[:len(r.history)-1]
	if v.kept != nil {
		return r.resume(v)
	}
	return r.enter(kit.NavigateTo(v.id, v.params))
}

// home ends any session and starts over on a fresh home screen: the
// history (and with it every form) and the simulated phone's messages are
// dropped. prompt is said instead of the home screen's ("" for silence).
func (r *Root) home(prompt string) tea.Cmd {
	logout := r.logout()
	r.history = nil
	r.notice = i18n.Text{}
	r.phone.clear()
	r.app.SetLang(r.app.Deps.Language) // the next visitor starts in the hall's language
	leave, _ := r.show(route.Home.Nav(kit.None{}))
	return tea.Batch(leave, logout, r.app.Scope().Wrap(r.cur.Init()), r.voice.play(prompt))
}

// switchLang shows everything in l from now on, typed values kept (the
// screens render their texts at each frame), and says the screen's prompt
// in it.
func (r *Root) switchLang(l i18n.Lang) tea.Cmd {
	r.app.SetLang(l)
	r.resize()
	return r.voice.play(r.routes[r.curID].EntryPrompt())
}

// logout ends the session in a command; the closure captures values only.
func (r *Root) logout() tea.Cmd {
	s := r.app.Session()
	if s == nil {
		return nil
	}
	sess := *s
	r.app.SetSession(nil)
	auth, log := r.app.Deps.Auth, r.app.Deps.Log
	if auth == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), kit.OpTimeout)
		defer cancel()
		if err := auth.Logout(ctx, sess); err != nil {
			log.Error("logout", "err", err)
		}
		return nil
	}
}

// bodySize is the room of the current screen: the terminal less the shell,
// and less the simulated phone when it stands beside the screen.
func (r *Root) bodySize() (int, int) {
	w := r.width
	if r.phoneWide() {
		w -= phoneSide
	}
	return w, max(0, r.height-r.headerHeight()-r.footerHeight())
}

// mandarinNote is not a key: the footer says with it that prompts are
// heard in Mandarin (audio.Speaks is false for the visit's language).
var mandarinNote = key.NewBinding(key.WithKeys("♪"), key.WithHelp("♪", audio.MandarinOnly))

// helpBindings is the footer's key help: the screen's, then the global keys.
func (r *Root) helpBindings() []key.Binding {
	k := r.app.Keys
	if r.counting {
		return []key.Binding{k.Continue}
	}
	if r.outage.down {
		return r.outageHelp()
	}
	if r.phone != nil && r.phone.overlay { // modal: only its own keys work
		return []key.Binding{k.Close, k.Mute}
	}
	b := append([]key.Binding(nil), r.cur.Help()...)
	b = append(b, k.Mute)
	if r.voice.mandarinOnly(r.app.Lang()) && !r.muted {
		b = append(b, mandarinNote)
	}
	if r.phone != nil && !r.phoneWide() {
		b = append(b, k.Phone)
	}
	if k.Quit.Enabled() {
		b = append(b, k.Quit)
	}
	return b
}

// resize gives the screen the room it has now.
func (r *Root) resize() {
	w, h := r.bodySize()
	r.cur.SetSize(w, h)
	r.sized = [2]int{w, h}
}
