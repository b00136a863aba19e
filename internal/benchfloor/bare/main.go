// Command bare is the floor of BenchmarkStartToFirstFrame: the least a
// Bubble Tea v1 program does to put one line on the screen, started with the
// kiosk's own program options (alternate screen, mouse) in the same
// pseudo-terminal harness. The kiosk's start-up target is a ratio to it.
package main

import (
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"
)

// Line is what the benchmark waits for.
const Line = "bare floor ready"

type model struct{}

func (model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && (k.Type == tea.KeyCtrlC || k.String() == "q") {
		return m, tea.Quit
	}
	return m, nil
}

func (model) View() string { return Line }

func main() {
	p := tea.NewProgram(model{}, tea.WithAltScreen(), tea.WithMouseCellMotion())
	if _, err := p.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(1)
	}
}
