package flow

import (
	"strings"

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
		for _, l := range h.result.Lines {
			for _, x := range h.line(l) {
				head = append(head, "  "+x)
			}
		}
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

// line draws a result line in its style, wrapped to the screen.
func (h *Host[S]) line(l Line) []string {
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
	for _, x := range wrap(h.a.T(l.Text), h.w-4) {
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
