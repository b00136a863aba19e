package center

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/account"
	"kiosk/screens/flow"
	"kiosk/screens/form"
	"kiosk/screens/kit"
	"kiosk/screens/route"
	"kiosk/screens/widget"
)

// ChangeEnterpriseForm is the form id (and zone prefix) of 企业信息变更.
const ChangeEnterpriseForm = "change-enterprise"

// ChangeEnterpriseAppeal is the way-on button after a registry mismatch:
// 修改企业信息申诉, pre-filled with what was refused.
const ChangeEnterpriseAppeal = "appeal"

// ChangeEnterpriseBack is the zone of 返回 when the enterprise could not be
// read.
const ChangeEnterpriseBack = ChangeEnterpriseForm + "-load:back"

// changeDoneListed is how many changed fields the result page names; the
// rest are counted (the page stays within 80×24).
const changeDoneListed = 5

// changeState is what 企业信息变更 holds for the visit: the record it
// started from, and the change the registry refused with the fields it
// refused (for the appeal).
type changeState struct {
	onFile   svc.EnterpriseOnFile
	refused  svc.EnterpriseChange
	mismatch []string
}

// changeScreen reads the enterprise (in a slot of the visit), then runs
// the flow pre-filled with it. Until then it shows a spinner, or the
// reason it could not read and 返回.
type changeScreen struct {
	kit.Base
	a      *kit.App
	load   *kit.Loader
	host   *flow.Host[changeState]
	errMsg i18n.Text
	row    kit.ButtonRow
	w, h   int
}

// NewChangeEnterprise is 企业信息变更 (manual §四(一)(4)) for the enterprise
// logged in: one page (it scrolls: the registry's eleven 拓展信息 follow
// the name) with 统一社会信用代码 shown and not editable, 法人类型 and
// 企业名称, the 拓展信息 (经营范围 a text area), every field pre-filled
// from the record. 变更 saves when every field matches the business
// registry; a mismatch is said next to each field that differs, with the
// way on to 修改企业信息申诉 carrying what was typed.
func NewChangeEnterprise(a *kit.App, _ kit.None) kit.Screen {
	c := &changeScreen{a: a, load: kit.NewLoader(a, ChangeEnterpriseForm+":load"), row: kit.NewButtonRow(a, ChangeEnterpriseForm+"-load")}
	c.row.Set(kit.Btn{ID: "back", Label: "key.back"})
	return c
}

func (c *changeScreen) Init() tea.Cmd {
	who, accounts := changeWho(c.a), c.a.Deps.Accounts
	return c.load.Run("enterprise_change.loading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if accounts == nil {
			return nil, model.ErrUnavailable
		}
		return accounts.EnterpriseForChange(ctx, who)
	})
}

// Resume: back from the appeal page, the flow with what was typed.
func (c *changeScreen) Resume() tea.Cmd {
	if c.host == nil {
		return c.Init()
	}
	return c.host.Resume()
}

func (c *changeScreen) SetSize(w, h int) {
	c.w, c.h = w, h
	if c.host != nil {
		c.host.SetSize(w, h)
	}
}

func (c *changeScreen) Steps() ([]string, int) {
	if c.host == nil {
		return nil, 0
	}
	return c.host.Steps()
}

func (c *changeScreen) Help() []key.Binding {
	if c.host != nil {
		return c.host.Help()
	}
	return append(c.row.Help(), c.a.Keys.Back)
}

func (c *changeScreen) Leave() tea.Cmd {
	c.load.Cancel()
	if c.host != nil {
		return c.host.Leave()
	}
	return nil
}

func (c *changeScreen) Update(msg tea.Msg) tea.Cmd {
	if c.host != nil {
		return c.host.Update(msg)
	}
	if cmd, done := c.load.Update(msg); done != nil {
		if cmd := kit.Ended(done.Err); cmd != nil {
			return cmd
		}
		if done.Err != nil {
			var say tea.Cmd
			c.errMsg, say = c.a.Fail("enterprise change load", done.Err)
			return say
		}
		c.host = newChangeFlow(c.a, done.Value.(svc.EnterpriseOnFile))
		c.host.SetSize(c.w, c.h)
		return c.host.Init()
	} else if cmd != nil {
		return cmd
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, c.a.Keys.Back) {
		return kit.GoBack
	}
	if c.row.Update(msg) == "back" {
		return kit.GoBack
	}
	return nil
}

