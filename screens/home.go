package screens

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/screens/widget"
)

// homeItem is one big button of the home screen.
type homeItem struct {
	label string
	to    ScreenID
	param any
}

// homeItems are the services of SPEC §1, in the manual's order. Services
// not built yet open the honest "coming soon" screen.
var homeItems = []homeItem{
	{"企业登录", ScreenEnterpriseLogin, nil},
	{"经办人登录", ScreenAgentLogin, nil},
	{"立即注册", ScreenRegister, nil},
	{"忘记密码", ScreenForgot, nil},
	{"账号激活", ScreenActivate, nil},
	{"账号申诉", ScreenComingSoon, "账号申诉"},
	{"自然人注册", ScreenPersonRegister, nil},
}

// HomeZone is the zone id of the i-th home button.
func HomeZone(i int) string { return "home:item:" + homeItems[i].label }

type home struct {
	base
	a     *app
	focus int
	width int
}

func newHome(a *app, _ any) Screen { return &home{a: a, width: 120} }

func (h *home) SetSize(w, _ int) { h.width = w }

func (h *home) columns() int { return 4 }

func (h *home) Help() []key.Binding {
	k := h.a.keys
	move := key.NewBinding(key.WithKeys("up", "down", "left", "right"), key.WithHelp("方向键", "选择"))
	enter := k.Enter
	enter.SetHelp("enter", "办理")
	return []key.Binding{move, enter}
}

func (h *home) Update(msg tea.Msg) tea.Cmd {
	n, cols := len(homeItems), h.columns()
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch msg.String() {
		case "left", "shift+tab":
			h.focus = (h.focus - 1 + n) % n
		case "right", "tab":
			h.focus = (h.focus + 1) % n
		case "up":
			if h.focus-cols >= 0 {
				h.focus -= cols
			}
		case "down":
			h.focus = min(h.focus+cols, n-1)
		case "enter", " ":
			return h.open(h.focus)
		}
	case tea.MouseMsg:
		if msg.Action != tea.MouseActionPress || msg.Button != tea.MouseButtonLeft {
			return nil
		}
		for i := range homeItems {
			if h.a.zones.Get(HomeZone(i)).InBounds(msg) {
				h.focus = i
				return h.open(i)
			}
		}
	}
	return nil
}

func (h *home) open(i int) tea.Cmd {
	it := homeItems[i]
	return navigate(it.to, it.param)
}

func (h *home) View() string {
	st := h.a.st
	cols := h.columns()
	tileW := min(22, (h.width-2*(cols-1))/cols-2)
	var rows []string
	for start := 0; start < len(homeItems); start += cols {
		var tiles []string
		for i := start; i < min(start+cols, len(homeItems)); i++ {
			if i > start {
				tiles = append(tiles, "  ")
			}
			tiles = append(tiles, widget.Mark(h.a.zones, HomeZone(i), widget.Tile(st, homeItems[i].label, tileW, i == h.focus)))
		}
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, tiles...))
	}
	lines := []string{
		"",
		st.Title.Render("欢迎使用单位服务自助终端"),
		st.Muted.Render("请点击要办理的业务，或用方向键选择后按回车"),
		"",
		strings.Join(rows, "\n\n"),
		"",
		st.Muted.Render("如需帮助，请咨询窗口工作人员"),
	}
	return lipgloss.JoinVertical(lipgloss.Center, lines...)
}
