package screens

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
)

// ScreenID names a screen in the registry.
type ScreenID string

// Screen is what the root routes between (pug's shape): a pointer that
// mutates in Update and returns a command.
type Screen interface {
	Init() tea.Cmd
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	Help() []key.Binding
	// Steps feeds the step indicator: titles and the current index; nil
	// titles for a single-page screen.
	Steps() (titles []string, current int)
	// Leave is called when the screen is replaced (navigation, idle reset,
	// logout) so it can release what it holds: a running camera, a pending
	// device call's context.
	Leave() tea.Cmd
}

// Navigation and session messages. Screens return them as commands (use
// the helpers below); the root acts on them.
type (
	// Navigate opens a screen, pushing the current one on the history.
	// ClearHistory starts a fresh history (after a login, say).
	Navigate struct {
		To           ScreenID
		Params       any
		ClearHistory bool
	}
	// Back returns to the previous screen (home when there is none).
	Back struct{}
	// SessionStarted records who logged in and opens To with a fresh
	// history (so 返回 cannot lead back into the login form). One message,
	// so the session is in place before the screen that needs it is built.
	SessionStarted struct {
		Session model.Session
		To      ScreenID
	}
	// EndSession logs out and returns home with the history cleared.
	EndSession struct{}
	// ErrMsg carries an unexpected error: the root logs the detail and
	// shows model.UserMessage(Err).
	ErrMsg struct{ Err error }
)

// Cmd helpers.
func navigate(to ScreenID, params any) tea.Cmd {
	return func() tea.Msg { return Navigate{To: to, Params: params} }
}

func back() tea.Msg { return Back{} }

func endSession() tea.Msg { return EndSession{} }

// base gives screens the optional parts of the interface.
type base struct{}

func (base) Init() tea.Cmd                     { return nil }
func (base) Leave() tea.Cmd                    { return nil }
func (base) Steps() (titles []string, cur int) { return nil, 0 }
