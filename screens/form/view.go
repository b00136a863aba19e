package form

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"kiosk/screens/widget"
)

// Zone ids, exported so that owners and tests can find a field or button on
// screen (zone.Get(id) after a render).
func FieldZone(form, key string) string  { return form + ":field:" + key }
func RevealZone(form, key string) string { return form + ":reveal:" + key }
func ActionZone(form, key string) string { return form + ":action:" + key }
func SpeakZone(form, key string) string  { return form + ":speak:" + key }
func ButtonZone(form, id string) string  { return form + ":button:" + id }
func OptionZone(form, key string, i int) string {
	return form + ":option:" + key + ":" + strconv.Itoa(i)
}
func ArrowZone(form, key string, dir int) string {
	return form + ":arrow:" + key + ":" + strconv.Itoa(dir)
}

// Layout constants, in cells.
const (
	markerW   = 2 // "> " before the focused field
	requiredW = 2 // "* " before a required label
	gapW      = 2 // between label and input
)

// labelWidth is the widest label of the current step (labels are fixed:
// measured once per step).
func (f *Form) labelWidth() int {
	if w, ok := f.labelW[f.step]; ok {
		return w
	}
	w := 0
	for _, fld := range f.fields() {
		w = max(w, ansi.StringWidth(fld.Base().Label))
	}
	f.labelW[f.step] = w
	return w
}

// ContentWidth is the width, in cells, right of the labels: where inputs,
// errors and pictures go.
func (f *Form) ContentWidth() int {
	return max(f.width-markerW-requiredW-f.labelWidth()-gapW, 0)
}

// rowCache is a field's last drawing and what it depended on: a keystroke
// redraws the focused field only.
type rowCache struct {
	ver, width, rows, labelW int
	focused                  bool
	lines                    []string
}

// View draws the current step: the fields (each its row, the lines under
// it and its error, note or hint), the form error and the button row. A
// step taller than the room set by SetSize first drops the blank lines
// above the form error and the buttons, then draws its pictures smaller,
// then scrolls: the fields around the focus stay in sight, and the form
// error and the buttons never leave the bottom.
func (f *Form) View() string {
	v, _ := f.Render(f.height)
	return v
}

