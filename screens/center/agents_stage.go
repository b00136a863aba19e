package center

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// What 添加经办人 and 编辑经办人 share: the window and 管理权限 fields, and
// a screen that first reads what it needs from the model (with a spinner,
// or a refusal's sentence and 返回), then shows a component (the face
// step) and a flow host, passing everything on to whichever is on show.

// The 管理权限 choice.
const (
	adminYes = "yes"
	adminNo  = "no"
)

var adminOptions = []form.Opt{{Value: adminYes, Label: "agents.admin_yes"}, {Value: adminNo, Label: "agents.admin_no"}}

// windowFields are 授权开始日期, 授权结束日期 and 管理权限.
func windowFields() []form.Field {
	return []form.Field{
		form.Date(svc.FieldAgentFrom, "agents.field_from", form.Required),
		form.Date(svc.FieldAgentTo, "agents.field_to", form.Required),
		form.Choice(svc.FieldAgentAdmin, "agents.field_admin", adminOptions, form.Required),
	}
}

// windowRule says at once what the use case would: the end is not before
// the start.
var windowRule = form.Rule{Field: svc.FieldAgentTo, Check: func(v form.Values) error {
	from, to := v.Date(svc.FieldAgentFrom), v.Date(svc.FieldAgentTo)
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return model.ErrAgentWindowOrder
	}
	return nil
}}

// window is the form's authorisation window and 管理权限.
func window(v form.Values) (from, to time.Time, admin bool) {
	return v.Date(svc.FieldAgentFrom), v.Date(svc.FieldAgentTo), v.Text(svc.FieldAgentAdmin) == adminYes
}

// setWindow pre-fills the window and 管理权限.
func setWindow(f *form.Form, from, to time.Time, admin bool) {
	if !from.IsZero() {
		f.SetValue(svc.FieldAgentFrom, from.Format(form.DateLayout))
	}
	if !to.IsZero() {
		f.SetValue(svc.FieldAgentTo, to.Format(form.DateLayout))
	}
	v := adminNo
	if admin {
		v = adminYes
	}
	f.SetValue(svc.FieldAgentAdmin, v)
}

// flowHost is a flow.Host of any state.
type flowHost interface {
	kit.Screen
	Form() *form.Form
	OnForm() bool
	Finished() bool
	Component() kit.Component
}

// staged reads with read, then hands the value to ready, which shows a
// component (show) or a host (host).
type staged struct {
	kit.Base
	a      *kit.App
	title  string   // catalog id, while reading or refused
	steps  []string // the step bar: the component's step, then the host's
	load   *kit.Loader
	read   func(ctx context.Context, who model.Session, s *svc.Service) (any, error)
	ready  func(v any) tea.Cmd
	took   func(res any) tea.Cmd // the component passed
	errMsg i18n.Text
	back   kit.ButtonRow
	comp   kit.Component
	flow   flowHost
	w, h   int
}

func newStaged(a *kit.App, title string, steps []string) *staged {
	s := &staged{a: a, title: title, steps: steps, load: kit.NewLoader(a, "agents:stage"), back: kit.NewButtonRow(a, AgentsID+"-stage")}
	s.back.Set(kit.Btn{ID: AgentsBack, Label: "agents.back"})
	return s
}

func (s *staged) Init() tea.Cmd {
	who, accounts, read := *s.a.Session(), s.a.Deps.Accounts, s.read
	return s.load.Run("agents.loading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if accounts == nil {
			return nil, model.ErrUnavailable
		}
		return read(ctx, who, accounts)
	})
}

// show puts a component on show (its Init is the caller's to run).
func (s *staged) show(c kit.Component) {
	s.comp = c
	c.SetSize(s.w, s.h)
}

// host puts the flow on show in place of the component.
func (s *staged) host(h flowHost) tea.Cmd {
	var leave tea.Cmd
	if s.comp != nil {
		leave, s.comp = s.comp.Leave(), nil
	}
	s.flow = h
	h.SetSize(s.w, s.h)
	return tea.Batch(leave, h.Init())
}

func (s *staged) SetSize(w, h int) {
	s.w, s.h = w, h
	switch {
	case s.flow != nil:
		s.flow.SetSize(w, h)
	case s.comp != nil:
		s.comp.SetSize(w, h)
	}
}

func (s *staged) Help() []key.Binding {
	switch {
	case s.flow != nil:
		return s.flow.Help()
	case s.comp != nil:
		return s.comp.Help()
	}
	return append(s.back.Help(), s.a.Keys.Back)
}

// Steps: the component's step first, then the flow's (the flow's alone
// when the screen has no steps of its own).
func (s *staged) Steps() ([]string, int) {
	if s.flow == nil {
		return s.steps, 0
	}
	titles, cur := s.flow.Steps()
	if s.steps == nil {
		return titles, cur
	}
	return s.steps, len(s.steps) - len(titles) + cur
}

func (s *staged) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := s.load.Update(msg); done != nil {
		if cmd := kit.Ended(done.Err); cmd != nil {
			return cmd
		}
		if done.Err != nil {
			s.errMsg = s.a.Explain("agents read", done.Err)
			return kit.Play(kit.ErrorPrompt(done.Err))
		}
		return s.ready(done.Value)
	} else if cmd != nil {
		return cmd
	}
	switch {
	case s.flow != nil:
		return s.flow.Update(msg)
	case s.comp != nil:
		switch m := msg.(type) {
		case kit.StepDone:
			return s.took(m.Result)
		case kit.StepBack:
			return kit.GoBack // nothing typed yet: back to the list
		}
		return s.comp.Update(msg)
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, s.a.Keys.Back) {
		return kit.GoBack
	}
	if s.back.Update(msg) == AgentsBack {
		return kit.GoBack
	}
	return nil
}

func (s *staged) Leave() tea.Cmd {
	s.load.Cancel()
	switch {
	case s.flow != nil:
		return s.flow.Leave()
	case s.comp != nil:
		return s.comp.Leave()
	}
	return nil
}

func (s *staged) View() string {
	switch {
	case s.flow != nil:
		return s.flow.View()
	case s.comp != nil:
		return s.comp.View()
	}
	st := s.a.St
	out := []string{"", "  " + st.Title.Render(s.a.S(s.title)), ""}
	if v := s.load.View(); v != "" {
		out = append(out, "  "+v)
	}
	if !s.errMsg.IsZero() {
		for _, l := range widget.Wrap(s.a.T(s.errMsg), max(s.w-4, 20)) {
			out = append(out, "  "+st.Error.Render(l))
		}
	}
	out = append(out, "")
	for _, l := range s.back.Boxed(max(s.w-4, 20)) {
		out = append(out, "  "+l)
	}
	return strings.Join(out, "\n")
}

// What the journeys ask of a flow screen (screens' host interface).

// Form is the flow's form (nil before the flow).
func (s *staged) Form() *form.Form {
	if s.flow == nil {
		return nil
	}
	return s.flow.Form()
}

// OnForm reports a form page on show.
func (s *staged) OnForm() bool { return s.flow != nil && s.flow.OnForm() }

// Finished reports the result page.
func (s *staged) Finished() bool { return s.flow != nil && s.flow.Finished() }

// Component is the component on show: the face step, or the flow's own.
func (s *staged) Component() kit.Component {
	if s.flow != nil {
		return s.flow.Component()
	}
	return s.comp
}
