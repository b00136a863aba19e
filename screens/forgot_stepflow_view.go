package screens

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Drawing of stepFlow. A step taller than the screen (the activation's
// first step with an error under every field, on a small terminal) is
// shown through a window over its fields that follows the focus, so the
// buttons and the form error never drop off the bottom.

func (s *stepFlow) View() string {
	head, fields, bottom := s.parts()
	if s.done || s.height <= 0 || len(head)+len(fields)+len(bottom) <= s.height {
		return strings.Join(append(append(head, fields...), bottom...), "\n")
	}
	head = []string{"  " + s.a.st.Title.Render(s.title)} // the hint and blank lines go first
	room := s.height - len(head) - len(bottom)
	return strings.Join(append(append(head, s.window(fields, room)...), bottom...), "\n")
}

// parts is the view in three pieces: title and hint; the form's field
// rows; and what must stay in sight (form error, buttons, spinner, captcha
// voice status).
func (s *stepFlow) parts() (head, fields, bottom []string) {
	st := s.a.st
	head = []string{"", "  " + st.Title.Render(s.title), ""}
	if s.done {
		for _, l := range s.doneText {
			head = append(head, "    "+l)
		}
		return head, nil, []string{"", "    " + s.buttons.view()}
	}
	if s.hint != nil {
		if h := s.hint(s.form.Step()); h != "" {
			head = append(head, "    "+st.Text.Render(h), "")
		}
	}
	form := strings.Split(s.form.View(), "\n")
	keep := 2 // the blank line and the buttons
	if s.form.FormError() != "" {
		keep += 2
	}
	keep = min(keep, len(form))
	fields, bottom = form[:len(form)-keep], form[len(form)-keep:]
	if s.form.Busy() {
		busy := "正在核验，请稍候…"
		if s.finalRunning() {
			busy = "正在保存，请稍候…"
		}
		bottom = append(bottom, "", "    "+s.spin.View()+" "+st.Text.Render(busy))
	}
	if c := s.captcha.statusView(); c != "" && s.form.Step() == 0 {
		bottom = append(bottom, "", strings.Repeat(" ", max(s.width-s.form.ContentWidth(), 2))+c)
	}
	return head, fields, bottom
}

// window shows room lines of the field rows around the focused one, with
// a marker where rows are hidden.
func (s *stepFlow) window(fields []string, room int) []string {
	if room < 3 {
		return nil
	}
	focus := len(fields) - 1 // a button has the focus: the rows next to it
	for i, l := range fields {
		if strings.HasPrefix(ansi.Strip(l), "> ") {
			focus = i
			break
		}
	}
	// The focused row near the top, so its error and picture below show.
	start := min(max(focus-1, 0), len(fields)-room)
	out := append([]string(nil), fields[start:start+room]...)
	more := s.a.st.Muted
	if start > 0 {
		out[0] = "    " + more.Render("▲ 上方还有内容（按 ↑ 查看）")
	}
	if start+room < len(fields) {
		out[room-1] = "    " + more.Render("▼ 下方还有内容（按 ↓ 查看）")
	}
	return out
}
