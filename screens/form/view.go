package form

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model/i18n"
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
	k := labelKey{f.step, f.cfg.Lang()}
	if w, ok := f.labelW[k]; ok {
		return w
	}
	w := 0
	for _, fld := range f.fields() {
		w = max(w, ansi.StringWidth(f.cfg.Text(i18n.T(fld.Base().Label))))
	}
	f.labelW[k] = w
	return w
}

// ContentWidth is the width, in cells, right of the labels (or, when the
// labels stand above their inputs, right of the indent): where inputs,
// errors and pictures go.
func (f *Form) ContentWidth() int {
	return max(f.width-f.indentWidth(), 0)
}

// stacked reports that labels stand above their inputs: they are too wide
// to stand beside them (long Korean or English labels on a narrow screen).
func (f *Form) stacked() bool { return f.labelWidth() > f.width*2/5 }

// indentWidth is where inputs begin.
func (f *Form) indentWidth() int {
	if f.stacked() {
		return markerW + requiredW
	}
	return markerW + requiredW + f.labelWidth() + gapW
}

// rowCache is a field's last drawing and what it depended on: a keystroke
// redraws the focused field only.
type rowCache struct {
	ver, width, rows, labelW int
	focused                  bool
	lang                     i18n.Lang
	lines                    []string
}

// labelKey is a step in a language: labels are measured once for each.
type labelKey struct {
	step int
	lang i18n.Lang
}

// View draws the current step: the fields (each its row, the lines under
// it and its error, note or hint), the form error and the button row. A
// step taller than the room set by SetSize first drops the blank lines
// above the form error and the buttons, then draws its pictures smaller
// (never below their least) if that makes it fit, else scrolls: the
// focused field stays in sight whole with its picture, and the form error
// and the buttons never leave the bottom.
func (f *Form) View() string {
	v, _ := f.Render(f.height)
	return v
}

