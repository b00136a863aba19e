package staff

import (
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/material"
	"kiosk/model/rules"
	"kiosk/screens/account"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// One appeal's detail: every field sanitised, in sections (the appeal,
// the enterprise and its legal representative, 拓展信息 when it asks for
// any, the materials), in a scroll above the decision buttons.
//
// What is shown whole and what masked. The reviewer's task is to compare
// what was typed at the kiosk with the materials: the legal
// representative's name and ID number are shown whole, as the ID card
// photo on the next page shows them anyway (masking the text while the
// photo is one tap away would protect nothing and make the comparison
// error-prone); 企业名称, USCC and 法人账号 whole, as on the licence and
// the account to open. The mobile number is masked (138****5678) as
// everywhere: the SMS code proved it at the kiosk, the decision's SMS
// goes to it without staff reading it, and it is the one number a
// passer-by could use. The screen is 审核员's and 管理员's only, and the
// read is audited (account.AuditAppealView).

// materialLineZone is the zone of line j of the detail's material i.
func materialLineZone(i, j int) string {
	return appealMaterialZID + ":" + strconv.Itoa(i) + ":" + strconv.Itoa(j)
}

// maxMaterialLines bounds the lines of one material's entry (a long file
// name wraps).
const maxMaterialLines = 4

// detailButtons are the decisions the appeal's state allows, 查看材料 and
// 返回列表.
func (s *appealsScreen) detailButtons() {
	var btns []kit.Btn
	switch s.appeal.State {
	case model.AppealPending:
		btns = append(btns, kit.Btn{ID: AppealTake, Label: "staff.appeals.take"})
	case model.AppealProcessing:
		btns = append(btns, kit.Btn{ID: AppealApprove, Label: "staff.appeals.approve"},
			kit.Btn{ID: AppealReject, Label: "staff.appeals.reject"})
	}
	btns = append(btns, kit.Btn{ID: AppealMaterials, Label: "staff.appeals.view_materials", Disabled: len(s.appeal.Materials) == 0},
		kit.Btn{ID: AppealBack, Label: "staff.appeals.back_list"})
	s.drow.Set(btns...)
}

// materialKeys is the help of the number keys that open a material.
func materialKeys(n int) key.Binding {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = strconv.Itoa(i + 1)
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp("1-"+strconv.Itoa(n), "staff.appeals.key_material"))
}

// detailInput: esc back to the list, a number key or a tap on a material
// opens it, the scroll, then the buttons.
func (s *appealsScreen) detailInput(msg tea.Msg) tea.Cmd {
	n := len(s.appeal.Materials)
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if key.Matches(msg, s.a.Keys.Back) {
			s.phase, s.errMsg = phaseList, i18n.Text{}
			return nil
		}
		if n > 0 && key.Matches(msg, materialKeys(n)) {
			return s.showMaterial(int(msg.Runes[0] - '1'))
		}
	case tea.MouseMsg:
		for i := range n {
			for j := range maxMaterialLines {
				if widget.Tapped(s.a.Zones, materialLineZone(i, j), msg) {
					return s.showMaterial(i)
				}
			}
		}
	}
	if s.scroll.Update(msg) {
		return nil
	}
	switch s.drow.Update(msg) {
	case AppealTake:
		s.ask(decideTake, "")
	case AppealApprove:
		s.ask(decideApprove, "")
	case AppealReject:
		return s.startReject()
	case AppealMaterials:
		return s.showMaterial(0)
	case AppealBack:
		s.phase, s.errMsg = phaseList, i18n.Text{}
	}
	return nil
}

// when is a time of the appeal in the kiosk's zone ("" for none).
func (s *appealsScreen) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.a.Now().Location()).Format("2006-01-02 15:04")
}

