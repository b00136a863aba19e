package kit

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// Loaded is what a Loader's work brought back.
type Loaded struct {
	Slot  string
	Value any
	Err   error
}

// Loader runs one piece of slow work (a look-up, a device call) in a slot
// of the visit with a spinner, a time limit and cancel: Cancel drops the
// work, and a late result is never delivered.
type Loader struct {
	a       *App
	slot    string
	spin    spinner.Model
	text    string // catalog id
	running bool
}

// NewLoader builds an idle loader working in slot.
func NewLoader(a *App, slot string) *Loader {
	return &Loader{a: a, slot: slot,
		spin: spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(a.St.Spinner))}
}

// Run starts fn (capturing values only) with a context that ends after
// timeout, with the visit, or on Cancel; text (a catalog id) is shown beside
// the spinner.
func (l *Loader) Run(text string, timeout time.Duration, fn func(ctx context.Context) (any, error)) tea.Cmd {
	start := !l.running
	l.running, l.text = true, text
	slot := l.slot
	work := l.a.InFor(slot, timeout, func(ctx context.Context) tea.Msg {
		v, err := fn(ctx)
		return Loaded{Slot: slot, Value: v, Err: err}
	})
	if !start {
		return work // one tick chain is enough
	}
	return tea.Batch(l.spin.Tick, work)
}

// Cancel abandons the work.
func (l *Loader) Cancel() {
	l.a.Drop(l.slot)
	l.running = false
}

// Running reports whether work is under way.
func (l *Loader) Running() bool { return l.running }

// Update animates the spinner and takes the work's result: done is the
// result when msg was it.
func (l *Loader) Update(msg tea.Msg) (cmd tea.Cmd, done *Loaded) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if !l.running || msg.ID != l.spin.ID() {
			return nil, nil // let the tick chain die
		}
		l.spin, cmd = l.spin.Update(msg)
		return cmd, nil
	case Loaded:
		if msg.Slot != l.slot {
			return nil, nil
		}
		l.running = false
		return nil, &msg
	}
	return nil, nil
}

// View is the spinner and its sentence ("" when idle).
func (l *Loader) View() string {
	if !l.running {
		return ""
	}
	return l.spin.View() + " " + l.a.St.Text.Render(l.a.S(l.text))
}