func (c *changeScreen) View() string {
	if c.host != nil {
		return c.host.View()
	}
	st := c.a.St
	lines := []string{"", "  " + st.Title.Render(c.a.S("enterprise_change.title")), ""}
	if c.load.Running() {
		return strings.Join(append(lines, "  "+c.load.View()), "\n")
	}
	for _, l := range widget.Wrap(c.a.T(c.errMsg), max(c.w-4, 20)) {
		lines = append(lines, "  "+st.Error.Render(l))
	}
	lines = append(lines, "")
	for _, l := range c.row.Boxed(max(c.w-2, 20)) {
		lines = append(lines, "  "+l)
	}
	return strings.Join(lines, "\n")
}

// The flow's surface for tests and the root's helpers: the form, whether
// the page or the result is on show.

// Form is the flow's form (nil until the enterprise is read).
func (c *changeScreen) Form() *form.Form {
	if c.host == nil {
		return nil
	}
	return c.host.Form()
}

func (c *changeScreen) OnForm() bool             { return c.host != nil && c.host.OnForm() }
func (c *changeScreen) Finished() bool           { return c.host != nil && c.host.Finished() }
func (c *changeScreen) Component() kit.Component { return nil }

// changeWho is the login on show (the route's guard made sure there is
// one; the use case refuses the zero session anyway).
func changeWho(a *kit.App) model.Session {
	if s := a.Session(); s != nil {
		return *s
	}
	return model.Session{}
}

// newChangeFlow is the flow of 企业信息变更 pre-filled with onFile.
func newChangeFlow(a *kit.App, onFile svc.EnterpriseOnFile) *flow.Host[changeState] {
	accounts := a.Deps.Accounts
	def := flow.Def[changeState]{
		ID: ChangeEnterpriseForm, Title: "enterprise_change.title", Submit: "enterprise_change.submit",
		Saving: "enterprise_change.saving", Hold: true,
		Steps: []flow.Step[changeState]{{Title: "enterprise_change.title", Fields: changeFields(a),
			Hint: func(*changeState) i18n.Text { return i18n.T("enterprise_change.hint") }}},
		Prefill: func(x *changeState, f *form.Form) {
			x.onFile = onFile
			f.SetValue(svc.FieldUSCC, onFile.USCC)
			for k, v := range changeTexts(onFile.Current) {
				f.SetValue(k, v)
			}
			// The focus stays on the USCC, the first field: the page opens
			// at its top, the USCC in sight in every language.
		},
		Final: func(_ *changeState, v form.Values) flow.Job {
			who, in := changeWho(a), changeInput(v)
			return func(ctx context.Context) (any, error) {
				if accounts == nil {
					return nil, model.ErrUnavailable
				}
				return accounts.ChangeEnterprise(ctx, who, in)
			}
		},
		Done: func(a *kit.App, x *changeState, res any) flow.Result {
			*x = changeState{}
			d := res.(svc.EnterpriseChanged)
			if s := a.Session(); s != nil && d.Name != "" { // the header names the enterprise
				renamed := *s
				renamed.EnterpriseName = d.Name
				a.SetSession(&renamed)
			}
			return flow.Result{Lines: changeDone(d),
				Buttons: []kit.Btn{{ID: "back", Label: "enterprise_change.back"}},
				Go:      func(string) tea.Cmd { return toCenter(a) }}
		},
		Refused: func(_ *kit.App, x *changeState, f *form.Form, err error) []form.Button {
			x.refused, x.mismatch = svc.EnterpriseChange{}, nil
			var m *model.ChangeMismatchError
			if !errors.As(err, &m) {
				return nil
			}
			x.refused, x.mismatch = changeInput(f.Values()), m.Keys
			return []form.Button{{ID: ChangeEnterpriseAppeal, Label: "enterprise_change.appeal"}}
		},
		Pressed: func(x *changeState, id string, _ form.Values) tea.Cmd {
			if id != ChangeEnterpriseAppeal || x.mismatch == nil {
				return nil
			}
			return route.Appeal.Go(changeAppeal(x))
		},
	}
	return flow.New(a, def)
}

