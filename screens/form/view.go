package form

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
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
	extrasW   = 14
	minInputW = 10
	maxInputW = 32
)

func (f *Form) labelWidth() int {
	w := 0
	for _, fld := range f.fields() {
		w = max(w, lipgloss.Width(fld.Label))
	}
	return w
}

// inputWidth is the visible width of a text input of kind k on this step.
func (f *Form) inputWidth(k Kind) int {
	switch k {
	case Captcha, SMSCode:
		return 8
	case Date:
		return 12
	}
	w := f.width - markerW - requiredW - f.labelWidth() - gapW - extrasW
	return min(max(w, minInputW), maxInputW)
}

// relayout gives the current step's inputs their width; textinput scrolls
// horizontally inside it.
func (f *Form) relayout() {
	for _, fld := range f.fields() {
		if fld.isText() {
			fld.input.Width = f.inputWidth(fld.Kind)
		}
	}
}

// View draws the current step: one row per field (plus its error, picture
// or option lines), the form error, and the button row.
func (f *Form) View() string {
	labelW := f.labelWidth()
	indent := strings.Repeat(" ", markerW+requiredW+labelW+gapW)
	var lines []string
	for i, fld := range f.fields() {
		lines = append(lines, f.fieldView(i, fld, labelW, indent)...)
	}
	lines = append(lines, "")
	if f.formErr != "" {
		lines = append(lines, indent+f.st.Error.Render(f.formErr), "")
	}
	lines = append(lines, indent+f.buttonsView())
	return strings.Join(lines, "\n")
}

func (f *Form) fieldView(i int, fld *field, labelW int, indent string) []string {
	focused := i == f.focus
	marker, label := "  ", f.st.Label
	if focused {
		marker, label = "> ", f.st.LabelFocused
	}
	req := "  "
	if fld.Required {
		req = f.st.Required.Render("*") + " "
	}
	head := marker + req + label.Render(widget.PadRight(fld.Label, labelW)) + strings.Repeat(" ", gapW)

	var body string
	var below []string
	switch fld.Kind {
	case Select:
		body = f.selectView(fld)
		if focused {
			below = append(below, indent+f.optionsView(fld, false))
		}
	case Radio:
		body = f.optionsView(fld, true)
	default:
		body = f.inputBox(fld)
		switch fld.Kind {
		case Password:
			txt := "显示"
			if fld.revealed {
				txt = "隐藏"
			}
			body += "  " + f.mark(RevealZone(f.cfg.ID, fld.Key), f.st.Link.Render("["+txt+"]"))
		case Captcha:
			body += "  " + f.mark(ActionZone(f.cfg.ID, fld.Key), f.st.Link.Render("[换一张]")) +
				"  " + f.mark(SpeakZone(f.cfg.ID, fld.Key), f.st.Link.Render("[听语音]"))
			pic := fld.picture
			if pic == "" {
				pic = f.st.Captcha.Render("（验证码加载中）")
			}
			for _, l := range strings.Split(pic, "\n") {
				below = append(below, indent+l) // the picture brings its own colours
			}
		case SMSCode:
			if fld.countdown > 0 {
				body += "  " + f.st.Muted.Render("["+strconv.Itoa(fld.countdown)+"秒后重发]")
			} else {
				body += "  " + f.mark(ActionZone(f.cfg.ID, fld.Key), f.st.Link.Render("[获取验证码]"))
			}
		}
	}
	out := []string{f.mark(FieldZone(f.cfg.ID, fld.Key), head+body)}
	out = append(out, below...)
	if fld.err != "" {
		out = append(out, indent+f.st.FieldError.Render(fld.err))
	} else if fld.note != "" {
		out = append(out, indent+f.st.Muted.Render(fld.note))
	}
	return out
}

// inputBox draws a text input between brackets at a fixed width, so that
// the layout never moves while typing (CJK-aware).
func (f *Form) inputBox(fld *field) string {
	w := fld.input.Width
	v := fld.input.View()
	if lipgloss.Width(v) > w+1 {
		v = ansi.Truncate(v, w+1, "")
	}
	return "[" + widget.PadRight(v, w+1) + "]"
}

func (f *Form) selectView(fld *field) string {
	v := "请选择"
	style := f.st.Placeholder
	if fld.choice >= 0 {
		v, style = fld.Options[fld.choice], f.st.Input
	}
	w := 0
	for _, o := range fld.Options {
		w = max(w, lipgloss.Width(o))
	}
	w = max(w, lipgloss.Width("请选择"))
	left := f.mark(ArrowZone(f.cfg.ID, fld.Key, -1), f.st.Link.Render("<"))
	right := f.mark(ArrowZone(f.cfg.ID, fld.Key, +1), f.st.Link.Render(">"))
	return "[" + left + " " + style.Render(widget.PadRight(v, w)) + " " + right + "]"
}

// optionsView draws every option; radio style shows (*) for the chosen one.
func (f *Form) optionsView(fld *field, radio bool) string {
	parts := make([]string, len(fld.Options))
	for j, o := range fld.Options {
		sel := j == fld.choice
		var s string
		switch {
		case radio && sel:
			s = f.st.OptionSelected.Render("(*) " + o)
		case radio:
			s = f.st.Option.Render("( ) " + o)
		case sel:
			s = f.st.OptionSelected.Render("[" + o + "]")
		default:
			s = f.st.Option.Render(" " + o + " ")
		}
		parts[j] = f.mark(OptionZone(f.cfg.ID, fld.Key, j), s)
	}
	return strings.Join(parts, "  ")
}

func (f *Form) buttonsView() string {
	btns := f.buttons()
	parts := make([]string, len(btns))
	first := len(f.fields())
	for j, b := range btns {
		disabled := b.ID == ButtonNext && (f.busy || f.pending)
		parts[j] = f.mark(ButtonZone(f.cfg.ID, b.ID), widget.Button(f.st, b.Label, f.focus == first+j, disabled))
	}
	return strings.Join(parts, "  ")
}

func (f *Form) mark(id, v string) string { return widget.Mark(f.zones, id, v) }
