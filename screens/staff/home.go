package staff

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/model/staffdesk"
	"kiosk/screens/kit"
	"kiosk/screens/route"
)

// MenuID is the zone prefix of the staff home's tiles.
const MenuID = "staff"

// The staff home's tiles (catalog ids), in order.
const (
	TileAppeals    = "staff.home.appeals"
	TileEnterprise = "staff.home.enterprise"
	TileSMS        = "staff.home.sms"
	TileAudit      = "staff.home.audit"
	TileMembers    = "staff.home.members"
	TileFleet      = "staff.home.fleet"
	TileLogout     = "staff.home.logout"
)

// TileZone is the zone of the staff home's tile labelled label.
func TileZone(label string) string { return kit.MenuZone(MenuID, label) }

// tiles are the staff home's tiles with the part of the console each
// opens ("" for 退出).
var tiles = []struct {
	label string
	svc   staffdesk.Service
}{
	{TileAppeals, staffdesk.Appeals},
	{TileEnterprise, staffdesk.Enterprises},
	{TileSMS, staffdesk.Outbox},
	{TileAudit, staffdesk.Audit},
	{TileFleet, staffdesk.Kiosks},
	{TileMembers, staffdesk.Members},
	{TileLogout, ""},
}

// Tiles are the tiles a staff login sees: what its role may use, and 退出.
func Tiles(s *model.Session) []string {
	var out []string
	for _, t := range tiles {
		if t.svc == "" || staffdesk.Allowed(s, t.svc) {
			out = append(out, t.label)
		}
	}
	return out
}

type homeScreen struct {
	kit.Base
	a      *kit.App
	menu   *kit.Menu
	labels []string
	check  *kit.Loader
	errMsg i18n.Text
	w, h   int
}

// NewHome is the staff home (工作人员模式): a grid of what the staff
// member's role may use, and 退出. It checks on entry that the staff login
// still stands (a staff member disabled meanwhile is logged out).
func NewHome(a *kit.App, _ kit.None) kit.Screen {
	labels := Tiles(a.Session())
	return &homeScreen{a: a, labels: labels, menu: kit.NewMenu(a, MenuID, 3, labels...),
		check: kit.NewLoader(a, "staff-home:check")}
}

func (h *homeScreen) SetSize(w, hh int) {
	h.w, h.h = w, hh
	h.menu.SetWidth(max(w-4, 40))
}

// welcome is the greeting under the title, wrapped to the screen.
func (h *homeScreen) welcome() []string {
	s := who(h.a)
	return para(h.a, i18n.T("staff.home.welcome", "Name", rules.Sanitize(s.StaffName), "Role", RoleLabel(s.StaffRole)),
		h.w, h.a.St.Muted.Render)
}

func (h *homeScreen) Init() tea.Cmd {
	desk, s := h.a.Deps.Staff, who(h.a)
	return h.check.Run("staff.loading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if desk == nil {
			return nil, errNoDesk
		}
		return nil, desk.Check(ctx, s)
	})
}

func (h *homeScreen) Help() []key.Binding { return h.menu.Help("home.open") }

func (h *homeScreen) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := h.check.Update(msg); done != nil {
		if done.Err != nil {
			var cmd tea.Cmd
			h.errMsg, cmd = failed(h.a, "staff home", done.Err)
			return cmd
		}
		return nil
	} else if cmd != nil {
		return cmd
	}
	if i := h.menu.Update(msg); i >= 0 {
		return open(h.labels[i])
	}
	return nil
}

// open is what a tile opens.
func open(label string) tea.Cmd {
	switch label {
	case TileAppeals:
		return route.StaffAppeals.Go(kit.None{})
	case TileEnterprise:
		return route.StaffEnterprise.Go(kit.None{})
	case TileSMS:
		return route.StaffSMS.Go(kit.None{})
	case TileAudit:
		return route.StaffAudit.Go(kit.None{})
	case TileMembers:
		return route.StaffMembers.Go(kit.None{})
	case TileFleet:
		return route.StaffFleet.Go(kit.None{})
	case TileLogout:
		return kit.Logout
	}
	return nil
}

func (h *homeScreen) View() string {
	st := h.a.St
	lines := append([]string{"", "  " + st.Title.Render(h.a.S("staff.home.title"))}, h.welcome()...)
	lines = append(lines, "")
	if !h.errMsg.IsZero() {
		lines = append(append(lines, para(h.a, h.errMsg, h.w, st.Error.Render)...), "")
	}
	if h.h > 0 { // the tiles go flat rather than off the screen
		h.menu.SetHeight(h.h - len(lines))
	}
	lines = append(lines, kit.Indent(h.menu.View(), "  "))
	return strings.Join(lines, "\n")
}
