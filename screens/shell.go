package screens

import (
	"strconv"
	"strings"

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
	if r.app.deps.Demo || (r.phone != nil && !r.phoneWide()) {
		h++ // banner, which also carries the phone indicator
	}
	return h
}

// View draws the shell around the current screen. Zone markers are resolved
// here, and only here.
func (r *Root) View() string {
	if r.width < MinWidth || r.height < MinHeight {
		msg := r.app.st.TooSmall.Render(TooSmall)
		return lipgloss.Place(max(r.width, 1), max(r.height, 1), lipgloss.Center, lipgloss.Center, msg)
	}
	w, bodyH := r.bodySize()
	var body string
	switch {
	case r.counting:
		body = lipgloss.Place(w, bodyH, lipgloss.Center, lipgloss.Center, r.countdownView())
	case r.phone != nil && r.phone.overlay:
		w = r.width // the overlay covers the screen and the side panel
		body = lipgloss.Place(w, bodyH, lipgloss.Center, lipgloss.Center, r.phone.view(r.app.st, bodyH))
	default:
		body = fitBody(r.cur.View(), w, bodyH)
	}
	if w < r.width { // the simulated phone stands beside the screen
		side := fitBody(r.phone.view(r.app.st, bodyH), phoneWidth, bodyH)
		side = lipgloss.NewStyle().PaddingLeft(phoneSide - phoneWidth).Render(side)
		body = lipgloss.JoinHorizontal(lipgloss.Top, body, side)
	}
	parts := []string{r.titleBar()}
	if line := r.bannerLine(); line != "" {
		parts = append(parts, line)
	}
	parts = append(parts, r.infoLine(), r.rule(), body, r.rule(), r.footer())
	return r.app.zones.Scan(strings.Join(parts, "\n"))
}

// bannerLine is the demo banner, with the collapsed phone indicator on the
// right when the panel has no room beside the screen.
func (r *Root) bannerLine() string {
	st := r.app.st
	collapsed := r.phone != nil && !r.phoneWide()
	switch {
	case !collapsed && !r.app.deps.Demo:
		return ""
	case !collapsed:
		return st.Banner.Width(r.width).Align(lipgloss.Center).Render(DemoBanner)
	}
	left := ""
	if r.app.deps.Demo {
		left = " " + DemoBanner
	}
	ind := widget.Mark(r.app.zones, PhoneToggle, r.phone.indicator(st))
	gap := max(r.width-lipgloss.Width(left)-lipgloss.Width(ind)-1, 1)
	return ansi.Truncate(st.Banner.Render(left+strings.Repeat(" ", gap))+ind+st.Banner.Render(" "), r.width, "")
}

func (r *Root) titleBar() string {
	right := ""
	if id := rules.Sanitize(r.app.deps.KioskID); id != "" {
		right = "终端编号 " + id
	}
	if r.muted {
		right = strings.TrimSpace("已静音  " + right)
	}
	inner := r.width - 2 // the style's padding
	gap := max(inner-lipgloss.Width(Platform)-lipgloss.Width(right), 1)
	line := ansi.Truncate(Platform+strings.Repeat(" ", gap)+right, inner, "")
	return r.app.st.Header.Width(r.width).Render(line)
}

// infoLine shows the step bar (multi-step flows) or the error notice on the
// left, and who is logged in on the right.
func (r *Root) infoLine() string {
	st := r.app.st
	left := ""
	if r.notice != "" {
		left = st.Error.Render(r.notice)
	} else if titles, cur := r.cur.Steps(); len(titles) > 1 {
		left = r.stepBar(titles, cur)
	}
	right := ""
	if s := r.app.session; s != nil {
		right = st.Session.Render("当前登录：" + sessionLabel(*s))
	}
	gap := r.width - 2 - lipgloss.Width(left) - lipgloss.Width(right)
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
	st := r.app.st
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

func (r *Root) rule() string { return r.app.st.Rule.Render(strings.Repeat("─", r.width)) }

func (r *Root) footer() string {
	r.help.Width = r.width - 2
	line := " " + r.help.ShortHelpView(r.helpBindings())
	// help's own width limit miscounts wide (CJK) descriptions; cut to the
	// screen so the footer never wraps.
	if lipgloss.Width(line) > r.width {
		line = ansi.Truncate(line, r.width-1, "…")
	}
	return line + strings.Repeat(" ", max(r.width-lipgloss.Width(line), 0))
}

func (r *Root) countdownView() string {
	msg := "长时间无操作，将在 " + strconv.Itoa(r.remaining) + " 秒后返回首页，按任意键继续"
	return r.app.st.Overlay.Render(msg + "\n\n" + r.app.st.Muted.Render("为保护您的信息，已填写的内容将被清除"))
}

// fitBody makes the screen's view exactly w×h, centred as one block: lines
// cut to w cells; when too tall, blank lines go first, then the bottom.
func fitBody(v string, w, h int) string {
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
		widths[i] = lipgloss.Width(l)
		if widths[i] > w {
			lines[i] = ansi.Truncate(l, w, "")
			widths[i] = w
		}
		cw = max(cw, widths[i])
	}
	pad := strings.Repeat(" ", (w-cw)/2)
	var b strings.Builder
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
