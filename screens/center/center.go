// Package center holds the logged-in centers: 企业中心 (manual §四(一)) and
// 经办人中心 (§四(二)), and what opens from them: the enterprise's info
// pages, 修改手机号码, 修改密码, 企业信息变更, 法定代表人变更 and 我的经办人.
// Every screen reads and writes through the account use cases, which
// authorise the login again (model/account/authz.go): a route guard here
// only hides what the model would refuse.
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
	"kiosk/screens/kit"
	"kiosk/screens/route"
	"kiosk/screens/widget"
)

// MenuID is the zone prefix of the centers' menu grid.
const MenuID = "center"

// TileZone is the zone of the center's tile labelled label (a catalog id:
// "center.change_phone", "center.agents", …).
func TileZone(label string) string { return kit.MenuZone(MenuID, label) }

// The zones of the tiles both centers have: 修改密码 and 退出.
var (
	ChangePasswordZone = TileZone(tileChangePassword)
	Logout             = TileZone(tileLogout)
)

// The tiles of the centers (catalog ids).
const (
	tileEnterprise       = "center.enterprise_info"
	tileLegalRep         = "center.legal_rep_info"
	tileExtended         = "center.extended_info"
	tileChangePhone      = "center.change_phone"
	tileChangePassword   = "center.change_password"
	tileChangeEnterprise = "center.change_enterprise"
	tileChangeLegalRep   = "center.change_legal_rep"
	tileAgents           = "center.agents"
	tileLogout           = "center.logout"
)

// enterpriseTiles is 企业中心's menu (manual §四(一)), in order.
var enterpriseTiles = []string{tileEnterprise, tileLegalRep, tileExtended, tileChangePhone, tileChangePassword,
	tileChangeEnterprise, tileChangeLegalRep, tileAgents, tileLogout}

// open is what a center tile opens.
func open(label string) tea.Cmd {
	switch label {
	case tileEnterprise:
		return route.CenterInfo.Go(route.CenterInfoParams{Section: SectionEnterprise})
	case tileLegalRep:
		return route.CenterInfo.Go(route.CenterInfoParams{Section: SectionLegalRep})
	case tileExtended:
		return route.CenterInfo.Go(route.CenterInfoParams{Section: SectionExtended})
	case tileChangePhone:
		return route.ChangePhone.Go(kit.None{})
	case tileChangePassword:
		return route.ChangePassword.Go(kit.None{})
	case tileChangeEnterprise:
		return route.ChangeEnterprise.Go(kit.None{})
	case tileChangeLegalRep:
		return route.ChangeLegalRep.Go(kit.None{})
	case tileAgents:
		return route.Agents.Go(kit.None{})
	case tileLogout:
		return kit.Logout
	}
	return nil
}

// screen is what both centers share: the center read with a spinner (it
// also proves the login still stands), an error sentence with a way on,
// an optional body (the agent's information) and the menu grid.
type screen struct {
	kit.Base
	a      *kit.App
	title  string
	load   *kit.Loader
	data   svc.CenterView
	ok     bool
	errMsg i18n.Text
	w, h   int
	menu   *kit.Menu
	labels []string                        // the tiles on show
	tiles  func(v svc.CenterView) []string // the menu, once the center is read
	body   func(v svc.CenterView, w int) []string
	scroll *kit.Scroll
}

func newScreen(a *kit.App, title string, tiles func(svc.CenterView) []string, body func(svc.CenterView, int) []string) *screen {
	c := &screen{a: a, title: title, load: kit.NewLoader(a, "center:load"), tiles: tiles, body: body,
		scroll: kit.NewScroll(a, "center:body")}
	c.setMenu(tiles(svc.CenterView{}))
	return c
}

func (c *screen) setMenu(labels []string) {
	c.labels = labels
	c.menu = kit.NewMenu(c.a, MenuID, 3, labels...)
	c.sizeMenu()
}

// SetSize: the menu and the sentences fit the screen.
func (c *screen) SetSize(w, h int) {
	c.w, c.h = w, h
	c.sizeMenu()
}

// sizeMenu fits the grid under the title; beside information (经办人中心)
// on a small screen its tiles go flat, so the information has room.
func (c *screen) sizeMenu() {
	c.menu.SetWidth(max(c.w-4, 40))
	switch {
	case c.h <= 0:
	case c.body != nil && c.h < 30:
		c.menu.SetHeight(3)
	default:
		c.menu.SetHeight(c.h - 4)
	}
}

// Init reads the center for the session (the route's guard made sure
// there is one).
func (c *screen) Init() tea.Cmd { return readCenter(c.a, c.load) }

// readCenter reads the center of the login in l (svc.CenterView).
func readCenter(a *kit.App, l *kit.Loader) tea.Cmd {
	sess, accounts := *a.Session(), a.Deps.Accounts
	return l.Run("center.loading", kit.OpTimeout, func(ctx context.Context) (any, error) {
		if accounts == nil {
			return nil, model.ErrUnavailable
		}
		return accounts.Center(ctx, sess)
	})
}

// readFailed takes a failed read: a login that has ended logs out with its
// sentence; anything else is a sentence on the page (what names it in the
// log) and its prompt.
func readFailed(a *kit.App, what string, err error) (i18n.Text, tea.Cmd) {
	if cmd := kit.Ended(err); cmd != nil {
		return i18n.Text{}, cmd
	}
	return a.Explain(what, err), kit.Play(kit.ErrorPrompt(err))
}

func (c *screen) Help() []key.Binding {
	return append(c.menu.Help("home.open"), c.scroll.Help()...)
}

func (c *screen) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := c.load.Update(msg); done != nil {
		if done.Err != nil {
			var cmd tea.Cmd
			c.errMsg, cmd = readFailed(c.a, "center load", done.Err)
			c.setMenu([]string{tileLogout}) // the way on: log out
			return cmd
		}
		c.data, c.ok = done.Value.(svc.CenterView), true
		focus := c.menu.Focused()
		c.setMenu(c.tiles(c.data))
		c.menu.Focus(focus)
		return nil
	} else if cmd != nil {
		return cmd
	}
	if c.body != nil && c.ok && c.scroll.Update(msg) {
		return nil
	}
	if i := c.menu.Update(msg); i >= 0 {
		return open(c.labels[i])
	}
	return nil
}

func (c *screen) View() string {
	st := c.a.St
	var b strings.Builder
	b.WriteString("\n  " + st.Title.Render(c.a.S(c.title)) + "\n\n")
	w := 1 << 16 // not sized yet: as it comes
	if c.w > 0 {
		w = max(c.w-4, 20)
	}
	menu := c.menu.View()
	switch {
	case c.load.Running():
		b.WriteString("  " + c.load.View() + "\n\n")
	case !c.errMsg.IsZero():
		for _, l := range widget.Wrap(c.a.T(c.errMsg), w) {
			b.WriteString("  " + st.Error.Render(l) + "\n")
		}
		b.WriteString("\n")
	case c.ok && c.body != nil:
		lines := c.body(c.data, w)
		if c.h > 0 { // the menu always shows; the information scrolls above it
			c.scroll.SetHeight(c.h - 5 - strings.Count(menu, "\n") - 1)
		}
		c.scroll.SetLines(lines)
		b.WriteString(strings.Join(c.scroll.View(), "\n") + "\n\n")
	}
	b.WriteString(kit.Indent(menu, "  "))
	return b.String()
}

func dateOrDash(a *kit.App, t time.Time) string {
	if t.IsZero() {
		return a.S("center.long_term")
	}
	return t.Format("2006-01-02")
}
