package screens

import (
	"errors"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"kiosk/model"
	"kiosk/screens/widget"
)

// CenterLogout is the zone id of the 退出 button of both centers.
const CenterLogout = "center:logout"

// centerLoaded brings the center's data back from the store.
type centerLoaded struct {
	ent   model.Enterprise
	agent model.Agent
	err   error
}

// centerScreen is what both minimal centers share: load in a command, a
// spinner meanwhile, an error sentence, and 退出 (log out, home).
type centerScreen struct {
	base
	a       *app
	spin    spinner.Model
	loading bool
	errMsg  string
	loaded  centerLoaded
	load    func() tea.Cmd
	body    func() string // drawn once loaded
}

func (c *centerScreen) setup(a *app, load func(model.Session) tea.Msg) {
	c.a = a
	c.loading = true
	c.spin = spinner.New(spinner.WithSpinner(spinner.Line), spinner.WithStyle(a.st.Spinner))
	sess := *a.session // the route needs a session, so it is there
	c.load = func() tea.Cmd { return func() tea.Msg { return load(sess) } }
}

func (c *centerScreen) Init() tea.Cmd { return tea.Batch(c.spin.Tick, c.load()) }

func (c *centerScreen) SetSize(int, int) {}

func (c *centerScreen) Help() []key.Binding {
	b := c.a.keys.Enter
	b.SetHelp("enter", "退出登录")
	return []key.Binding{b}
}

func (c *centerScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if !c.loading {
			return nil
		}
		var cmd tea.Cmd
		c.spin, cmd = c.spin.Update(msg)
		return cmd
	case centerLoaded:
		c.loading = false
		c.loaded = msg
		if msg.err != nil {
			var known interface{ Message() string }
			if !errors.As(msg.err, &known) {
				c.a.logError("center load", msg.err)
			}
			c.errMsg = model.UserMessage(msg.err)
		}
	case tea.KeyMsg:
		if key.Matches(msg, c.a.keys.Enter) || msg.Type == tea.KeySpace {
			return endSession
		}
	case tea.MouseMsg:
		if msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft &&
			c.a.zones.Get(CenterLogout).InBounds(msg) {
			return endSession
		}
	}
	return nil
}

// frame draws title, content and the 退出 button.
func (c *centerScreen) frame(title string) string {
	st := c.a.st
	out := "\n  " + st.Title.Render(title) + "\n\n"
	switch {
	case c.loading:
		out += "  " + c.spin.View() + " " + st.Text.Render("正在加载…") + "\n"
	case c.errMsg != "":
		out += "  " + st.Error.Render(c.errMsg) + "\n"
	default:
		out += c.body() + "\n"
	}
	btn := widget.Mark(c.a.zones, CenterLogout, widget.Button(st, "退出", true, false))
	return out + "\n  " + btn
}

// section is a titled, indented info table.
func (c *centerScreen) section(title string, rows []widget.Row) string {
	return "  " + c.a.st.Title.Render(title) + "\n" + indent(widget.InfoTable(c.a.st, rows), "    ")
}

func indent(s, pad string) string {
	out := pad
	for _, r := range s {
		out += string(r)
		if r == '\n' {
			out += pad
		}
	}
	return out
}
