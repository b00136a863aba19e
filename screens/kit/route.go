package kit

import (
	"errors"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/i18n"
)

// RouteID names a screen in the route table.
type RouteID string

// None is the params of a route that takes none.
type None struct{}

// Route is a typed reference to a screen: P is the type of its params, so
// a navigation cannot carry the wrong ones, and a screen never reads a
// zero value from a failed type assertion.
type Route[P any] struct{ id RouteID }

// NewRoute declares a route.
func NewRoute[P any](id RouteID) Route[P] { return Route[P]{id: id} }

// ID is the route's id.
func (r Route[P]) ID() RouteID { return r.id }

// Nav is the message that opens the route with p, on top of the history.
func (r Route[P]) Nav(p P) Navigate { return Navigate{to: r.id, params: p} }

// Go opens the route with p, on top of the history.
func (r Route[P]) Go(p P) tea.Cmd { return Emit(r.Nav(p)) }

// Fresh opens the route with p on a fresh history (home below it): 返回
// cannot lead back into what came before.
func (r Route[P]) Fresh(p P) tea.Cmd {
	n := r.Nav(p)
	n.fresh = true
	return Emit(n)
}

// Screen declares how the route's screen is built: the route table's
// entry. The guard defaults to Anyone.
func (r Route[P]) Screen(build func(a *App, p P) Screen) Entry {
	return Entry{id: r.id, allow: Anyone, zero: func() any { var p P; return p }, build: func(a *App, params any) (Screen, error) {
		p, ok := params.(P)
		if !ok {
			return nil, fmt.Errorf("route %s: params of type %T, want %T", r.id, params, p)
		}
		return build(a, p), nil
	}}
}

// Navigate opens a screen (built by the route's Nav, Go or Fresh).
type Navigate struct {
	to     RouteID
	params any
	fresh  bool
}

// To is the route the message opens.
func (n Navigate) To() RouteID { return n.to }

// Params are the params it opens the route with.
func (n Navigate) Params() any { return n.params }

// Fresh reports whether it starts a fresh history.
func (n Navigate) Fresh() bool { return n.fresh }

// Entry is one line of the route table: how a route's screen is built,
// who may see it, what it says on entry, and its tile on the home menu.
type Entry struct {
	id     RouteID
	build  func(a *App, params any) (Screen, error)
	zero   func() any
	allow  func(*model.Session) bool
	prompt string
	home   string
	open   *Navigate // what the home tile opens; nil: zero params
}

// ID is the entry's route.
func (e Entry) ID() RouteID { return e.id }

// Allow sets who may see the screen; anyone else is sent home.
func (e Entry) Allow(fn func(*model.Session) bool) Entry {
	e.allow = fn
	return e
}

// Prompt sets the voice prompt played on entry (an audio.Prompt* id).
func (e Entry) Prompt(id string) Entry {
	e.prompt = id
	return e
}

// OnHome puts the screen on the home menu as a tile with label (opened
// with zero params).
func (e Entry) OnHome(label string) Entry {
	e.home = label
	return e
}

// OnHomeAs puts the screen on the home menu as a tile that opens it with
// the params of open (built by the route's Nav).
func (e Entry) OnHomeAs(label string, open Navigate) Entry {
	if open.to != e.id {
		panic("kit: home tile " + label + " opens " + string(open.to) + ", not " + string(e.id))
	}
	e.home, e.open = label, &open
	return e
}

// Build builds the screen for params.
func (e Entry) Build(a *App, params any) (Screen, error) { return e.build(a, params) }

// Allows reports whether s may see the screen.
func (e Entry) Allows(s *model.Session) bool { return e.allow(s) }

// EntryPrompt is the voice prompt of the entry.
func (e Entry) EntryPrompt() string { return e.prompt }

// HomeLabel is the home tile's label ("" for none).
func (e Entry) HomeLabel() string { return e.home }

// Open is what the entry's home tile opens: its route with zero params, or
// those of OnHomeAs.
func (e Entry) Open() Navigate {
	if e.open != nil {
		return *e.open
	}
	return Navigate{to: e.id, params: e.zero()}
}