// changeFields are the page's fields, in the use case's order
// (svc.ChangeKeys), labelled by its labels, after the USCC.
func changeFields(a *kit.App) []form.Field {
	date := func(k string) form.Field {
		return form.Date(k, svc.ChangeLabel(k), form.Check(func(v string) error {
			t, err := time.Parse(form.DateLayout, v)
			if err != nil {
				return nil // the field's own check says so
			}
			return svc.ValidRegistryDate(t, a.Now())
		}))
	}
	text := func(k string, opts ...form.Option) *form.TextField {
		return form.Text(k, svc.ChangeLabel(k), append(opts, form.Max(svc.ChangeMax(k)))...)
	}
	return []form.Field{
		newFixedField(svc.FieldUSCC, "field.uscc", "enterprise_change.fixed"),
		account.LegalTypeChoice(),
		text(svc.FieldName, form.Placeholder("field.enterprise_name_placeholder"), form.Required,
			form.Check(rules.ValidEnterpriseName)),
		text(svc.FieldRegisteredAddress),
		text(svc.FieldRegisteredCapital, form.Placeholder("enterprise_change.capital_placeholder")),
		date(svc.FieldRegisteredDate),
		form.TextArea(svc.FieldBusinessScope, svc.ChangeLabel(svc.FieldBusinessScope),
			form.Max(svc.ChangeMax(svc.FieldBusinessScope))),
		text(svc.FieldCodeType),
		text(svc.FieldIndustry),
		date(svc.FieldApprovalDate),
		text(svc.FieldApprovalAuthority),
		text(svc.FieldRegistryStatus),
		date(svc.FieldEstablishedDate),
		text(svc.FieldElectronicLicense).Folded(), // an identifier: full width folded
	}
}

// changeTexts are the fields of c as the form shows them (dates as
// YYYY-MM-DD, "" for none).
func changeTexts(c svc.EnterpriseChange) map[string]string {
	x := c.Extended
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(form.DateLayout)
	}
	return map[string]string{
		svc.FieldLegalType: c.LegalType, svc.FieldName: c.Name,
		svc.FieldRegisteredAddress: x.RegisteredAddress, svc.FieldRegisteredCapital: x.RegisteredCapital,
		svc.FieldRegisteredDate: day(x.RegisteredDate), svc.FieldBusinessScope: x.BusinessScope,
		svc.FieldCodeType: x.CodeType, svc.FieldIndustry: x.Industry, svc.FieldApprovalDate: day(x.ApprovalDate),
		svc.FieldApprovalAuthority: x.ApprovalAuthority, svc.FieldRegistryStatus: x.RegistryStatus,
		svc.FieldEstablishedDate: day(x.EstablishedDate), svc.FieldElectronicLicense: x.ElectronicLicense,
	}
}

// changeInput is the change as typed. The USCC is not in it: the use case
// changes the enterprise of the login.
func changeInput(v form.Values) svc.EnterpriseChange {
	return svc.EnterpriseChange{LegalType: v.Text(svc.FieldLegalType), Name: v.Trim(svc.FieldName),
		Extended: model.Extended{
			RegisteredAddress: v.Trim(svc.FieldRegisteredAddress), RegisteredCapital: v.Trim(svc.FieldRegisteredCapital),
			RegisteredDate: v.Date(svc.FieldRegisteredDate), BusinessScope: v.Trim(svc.FieldBusinessScope),
			CodeType: v.Trim(svc.FieldCodeType), Industry: v.Trim(svc.FieldIndustry),
			ApprovalDate: v.Date(svc.FieldApprovalDate), ApprovalAuthority: v.Trim(svc.FieldApprovalAuthority),
			RegistryStatus: v.Trim(svc.FieldRegistryStatus), EstablishedDate: v.Date(svc.FieldEstablishedDate),
			ElectronicLicense: v.Trim(svc.FieldElectronicLicense),
		}}
}

// changeAppeal is 修改企业信息申诉 pre-filled with the change the registry
// refused: what it changes from the record, and what the registry did not
// match.
func changeAppeal(x *changeState) route.AppealParams {
	in := x.refused
	return route.AppealParams{Kind: route.AppealChange, LegalType: in.LegalType, Name: in.Name, USCC: x.onFile.USCC,
		Extended: in.Extended, Changed: strings.Join(svc.ChangedKeys(x.onFile.Current, in), ","),
		Mismatch: strings.Join(x.mismatch, ",")}
}

// changeDone is the result page: the name, the fields changed (the first
// few by name), the notice.
func changeDone(d svc.EnterpriseChanged) []flow.Line {
	lines := []flow.Line{flow.Won("enterprise_change.done"), flow.Gap,
		flow.Say("enterprise_change.done_name", "Name", rules.Sanitize(d.Name)),
		flow.Say("enterprise_change.done_count", "N", len(d.Fields))}
	for i, k := range d.Fields {
		if i == changeDoneListed-1 && len(d.Fields) > changeDoneListed {
			lines = append(lines, flow.Aside("enterprise_change.done_more", "N", len(d.Fields)-i))
			break
		}
		lines = append(lines, flow.Aside("enterprise_change.done_field", "Field", i18n.T(svc.ChangeLabel(k))))
	}
	if d.MaskedPhone != "" {
		lines = append(lines, flow.Gap, flow.Aside("enterprise_change.done_notice", "Phone", d.MaskedPhone))
	}
	return lines
}
