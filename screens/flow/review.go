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
// before with every value kept. rows decides what is shown, masked where
// it must be (values are sanitised when drawn).
func Review[S any](title string, rows func(s *S, v form.Values) []widget.Row) Step[S] {
	return Step[S]{Title: title, Component: func(a *kit.App, s *S, v form.Values) kit.Component {
		r := &review{a: a, title: title, rows: rows(s, v), buttons: kit.NewButtonRow(a, "review")}
		r.buttons.Set(kit.Btn{ID: ReviewConfirm, Label: "确认无误"}, kit.Btn{ID: ReviewEdit, Label: "返回修改"})
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
	return strings.Join([]string{"", "  " + st.Title.Render(r.title), "",
		"  " + st.Text.Render("请核对以下信息，确认无误后提交"), "",
		kit.Indent(widget.InfoTable(st, r.rows), "    "), "", "  " + r.buttons.View()}, "\n")
}