// MenuItem is a tile of the home menu: its label and what it opens.
type MenuItem struct {
	Label string
	Open  Navigate
}

// Guards: who may see a route (Entry.Allow). The use cases refuse anyway;
// a guard keeps a screen from being shown to the wrong principal.
var (
	// Anyone may see the screen.
	Anyone = func(*model.Session) bool { return true }
	// Visitor: nobody is logged in (login and registration screens).
	Visitor = func(s *model.Session) bool { return s == nil }
	// Enterprise: an enterprise is logged in.
	Enterprise = func(s *model.Session) bool { return s.IsEnterprise() }
	// Agent: an agent is logged in.
	Agent = func(s *model.Session) bool { return s.IsAgent() }
	// Member: an enterprise or an agent is logged in (修改密码).
	Member = func(s *model.Session) bool { return s.IsEnterprise() || s.IsAgent() }
	// AdminAgent: an agent with 管理权限 is logged in.
	AdminAgent = func(s *model.Session) bool { return s.IsAdminAgent() }
	// AgentManager: the enterprise itself or an admin agent (我的经办人).
	AgentManager = func(s *model.Session) bool { return s.CanManageAgents() }
)

// Staff is the guard of a staff screen: a staff member of one of roles
// (any staff member when none are given).
func Staff(roles ...model.StaffRole) func(*model.Session) bool {
	return func(s *model.Session) bool { return s.IsStaff(roles...) }
}

// Messages the root acts on. Screens return them as commands.
type (
	// Back returns to the previous screen (home when there is none).
	Back struct{}
	// SessionStarted records who logged in and opens Then on a fresh
	// history (so 返回 cannot lead back into the login form). One message,
	// so the session is in place before the guarded screen is built.
	SessionStarted struct {
		Session model.Session
		Then    Navigate
	}
	// EndSession logs out and returns home with the history cleared. With a
	// Reason (a login that ended under the person: the agent disabled, the
	// password changed elsewhere) the home screen says it; with Of, only
	// that login is ended (a check that answers after its login left is
	// dropped).
	EndSession struct {
		Reason i18n.Text
		Of     *model.Session
	}
	// Home ends the visit and returns to a fresh home screen (返回首页).
	Home struct{}
	// PlayPrompt asks the root to play a voice prompt (an audio.Prompt* id).
	PlayPrompt struct{ ID string }
	// ErrMsg carries an error with no place of its own on the screen: the
	// root shows its sentence in the notice line, logs the detail and
	// plays its prompt. Report builds it.
	ErrMsg struct{ Err error }
)

// GoBack is the command of Back.
func GoBack() tea.Msg { return Back{} }

// GoHome is the command of Home.
func GoHome() tea.Msg { return Home{} }

// Logout is the command of EndSession.
func Logout() tea.Msg { return EndSession{} }

// Ended is the command for a use case's refusal when the login it acted
// for no longer stands (model.ErrSessionEnded): log out and say why on
// the home screen. It is nil for any other error.
func Ended(err error) tea.Cmd {
	if !errors.Is(err, model.ErrSessionEnded) {
		return nil
	}
	return Emit(EndSession{Reason: model.UserMessage(err)})
}

// StartSession is the command of a login: the session, then the screen.
func StartSession(s model.Session, then Navigate) tea.Cmd {
	return Emit(SessionStarted{Session: s, Then: then})
}

// Play is the command of PlayPrompt ("" plays nothing).
func Play(id string) tea.Cmd {
	if id == "" {
		return nil
	}
	return Emit(PlayPrompt{ID: id})
}

// Report is the command of ErrMsg.
func Report(err error) tea.Cmd { return Emit(ErrMsg{Err: err}) }

// NavigateTo rebuilds a navigation from the history (the root's): the
// params are those the route was opened with, of its type.
func NavigateTo(id RouteID, params any) Navigate { return Navigate{to: id, params: params} }
