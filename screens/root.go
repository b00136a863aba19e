package screens

import (
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	zone "github.com/lrstanley/bubblezone"

	"kiosk/model"
	"kiosk/screens/theme"
)

// visit is one history entry: screens are rebuilt from it, never kept.
type visit struct {
	id     ScreenID
	params any
}

// Root is the kiosk's tea.Model: router, shell and idle watchdog.
type Root struct {
	app     *app
	routes  map[ScreenID]route
	cur     Screen
	curID   ScreenID
	params  any
	history []visit
	help    help.Model
	width   int
	height  int
	notice  string // last ErrMsg sentence, until the next key
	muted   bool

	// Idle watchdog. One idleTick is outstanding at a time; idleGen drops
	// ticks from before a reset.
	now       func() time.Time
	after     func(time.Duration, func(time.Time) tea.Msg) tea.Cmd // tea.Tick; tests drive ticks by hand
	lastInput time.Time
	idleGen   int
	counting  bool
	deadline  time.Time
	remaining int // whole seconds shown in the countdown
}

// Minimum terminal size the layout is drawn for.
const (
	MinWidth  = 80
	MinHeight = 24
)

// New builds the root model on the home screen.
func New(deps Deps) *Root {
	deps = deps.withDefaults()
	a := &app{deps: deps, st: theme.DefaultStyles(), keys: theme.DefaultKeyMap(deps.AllowQuit), zones: zone.New()}
	r := &Root{app: a, routes: routes(), help: help.New(), width: 120, height: 40,
		now: time.Now, after: tea.Tick}
	r.help.ShortSeparator = "  "
	r.lastInput = r.now()
	r.enter(ScreenHome, nil)
	return r
}

// Close stops the zone manager's worker.
func (r *Root) Close() { r.app.zones.Close() }

// Zone returns where a marked zone was last drawn (nil if not yet).
func (r *Root) Zone(id string) *zone.ZoneInfo { return r.app.zones.Get(id) }

// Current is the screen on show. Read it only from the model's goroutine or
// after the program ended.
func (r *Root) Current() ScreenID { return r.curID }

// Session is who is logged in, nil for nobody (same caveat as Current).
func (r *Root) Session() *model.Session { return r.app.session }

// Init starts the idle watchdog and the home screen.
func (r *Root) Init() tea.Cmd {
	return tea.Batch(r.cur.Init(), r.scheduleIdle(r.app.deps.IdleTimeout))
}

// Update routes a message: shell and idle first, then the screen.
func (r *Root) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		r.width, r.height = msg.Width, msg.Height
		r.cur.SetSize(r.bodySize())
		return r, nil
	case tea.KeyMsg:
		r.lastInput = r.now()
		if r.counting { // any key only cancels the countdown
			return r, r.cancelCountdown()
		}
		r.notice = ""
		switch {
		case key.Matches(msg, r.app.keys.Quit):
			return r, tea.Quit
		case key.Matches(msg, r.app.keys.Mute):
			r.muted = !r.muted
			return r, nil
		}
	case tea.MouseMsg:
		r.lastInput = r.now()
		if r.counting {
			if msg.Action == tea.MouseActionPress {
				return r, r.cancelCountdown()
			}
			return r, nil
		}
	case idleTick:
		return r, r.onIdleTick(msg)
	case countdownTick:
		return r, r.onCountdownTick(msg)
	case Navigate:
		return r, r.navigate(msg)
	case Back:
		return r, r.back()
	case SessionStarted:
		s := msg.Session
		r.app.session = &s
		return r, r.navigate(Navigate{To: msg.To, ClearHistory: true})
	case EndSession:
		return r, r.home()
	case ErrMsg:
		r.app.logError("screen error", msg.Err)
		r.notice = model.UserMessage(msg.Err)
	}
	return r, r.cur.Update(msg)
}

// enter builds and shows a screen.
func (r *Root) enter(id ScreenID, params any) tea.Cmd {
	rt, ok := r.routes[id]
	if !ok || (rt.needsSession && r.app.session == nil) {
		id, params, rt = ScreenHome, nil, r.routes[ScreenHome]
		r.history = nil
	}
	r.cur, r.curID, r.params = rt.build(r.app, params), id, params
	r.cur.SetSize(r.bodySize())
	return r.cur.Init()
}

func (r *Root) navigate(n Navigate) tea.Cmd {
	if n.ClearHistory {
		r.history = nil
		if n.To != ScreenHome {
			r.history = []visit{{id: ScreenHome}}
		}
	} else {
		r.history = append(r.history, visit{r.curID, r.params})
	}
	return r.enter(n.To, n.Params)
}

func (r *Root) back() tea.Cmd {
	if len(r.history) == 0 {
		return r.enter(ScreenHome, nil)
	}
	v := r.history[len(r.history)-1]
	r.history = r.history[:len(r.history)-1]
	return r.enter(v.id, v.params)
}

// home ends any session and starts over on a fresh home screen: the
// history (and with it every form) is dropped.
func (r *Root) home() tea.Cmd {
	logout := r.logout()
	r.history = nil
	r.notice = ""
	return tea.Batch(logout, r.enter(ScreenHome, nil))
}

// logout ends the session in a command; the closure captures values only.
func (r *Root) logout() tea.Cmd {
	if r.app.session == nil {
		return nil
	}
	s := *r.app.session
	r.app.session = nil
	auth, log := r.app.deps.Auth, r.app.deps.Log
	if auth == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := opContext()
		defer cancel()
		if err := auth.Logout(ctx, s); err != nil {
			log.Error("logout", "err", err)
		}
		return nil
	}
}

func (r *Root) bodySize() (int, int) {
	return r.width, max(0, r.height-r.headerHeight()-footerHeight)
}

// Help is the footer's key help: the screen's, then the global keys.
func (r *Root) helpBindings() []key.Binding {
	if r.counting {
		return []key.Binding{r.app.keys.Continue}
	}
	b := append([]key.Binding(nil), r.cur.Help()...)
	b = append(b, r.app.keys.Mute)
	if r.app.keys.Quit.Enabled() {
		b = append(b, r.app.keys.Quit)
	}
	return b
}
