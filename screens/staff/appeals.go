package staff

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model/i18n"
	"kiosk/screens/kit"
)

// AppealsID is the zone prefix of 申诉处理's buttons.
const AppealsID = "staff-appeals"

// appealsScreen holds the place of the appeal queue until the appeals are
// built: this file is replaced by the queue (route.StaffAppeals, guard
// staffdesk.Appeals: 审核员 and 管理员).
type appealsScreen struct {
	kit.Base
	a    *kit.App
	row  kit.ButtonRow
	w, h int
}

// NewAppeals is 申诉处理, for now a sentence that the queue comes with the
// appeals, and 返回.
func NewAppeals(a *kit.App, _ kit.None) kit.Screen {
	s := &appealsScreen{a: a, row: kit.NewButtonRow(a, AppealsID)}
	s.row.Set(kit.Btn{ID: "back", Label: "staff.back"})
	return s
}

func (s *appealsScreen) SetSize(w, h int) { s.w, s.h = w, h }

func (s *appealsScreen) Help() []key.Binding { return append(s.row.Help(), backHelp(s.a)) }

func (s *appealsScreen) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, s.a.Keys.Back) {
		return kit.GoBack
	}
	if s.row.Update(msg) == "back" {
		return kit.GoBack
	}
	return nil
}

func (s *appealsScreen) View() string {
	return page{title: "staff.appeals.title", body: para(s.a, i18n.T("staff.appeals.soon"), s.w, s.a.St.Text.Render),
		buttons: buttonLines(&s.row, s.w, s.h)}.render(s.a, s.w)
}
