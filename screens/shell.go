package screens

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model"
	"kiosk/model/rules"
	"kiosk/screens/widget"
)

// Platform is the name in the header.
const Platform = "统一身份认证平台 · 单位服务自助终端"

// DemoBanner is the permanent banner of demo mode.
const DemoBanner = "演示模式 · 模拟设备 · 样例数据"

// TooSmall is shown instead of the layout below MinWidth×MinHeight.
const TooSmall = "终端窗口过小，请调整至至少 80×24"

const footerHeight = 2 // rule + help

func (r *Root) headerHeight() int {
	h := 3 // title bar, info line (steps / session / notice), rule
	if r.app.Deps.Demo || (r.phone != nil && !r.phoneWide()) {
		h++ // banner, which also carries the phone indicator
	}
	return h
}

// View draws the shell around the current screen. Zone markers are resolved
// here, and only here.
func (r *Root) View() string {
	if r.width < MinWidth || r.height < MinHeight {
		msg := r.app.St.TooSmall.Render(TooSmall)
		return lipgloss.Place(max(r.width, 1), max(r.height, 1), lipgloss.Center, lipgloss.Center, msg)
	}
	w, bodyH := r.bodySize()
	var body string
	switch {
	case r.counting:
		body = lipgloss.Place(w, bodyH, lipgloss.Center, lipgloss.Center, r.countdownView())
	case r.phone != nil && r.phone.overlay:
		w = r.width // the overlay covers the screen and the side panel
		body = lipgloss.Place(w, bodyH, lipgloss.Center, lipgloss.Center, r.phone.view(r.app.St, bodyH))
	default:
		body = r.fitBody(r.cur.View(), w, bodyH)
	}
	if w < r.width { // the simulated phone stands beside the screen
		side := r.fitBody(r.phone.view(r.app.St, bodyH), phoneWidth, bodyH)
		side = lipgloss.NewStyle().PaddingLeft(phoneSide - phoneWidth).Render(side)
		body = lipgloss.JoinHorizontal(lipgloss.Top, body, side)
	}
	c := &r.shell
	parts := []string{c.title.get(r.width, r.muted, r.titleBar)}
	if line := c.banner.get(r.width, r.phoneState(), r.bannerLine); line != "" {
		parts = append(parts, line)
	}
	rule := c.rule.get(r.width, nil, r.rule)
	parts = append(parts, c.info.get(r.width, r.infoKey(), r.infoLine), rule, body, rule,
		c.footer.get(r.width, helpKey(r.helpBindings()), r.footer))
	return r.app.Sprites.Expand(r.scanZones(strings.Join(parts, "\n")))
}

// bannerLine is the demo banner, with the collapsed phone indicator on the
// right when the panel has no room beside the screen.
func (r *Root) bannerLine() string {
	st := r.app.St
	collapsed := r.phone != nil && !r.phoneWide()
	switch {
	case !collapsed && !r.app.Deps.Demo:
		return ""
	case !collapsed:
		return st.Banner.Width(r.width).Align(lipgloss.Center).Render(DemoBanner)
	}
	left := ""
	if r.app.Deps.Demo {
		left = " " + DemoBanner
	}
	ind := widget.Mark(r.app.Zones, PhoneToggle, r.phone.indicator(st))
	gap := max(r.width-ansi.StringWidth(left)-ansi.StringWidth(ind)-1, 1)
	return ansi.Truncate(st.Banner.Render(left+strings.Repeat(" ", gap))+ind+st.Banner.Render(" "), r.width, "")
}

func (r *Root) titleBar() string {
	right := ""
	if id := rules.Sanitize(r.app.Deps.KioskID); id != "" {
		right = "终端编号 " + id
	}
	if r.muted {
		right = strings.TrimSpace("已静音  " + right)
	}
	inner := r.width - 2 // the style's padding
	gap := max(inner-ansi.StringWidth(Platform)-ansi.StringWidth(right), 1)
	line := ansi.Truncate(Platform+strings.Repeat(" ", gap)+right, inner, "")
	return r.app.St.Header.Width(r.width).Render(line)
}

// infoLine shows the step bar (multi-step flows) or the error notice on the
// left, and who is logged in on the right.
func (r *Root) infoLine() string {
	st := r.app.St
	left := ""
	if r.notice != "" {
		left = st.Error.Render(r.notice)
	} else if titles, cur := r.cur.Steps(); len(titles) > 1 {
		left = r.stepBar(titles, cur)
	}
	right := ""
	if s := r.app.Session(); s != nil {
		right = st.Session.Render("当前登录：" + sessionLabel(*s))
	}
	gap := r.width - 2 - ansi.StringWidth(left) - ansi.StringWidth(right)
	return ansi.Truncate(" "+left+strings.Repeat(" ", max(gap, 1))+right+" ", r.width, "…")
}

// sessionLabel names who is logged in; an agent's name is masked.
func sessionLabel(s model.Session) string {
	ent := rules.Sanitize(s.EnterpriseName)
	if s.Kind == model.SessionAgent {
		return "经办人 " + rules.MaskName(s.AgentName) + "（" + ent + "）"
	}
	return ent
}

// stepBar draws "1 确认账号 › 2 安全验证 › …" with the current step highlighted.
func (r *Root) stepBar(titles []string, cur int) string {
	st := r.app.St
	parts := make([]string, len(titles))
	for i, t := range titles {
		label := strconv.Itoa(i+1) + " " + t
		switch {
		case i == cur:
			parts[i] = st.StepCurrent.Render("[" + label + "]")
		case i < cur:
			parts[i] = st.StepDone.Render(label)
		default:
			parts[i] = st.StepTodo.Render(label)
		}
	}
	return strings.Join(parts, st.StepSep.Render(" › "))
}

