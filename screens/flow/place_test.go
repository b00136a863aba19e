package flow_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/task"
)

// Where a use case's refusal goes on a form (flow.Place), and that a
// refused page never goes on.

const placeFormID = "kit"

func placeSteps() []form.Step {
	return []form.Step{
		{Title: "一", Fields: []form.Field{form.Text(account.FieldName, "企业名称"), form.Text(account.FieldUSCC, "代码")}},
		{Title: "二", Fields: []form.Field{form.Text(account.FieldIDNumber, "证件号码"), form.Text(account.FieldPhone, "手机号码"),
			form.SMSCode(account.FieldSMSCode, "短信验证码")}},
	}
}

func placeForm(a *kit.App) *form.Form {
	return form.New(form.Config{ID: placeFormID, Styles: a.St, Keys: a.Keys, Steps: placeSteps()})
}

func fieldErrs(m map[string]string) *account.FieldErrors {
	fields := make(map[string]i18n.Text, len(m))
	for k, v := range m {
		fields[k] = i18n.Raw(v)
	}
	return &account.FieldErrors{Fields: fields}
}

type placeCase struct {
	name      string
	err       error
	fields    map[string]string
	formError string
	step      int
}

func placeCases() []placeCase {
	storeDown := errors.New("bolt: database not open")
	return []placeCase{
		{name: "field", err: fieldErrs(map[string]string{account.FieldUSCC: "代码错"}),
			fields: map[string]string{account.FieldUSCC: "代码错"}},
		{name: "form key", err: fieldErrs(map[string]string{account.FieldForm: "人脸核验结果无效"}), formError: "人脸核验结果无效"},
		{name: "key the form lacks goes above the buttons",
			err: fieldErrs(map[string]string{account.FieldAccount: "该账号已被使用"}), formError: "该账号已被使用"},
		{name: "error on a later step switches to it",
			err: fieldErrs(map[string]string{account.FieldSMSCode: "验证码错误"}), fields: map[string]string{account.FieldSMSCode: "验证码错误"}, step: 1},
		{name: "joined checks show both",
			err:    errors.Join(fieldErrs(map[string]string{account.FieldName: "甲"}), fieldErrs(map[string]string{account.FieldUSCC: "乙"})),
			fields: map[string]string{account.FieldName: "甲", account.FieldUSCC: "乙"}},
		{name: "wrapped", err: fmt.Errorf("step: %w", fieldErrs(map[string]string{account.FieldName: "甲"})),
			fields: map[string]string{account.FieldName: "甲"}},
		{name: "system failure", err: storeDown, formError: zht(model.UserMessage(storeDown))},
	}
}

// placed checks what f shows against c.
func placed(t *testing.T, f *form.Form, c placeCase) {
	t.Helper()
	if got := f.FormError(); got != c.formError {
		t.Errorf("form error %q, want %q", got, c.formError)
	}
	got := f.Errors()
	if len(got) != len(c.fields) {
		t.Errorf("field errors %v, want %v", got, c.fields)
	}
	for k, v := range c.fields {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if f.Step() != c.step {
		t.Errorf("at step %d, want %d", f.Step(), c.step)
	}
}

func TestPlace(t *testing.T) {
	a := kit.NewApp(kit.Deps{})
	t.Cleanup(a.Zones.Close)
	for _, c := range placeCases() {
		t.Run(c.name, func(t *testing.T) {
			f := placeForm(a)
			f.SetFormError(i18n.Raw("old"))
			flow.Place(a, f, "test", c.err)
			placed(t, f, c)
		})
	}
}

// placeRun runs cmd as the program would for a flow alone on screen: the
// deliveries of the visit are opened and fed back to h, recursively;
// spinner ticks only animate and are dropped.
func placeRun(a *kit.App, h kit.Screen, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch m := cmd().(type) {
	case nil, spinner.TickMsg:
	case tea.BatchMsg:
		for _, c := range m {
			placeRun(a, h, c)
		}
	case task.Delivery:
		if inner, ok := a.Scope().Open(m); ok && inner != nil {
			placeRun(a, h, func() tea.Msg { return inner })
		}
	default:
		placeRun(a, h, h.Update(m))
	}
}

// A page whose check is refused stays (or goes to the refused field's
// page); its result is never taken and the flow does not go on. A check
// that passes goes on.
func TestRefusedPageNeverGoesOn(t *testing.T) {
	type state struct{ accepted bool }
	for _, c := range append(placeCases(), placeCase{name: "no error goes on", step: 1}) {
		t.Run(c.name, func(t *testing.T) {
			a := kit.NewApp(kit.Deps{})
			t.Cleanup(a.Zones.Close)
			steps := placeSteps()
			finals := 0
			h := flow.New(a, flow.Def[state]{ID: placeFormID, Title: "测试",
				Steps: []flow.Step[state]{
					{Title: steps[0].Title, Fields: steps[0].Fields,
						Check: func(*state, form.Values) flow.Job {
							return func(context.Context) (any, error) { return "ticket", c.err }
						},
						Accept: func(s *state, _ *form.Form, _ any) { s.accepted = true }},
					{Title: steps[1].Title, Fields: steps[1].Fields},
				},
				Final: func(*state, form.Values) flow.Job {
					finals++
					return func(context.Context) (any, error) { return nil, nil }
				},
			})
			f := h.Form()
			f.SetValue(account.FieldName, "星河")
			f.SetValue(account.FieldUSCC, "91")
			f.SetFormError(i18n.Raw("old"))
			placeRun(a, h, h.Update(form.NextRequested{Form: placeFormID, Step: 0, Values: f.Values()}))
			if c.err == nil {
				if !h.State().accepted || f.Step() != 1 || f.Busy() {
					t.Fatalf("a passed check did not go on: accepted %v, step %d", h.State().accepted, f.Step())
				}
				return
			}
			if h.State().accepted || !h.OnForm() || h.Finished() || finals != 0 {
				t.Fatalf("a refused page went on: accepted %v, on form %v, finished %v, finals %d",
					h.State().accepted, h.OnForm(), h.Finished(), finals)
			}
			if f.Busy() {
				t.Error("the refused page still waits")
			}
			placed(t, f, c)
		})
	}
}