// handler names the reviewer of the appeal: this staff member by name,
// another by the start of their staff id (the audit log names them).
func (s *appealsScreen) handler(id string) string {
	me := who(s.a)
	switch {
	case id == "":
		return ""
	case id == me.StaffID:
		return s.a.S("staff.appeals.handler_self", "Name", rules.Sanitize(me.StaffName))
	}
	short := []rune(rules.Sanitize(id))
	if len(short) > 8 {
		short = short[:8]
	}
	return s.a.S("staff.appeals.handler_other", "ID", string(short))
}

// appealRows are the appeal's own fields.
func (s *appealsScreen) appealRows() []widget.Row {
	a, ap := s.a, s.appeal
	rows := []widget.Row{
		{Key: a.S("staff.appeals.ref"), Value: ap.Ref},
		{Key: a.S("staff.appeals.kind"), Value: a.T(ap.Kind.Label())},
	}
	if ap.Kind == model.AppealKindChange {
		rows = append(rows, widget.Row{Key: a.S("staff.appeals.changes"), Value: s.changes(ap.Changes)})
	}
	rows = append(rows,
		widget.Row{Key: a.S("staff.appeals.state"), Value: a.T(ap.State.Label())},
		widget.Row{Key: a.S("staff.appeals.kiosk"), Value: ap.Kiosk},
		widget.Row{Key: a.S("staff.appeals.created"), Value: s.when(ap.CreatedAt)},
		widget.Row{Key: a.S("staff.appeals.updated"), Value: s.when(ap.UpdatedAt)})
	if !ap.DecidedAt.IsZero() {
		rows = append(rows, widget.Row{Key: a.S("staff.appeals.decided"), Value: s.when(ap.DecidedAt)})
	}
	rows = append(rows, widget.Row{Key: a.S("staff.appeals.handler"), Value: s.handler(ap.Handler)})
	if ap.State == model.AppealRejected || ap.Reason != "" {
		rows = append(rows, widget.Row{Key: a.S("staff.appeals.reason"), Value: ap.Reason})
	}
	return append(rows, widget.Row{Key: a.S("staff.appeals.remark"), Value: ap.Remark})
}

// applicantRows are the enterprise and its legal representative as the
// appeal gives them (a change appeal: as they are to be).
func (s *appealsScreen) applicantRows() []widget.Row {
	a, ap := s.a, s.appeal
	doc := ap.LegalRep.ID
	legalType := ap.LegalType
	if id, ok := account.LegalTypeLabel(legalType); ok {
		legalType = a.S(id)
	}
	idType := doc.Type
	if idType == model.IDTypeResident || idType == "" {
		idType = a.S("id_type.resident")
	}
	to := a.S("center.long_term")
	if !doc.ValidTo.IsZero() {
		to = doc.ValidTo.Format("2006-01-02")
	}
	from := ""
	if !doc.ValidFrom.IsZero() {
		from = doc.ValidFrom.Format("2006-01-02")
	}
	return []widget.Row{
		{Key: a.S("field.enterprise_name"), Value: ap.EnterpriseName},
		{Key: a.S("field.uscc"), Value: ap.USCC},
		{Key: a.S("field.legal_type"), Value: legalType},
		{Key: a.S("field.rep_name"), Value: ap.LegalRep.Name},
		{Key: a.S("field.id_type"), Value: idType},
		{Key: a.S("field.id_number"), Value: doc.Number},
		{Key: a.S("field.id_period"), Value: a.S("center.from_to", "From", rules.Sanitize(from), "To", rules.Sanitize(to))},
		{Key: a.S("field.legal_account"), Value: ap.Account},
		{Key: a.S("field.phone"), Value: rules.MaskMobile(ap.Phone)},
	}
}

