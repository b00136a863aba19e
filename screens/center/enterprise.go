package center

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	svc "kiosk/model/account"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/kit"
	"kiosk/screens/route"
	"kiosk/screens/widget"
)

// NewEnterprise is 企业中心 (manual §四(一)): the menu of what an
// enterprise may see and change.
func NewEnterprise(a *kit.App, _ kit.None) kit.Screen {
	return newScreen(a, "center.enterprise_title", func(svc.CenterView) []string { return enterpriseTiles }, nil)
}

// The sections of the enterprise an info page shows (route.CenterInfoParams).
const (
	SectionEnterprise = "enterprise" // 企业信息
	SectionLegalRep   = "legal_rep"  // 法人信息, masked
	SectionExtended   = "extended"   // 拓展信息: the registry's eleven fields
)

// InfoBack is the zone of an info page's 返回.
const InfoBack = "center-info:back"

// info is a section of the enterprise, read when opened; a long one (a
// long 经营范围) scrolls above its 返回.
type info struct {
	kit.Base
	a       *kit.App
	section string
	load    *kit.Loader
	ent     model.Enterprise
	ok      bool
	errMsg  i18n.Text
	w, h    int
	scroll  *kit.Scroll
	row     kit.ButtonRow
}

// NewInfo is 企业信息, 法人信息 or 拓展信息 (p.Section).
func NewInfo(a *kit.App, p route.CenterInfoParams) kit.Screen {
	c := &info{a: a, section: p.Section, load: kit.NewLoader(a, "center-info:load"),
		scroll: kit.NewScroll(a, "center-info:scroll"), row: kit.NewButtonRow(a, "center-info")}
	c.row.Set(kit.Btn{ID: "back", Label: "center.back"})
	return c
}

func (c *info) SetSize(w, h int) { c.w, c.h = w, h }

func (c *info) Init() tea.Cmd { return readCenter(c.a, c.load) }

func (c *info) Help() []key.Binding { return append(c.scroll.Help(), c.row.Help()...) }

func (c *info) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := c.load.Update(msg); done != nil {
		if done.Err != nil {
			var cmd tea.Cmd
			c.errMsg, cmd = readFailed(c.a, "center info", done.Err)
			return cmd
		}
		c.ent, c.ok = done.Value.(svc.CenterView).Enterprise, true
		return nil
	} else if cmd != nil {
		return cmd
	}
	if c.ok && c.scroll.Update(msg) {
		return nil
	}
	if c.row.Update(msg) == "back" {
		return kit.GoBack
	}
	return nil
}

// title is the section's name: its center tile.
func (c *info) title() string {
	switch c.section {
	case SectionLegalRep:
		return tileLegalRep
	case SectionExtended:
		return tileExtended
	}
	return tileEnterprise
}

// rows are the section's fields; personal data masked.
func (c *info) rows() []widget.Row {
	a, e := c.a, c.ent
	switch c.section {
	case SectionLegalRep:
		doc := e.LegalRep.ID
		return []widget.Row{
			{Key: "field.rep_name", Value: rules.MaskName(e.LegalRep.Name)},
			{Key: "field.id_type", Value: idTypeLabel(a, doc.Type)},
			{Key: "field.id_number", Value: rules.MaskID(doc.Number)},
			{Key: "field.id_period", Value: a.S("center.from_to", "From", dateOrDash(a, doc.ValidFrom), "To", dateOrDash(a, doc.ValidTo))},
			{Key: "field.reserved_phone", Value: rules.MaskMobile(e.Phone)},
		}
	case SectionExtended:
		x := e.Extended
		return []widget.Row{
			{Key: "center.registered_address", Value: x.RegisteredAddress},
			{Key: "center.registered_capital", Value: x.RegisteredCapital},
			{Key: "center.registered_date", Value: dateOrNone(x.RegisteredDate)},
			{Key: "center.business_scope", Value: x.BusinessScope},
			{Key: "center.code_type", Value: x.CodeType},
			{Key: "center.industry", Value: x.Industry},
			{Key: "center.approval_date", Value: dateOrNone(x.ApprovalDate)},
			{Key: "center.approval_authority", Value: x.ApprovalAuthority},
			{Key: "center.registry_status", Value: x.RegistryStatus},
			{Key: "center.established_date", Value: dateOrNone(x.EstablishedDate)},
			{Key: "center.electronic_license", Value: x.ElectronicLicense},
		}
	}
	return []widget.Row{
		{Key: "field.enterprise_name", Value: e.Name},
		{Key: "field.uscc", Value: e.USCC},
		{Key: "field.legal_type", Value: legalTypeLabel(a, e.LegalType)},
		{Key: "field.account", Value: e.Account},
		{Key: "field.enterprise_state", Value: a.T(e.State.Label())},
	}
}

func (c *info) View() string {
	st := c.a.St
	var b strings.Builder
	b.WriteString("\n  " + st.Title.Render(c.a.S(c.title())) + "\n\n")
	w := 1 << 16
	if c.w > 0 {
		w = max(c.w-4, 20)
	}
	buttons := c.row.Boxed(max(c.w-4, 20))
	switch {
	case c.load.Running():
		b.WriteString("  " + c.load.View() + "\n")
	case !c.errMsg.IsZero():
		for _, l := range widget.Wrap(c.a.T(c.errMsg), w) {
			b.WriteString("  " + st.Error.Render(l) + "\n")
		}
	case c.ok:
		rows := c.rows()
		for i := range rows {
			rows[i].Key = c.a.S(rows[i].Key)
		}
		lines := widget.InfoLines(st, rows, max(w-2, 20))
		for i, l := range lines {
			lines[i] = "    " + l
		}
		if c.h > 0 { // 返回 always shows; the fields scroll above it
			c.scroll.SetHeight(c.h - 5 - len(buttons))
		}
		c.scroll.SetLines(lines)
		b.WriteString(strings.Join(c.scroll.View(), "\n") + "\n")
	}
	b.WriteString("\n")
	for _, l := range buttons {
		b.WriteString("\n  " + l)
	}
	return b.String()
}

// dateOrNone is a registry date, or nothing (shown as —) when unknown.
func dateOrNone(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// idTypeLabel shows a stored 证件类型.
func idTypeLabel(a *kit.App, v string) string {
	if v == model.IDTypeResident || v == "" {
		return a.S("id_type.resident")
	}
	return v
}