func (r *Root) rule() string { return r.app.St.Rule.Render(strings.Repeat("─", r.width)) }

func (r *Root) footer() string {
	r.help.Width = r.width - 2
	line := " " + r.help.ShortHelpView(r.helpBindings())
	// help's own width limit miscounts wide (CJK) descriptions; cut to the
	// screen so the footer never wraps.
	if ansi.StringWidth(line) > r.width {
		line = ansi.Truncate(line, r.width-1, "…")
	}
	return line + strings.Repeat(" ", max(r.width-ansi.StringWidth(line), 0))
}

func (r *Root) countdownView() string {
	msg := "长时间无操作，将在 " + strconv.Itoa(r.remaining) + " 秒后返回首页，按任意键继续"
	return r.app.St.Overlay.Render(msg + "\n\n" + r.app.St.Muted.Render("为保护您的信息，已填写的内容将被清除"))
}

// shellCache keeps the shell's lines between frames: each is drawn again
// only when what it shows changes (a keystroke changes the screen, rarely
// the shell).
type shellCache struct {
	title, banner, rule, info, footer memo
}

// memo is one line and the width and key it was drawn for.
type memo struct {
	width int
	key   any
	line  string
	ok    bool
}

func (m *memo) get(width int, key any, draw func() string) string {
	if !m.ok || m.width != width || m.key != key {
		m.width, m.key, m.line, m.ok = width, key, draw(), true
	}
	return m.line
}

// phoneState is what the banner's phone indicator shows.
func (r *Root) phoneState() any {
	if r.phone == nil {
		return nil
	}
	return [3]bool{r.phone.overlay, r.phone.unseen, r.phoneWide()}
}

// infoKey is what the info line shows.
func (r *Root) infoKey() any {
	var b strings.Builder
	b.WriteString(r.notice)
	b.WriteByte(0)
	if titles, cur := r.cur.Steps(); len(titles) > 1 {
		for _, t := range titles {
			b.WriteString(t)
			b.WriteByte(1)
		}
		b.WriteString(strconv.Itoa(cur))
	}
	b.WriteByte(0)
	if s := r.app.Session(); s != nil {
		b.WriteString(sessionLabel(*s))
	}
	return b.String()
}

// helpKey is what a footer of bindings shows.
func helpKey(bs []key.Binding) any {
	var b strings.Builder
	for _, k := range bs {
		if k.Enabled() {
			h := k.Help()
			b.WriteString(h.Key)
			b.WriteByte(1)
			b.WriteString(h.Desc)
			b.WriteByte(2)
		}
	}
	return b.String()
}

// fitBody makes the screen's view exactly w×h, centred as one block: lines
// cut to w cells; when too tall, blank lines go first, then the bottom.
// Line widths are remembered between frames: most lines do not change.
func (r *Root) fitBody(v string, w, h int) string {
	lines := strings.Split(v, "\n")
	for i := len(lines) - 1; len(lines) > h && i >= 0; i-- {
		if strings.TrimSpace(ansi.Strip(lines[i])) == "" {
			lines = append(lines[:i], lines[i+1:]...)
		}
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	widths := make([]int, len(lines))
	cw := 0
	for i, l := range lines {
		widths[i] = r.lineWidth(l)
		if widths[i] > w {
			lines[i] = ansi.Truncate(l, w, "")
			widths[i] = w
		}
		cw = max(cw, widths[i])
	}
	pad := strings.Repeat(" ", (w-cw)/2)
	var b strings.Builder
	b.Grow(len(v) + h*w)
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i >= len(lines) {
			b.WriteString(strings.Repeat(" ", w))
			continue
		}
		b.WriteString(pad)
		b.WriteString(lines[i])
		b.WriteString(strings.Repeat(" ", w-len(pad)-widths[i]))
	}
	return b.String()
}

// lineWidth is ansi.StringWidth, remembered for the lines of recent frames.
func (r *Root) lineWidth(l string) int {
	if w, ok := r.widths[l]; ok {
		return w
	}
	if len(r.widths) > 4096 {
		clear(r.widths)
	}
	w := ansi.StringWidth(l)
	r.widths[l] = w
	return w
}

// scanZones resolves the zone markers of a frame (bubblezone's Scan) with
// only the lines that hold markers in the scan: the others go in as empty
// lines, which keeps every zone's row and column, and come out as they
// were. The scan copies what follows each marker, so a frame's padding and
// unmarked lines would cost it dearly on every keystroke.
func (r *Root) scanZones(frame string) string {
	lines := strings.Split(frame, "\n")
	var in strings.Builder
	marked := make([]bool, len(lines))
	for i, l := range lines {
		if i > 0 {
			in.WriteByte('\n')
		}
		if hasZoneMarker(l) {
			marked[i] = true
			in.WriteString(l)
		}
	}
	scanned := strings.Split(r.app.Zones.Scan(in.String()), "\n")
	var out strings.Builder
	out.Grow(len(frame))
	for i, l := range lines {
		if i > 0 {
			out.WriteByte('\n')
		}
		if marked[i] && i < len(scanned) {
			l = scanned[i]
		}
		out.WriteString(l)
	}
	return out.String()
}

// hasZoneMarker reports a bubblezone marker (ESC [ digits z) in l.
func hasZoneMarker(l string) bool {
	for {
		i := strings.Index(l, "\x1b[")
		if i < 0 {
			return false
		}
		l = l[i+2:]
		j := 0
		for j < len(l) && l[j] >= '0' && l[j] <= '9' {
			j++
		}
		if j > 0 && j < len(l) && l[j] == 'z' {
			return true
		}
	}
}