// extendedRows are the 拓展信息 a change appeal asks for (none when it
// asks for none).
func (s *appealsScreen) extendedRows() []widget.Row {
	a, x := s.a, s.appeal.Extended
	if x == (model.Extended{}) {
		return nil
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	}
	return []widget.Row{
		{Key: a.S("center.registered_address"), Value: x.RegisteredAddress},
		{Key: a.S("center.registered_capital"), Value: x.RegisteredCapital},
		{Key: a.S("center.registered_date"), Value: date(x.RegisteredDate)},
		{Key: a.S("center.business_scope"), Value: x.BusinessScope},
		{Key: a.S("center.code_type"), Value: x.CodeType},
		{Key: a.S("center.industry"), Value: x.Industry},
		{Key: a.S("center.approval_date"), Value: date(x.ApprovalDate)},
		{Key: a.S("center.approval_authority"), Value: x.ApprovalAuthority},
		{Key: a.S("center.registry_status"), Value: x.RegistryStatus},
		{Key: a.S("center.established_date"), Value: date(x.EstablishedDate)},
		{Key: a.S("center.electronic_license"), Value: x.ElectronicLicense},
	}
}

// typeOf is a material's file type by its stored media type ("" when it
// is none of the kiosk's).
func typeOf(m model.Material) material.Type {
	for _, t := range material.Types {
		if t.MIME() == m.MIME {
			return t
		}
	}
	return ""
}

// sizeText is a file size as people read it (data: the same in every
// language).
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// materialText is one material as the detail and the material page name
// it: its number, kind, file name (sanitised), type and size.
func (s *appealsScreen) materialText(i int) string {
	m := s.appeal.Materials[i]
	return s.a.S("staff.appeals.material_line", "Num", i+1, "Kind", m.Kind.Label(),
		"Name", rules.Sanitize(m.Name), "Type", typeOf(m).Label(), "Size", sizeText(m.Size))
}

// materialLines are the detail's material entries within w cells, each
// line a touch target that opens its material.
func (s *appealsScreen) materialLines(w int) []string {
	st := s.a.St
	var out []string
	for _, l := range widget.Wrap(s.a.S("staff.appeals.materials_hint"), w) {
		out = append(out, "    "+st.Muted.Render(l))
	}
	if s.appeal.MaterialsPurged {
		for _, l := range widget.Wrap(s.a.T(model.ErrMaterialPurged.Message()), w) {
			out = append(out, "    "+st.Muted.Render(l))
		}
	}
	for i := range s.appeal.Materials {
		for j, l := range widget.Wrap(s.materialText(i), w) {
			if j >= maxMaterialLines {
				break
			}
			out = append(out, "    "+widget.Mark(s.a.Zones, materialLineZone(i, j), st.Link.Render(l)))
		}
	}
	return out
}

func (s *appealsScreen) detailView() string {
	p := s.detailLayout()
	p.body = s.scroll.View()
	return p.render(s.a, s.w)
}

// detailLayout is the detail's page with the appeal in the scroll, sized
// so that the buttons always show below it.
func (s *appealsScreen) detailLayout() page {
	p := page{title: "staff.appeals.detail_title", errMsg: s.errMsg, notice: s.notice,
		working: s.act.View() + s.open.View(), buttons: buttonLines(&s.drow, s.w, s.h)}
	w := 1 << 16
	if s.w > 0 {
		w = max(s.w-8, 20)
	}
	st := s.a.St
	var lines []string
	section := func(title string, rows []widget.Row) {
		if len(rows) == 0 {
			return
		}
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, "  "+st.Title.Render(s.a.S(title)))
		for _, l := range widget.InfoLines(st, rows, w) {
			lines = append(lines, "    "+l)
		}
	}
	section("staff.appeals.section_appeal", s.appealRows())
	section("staff.appeals.section_applicant", s.applicantRows())
	section("center.extended_info", s.extendedRows())
	lines = append(lines, "", "  "+st.Title.Render(s.a.S("staff.appeals.section_materials")))
	lines = append(lines, s.materialLines(w)...)
	if s.h > 0 {
		s.scroll.SetHeight(s.h - 5 - len(p.buttons) - len(p.messages(s.a, max(s.w-4, 20))))
	}
	s.scroll.SetLines(lines)
	return p
}
