package screens

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/rules"
	"kiosk/screens/widget"
)

// Catalog ids of the shell.
const (
	Platform      = "shell.platform"       // the name in the header
	PlatformShort = "shell.platform_short" // when the name does not fit
	DemoBanner    = "shell.demo_banner"    // the permanent banner of demo mode
	TooSmall      = "shell.too_small"      // below MinWidth×MinHeight
)

// LangToggle is the zone id of the header's language button.
const LangToggle = "lang:toggle"

// maxHelpRows is the most rows the key help may take (a longer language
// wraps it rather than cutting it).
const maxHelpRows = 2

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
	r.frames.Add(1)
	if r.width < MinWidth || r.height < MinHeight {
		msg := r.app.St.TooSmall.Render(r.app.S(TooSmall))
		return lipgloss.Place(max(r.width, 1), max(r.height, 1), lipgloss.Center, lipgloss.Center, msg)
	}
	w, bodyH := r.bodySize()
	if [2]int{w, bodyH} != r.sized { // the help took another row, say
		r.cur.SetSize(w, bodyH)
		r.sized = [2]int{w, bodyH}
	}
	var body string
	switch {
	case r.counting:
		body = lipgloss.Place(w, bodyH, lipgloss.Center, lipgloss.Center, r.countdownView())
	case r.outage.down:
		w = r.width // the page covers the screen and the side panel
		body = r.outageView(w, bodyH)
	case r.phone != nil && r.phone.overlay:
		w = r.width // the overlay covers the screen and the side panel
		body = lipgloss.Place(w, bodyH, lipgloss.Center, lipgloss.Center, r.phone.view(r.app, bodyH))
	default:
		body = r.placeBody(r.cur.View(), w, bodyH)
	}
	if w < r.width { // the simulated phone stands beside the screen
		side := r.fitBody(r.phone.view(r.app, bodyH), phoneWidth, bodyH)
		side = lipgloss.NewStyle().PaddingLeft(phoneSide - phoneWidth).Render(side)
		body = lipgloss.JoinHorizontal(lipgloss.Top, body, side)
	}
	c := &r.shell
	lang := r.app.Lang()
	parts := []string{c.title.get(r.width, [2]any{r.muted, lang}, r.titleBar)}
	if line := c.banner.get(r.width, [2]any{r.phoneState(), lang}, r.bannerLine); line != "" {
		parts = append(parts, line)
	}
	rule := c.rule.get(r.width, nil, r.rule)
	parts = append(parts, c.info.get(r.width, r.infoKey(), r.infoLine), rule, body, rule, r.helpRows())
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
		return st.Banner.Width(r.width).Align(lipgloss.Center).Render(r.app.S(DemoBanner))
	}
	left := ""
	if r.app.Deps.Demo {
		left = " " + r.app.S(DemoBanner)
	}
	ind := widget.Mark(r.app.Zones, PhoneToggle, r.phone.indicator(r.app))
	gap := max(r.width-ansi.StringWidth(left)-ansi.StringWidth(ind)-1, 1)
	return ansi.Truncate(st.Banner.Render(left+strings.Repeat(" ", gap))+ind+st.Banner.Render(" "), r.width, "")
}

// titleBar is the platform's name on the left; on the right whether the
// voice is muted, the language button (tap or F3) and the kiosk's number.
func (r *Root) titleBar() string {
	h := r.app.St.Header.UnsetPadding()
	right := ""
	if id := rules.Sanitize(r.app.Deps.KioskID); id != "" {
		right = "  " + r.app.S("shell.kiosk_id", "ID", id)
	}
	if r.muted {
		right = "  " + r.app.S("shell.muted") + right
	}
	button := r.langButton()
	room := r.width - 2 - ansi.StringWidth(button) - ansi.StringWidth(right) - 2
	name := r.app.S(Platform)
	if ansi.StringWidth(name) > room {
		name = r.app.S(PlatformShort)
	}
	name = ansi.Truncate(name, max(room, 0), "…")
	gap := strings.Repeat(" ", max(room-ansi.StringWidth(name), 0)+2)
	return h.Render(" "+name+gap) + widget.Mark(r.app.Zones, LangToggle, button) + h.Render(right+" ")
}

// langButton shows every language, the current one bracketed (visible
// without colour).
func (r *Root) langButton() string {
	st := r.app.St
	var parts []string
	for _, l := range i18n.Langs {
		name := r.app.S("lang." + string(l))
		if l == r.app.Lang() {
			parts = append(parts, st.HeaderSelected.Render("["+name+"]"))
		} else {
			parts = append(parts, st.Header.UnsetPadding().Render(name))
		}
	}
	return strings.Join(parts, st.Header.UnsetPadding().Render(" · "))
}