// Render is View in height lines (0: as tall as the step), with the
// step's natural height (what it would take uncut, with one-line buttons).
func (f *Form) Render(height int) (view string, natural int) {
	bottom := f.bottom(false)
	lines, spans := f.render(nil)
	natural = len(lines) + len(bottom)
	// Boxed buttons where the room allows; they are the first to give way,
	// to one-line ones.
	if tall := f.bottom(true); height <= 0 || len(lines)+len(tall) <= height {
		bottom = tall
	}
	if height > 0 && natural > height {
		// Spacing gives way first (a copy: the cached lines stay whole).
		bottom = slices.DeleteFunc(slices.Clone(bottom), func(l string) bool { return l == "" })
		if len(lines)+len(bottom) > height {
			if rows := f.shrink(len(lines) + len(bottom) - height); rows != nil {
				lines, spans = f.render(rows)
			} else if rows := f.fitFocused(spans, height-len(bottom)); rows != nil {
				lines, spans = f.render(rows)
			}
			if len(lines)+len(bottom) > height {
				lines = f.window(lines, spans, height-len(bottom))
			}
		}
	}
	var b strings.Builder
	for i, l := range lines {
		b.WriteString(l)
		if i == 0 { // the form is always as wide as its room: an error or
			// hint that comes and goes never moves it sideways
			b.WriteString(strings.Repeat(" ", max(f.width-ansi.StringWidth(l), 0)))
		}
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

// shrink gives flexible fields fewer rows so that the whole step fits,
// down to their least; nil when that is not enough (the step then scrolls
// with its pictures whole: a picture is never drawn smaller just to
// scroll less).
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
	if over > 0 {
		return nil
	}
	return rows
}

// fitFocused shrinks the focused field, if flexible and taller than a
// window of room lines can show whole (with a marker above and below), as
// far as its least; nil when it fits or cannot give.
func (f *Form) fitFocused(spans [][2]int, room int) map[Field]int {
	if f.focus >= len(spans) {
		return nil
	}
	fld := f.fields()[f.focus]
	fl, ok := fld.(Flexible)
	if !ok {
		return nil
	}
	over := spans[f.focus][1] - spans[f.focus][0] + 2 - room
	native, least := fl.Rows(f.context())
	if give := min(over, native-least); give > 0 {
		return map[Field]int{fld: native - give}
	}
	return nil
}

// render draws the step's fields; spans[i] is where field i's lines are.
func (f *Form) render(rows map[Field]int) (lines []string, spans [][2]int) {
	labelW := f.labelWidth()
	indent := strings.Repeat(" ", f.indentWidth())
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
		rc.width == c.Width && rc.rows == c.Rows && rc.labelW == labelW && rc.lang == c.Lang {
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
	input, below := fld.View(c, focused)
	out := make([]string, 0, len(below)+3)
	if f.stacked() { // the label on its own lines, the input under it
		lines := wrap(c.S(s.Label), max(f.width-markerW-requiredW, 10))
		rows := make([]string, 0, len(lines)+1)
		for j, l := range lines {
			pre := strings.Repeat(" ", markerW+requiredW)
			if j == 0 {
				pre = marker + req
			}
			rows = append(rows, pre+label.Render(l))
		}
		rows = append(rows, indent+input)
		out = append(out, strings.Split(c.Mark(FieldZone(f.cfg.ID, s.Key), strings.Join(rows, "\n")), "\n")...)
	} else {
		head := marker + req + label.Render(widget.PadRight(c.S(s.Label), labelW)) + strings.Repeat(" ", gapW)
		out = append(out, c.Mark(FieldZone(f.cfg.ID, s.Key), head+input))
	}
	for _, l := range below {
		out = append(out, indent+l)
	}
	say := func(style lipgloss.Style, text string) {
		for _, l := range wrap(text, max(c.Width, 10)) {
			out = append(out, indent+style.Render(l))
		}
	}
	switch {
	case !s.err.IsZero():
		say(f.cfg.Styles.FieldError, c.T(s.err))
	case !s.note.IsZero():
		say(f.cfg.Styles.Muted, c.T(s.note))
	case s.Hint != "":
		say(f.cfg.Styles.Muted, c.S(s.Hint))
	}
	f.cache[fld] = rowCache{ver: s.ver, focused: focused, width: c.Width, rows: c.Rows, labelW: labelW, lang: c.Lang, lines: out}
	return out
}

// bottomKey is everything the bottom lines depend on.
type bottomKey struct {
	step, focus, labelW, width, extra int
	busy, tall                        bool
	formErr                           string
	lang                              i18n.Lang
}

// bottom is what never scrolls away: a blank line, the form error and the
// button row, boxed (tall) or on one line (drawn again only when they
// change; both kinds are kept).
func (f *Form) bottom(tall bool) []string {
	k := bottomKey{step: f.step, focus: f.focus, labelW: f.labelWidth(), width: f.width, extra: f.extraVer, busy: f.Busy(),
		tall: tall, formErr: f.FormError(), lang: f.cfg.Lang()}
	c := &f.bottomC[0]
	if tall {
		c = &f.bottomC[1]
	}
	if c.lines != nil && c.key == k {
		return c.lines
	}
	indent := strings.Repeat(" ", f.indentWidth())
	out := []string{""}
	if k.formErr != "" {
		for _, l := range wrap(k.formErr, max(f.ContentWidth(), 10)) {
			out = append(out, indent+f.cfg.Styles.Error.Render(l))
		}
		out = append(out, "")
	}
	for _, l := range widget.JoinRows(f.buttonsParts(tall), max(f.ContentWidth(), 10)) {
		out = append(out, indent+l)
	}
	c.key, c.lines = k, out
	return out
}

// window shows room lines of the fields around the focused one, with a
// marker where lines are hidden. A marker takes the place of a line next
// to the focused field, never one of its own: the focused field shows
// whole, picture and error included, whenever room allows.
func (f *Form) window(lines []string, spans [][2]int, room int) []string {
	if room < 3 {
		return nil
	}
	start := len(lines) - room // a button has the focus: the fields next to it
	if f.focus < len(spans) {
		sp := spans[f.focus]
		// The focused field near the top, so its picture and error show:
		// the line above it is context or the ▲ marker. Render has made
		// a flexible field short enough for its last line to stand above
		// the ▼ marker (fitFocused).
		start = max(sp[0]-1, 0)
		if sp[1]-start > room { // taller than the room: its top at least
			start = sp[0]
		}
	}
	start = max(min(start, len(lines)-room), 0)
	out := append([]string(nil), lines[start:start+room]...)
	more := f.cfg.Styles.Muted
	indent := strings.Repeat(" ", markerW+requiredW)
	if start > 0 {
		out[0] = indent + more.Render("▲ "+f.cfg.Text(i18n.T("form.more_above")))
	}
	if start+room < len(lines) {
		out[room-1] = indent + more.Render("▼ "+f.cfg.Text(i18n.T("form.more_below")))
	}
	return out
}

// buttonsParts draws each button of the row, boxed when tall.
func (f *Form) buttonsParts(tall bool) []string {
	btns := f.buttons()
	parts := make([]string, len(btns))
	first := len(f.fields())
	draw := widget.Button
	if tall {
		draw = widget.BoxButton
	}
	for j, b := range btns {
		disabled := b.ID == ButtonNext && f.Busy()
		parts[j] = widget.Mark(f.cfg.Zones, ButtonZone(f.cfg.ID, b.ID),
			draw(f.cfg.Styles, f.cfg.Text(i18n.T(b.Label)), f.focus == first+j, disabled))
	}
	return parts
}

// wrapParts lays parts (buttons, options) out in rows of at most w cells:
// a long label in one language never pushes the last one off the screen.
func wrapParts(parts []string, w int) []string {
	var rows []string
	cur, curW := "", 0
	for _, p := range parts {
		pw := ansi.StringWidth(p)
		if curW > 0 && curW+2+pw > w {
			rows = append(rows, cur)
			cur, curW = "", 0
		}
		if curW > 0 {
			cur += "  "
			curW += 2
		}
		cur += p
		curW += pw
	}
	return append(rows, cur)
}

// wrap breaks text into lines of at most w cells (widget.Wrap: at spaces,
// between Chinese characters, never inside an account name or a code).
func wrap(text string, w int) []string {
	return widget.Wrap(text, w)
}

// NaturalHeight is the step's height in lines when nothing is cut.
func (f *Form) NaturalHeight() int {
	_, n := f.Render(0)
	return n
}
