// Package screentest holds what the screens' tests of several packages
// share: running a command the way the Bubble Tea runtime does.
package screentest

import (
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// Collect runs a command (batches concurrently, as the runtime does) and
// returns the messages it yields. Spinner ticks are left out: they only
// animate. A command that does not return within 10 s panics: a test
// would otherwise hang.
func Collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(10 * time.Second):
		panic("command did not return")
	}
	switch m := msg.(type) {
	case nil, spinner.TickMsg:
		return nil
	case tea.BatchMsg:
		outs := make([][]tea.Msg, len(m))
		var wg sync.WaitGroup
		for i, c := range m {
			wg.Add(1)
			go func() {
				defer wg.Done()
				outs[i] = Collect(c)
			}()
		}
		wg.Wait()
		var out []tea.Msg
		for _, o := range outs {
			out = append(out, o...)
		}
		return out
	}
	return []tea.Msg{msg}
}