// infoLine shows the step bar (multi-step flows) or the error notice on the
// left, and who is logged in on the right.
func (r *Root) infoLine() string {
	st := r.app.St
	right := ""
	if s := r.app.Session(); s != nil {
		right = st.Session.Render(r.app.S("shell.logged_in", "Who", r.sessionLabel(*s)))
	}
	room := r.width - 3 - ansi.StringWidth(right)
	left := ""
	if !r.notice.IsZero() {
		left = st.Error.Render(r.app.T(r.notice))
	} else if titles, cur := r.cur.Steps(); len(titles) > 1 {
		left = r.stepBar(titles, cur)
		if ansi.StringWidth(left) > room { // long titles (English): where we are, in short
			left = st.StepCurrent.Render("[" + strconv.Itoa(cur+1) + "/" + strconv.Itoa(len(titles)) + " " + r.app.S(titles[cur]) + "]")
		}
	}
	gap := r.width - 2 - ansi.StringWidth(left) - ansi.StringWidth(right)
	return ansi.Truncate(" "+left+strings.Repeat(" ", max(gap, 1))+right+" ", r.width, "…")
}

// sessionLabel names who is logged in; an agent's name is masked.
func (r *Root) sessionLabel(s model.Session) string {
	ent := rules.Sanitize(s.EnterpriseName)
	if s.Kind == model.SessionStaff {
		return r.app.S("staff.session", "Name", rules.Sanitize(s.StaffName), "Role", staffRoleLabel(s.StaffRole))
	}
	if s.Kind == model.SessionAgent {
		return r.app.S("shell.agent_of", "Name", rules.MaskName(s.AgentName), "Enterprise", ent)
	}
	return ent
}

// stepBar draws "1 确认账号 › 2 安全验证 › …" with the current step highlighted.
func (r *Root) stepBar(titles []string, cur int) string {
	st := r.app.St
	parts := make([]string, len(titles))
	for i, t := range titles {
		label := strconv.Itoa(i+1) + " " + r.app.S(t)
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

// helpRows is the footer's key help, remembered while it shows the same.
func (r *Root) helpRows() string {
	return r.shell.footer.get(r.width, helpKey(r.app.Lang(), r.helpBindings()), r.footer)
}

// footerHeight is the rule and the rows of key help.
func (r *Root) footerHeight() int { return 2 + strings.Count(r.helpRows(), "\n") }

// footer draws the key help in rows of the screen's width (at most
// maxHelpRows; bindings that would need a third row, the global ones last
// in the list, are left out rather than cut in the middle).
func (r *Root) footer() string {
	bs := r.helpBindings()
	for i, b := range bs { // help texts are catalog ids
		k, d := b.Help().Key, b.Help().Desc
		if strings.HasPrefix(k, "key.") {
			k = r.app.S(k)
		}
		bs[i].SetHelp(k, r.app.S(d))
	}
	r.help.Width = 0 // we lay the rows out ourselves: help miscounts CJK widths
	room := r.width - 2
	var rows [][]key.Binding
	curW := 0
	for _, b := range bs {
		w := ansi.StringWidth(r.help.ShortHelpView([]key.Binding{b}))
		if len(rows) == 0 || curW+2+w > room {
			if len(rows) == maxHelpRows {
				break
			}
			rows, curW = append(rows, nil), -2
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], b)
		curW += 2 + w
	}
	lines := make([]string, len(rows))
	for i, row := range rows {
		line := " " + r.help.ShortHelpView(row)
		lines[i] = line + strings.Repeat(" ", max(r.width-ansi.StringWidth(line), 0))
	}
	return strings.Join(lines, "\n")
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
	b.WriteString(string(r.app.Lang()))
	b.WriteByte(0)
	b.WriteString(r.app.T(r.notice))
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
		b.WriteString(r.sessionLabel(*s))
	}
	return b.String()
}

