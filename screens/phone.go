package screens

import (
	"cmp"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kiosk/devices/sms/sim"
	"kiosk/model/rules"
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// The simulated phone (demo only, Deps.Phone != nil): the SMS the kiosk
// "sends" land on an in-memory phone, and this panel shows them, so a demo
// user can read the verification code. It sits right of the screen when
// the terminal is wide enough to keep the screen at MinWidth; otherwise a
// one-line indicator in the header, with F9 (or a tap on it) opening the
// panel as an overlay. Production has no Phone and draws nothing.

// PhoneLabel heads the panel: nobody may take it for a real phone.
const PhoneLabel = "phone.label"

// Indicator texts of the collapsed panel.
const (
	PhoneIndicatorNew  = "phone.indicator_new"
	PhoneIndicatorIdle = "phone.indicator_idle"
	PhoneIndicatorOpen = "phone.indicator_open"
)

// PhoneToggle is the zone id of the collapsed indicator.
const PhoneToggle = "phone:toggle"

// Panel geometry: the label plus border and padding.
const (
	phoneInner = 34 // the Chinese label's width; longer ones wrap
	phoneWidth = phoneInner + 4
	phoneSide  = phoneWidth + 1 // with a blank column between screen and panel
	phoneKeep  = 5              // messages kept for the panel
)

// Messages of the phone stream.
type (
	phoneReceived struct{ m sim.Message }
	phoneHistory  struct{ msgs []sim.Message }
	phoneClosed   struct{}
)

// phonePanel is the root's view of the simulated phone. Only the event loop
// touches it; the subscription channel is read in commands.
type phonePanel struct {
	sender  *sim.Sender
	ch      <-chan sim.Message
	cancel  func()
	msgs    []sim.Message // oldest first, at most phoneKeep
	lastSeq uint64        // highest Seq seen
	floor   uint64        // Seq at or below was cleared from view
	unseen  bool          // arrived while collapsed and not yet looked at
	overlay bool
}

// newPhonePanel subscribes at once so that nothing sent between New and
// Init is missed; the root's Close ends the subscription.
func newPhonePanel(s *sim.Sender) *phonePanel {
	if s == nil {
		return nil
	}
	ch, cancel := s.Subscribe(16)
	return &phonePanel{sender: s, ch: ch, cancel: cancel}
}

func (p *phonePanel) close() {
	if p != nil {
		p.cancel()
	}
}

// init reads the stream and fetches what the phone already holds.
func (p *phonePanel) init() tea.Cmd {
	if p == nil {
		return nil
	}
	return tea.Batch(p.wait(), p.history())
}

// wait is the stream command: it waits for one message and is issued again
// by the root after each.
func (p *phonePanel) wait() tea.Cmd {
	ch := p.ch
	return func() tea.Msg {
		m, ok := <-ch
		if !ok {
			return phoneClosed{}
		}
		return phoneReceived{m}
	}
}

func (p *phonePanel) history() tea.Cmd {
	s := p.sender
	return func() tea.Msg { return phoneHistory{s.Messages()} }
}

// update handles the stream's messages; wide says the panel is on screen.
func (p *phonePanel) update(msg tea.Msg, wide bool) tea.Cmd {
	switch msg := msg.(type) {
	case phoneReceived:
		gap := p.lastSeq != 0 && msg.m.Seq > p.lastSeq+1
		if p.add(msg.m) && !wide && !p.overlay {
			p.unseen = true
		}
		if gap { // the sender drops pushes to a full buffer; its history has them
			return tea.Batch(p.wait(), p.history())
		}
		return p.wait()
	case phoneHistory:
		for _, m := range msg.msgs {
			p.add(m)
		}
	}
	return nil
}

// add keeps m unless it is known or cleared; it reports whether it was new.
func (p *phonePanel) add(m sim.Message) bool {
	if m.Seq <= p.floor || slices.ContainsFunc(p.msgs, func(o sim.Message) bool { return o.Seq == m.Seq }) {
		return false
	}
	p.lastSeq = max(p.lastSeq, m.Seq)
	p.msgs = append(p.msgs, m)
	slices.SortFunc(p.msgs, func(a, b sim.Message) int { return cmp.Compare(a.Seq, b.Seq) })
	if len(p.msgs) > phoneKeep {
		p.msgs = p.msgs[len(p.msgs)-phoneKeep:]
	}
	return true
}

// clear empties the panel for the next visitor: what it shows, the unseen
// mark and the overlay go, and every message sent so far stays hidden for
// good (floor), whether it was shown, still on its way through the push
// channel, or lost to a full buffer and only in the phone's history. The
// simulated phone keeps its messages: it stands for the visitor's own
// phone, and only the kiosk's view of it belongs to a visit. Messages sent
// afterwards show as usual.
//
// The phone's newest Seq is read here, on the event loop, and not in a
// command: the simulated phone is an in-memory list behind a mutex that
// never blocks, and reading it now leaves no moment in which a message of
// the visit that ended could be drawn for the next one.
func (p *phonePanel) clear() {
	if p == nil {
		return
	}
	p.floor = max(p.floor, p.lastSeq)
	if msgs := p.sender.Messages(); len(msgs) > 0 {
		p.floor = max(p.floor, msgs[len(msgs)-1].Seq)
	}
	p.lastSeq = max(p.lastSeq, p.floor) // no gap is seen across the floor
	p.msgs, p.unseen, p.overlay = nil, false, false
}

// blank: the panel shows no message and no overlay, so a fresh home screen
// beside it has nothing of a visitor on show (nil: no panel at all).
func (p *phonePanel) blank() bool {
	return p == nil || len(p.msgs) == 0 && !p.overlay
}

func (p *phonePanel) toggle() {
	p.overlay = !p.overlay
	p.unseen = false
}

// indicator is the one-line form of the panel.
func (p *phonePanel) indicator(a *kit.App) string {
	st := a.St
	switch {
	case p.overlay:
		return st.Banner.Render(a.S(PhoneIndicatorOpen))
	case p.unseen:
		return st.Banner.Bold(true).Render(a.S(PhoneIndicatorNew))
	}
	return st.Banner.Render(a.S(PhoneIndicatorIdle))
}

// view draws the panel phoneWidth wide and at most h tall (at least the
// label): newest message first, older ones while they fit.
func (p *phonePanel) view(a *kit.App, h int) string {
	st := a.St
	var lines []string
	for _, l := range widget.Wrap(a.S(PhoneLabel), phoneInner) {
		lines = append(lines, st.Banner.Render(l))
	}
	lines = append(lines, "")
	room := h - 2 - len(lines) // the border
	if len(p.msgs) == 0 {
		lines = append(lines, st.Muted.Render(a.S("phone.empty")))
	}
	for i := len(p.msgs) - 1; i >= 0; i-- {
		block := phoneMessage(a, p.msgs[i])
		if i < len(p.msgs)-1 {
			block = append([]string{st.Rule.Render(strings.Repeat("─", phoneInner))}, block...)
		}
		if len(lines)+len(block) > room && i < len(p.msgs)-1 {
			break // the newest is always shown, cut if need be
		}
		lines = append(lines, block...)
	}
	if room > 0 && len(lines) > room {
		lines = lines[:room]
	}
	box := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(st.Rule.GetForeground()).
		Padding(0, 1).Width(phoneWidth - 2)
	return box.Render(strings.Join(lines, "\n"))
}

// phoneMessage is one message: the masked recipient and time, then the
// sanitised text wrapped to the panel (widget.Wrap: a code or an account
// name is never split across lines).
func phoneMessage(a *kit.App, m sim.Message) []string {
	st := a.St
	head := st.Muted.Render(a.S("phone.to", "Phone", maskPhone(m.To), "Time", m.At.Format("15:04:05")))
	out := []string{head}
	for _, l := range widget.Wrap(rules.Sanitize(m.Text), phoneInner) {
		out = append(out, st.Text.Render(l))
	}
	return out
}

// maskPhone masks a number as 138****8000; the sender keeps it as
// +8613800138000, whose country code is no secret and not worth the room.
func maskPhone(to string) string {
	if rest, ok := strings.CutPrefix(to, "+86"); ok && len(rest) == 11 {
		to = rest
	}
	return rules.MaskMobile(to)
}

// phoneWide: the panel stands beside the screen, which keeps MinWidth.
func (r *Root) phoneWide() bool {
	return r.phone != nil && r.width >= MinWidth+phoneSide
}

// phoneKey gives the overlay its keys: F9 toggles it; while it is open,
// esc also closes it and every other key is swallowed (it is modal).
func (r *Root) phoneKey(msg tea.KeyMsg) (handled bool) {
	p := r.phone
	switch {
	case key.Matches(msg, r.app.Keys.Phone):
		p.toggle()
		return true
	case p.overlay:
		if key.Matches(msg, r.app.Keys.Back) {
			p.toggle()
		}
		return true
	}
	return false
}

// phoneMouse: a tap on the indicator toggles the overlay; while it is open,
// any tap closes it.
func (r *Root) phoneMouse(msg tea.MouseMsg) (handled bool) {
	p := r.phone
	switch {
	case p.overlay:
		if widget.Tap(msg) {
			p.toggle()
		}
		return true
	case !r.phoneWide() && widget.Tapped(r.app.Zones, PhoneToggle, msg):
		p.toggle()
		return true
	}
	return false
}