// Render is View in height lines (0: as tall as the step), with the
// step's natural height (what it would take uncut).
func (f *Form) Render(height int) (view string, natural int) {
	bottom := f.bottom()
	lines, spans := f.render(nil)
	natural = len(lines) + len(bottom)
	if height > 0 && natural > height {
		// Spacing gives way first (a copy: the cached lines stay whole).
		bottom = slices.DeleteFunc(slices.Clone(bottom), func(l string) bool { return l == "" })
		if len(lines)+len(bottom) > height {
			if rows := f.shrink(len(lines) + len(bottom) - height); rows != nil {
				lines, spans = f.render(rows)
			}
			if len(lines)+len(bottom) > height {
				lines = f.window(lines, spans, height-len(bottom))
			}
		}
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	for i, l := range bottom {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	return b.String(), natural
}

// shrink gives flexible fields fewer rows to win over lines back, down
// to their least; nil when none can give.
func (f *Form) shrink(over int) map[Field]int {
	c := f.context()
	var rows map[Field]int
	for _, fld := range f.fields() {
		fl, ok := fld.(Flexible)
		if !ok || over <= 0 {
			continue
		}
		native, least := fl.Rows(c)
		give := min(over, native-least)
		if give <= 0 {
			continue
		}
		if rows == nil {
			rows = map[Field]int{}
		}
		rows[fld] = native - give
		over -= give
	}
	return rows
}

// render draws the step's fields; spans[i] is where field i's lines are.
func (f *Form) render(rows map[Field]int) (lines []string, spans [][2]int) {
	labelW := f.labelWidth()
	indent := strings.Repeat(" ", markerW+requiredW+labelW+gapW)
	c := f.context()
	spans = make([][2]int, len(f.fields()))
	lines = make([]string, 0, 4*len(f.fields()))
	for i, fld := range f.fields() {
		c.Rows = rows[fld]
		start := len(lines)
		lines = append(lines, f.block(i, fld, c, labelW, indent)...)
		spans[i] = [2]int{start, len(lines)}
	}
	return lines, spans
}

// block is one field's lines, from the cache when nothing changed.
func (f *Form) block(i int, fld Field, c *Ctx, labelW int, indent string) []string {
	focused := i == f.focus
	s := fld.Base()
	if rc, ok := f.cache[fld]; ok && rc.ver == s.ver && rc.focused == focused &&
		rc.width == c.Width && rc.rows == c.Rows && rc.labelW == labelW {
		return rc.lines
	}
	marker, label := "  ", f.cfg.Styles.Label
	if focused {
		marker, label = "> ", f.cfg.Styles.LabelFocused
	}
	req := "  "
	if s.Required {
		req = f.cfg.Styles.Required.Render("*") + " "
	}
	head := marker + req + label.Render(widget.PadRight(s.Label, labelW)) + strings.Repeat(" ", gapW)
	input, below := fld.View(c, focused)
	out := make([]string, 0, len(below)+2)
	out = append(out, c.Mark(FieldZone(f.cfg.ID, s.Key), head+input))
	for _, l := range below {
		out = append(out, indent+l)
	}
	switch {
	case s.err != "":
		out = append(out, indent+f.cfg.Styles.FieldError.Render(s.err))
	case s.note != "":
		out = append(out, indent+f.cfg.Styles.Muted.Render(s.note))
	case s.Hint != "":
		for _, l := range strings.Split(ansi.Wordwrap(s.Hint, max(c.Width, 10), ""), "\n") {
			out = append(out, indent+f.cfg.Styles.Muted.Render(l))
		}
	}
	f.cache[fld] = rowCache{ver: s.ver, focused: focused, width: c.Width, rows: c.Rows, labelW: labelW, lines: out}
	return out
}

// bottomKey is everything the bottom lines depend on.
type bottomKey struct {
	step, focus, labelW, extra int
	busy                       bool
	formErr                    string
}

// bottom is what never scrolls away: a blank line, the form error and the
// button row (drawn again only when they change).
func (f *Form) bottom() []string {
	k := bottomKey{step: f.step, focus: f.focus, labelW: f.labelWidth(), extra: f.extraVer, busy: f.Busy(), formErr: f.formErr}
	if f.bottomC.lines != nil && f.bottomC.key == k {
		return f.bottomC.lines
	}
	indent := strings.Repeat(" ", markerW+requiredW+k.labelW+gapW)
	out := []string{""}
	if f.formErr != "" {
		out = append(out, indent+f.cfg.Styles.Error.Render(f.formErr), "")
	}
	out = append(out, indent+f.buttonsView())
	f.bottomC.key, f.bottomC.lines = k, out
	return out
}

// window shows room lines of the fields around the focused one, with a
// marker where lines are hidden.
func (f *Form) window(lines []string, spans [][2]int, room int) []string {
	if room < 3 {
		return nil
	}
	start := len(lines) - room // a button has the focus: the fields next to it
	if f.focus < len(spans) {
		sp := spans[f.focus]
		// The focused field near the top, so its picture and error show.
		start = max(sp[0]-1, 0)
		if sp[1]-start > room {
			start = sp[0]
		}
	}
	start = max(min(start, len(lines)-room), 0)
	out := append([]string(nil), lines[start:start+room]...)
	more := f.cfg.Styles.Muted
	indent := strings.Repeat(" ", markerW+requiredW)
	if start > 0 {
		out[0] = indent + more.Render("▲ 上方还有内容（按 ↑ 查看）")
	}
	if start+room < len(lines) {
		out[room-1] = indent + more.Render("▼ 下方还有内容（按 ↓ 查看）")
	}
	return out
}

func (f *Form) buttonsView() string {
	btns := f.buttons()
	parts := make([]string, len(btns))
	first := len(f.fields())
	for j, b := range btns {
		disabled := b.ID == ButtonNext && f.Busy()
		parts[j] = widget.Mark(f.cfg.Zones, ButtonZone(f.cfg.ID, b.ID),
			widget.Button(f.cfg.Styles, b.Label, f.focus == first+j, disabled))
	}
	return strings.Join(parts, "  ")
}

// NaturalHeight is the step's height in lines when nothing is cut.
func (f *Form) NaturalHeight() int {
	_, n := f.Render(0)
	return n
}