// helpKey is what a footer of bindings shows.
func helpKey(lang i18n.Lang, bs []key.Binding) any {
	var b strings.Builder
	b.WriteString(string(lang))
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

// steadyFrame is the block the body has taken on the current screen and
// step: it only grows, and downwards while there is room, so an error that
// comes and goes moves nothing.
type steadyFrame struct {
	key       frameKey
	w, h, top int
	placed    bool
}

// frameKey is what starts a new frame: another screen, step, language or
// size.
type frameKey struct {
	visit      uint64
	step, w, h int
	lang       i18n.Lang
}

// placeBody is the screen's view as the body: centred in w×h, across and
// down, at the place the block has held on this step.
func (r *Root) placeBody(v string, w, h int) string {
	_, step := r.cur.Steps()
	k := frameKey{visit: r.app.Visit(), step: step, w: w, h: h, lang: r.app.Lang()}
	if r.frame.key != k {
		r.frame = steadyFrame{key: k}
	}
	return r.fitBodyIn(v, w, h, &r.frame)
}

// fitBody makes the side panel's view exactly w×h: see fitBodyIn.
func (r *Root) fitBody(v string, w, h int) string { return r.fitBodyIn(v, w, h, nil) }

// fitBodyIn makes a view exactly w×h, centred across as one block (and
// down too, in a frame that remembers the block's size): lines cut to w
// cells; when too tall, blank lines go first, then the bottom. Line widths
// are remembered between frames: most lines do not change.
func (r *Root) fitBodyIn(v string, w, h int, frame *steadyFrame) string {
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
	top := 0
	if frame != nil {
		// Trailing blank lines are no part of the block.
		n := len(lines)
		for n > 0 && widths[n-1] == 0 || n > 0 && strings.TrimSpace(ansi.Strip(lines[n-1])) == "" {
			n--
		}
		frame.w, frame.h = max(frame.w, cw), max(frame.h, n)
		if !frame.placed {
			frame.top, frame.placed = (h-frame.h)/2, true
		}
		frame.top = max(min(frame.top, h-frame.h), 0) // grown past the bottom: up
		cw, top = frame.w, frame.top
	}
	pad := strings.Repeat(" ", (w-cw)/2)
	blank := strings.Repeat(" ", w)
	var b strings.Builder
	b.Grow(len(v) + h*w)
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		j := i - top
		if j < 0 || j >= len(lines) {
			b.WriteString(blank)
			continue
		}
		b.WriteString(pad)
		b.WriteString(lines[j])
		b.WriteString(strings.Repeat(" ", max(w-len(pad)-widths[j], 0)))
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
	var shadow strings.Builder
	marked := false
	for i, l := range lines {
		if i > 0 {
			shadow.WriteByte('\n')
		}
		if !hasZoneMarker(l) {
			continue
		}
		marked = true
		z := r.zoneLine(l)
		lines[i] = z.shown
		shadow.WriteString(z.shadow)
	}
	if !marked {
		return frame
	}
	// bubblezone reads the positions from the shadow: the markers between
	// blanks as wide as what stood between them. Its scanner copies the
	// rest of its input at every marker; the shadow keeps that small.
	r.app.Zones.Scan(shadow.String())
	return strings.Join(lines, "\n")
}

// zoneLine is a line with zone markers: as shown (markers removed) and as
// the zone scanner needs it (markers kept, the rest blanks of the same
// width).
type zoneLine struct{ shown, shadow string }

// zoneLine splits l, from the cache when l was drawn lately.
func (r *Root) zoneLine(l string) zoneLine {
	if z, ok := r.zoneLines[l]; ok {
		return z
	}
	if len(r.zoneLines) > 1024 {
		clear(r.zoneLines)
	}
	var shown, shadow strings.Builder
	rest := l
	for {
		i, j := nextZoneMarker(rest)
		if i < 0 {
			shown.WriteString(rest)
			break
		}
		shown.WriteString(rest[:i])
		shadow.WriteString(strings.Repeat(" ", ansi.StringWidth(rest[:i])))
		shadow.WriteString(rest[i:j])
		rest = rest[j:]
	}
	z := zoneLine{shown: shown.String(), shadow: shadow.String()}
	r.zoneLines[l] = z
	return z
}

// nextZoneMarker is where the first bubblezone marker (ESC [ digits z) in
// l starts and ends; -1, -1 for none.
func nextZoneMarker(l string) (int, int) {
	off := 0
	for {
		i := strings.Index(l[off:], "\x1b[")
		if i < 0 {
			return -1, -1
		}
		i += off
		j := i + 2
		for j < len(l) && l[j] >= '0' && l[j] <= '9' {
			j++
		}
		if j > i+2 && j < len(l) && l[j] == 'z' {
			return i, j + 1
		}
		off = i + 2
	}
}

// hasZoneMarker reports a bubblezone marker (ESC [ digits z) in l.
func hasZoneMarker(l string) bool {
	i, _ := nextZoneMarker(l)
	return i >= 0
}
