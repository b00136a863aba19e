package flow

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// Button ids of a review step (zone id: "review:" + id).
const (
	ReviewConfirm = "confirm"
	ReviewEdit    = "edit"
)

// Review is a step that shows what was typed for a last look before the
// final call: 确认无误 goes on, 返回修改 (or esc) goes back to the page
// before with every value kept. title is a catalog id; rows decides what is
// shown (keys catalog ids, values data, masked where they must be and
// sanitised when drawn).
func Review[S any](title string, rows func(s *S, v form.Values) []widget.Row) Step[S] {
	return Step[S]{Title: title, Component: func(a *kit.App, s *S, v form.Values) kit.Component {
		r := &review{a: a, title: title, rows: rows(s, v), buttons: kit.NewButtonRow(a, "review")}
		r.buttons.Set(kit.Btn{ID: ReviewConfirm, Label: "review.confirm"}, kit.Btn{ID: ReviewEdit, Label: "review.edit"})
		return r
	}}
}

type review struct {
	kit.Base
	a       *kit.App
	title   string
	rows    []widget.Row
	buttons kit.ButtonRow
}

func (r *review) Help() []key.Binding { return append(r.buttons.Help(), r.a.Keys.Back) }

func (r *review) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, r.a.Keys.Back) {
		return kit.Emit(kit.StepBack{})
	}
	switch r.buttons.Update(msg) {
	case ReviewConfirm:
		return kit.Emit(kit.StepDone{})
	case ReviewEdit:
		return kit.Emit(kit.StepBack{})
	}
	return nil
}

func (r *review) View() string {
	st := r.a.St
	rows := make([]widget.Row, len(r.rows))
	for i, x := range r.rows {
		rows[i] = widget.Row{Key: r.a.S(x.Key), Value: x.Value}
	}
	return strings.Join([]string{"", "  " + st.Title.Render(r.a.S(r.title)), "",
		"  " + st.Text.Render(r.a.S("review.intro")), "",
		kit.Indent(widget.InfoTable(st, rows), "    "), "", "  " + r.buttons.View()}, "\n")
}
