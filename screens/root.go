package screens

import (
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	zone "github.com/lrstanley/bubblezone"

	"kiosk/devices/audio"
	"kiosk/model"
	"kiosk/screens/form"
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
	voice   *voice
	phone   *phonePanel // nil unless the demo's simulated phone is wired

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
		now: time.Now, after: tea.Tick,
		voice: &voice{player: deps.Audio, log: deps.Log}, phone: newPhonePanel(deps.Phone)}
	if deps.Audio != nil {
		r.muted = deps.Audio.Muted() // a kiosk may be configured to start muted
	}
	r.help.ShortSeparator = "  "
	r.lastInput = r.now()
	r.show(ScreenHome, nil)
	return r
}

// Close stops the zone manager's worker and the simulated phone's feed.
func (r *Root) Close() {
	r.app.zones.Close()
	r.phone.close()
}

// Zone returns where a marked zone was last drawn (nil if not yet).
func (r *Root) Zone(id string) *zone.ZoneInfo { return r.app.zones.Get(id) }

// Current is the screen on show. Read it only from the model's goroutine or
// after the program ended.
func (r *Root) Current() ScreenID { return r.curID }

// Session is who is logged in, nil for nobody (same caveat as Current).
func (r *Root) Session() *model.Session { return r.app.session }

// Init starts the idle watchdog, the home screen and its voice prompt, and
// the simulated phone's feed.
func (r *Root) Init() tea.Cmd {
	return tea.Batch(r.cur.Init(), r.voice.play(r.routes[r.curID].prompt),
		r.scheduleIdle(r.app.deps.IdleTimeout), r.phone.init())
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
			return r, r.voice.setMuted(r.muted)
		}
		if r.phone != nil {
			if handled := r.phoneKey(msg); handled {
				return r, nil
			}
		}
	case tea.MouseMsg:
		r.lastInput = r.now()
		if r.counting {
			if msg.Action == tea.MouseActionPress {
				return r, r.cancelCountdown()
			}
			return r, nil
		}
		if r.phone != nil && r.phoneMouse(msg) {
			return r, nil
		}
	case idleTick:
		return r, r.onIdleTick(msg)
	case countdownTick:
		return r, r.onCountdownTick(msg)
	case PlayPrompt:
		return r, r.voice.play(msg.ID)
	case form.Invalid: // every form's refused step sounds the same
		return r, tea.Batch(r.voice.play(audio.PromptErrorInput), r.cur.Update(msg))
	case phoneReceived, phoneHistory, phoneClosed:
		if r.phone == nil {
			return r, nil
		}
		return r, r.phone.update(msg, r.phoneWide())
	case Navigate:
		return r, r.navigate(msg)
	case Back:
		return r, r.back()
	case SessionStarted:
		s := msg.Session
		r.app.session = &s
		return r, r.navigate(Navigate{To: msg.To, ClearHistory: true})
	case EndSession:
		return r, r.home(audio.PromptLogout)
	case ErrMsg:
		r.app.logError("screen error", msg.Err)
		r.notice = model.UserMessage(msg.Err)
		return r, tea.Batch(r.voice.play(ErrorPrompt(msg.Err)), r.cur.Update(msg))
	}
	return r, r.cur.Update(msg)
}

// enter builds and shows a screen and plays its voice prompt.
func (r *Root) enter(id ScreenID, params any) tea.Cmd {
	leave, prompt := r.show(id, params)
	return tea.Batch(leave, r.cur.Init(), r.voice.play(prompt))
}

// show builds a screen and makes it current; it returns the replaced
// screen's Leave command and the route's prompt.
func (r *Root) show(id ScreenID, params any) (leave tea.Cmd, prompt string) {
	rt, ok := r.routes[id]
	if !ok || (rt.needsSession && r.app.session == nil) {
		id, params, rt = ScreenHome, nil, r.routes[ScreenHome]
		r.history = nil
	}
	if r.cur != nil {
		leave = r.cur.Leave()
	}
	r.cur, r.curID, r.params = rt.build(r.app, params), id, params
	r.cur.SetSize(r.bodySize())
	return leave, rt.prompt
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
// history (and with it every form) and the simulated phone's messages are
// dropped. prompt is said instead of the home screen's ("" for silence).
func (r *Root) home(prompt string) tea.Cmd {
	logout := r.logout()
	r.history = nil
	r.notice = ""
	r.phone.clear()
	leave, _ := r.show(ScreenHome, nil)
	return tea.Batch(leave, logout, r.cur.Init(), r.voice.play(prompt))
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

// bodySize is the room of the current screen: the terminal less the shell,
// and less the simulated phone when it stands beside the screen.
func (r *Root) bodySize() (int, int) {
	w := r.width
	if r.phoneWide() {
		w -= phoneSide
	}
	return w, max(0, r.height-r.headerHeight()-footerHeight)
}

// Help is the footer's key help: the screen's, then the global keys.
func (r *Root) helpBindings() []key.Binding {
	if r.counting {
		return []key.Binding{r.app.keys.Continue}
	}
	if r.phone != nil && r.phone.overlay { // modal: only its own keys work
		return []key.Binding{phoneCloseKey, r.app.keys.Mute}
	}
	b := append([]key.Binding(nil), r.cur.Help()...)
	b = append(b, r.app.keys.Mute)
	if r.phone != nil && !r.phoneWide() {
		b = append(b, phoneKey)
	}
	if r.app.keys.Quit.Enabled() {
		b = append(b, r.app.keys.Quit)
	}
	return b
}
