package kit

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Screen is what the root routes between (pug's shape): a pointer that
// mutates in Update and returns a command. Screens are built afresh on
// every entry, so no typed value outlives the visit.
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
	// logout) so it can release what it holds: a running camera, say. Its
	// command runs, but nothing it yields is delivered (the visit ended).
	Leave() tea.Cmd
}

// Resumer is a screen kept below a page it opened (a flow's way-on to
// 忘记密码): 返回 shows it again with what was typed instead of a fresh
// one. Resume runs in the new visit, in place of Init, to take up what
// Leave let go. Whatever leaves it by other ways (home, idle, a fresh
// history) drops it.
type Resumer interface {
	Screen
	Resume() tea.Cmd
}

// Base gives screens and components the optional parts of the interfaces.
type Base struct{}

func (Base) Init() tea.Cmd                     { return nil }
func (Base) Leave() tea.Cmd                    { return nil }
func (Base) Steps() (titles []string, cur int) { return nil, 0 }
func (Base) SetSize(int, int)                  {}

// Component is a part of a screen with a life of its own: a step of a
// flow (face verification, document capture, review, file picker) or a
// screen's body. It reports with StepDone or StepBack.
type Component interface {
	Init() tea.Cmd
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	Help() []key.Binding
	Leave() tea.Cmd
}

// Messages of a component to its host.
type (
	// StepDone: the component finished with Result (a face verdict, a
	// photo, a file).
	StepDone struct{ Result any }
	// StepBack: the person left the component with 返回.
	StepBack struct{}
)

// Emit is a command yielding m.
func Emit(m tea.Msg) tea.Cmd { return func() tea.Msg { return m } }
