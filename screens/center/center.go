// Package center holds the logged-in centers: 企业中心 (manual §四(一)) and
// 经办人中心 (§四(二)). Both are minimal for now: what the enterprise or
// the agent is, loaded in a slot of the visit, and 退出.
package center

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
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

// The zone ids of the centers' buttons: 修改密码 and 退出.
const (
	ChangePasswordZone = "center:" + ChangePasswordButton
	Logout             = "center:logout"
)

// loaded is what a center reads from the store.
type loaded struct {
	ent   model.Enterprise
	agent model.Agent
}

// screen is what both centers share: load with a spinner, an error
// sentence, the body, and 退出 (log out, home).
type screen struct {
	kit.Base
	a      *kit.App
	title  string
	load   *kit.Loader
	read   func(ctx context.Context, s model.Session) (loaded, error)
	body   func(l loaded) string
	data   loaded
	ok     bool
	errMsg i18n.Text
	w      int
	row    kit.ButtonRow
}

// SetSize: the error sentence wraps to the screen.
func (c *screen) SetSize(w, _ int) { c.w = w }

func newScreen(a *kit.App, title string, read func(ctx context.Context, s model.Session) (loaded, error), body func(loaded) string) *screen {
	c := &screen{a: a, title: title, load: kit.NewLoader(a, "center:load"), read: read, body: body, row: kit.NewButtonRow(a, "center")}
	c.row.Set(kit.Btn{ID: ChangePasswordButton, Label: "center.change_password"}, kit.Btn{ID: "logout", Label: "center.logout"})
	c.row.Focus("logout")
	return c
}

// Init loads the center for the session (the route's guard made sure
// there is one).
func (c *screen) Init() tea.Cmd {
	sess, read := *c.a.Session(), c.read
	return c.load.Run("center.loading", kit.OpTimeout, func(ctx context.Context) (any, error) { return read(ctx, sess) })
}

func (c *screen) Help() []key.Binding { return c.row.Help() }

func (c *screen) Update(msg tea.Msg) tea.Cmd {
	if cmd, done := c.load.Update(msg); done != nil {
		if done.Err != nil {
			c.errMsg = c.a.Explain("center load", done.Err)
			return kit.Play(kit.ErrorPrompt(done.Err))
		}
		c.data, c.ok = done.Value.(loaded), true
		return nil
	} else if cmd != nil {
		return cmd
	}
	switch c.row.Update(msg) {
	case ChangePasswordButton:
		return route.ChangePassword.Go(kit.None{})
	case "logout":
		return kit.Logout
	}
	return nil
}

func (c *screen) View() string {
	st := c.a.St
	var b strings.Builder
	b.WriteString("\n  " + st.Title.Render(c.a.S(c.title)) + "\n\n")
	switch {
	case c.load.Running():
		b.WriteString("  " + c.load.View() + "\n")
	case !c.errMsg.IsZero():
		w := 1 << 16 // not sized yet: as it comes
		if c.w > 0 {
			w = max(c.w-4, 20)
		}
		for _, l := range widget.Wrap(c.a.T(c.errMsg), w) {
			b.WriteString("  " + st.Error.Render(l) + "\n")
		}
	case c.ok:
		b.WriteString(c.body(c.data) + "\n")
	}
	b.WriteString("\n")
	for _, l := range c.row.Boxed(max(c.w-2, 20)) {
		b.WriteString("\n  " + l)
	}
	return b.String()
}

func dateOrDash(a *kit.App, t time.Time) string {
	if t.IsZero() {
		return a.S("center.long_term")
	}
	return t.Format("2006-01-02")
}
