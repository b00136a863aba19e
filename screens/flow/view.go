package flow

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"kiosk/screens/widget"
)

// View draws the flow: its title, the step's hint, the page (sized to what
// is left, so a tall page scrolls), the spinner and the captcha's voice
// sentence; or the component, the saving spinner, or the result page.
func (h *Host[S]) View() string {
	st := h.a.St
	if h.picker != nil {
		return h.picker.View()
	}
	if h.confirm.Open() {
		return h.confirm.Over(h.w, h.h)
	}
	head := []string{"", "  " + st.Title.Render(h.a.S(h.def.Title)), ""}
	switch h.phase {
	case onComponent:
		return h.comp.View()
	case saving:
		return strings.Join(append(head, "", "  "+h.load.View()), "\n")
	case done:
		head = append(head, h.resultBody()...)
		head = append(head, "")
		if boxed := h.buttons.Boxed(max(h.w-2, 10)); h.h <= 0 || len(head)+len(boxed) <= h.h {
			for _, l := range boxed {
				head = append(head, "  "+l)
			}
			return strings.Join(head, "\n")
		}
		return strings.Join(append(head, "  "+h.buttons.View()), "\n")
	}
	if hint := h.def.Steps[h.cur].Hint; hint != nil {
		if s := hint(&h.st); !s.IsZero() {
			for _, l := range wrap(h.a.T(s), h.w-6) {
				head = append(head, "    "+st.Text.Render(l))
			}
			head = append(head, "")
		}
	}
	var status []string
	if v := h.load.View(); v != "" {
		status = append(status, "", "    "+v)
	}
	for k, c := range h.captchas {
		if s := c.StatusView(); s != "" && h.capPage[k] == h.form.Step() {
			status = append(status, "", strings.Repeat(" ", max(h.w-h.form.ContentWidth(), 2))+s)
		}
	}
	room := h.h - len(head) - len(status)
	if h.h <= 0 {
		room = 0
	}
	h.form.SetWidth(h.w)
	page, natural := h.form.Render(max(room, 0))
	if room > 0 && natural > room {
		head = []string{"  " + st.Title.Render(h.a.S(h.def.Title))} // the hint and blank lines go first
		room = h.h - 1 - len(status)
		page, _ = h.form.Render(max(room, 1))
	}
	return strings.Join(append(append(head, page), status...), "\n")
}

// resultBody is the result's lines, its picture beside them when the
// lines keep 30 cells, else under them.
func (h *Host[S]) resultBody() []string {
	pic, pw := h.result.Picture, 0
	for _, l := range pic {
		pw = max(pw, ansi.StringWidth(l))
	}
	textW := h.w - 4
	side := len(pic) > 0 && textW-pw-3 >= 30
	if side {
		textW -= pw + 3
	}
	var text []string
	for _, l := range h.result.Lines {
		text = append(text, h.lineW(l, textW)...)
	}
	var out []string
	switch {
	case side:
		for i := range max(len(text), len(pic)) {
			t, p := "", ""
			if i < len(text) {
				t = text[i]
			}
			if i < len(pic) {
				p = pic[i]
			}
			out = append(out, "  "+widget.PadRight(t, textW)+"   "+p)
		}
	default:
		for _, t := range text {
			out = append(out, "  "+t)
		}
		if len(pic) > 0 {
			out = append(out, "")
			for _, p := range pic {
				out = append(out, "  "+p)
			}
		}
	}
	return out
}

// line draws a result line in its style, wrapped to the screen.
func (h *Host[S]) line(l Line) []string { return h.lineW(l, h.w-4) }

// lineW draws a result line in its style, wrapped to w cells.
func (h *Host[S]) lineW(l Line, w int) []string {
	if l.Text.IsZero() {
		return []string{""}
	}
	st := h.a.St
	style := st.Text
	switch l.Style {
	case Success:
		style = st.Success
	case Quiet:
		style = st.Muted
	}
	var out []string
	for _, x := range wrap(h.a.T(l.Text), w) {
		out = append(out, style.Render(x))
	}
	return out
}

// wrap breaks text into lines of at most w cells, never fewer than 10
// (widget.Wrap: at spaces, between Chinese characters, never inside an
// account name or a code).
func wrap(text string, w int) []string {
	return widget.Wrap(text, max(w, 10))
}
