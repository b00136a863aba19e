package flow

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/screens/form"
	"kiosk/screens/kit"
)

// Pick is a step that chooses one row of a list (which agent, which
// appeal): enter or a tap chooses, and the row's index is the step's
// result (Took gets an int); esc goes back to the page before.
func Pick[S any](title string, cols []kit.Column, rows func(s *S, v form.Values) [][]string) Step[S] {
	return Step[S]{Title: title, Component: func(a *kit.App, s *S, v form.Values) kit.Component {
		l := kit.NewList(a, "pick", cols...)
		l.SetRows(rows(s, v))
		return &pick{a: a, title: title, list: l}
	}}
}

type pick struct {
	kit.Base
	a     *kit.App
	title string
	list  *kit.List
}

func (p *pick) SetSize(w, h int) { p.list.SetSize(w-4, h-4) }

func (p *pick) Help() []key.Binding { return append(p.list.Help("key.choose"), p.a.Keys.Back) }

func (p *pick) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, p.a.Keys.Back) {
		return kit.Emit(kit.StepBack{})
	}
	if i := p.list.Update(msg); i >= 0 {
		return kit.Emit(kit.StepDone{Result: i})
	}
	return nil
}

func (p *pick) View() string {
	return strings.Join([]string{"", "  " + p.a.St.Title.Render(p.a.S(p.title)), "", p.list.View()}, "\n")
}
