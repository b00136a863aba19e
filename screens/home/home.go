// Package home is the home screen (the menu of services), the honest
// "coming soon" pages of services not built yet, and 关于本终端.
package home

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/screens/kit"
)

// MenuID is the zone prefix of the home menu's tiles.
const MenuID = "home"

// Zone is the zone id of the home tile labelled label.
func Zone(label string) string { return kit.MenuZone(MenuID, label) }

type home struct {
	kit.Base
	a    *kit.App
	menu *kit.Menu
}

// New is the home screen: the services of SPEC §1 in the manual's order,
// as the route table puts them on the menu.
func New(a *kit.App, _ kit.None) kit.Screen {
	labels := make([]string, len(a.Home))
	for i, it := range a.Home {
		labels[i] = it.Label
	}
	return &home{a: a, menu: kit.NewMenu(a, MenuID, 4, labels...)}
}

func (h *home) SetSize(w, _ int) { h.menu.SetWidth(w) }

func (h *home) Help() []key.Binding { return h.menu.Help("home.open") }

func (h *home) Update(msg tea.Msg) tea.Cmd {
	if i := h.menu.Update(msg); i >= 0 {
		return kit.Emit(h.a.Home[i].Open)
	}
	return nil
}

func (h *home) View() string {
	st := h.a.St
	return lipgloss.JoinVertical(lipgloss.Center,
		"",
		st.Title.Render(h.a.S("home.welcome")),
		st.Muted.Render(h.a.S("home.how")),
		"",
		h.menu.View(),
		"",
		st.Muted.Render(h.a.S("home.help")),
	)
}
